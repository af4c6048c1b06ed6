"""The Hán-Nôm font of inscriptions, served from the guide's own origin.

Pages that show an inscription's original characters link a small stylesheet
whose ``@font-face`` rules name WOFF2 subsets of the font files of
``GUIDE_HAN_NOM_FONT`` (see ``guide.render.han_nom``), each limited by
``unicode-range`` to its characters. Both URLs carry hashes, so they are
cached for a year. Without a font file there is no stylesheet, and the
inscriptions are drawn in the visitor's own fonts.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from weakref import WeakKeyDictionary

from flask import Blueprint, Flask, Response, abort, current_app, make_response, send_file

from guide.catalogue.index import Catalogue
from guide.render.han_nom import (
    FAMILY,
    FontFace,
    available_fonts,
    build_subset,
    inscription_characters,
    plan_faces,
)
from guide.web.loaded import get_catalogue

bp = Blueprint("fonts", __name__)

ONE_YEAR = 365 * 24 * 3600
CACHE_SUBFOLDER = "font-subsets"
_FACES: WeakKeyDictionary[Catalogue, dict[str, list[FontFace]]] = WeakKeyDictionary()


def font_cache_folder(app: Flask | None = None) -> Path:
    """Return the folder where font subsets are kept: ``GUIDE_FONT_CACHE`` or the instance's."""
    app = app or current_app
    configured = app.config.get("GUIDE_FONT_CACHE") or ""
    return Path(configured).resolve() if configured else Path(app.instance_path) / CACHE_SUBFOLDER


def han_nom_faces() -> list[FontFace]:
    """Return the subsets that draw the public inscriptions' characters (none without a font)."""
    catalogue = get_catalogue()
    setting = str(current_app.config.get("GUIDE_HAN_NOM_FONT") or "")
    known = _FACES.setdefault(catalogue, {})
    if setting not in known:
        fonts = available_fonts(setting)
        characters = inscription_characters(site for site in catalogue if site.is_public)
        kept = font_cache_folder()
        known[setting] = plan_faces(fonts, characters, kept) if fonts and characters else []
    return known[setting]


def _stylesheet_key(faces: list[FontFace]) -> str:
    joined = ",".join(face.key for face in faces)
    return hashlib.sha256(joined.encode("ascii")).hexdigest()[:16]


def han_nom_stylesheet() -> str:
    """Return the URL of the ``@font-face`` stylesheet, or "" when there is no font to offer."""
    faces = han_nom_faces()
    return f"/fonts/han-nom.{_stylesheet_key(faces)}.css" if faces else ""


def _long_cache(response: Response) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    return response


@bp.get("/fonts/han-nom.<key>.css")
def stylesheet(key: str) -> Response:
    """Serve the ``@font-face`` rules of the Hán-Nôm subsets."""
    faces = han_nom_faces()
    if not faces:
        abort(404)
    rules = [
        "@font-face {\n"
        f'  font-family: "{FAMILY}";\n'
        f'  src: url("/fonts/{face.file_name}") format("woff2");\n'
        f"  unicode-range: {face.unicode_range};\n"
        "  font-display: swap;\n"
        "}\n"
        for face in faces
    ]
    response = make_response("".join(rules))
    response.mimetype = "text/css"
    if key == _stylesheet_key(faces):
        return _long_cache(response)
    # An old page's stylesheet gets today's faces, but must not be kept.
    response.cache_control.no_cache = True
    return response


@bp.get("/fonts/han-nom.<key>.woff2")
def font(key: str) -> Response:
    """Serve one subset, making it from the font file on first request."""
    face = next((face for face in han_nom_faces() if face.key == key), None)
    if face is None:
        abort(404)
    path = build_subset(face, font_cache_folder())
    return _long_cache(send_file(path, mimetype="font/woff2", conditional=True))


def init_app(app: Flask) -> None:
    """Register the font routes and the ``han_nom_stylesheet`` template global."""
    app.register_blueprint(bp)
    app.jinja_env.globals["han_nom_stylesheet"] = han_nom_stylesheet
