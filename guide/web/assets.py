"""Static assets served by the guide itself, with content hashes in their URLs.

Every asset URL carries a hash of the file's bytes (``app.3f2a9c1b.css``), so a
browser may keep it for a year and still never shows a stale file. Assets come
from folders of the guide and of installed packages; nothing is fetched from a
CDN.
"""

from __future__ import annotations

import hashlib
import mimetypes
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from flask import Blueprint, Flask, Response, abort, make_response, request

bp = Blueprint("assets", __name__)

ONE_YEAR = 365 * 24 * 3600
# Asset roots by URL prefix. Other modules add roots of installed packages here
# (for example Leaflet from xstatic-leaflet) with ``register_root``.
_ROOTS: dict[str, Path] = {"": Path(__file__).resolve().parent.parent / "static"}


def register_root(prefix: str, folder: Path) -> None:
    """Serve the files of ``folder`` under ``/static/<prefix>/``."""
    _ROOTS[prefix] = Path(folder).resolve()
    _FOUND.clear()


def _locate(name: str) -> Path | None:
    """Return the file serving ``name``; a found file is remembered until it goes away."""
    found = _FOUND.get(name)
    if found is not None and found.is_file():
        return found
    path = _search(name)
    if path is not None and len(_FOUND) < _FOUND_LIMIT:
        _FOUND[name] = path
    return path


# Resolving a name walks the folders of every root: pages ask for the same few assets.
_FOUND: dict[str, Path] = {}
_FOUND_LIMIT = 1024


def _search(name: str) -> Path | None:
    prefix, _, rest = name.partition("/")
    candidates = []
    if prefix in _ROOTS and rest:
        candidates.append((_ROOTS[prefix], rest))
    candidates.append((_ROOTS[""], name))
    for root, relative in candidates:
        path = (root / relative).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    return None


@lru_cache(maxsize=512)
def _read(path: Path, mtime_ns: int) -> tuple[bytes, str]:
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:10]


def content_hash(name: str) -> str:
    """Return the short content hash of an asset; raise LookupError when it does not exist."""
    known = _FOUND.get(name)
    if known is not None:
        # A file found before: one stat tells both that it is still there and its time.
        try:
            status = known.stat()
        except OSError:
            pass
        else:
            if S_ISREG(status.st_mode):
                return _read(known, status.st_mtime_ns)[1]
    path = _locate(name)
    if path is None:
        raise LookupError(f"asset {name!r} not found under {', '.join(map(str, _ROOTS.values()))}")
    return _read(path, path.stat().st_mtime_ns)[1]


def hashed_name(name: str) -> str:
    """Return ``dir/file.<hash>.ext`` for ``dir/file.ext``."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        return f"{name}.{content_hash(name)}"
    return f"{stem}.{content_hash(name)}.{suffix}"


def asset_url(name: str) -> str:
    """Return the cache-busting URL path of an asset, for templates and Python alike."""
    return f"/static/{hashed_name(name)}"


@bp.get("/static/<path:hashed>")
def serve(hashed: str) -> Response:
    """Serve an asset; a URL with the right hash is cached for a year."""
    parts = hashed.rsplit(".", 2)
    name, digest = hashed, None
    if len(parts) == 3 and len(parts[1]) == 10:
        name, digest = f"{parts[0]}.{parts[2]}", parts[1]
    path = _locate(name)
    if path is None:
        abort(404)
    data, current = _read(path, path.stat().st_mtime_ns)
    response = make_response(data)
    response.mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if digest == current:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    response.set_etag(current)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Register the asset route and the ``asset_url`` template global."""
    app.register_blueprint(bp)
    app.jinja_env.globals["asset_url"] = asset_url
