"""Arrivals and views counted for pages of a static export, which have no server of their own.

A plaque code page or a story page served from a static host tells the guide's
server (``GUIDE_API_URL``) with ``navigator.sendBeacon``: a POST without a body,
so the browser sends it without a CORS preflight. The counts are those of
``/S/<CODE>/Q`` and of the story pages: per code, day, language and way, with
nothing about the visitor kept. When GUIDE_API_URL is set, the server's own
story pages carry the same beacon and the server does not count their GET, so
a view is counted once whichever host served the page.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app, request

from guide.listening.scans import counter, is_bot
from guide.listening.words import EVENT_ARRIVAL, EVENT_VIEW, VIA_LINK, VIA_PLAQUE
from guide.web.addresses import allow_export_origin
from guide.web.i18n import available_languages
from guide.web.loaded import get_catalogue
from guide.web.security import csrf

bp = Blueprint("arrivals", __name__, url_prefix="/api/count")
bp.after_request(allow_export_origin)


@bp.post("/<code>")
def count(code: str) -> Response:
    """Count one arrival (``?via=plaque`` or ``link``) or view (``?event=view``) of a site."""
    site = get_catalogue().by_code(code)
    if site is None or not site.is_public:
        abort(404)
    language = request.args.get("lang", "")
    if language not in available_languages():
        language = available_languages()[0]
    via = VIA_PLAQUE if request.args.get("via") == VIA_PLAQUE else VIA_LINK
    event = EVENT_VIEW if request.args.get("event") == EVENT_VIEW else EVENT_ARRIVAL
    scans = counter(current_app)
    wanted = event == EVENT_ARRIVAL or current_app.config.get("GUIDE_COUNT_VIEWS", True)
    if scans is not None and wanted and not is_bot(request):
        scans.add(site.code, language, via if event == EVENT_ARRIVAL else VIA_LINK, event)
    return Response(status=204)


def init_app(app: Flask) -> None:
    """Register the counting beacon: no CSRF token (a static page has none), CORS for the export."""
    csrf.exempt(bp)
    app.register_blueprint(bp)
