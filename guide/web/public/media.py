"""Photos and recordings of public sites: responsive photo sizes and the original files.

Only files a site lists in its ``media`` are served, and only for sites
visitors may see. URLs carry the file's version, so they are cached for a year
and a replaced photo gets a new URL.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, abort, current_app, send_file

from guide.catalogue.model import Media, Site
from guide.web.loaded import get_catalogue

# guide.render.photos (and Pillow with it) is imported by the views that serve a file:
# a server starts without it.
if TYPE_CHECKING:
    from guide.render.photos import PhotoInfo

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600
CACHE_SUBFOLDER = "photo-sizes"


def photo_cache_folder(app: Flask | None = None) -> Path:
    """Return the folder where generated photo sizes are kept (outside the catalogue)."""
    app = app or current_app
    configured = app.config.get("GUIDE_PHOTO_CACHE") or ""
    return Path(configured).resolve() if configured else Path(app.instance_path) / CACHE_SUBFOLDER


def check_cache_folder(app: Flask) -> None:
    """Refuse a photo cache inside the catalogue folder: sites/ holds only what staff put there."""
    cache = photo_cache_folder(app).resolve()
    sites = Path(app.config["GUIDE_SITES"]).resolve()
    if cache == sites or cache.is_relative_to(sites):
        raise RuntimeError(
            f"GUIDE_PHOTO_CACHE: {cache} is inside the catalogue folder {sites}; "
            "choose a folder outside it (by default the instance folder is used)"
        )


def media_file(site: Site, item: Media) -> Path | None:
    """Return the path of a media file of ``site`` when it exists."""
    if site.folder is None:
        return None
    path = (site.folder / item.file).resolve()
    if not path.is_relative_to(site.folder.resolve()) or not path.is_file():
        return None
    return path


def _listed(slug: str, file: str) -> tuple[Site, Media, Path]:
    site = get_catalogue().by_slug(slug)
    if site is None or not site.is_public:
        abort(404)
    item = next((m for m in site.media if m.file == file), None)
    path = media_file(site, item) if item else None
    if item is None or path is None:
        abort(404)
    return site, item, path


def photo_url(site: Site, item: Media, info: PhotoInfo, width: int) -> str:
    """Return the URL of a photo of ``site`` at ``width`` pixels."""
    return f"/photos/{site.slug}/{info.version}/{width}/{item.file}"


def original_url(site: Site, item: Media) -> str | None:
    """Return the URL of a media file as stored (used for recordings)."""
    path = media_file(site, item)
    if path is None:
        return None
    from guide.render.photos import file_version

    return f"/media/{site.slug}/{file_version(path)}/{item.file}"


def _long_cache(response: Response) -> Response:
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.get("/photos/<slug>/<version>/<int:width>/<path:file>")
def photo(slug: str, version: str, width: int, file: str) -> Response:
    """Serve a photo at one of its offered widths, making that size on first request."""
    from guide.render.photos import photo_info, sized_photo

    site, item, original = _listed(slug, file)
    if item.is_audio:
        abort(404)
    try:
        info = photo_info(original)
    except OSError:
        abort(404)
    if width not in info.widths():
        abort(404)
    path = sized_photo(original, width, photo_cache_folder(), f"{site.slug}/{item.file}")
    response = send_file(path, mimetype=mimetypes.guess_type(path.name)[0], conditional=True)
    return _long_cache(response) if version == info.version else response


@bp.get("/media/<slug>/<version>/<path:file>")
def original(slug: str, version: str, file: str) -> Response:
    """Serve a site's media file (a narration recording) as stored, with range requests."""
    from guide.render.photos import file_version

    _site, _item, path = _listed(slug, file)
    response = send_file(path, mimetype=mimetypes.guess_type(path.name)[0], conditional=True)
    return _long_cache(response) if version == file_version(path) else response
