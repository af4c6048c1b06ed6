"""Visitors' feedback on story pages, and the staff queue that handles it.

The public form needs no account and sets no cookie, so it has no session-bound
CSRF token. It is protected instead by a same-site check of Origin (or Referer),
a honeypot field, length limits, a per-address limit counted in this process's
memory only (Flask-Limiter's ``limits``), and duplicate suppression by digest.
The queue under ``/admin/feedback`` is scoped like editing: editors handle the
feedback of their areas, administrators all, viewers read only.
"""

from __future__ import annotations

import smtplib
import time
import zoneinfo
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from guide.listening import feedback as library
from guide.listening.words import FEEDBACK_STATUSES
from guide.messages import N_
from guide.web.addresses import STATIC_EXPORT, origin_of
from guide.web.admin.common import never_cache, require_sign_in
from guide.web.admin.errors import error_page
from guide.web.i18n import available_languages, translated, translated_table
from guide.web.loaded import get_catalogue
from guide.workspace.accounts import may_edit_area
from guide.workspace.database import db

if TYPE_CHECKING:
    from limits import RateLimitItem
    from limits.strategies import MovingWindowRateLimiter

    from guide.listening.models import Feedback


bp = Blueprint("feedback", __name__)
_LIMITER = "guide.feedback.limiter"
HONEYPOT = "website"


# ---------------------------------------------------------------------------------------
# The visitors' form


def today() -> date:
    """Return today's date in the catalogue's time zone."""
    name = current_app.config.get("GUIDE_TIME_ZONE") or "Asia/Ho_Chi_Minh"
    return datetime.now(zoneinfo.ZoneInfo(name)).date()


def same_site() -> bool:
    """Return whether the form was sent from one of the guide's own pages."""
    sent_from = request.headers.get("Origin", "")
    if not sent_from or sent_from == "null":
        sent_from = request.headers.get("Referer", "")
    claimed = origin_of(sent_from)
    if not claimed:
        return False
    ours = {origin_of(request.host_url)}
    base = current_app.config.get("GUIDE_BASE_URL") or ""
    if base:
        ours.add(origin_of(base))
    return claimed in ours


def limits_of(app: Flask) -> list[RateLimitItem]:
    """Return the per-address limits of the feedback form."""
    from limits import parse_many

    return list(parse_many(str(app.config["GUIDE_FEEDBACK_LIMIT"])))


def limiter_of(app: Flask) -> MovingWindowRateLimiter:
    """Return the app's counter of submissions, made on first use in an export's app."""
    limiter = app.extensions.get(_LIMITER)
    if limiter is None:
        from limits.storage import MemoryStorage
        from limits.strategies import MovingWindowRateLimiter

        # Memory only: the addresses counted here are never written anywhere.
        limiter = app.extensions[_LIMITER] = MovingWindowRateLimiter(MemoryStorage())
    return limiter


def retry_after() -> int | None:
    """Count one submission from this address; return seconds to wait when over a limit."""
    limiter = limiter_of(current_app)  # type: ignore[arg-type]
    address = request.remote_addr or "unknown"
    items = limits_of(current_app)  # type: ignore[arg-type]
    for item in items:
        if not limiter.test(item, "feedback", address):
            reset = limiter.get_window_stats(item, "feedback", address).reset_time
            return max(1, int(reset - time.time()) + 1)
    for item in items:
        limiter.hit(item, "feedback", address)
    return None


def refusal(code: int, message: str, slug: str) -> Response:
    """Return a page saying in words why the form was refused, with the HTTP status."""
    body = render_template(
        "listening/feedback_result.html", code=code, message=message, slug=slug, thanked=False
    )
    response = current_app.make_response((body, code))
    return response


@bp.post("/sites/<slug>/feedback")
def receive(slug: str) -> Response:
    """Keep what a visitor sent about a site, then send them to the thank-you page."""
    language = request.form.get("language", "")
    if language in available_languages():
        g.language = language
    site = get_catalogue().by_slug(slug)
    if site is None or not site.is_public:
        abort(404)
    if not same_site():
        return refusal(403, _("This form can only be sent from the guide's own pages."), slug)
    wait = retry_after()
    if wait is not None:
        response = refusal(
            429, _("Too many messages from your network: try again a little later."), slug
        )
        response.headers["Retry-After"] = str(wait)
        return response
    if request.form.get(HONEYPOT, ""):
        # Filled by a program, not a person: answered as if kept, so it learns nothing.
        return thanks_redirect(slug)
    try:
        submission = library.read_submission(request.form, available_languages())
    except library.FeedbackError as error:
        label = translated_table(FIELD_LABELS).get(error.field, error.field)
        return refusal(400, f"{label} ({error.field}): {translated(error.text)}", slug)
    library.store(submission, site.slug, site.area, today())
    return thanks_redirect(slug)


def thanks_redirect(slug: str) -> Response:
    """Send the browser to the thank-you page in the form's language (Post/Redirect/Get)."""
    return redirect(url_for("feedback.thanks", slug=slug, **{"in": g.get("language", "")}), 303)


@bp.get("/sites/<slug>/feedback/thanks")
def thanks(slug: str) -> str:
    """Thank the visitor, in the language of the page they wrote from."""
    language = request.args.get("in", "")
    if language in available_languages():
        g.language = language
    site = get_catalogue().by_slug(slug)
    if site is None or not site.is_public:
        abort(404)
    return render_template(
        "listening/feedback_result.html", code=200, message="", slug=slug, thanked=True
    )


# Message ids: each page translates them into its own language.
FIELD_LABELS = {
    "useful": N_("Was this useful?"),
    "comment": N_("Comment"),
    "topic": N_("What is wrong"),
    "report": N_("Describe the mistake"),
    "contact": N_("Your contact"),
    "answer": N_("Answer"),
}


TOPIC_LABELS = {
    "story": N_("the story"),
    "location": N_("the location"),
    "hours": N_("the opening hours"),
    "photo": N_("the photo"),
    "other": N_("something else"),
}


def topic_labels() -> dict[str, str]:
    """Return the names of the kinds of mistake in the page's language."""
    return translated_table(TOPIC_LABELS)


# ---------------------------------------------------------------------------------------
# The staff queue


staff = Blueprint("feedback_admin", __name__, url_prefix="/admin/feedback")
# The workspace's own sign-in, cache rules and error pages.
staff.before_request(require_sign_in)
staff.after_request(never_cache)
for _code in (400, 401, 403, 404):
    staff.register_error_handler(_code, error_page)


def visible_areas() -> list[str] | None:
    """Return the areas whose feedback the signed-in person sees (None: every area)."""
    if current_user.role == "editor":
        return current_user.areas
    return None


# Message ids: each page translates them into its own language.
STATUS_LABELS = {
    "new": N_("new"),
    "resolved": N_("resolved"),
    "dismissed": N_("dismissed"),
    "answered": N_("answered"),
}


KIND_LABELS = {
    "report": N_("mistake reports"),
    "comment": N_("comments"),
    "useful": N_("found it useful"),
    "not-useful": N_("did not find it useful"),
}


def status_labels() -> dict[str, str]:
    """Return the names of the feedback statuses in the page's language."""
    return translated_table(STATUS_LABELS)


@staff.get("/")
def queue() -> str:
    """List the feedback the signed-in person may see, filtered by status, area, site, kind."""
    args = request.args
    status = args.get("status", "new")
    status = status if status in FEEDBACK_STATUSES else ""
    kind = args.get("kind", "") if args.get("kind", "") in library.KINDS else ""
    rows = library.query(
        areas=visible_areas(),
        status=status,
        area=args.get("area", "")[:64],
        slug=args.get("site", "")[:200],
        kind=kind,
    )
    cat = get_catalogue()
    shown_areas = visible_areas()
    areas = [a for a in cat.areas if shown_areas is None or a.id in shown_areas]
    return render_template(
        "listening/queue.html",
        rows=rows,
        catalogue=cat,
        areas=areas,
        filters={
            "status": status,
            "area": args.get("area", ""),
            "site": args.get("site", ""),
            "kind": kind,
        },
        statuses=status_labels(),
        kinds=translated_table(KIND_LABELS),
        topics=topic_labels(),
        may_handle=lambda row: may_edit_area(current_user, row.area),
        editor_link=editor_link,
        mail_ready=library.mail_configured(current_app.config),
        is_email=library.is_email,
    )


def editor_link(row: Feedback) -> str:
    """Return the address of the editor's field where a reported mistake is corrected."""
    if get_catalogue().by_slug(row.slug) is None:
        return ""
    anchor = library.editor_anchor(row.topic, row.language)
    url = url_for("admin.edit_site", slug=row.slug)
    return f"{url}#{anchor}" if anchor else url


ACTIONS = {"resolve": "resolved", "dismiss": "dismissed", "answer": "answered"}


@staff.post("/<int:feedback_id>")
def handle(feedback_id: int) -> Response:
    """Mark one item resolved or dismissed, or answer it (by e-mail when possible)."""
    from guide.listening.models import Feedback

    row = db.session.get(Feedback, feedback_id)
    if row is None:
        abort(404)
    if not may_edit_area(current_user, row.area):
        abort(403, _("You may only handle the feedback of sites in your areas."))
    status = ACTIONS.get(request.form.get("action", ""))
    if status is None:
        abort(400, _("Unknown action."))
    # Back to the filtered list the button was on; only ever a page of this queue.
    asked = request.form.get("back", "")
    inside = asked.startswith("/admin/feedback") and "\\" not in asked
    back = redirect(asked if inside else url_for("feedback_admin.queue"), 303)
    if status != "answered":
        library.handle(row, status, current_user.name)
        flash(_("Feedback %(id)s: %(status)s.", id=row.id, status=status_labels()[status]))
        return back
    answer = request.form.get("answer", "").strip()
    problem = library.field_problem("answer", answer) if answer else None
    if not answer or problem is not None:
        reason = translated(problem) if problem else _("write the answer first")
        flash(_("Not answered: %(reason)s", reason=reason), "error")
        return back
    config = current_app.config
    if library.is_email(row.contact) and library.mail_configured(config):
        try:
            library.send_answer(
                config,
                row.contact.strip(),
                _("Answer from %(title)s", title=site_title()),
                answer,
            )
        except (OSError, smtplib.SMTPException) as error:
            flash(
                _(
                    "Not answered: the mail server refused or could not be reached (%(error)s).",
                    error=str(error),
                ),
                "error",
            )
            return back
        row.answered_via = "mail"
        library.handle(row, status, current_user.name, answer, "by e-mail")
        flash(_("Feedback %(id)s: answer sent by e-mail.", id=row.id))
    else:
        row.answered_via = "elsewhere"
        library.handle(row, status, current_user.name, answer, "answered elsewhere")
        flash(_("Feedback %(id)s: recorded as answered elsewhere.", id=row.id))
    return back


def site_title() -> str:
    """Return the catalogue's title in the page's language."""
    from guide.web.i18n import localized

    return localized(get_catalogue().config.title)


def init_app(app: Flask) -> None:
    """Register the form, its in-memory limiter and the staff queue on ``app``."""
    from guide.web.security import csrf

    # A static export's pages send their feedback to the guide's server, if any: its
    # app never counts any, and leaves the counting library unloaded.
    if not app.config.get(STATIC_EXPORT):
        limiter_of(app)
        limits_of(app)  # a malformed GUIDE_FEEDBACK_LIMIT stops the start, not the first visitor
    csrf.exempt(receive)
    app.register_blueprint(bp)
    app.register_blueprint(staff)
    app.jinja_env.globals["feedback_topics"] = topic_labels
    app.jinja_env.globals["feedback_limits"] = library.LIMITS
