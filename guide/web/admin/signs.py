"""Downloads of a site's printed sign and bare QR code, for staff who print their own.

They exist only while ``GUIDE_BASE_URL`` holds the guide's public address: a
code printed from a development server would otherwise point at ``localhost``.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request

from guide.catalogue.model import Site
from guide.web.loaded import get_catalogue

bp = Blueprint("signs", __name__)

_TYPES = {"pdf": "application/pdf", "svg": "image/svg+xml", "png": "image/png"}


def _plain(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def _public_site(slug: str) -> Site:
    site = get_catalogue().by_slug(slug)
    if site is None or not site.is_public:
        abort(404)
    return site


def _download(slug: str, fmt: str) -> Response:
    # Imported on the first download: qrcode, reportlab and PIL cost a server's start
    # a twentieth of a second, and most servers never draw a sign.
    from guide.render import qr, signs

    site = _public_site(slug)
    base_url = str(current_app.config.get("GUIDE_BASE_URL") or "").strip()
    if not base_url:
        return _plain(
            "Signs are not available: set GUIDE_BASE_URL to the guide's public address "
            "(such as https://ditich.example.vn), the address printed in every QR code.",
            404,
        )
    try:
        qr.normalize_base_url(base_url)
    except qr.BaseUrlError as error:
        return _plain(f"Signs are not available: GUIDE_BASE_URL: {error}", 404)
    size = request.args.get("size", signs.DEFAULT_SIZE).lower()
    if size not in signs.SIZES:
        return _plain(f"size={size}: choose one of {', '.join(signs.SIZES)}", 400)
    ec = request.args.get("ec", qr.DEFAULT_EC).upper()
    if ec not in qr.EC_LEVELS:
        return _plain(f"ec={ec}: choose one of {', '.join(qr.EC_LEVELS)}", 400)
    try:
        config = get_catalogue().config
        branding = signs.branding_from_settings(current_app.config, config.title)
        data = signs.render(site, base_url, fmt, size, ec, branding, config.vocabulary)
    except signs.SignError as error:
        current_app.logger.error("sign of %s: %s", site.slug, error)
        return _plain(f"The sign cannot be made: {error}", 500)
    if fmt == "pdf":
        record_sign(site, size)
    response = Response(data, mimetype=_TYPES[fmt])
    disposition = "attachment" if fmt == "pdf" else "inline"
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="{signs.file_name(site, size, fmt)}"'
    )
    return response


def record_sign(site: Site, size: str) -> None:
    """Add the plaque of a sign PDF a signed-in staff member downloads to the register."""
    from datetime import datetime

    from flask_login import current_user
    from sqlalchemy.exc import SQLAlchemyError

    from guide.listening.plaques import record_printed
    from guide.listening.scans import time_zone

    if not current_user.is_authenticated:
        return
    try:
        record_printed(
            [site], size, current_user.name, datetime.now(time_zone(current_app.config)).date()
        )
    except SQLAlchemyError as error:
        current_app.logger.error("plaque of %s not recorded: %s", site.slug, type(error).__name__)


@bp.get("/sites/<slug>/sign.pdf")
def sign_pdf(slug: str) -> Response:
    """Send the print-ready PDF sign of a site (``?size=a4|a5|a6|sticker``, ``?ec=Q|H``)."""
    return _download(slug, "pdf")


@bp.get("/sites/<slug>/qr.svg")
def code_svg(slug: str) -> Response:
    """Send the bare QR code of a site as SVG, at the code width of ``?size``."""
    return _download(slug, "svg")


@bp.get("/sites/<slug>/qr.png")
def code_png(slug: str) -> Response:
    """Send the bare QR code of a site as a 300 dpi PNG, at the code width of ``?size``."""
    return _download(slug, "png")
