"""Signing staff in and out of the workspace."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from guide.web.forms import ActionForm, LoginForm
from guide.workspace.accounts import Throttle, authenticate
from guide.workspace.db import audit

bp = Blueprint("auth", __name__, url_prefix="/admin")


def safe_next(target: str | None) -> str:
    """Return ``target`` when it is a path inside the workspace, else the site list."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("admin.sites")


def client_address() -> str:
    """Return the address the request came from."""
    return request.remote_addr or "unknown"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; sign in, or say why not."""
    form = LoginForm()
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    status = 200
    if form.validate_on_submit():
        config = current_app.config
        throttle = Throttle(
            int(config["GUIDE_LOGIN_MAX_FAILURES"]),
            timedelta(seconds=int(config["GUIDE_LOGIN_WINDOW_S"])),
        )
        try:
            user = authenticate(form.name.data, form.password.data, client_address(), throttle)
        except PermissionError:
            audit(form.name.data[:64], "login.refused", detail=client_address())
            form.form_errors.append(
                _(
                    "Too many failed sign-ins for this account or from this network. "
                    "Wait %(minutes)d minutes and try again.",
                    minutes=max(1, int(config["GUIDE_LOGIN_WINDOW_S"]) // 60),
                )
            )
            status = 429
        else:
            if user is None:
                audit(form.name.data[:64], "login.failed", detail=client_address())
                form.password.errors = [_("Wrong account name or password.")]
                status = 401
            else:
                login_user(user)
                audit(user.name, "login", detail=client_address())
                return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("admin/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out."""
    form = ActionForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        audit(current_user.name, "logout")
        logout_user()
    return redirect(url_for("auth.login"))
