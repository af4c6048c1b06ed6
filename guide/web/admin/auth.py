"""Signing staff in and out of the workspace."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from guide.web.admin import throttle
from guide.web.forms import ActionForm, LoginForm
from guide.workspace.accounts import authenticate, end_sessions
from guide.workspace.database import audit

bp = Blueprint("auth", __name__, url_prefix="/admin")


def safe_next(target: str | None) -> str:
    """Return ``target`` when it is a path inside the workspace, else the site list."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("admin.sites")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; sign in, or say why not (limits: ``guide.web.admin.throttle``)."""
    form = LoginForm()
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    status = 200
    if form.validate_on_submit():
        throttle.slow_down_guessing(form.name.data)
        user = authenticate(form.name.data, form.password.data)
        if user is None:
            throttle.count_failure(form.name.data)
            audit(form.name.data[:64], "login.failed")
            form.password.errors = [_("Wrong account name or password.")]
            status = 401
        else:
            login_user(user)
            audit(user.name, "login")
            return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("admin/login.html", form=form), status


@bp.errorhandler(429)
def too_many_attempts(error):
    """Refuse a sign-in from an address that tried too often, saying how long to wait."""
    form = LoginForm()
    form.form_errors.append(
        _(
            "Too many sign-in attempts from this network. Wait %(minutes)d minutes and try again.",
            minutes=throttle.minutes_to_wait(),
        )
    )
    audit(throttle.account_name(), "login.refused")
    return render_template("admin/login.html", form=form), 429


@bp.post("/logout")
def logout():
    """Sign out, ending every session of the account (a copied cookie opens nothing)."""
    form = ActionForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        audit(current_user.name, "logout")
        end_sessions(current_user._get_current_object())
        logout_user()
    return redirect(url_for("auth.login"))
