"""Static assets served by the guide itself, with content hashes in their URLs.

Every asset URL carries a hash of the file's bytes (``app.3f2a9c1b.css``), so a
browser may keep it for a year and still never shows a stale file. Assets come
from folders of the guide and of installed packages; nothing is fetched from a
CDN.
"""

from __future__ import annotations

import gzip
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


# Text assets are sent gzip-compressed, compressed once per file rather than per request:
# the map page asks for a dozen of them at once, and a just-started server would
# otherwise compress Leaflet again for every first visitor.
_COMPRESSED_TYPES = frozenset(
    {"text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml"}
)
_COMPRESS_FROM = 512


@lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(_read(path, mtime_ns)[0], compresslevel=9, mtime=0)


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
    mtime_ns = path.stat().st_mtime_ns
    data, current = _read(path, mtime_ns)
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    compress = (
        mimetype in _COMPRESSED_TYPES
        and len(data) >= _COMPRESS_FROM
        and request.accept_encodings["gzip"] > 0
    )
    response = make_response(_gzipped(path, mtime_ns) if compress else data)
    response.mimetype = mimetype
    response.vary.add("Accept-Encoding")
    if compress:
        response.content_encoding = "gzip"
    if digest == current:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    # Each encoding is its own representation, with its own ETag.
    response.set_etag(f"{current}:gzip" if compress else current)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Register the asset route and the ``asset_url`` template global."""
    app.register_blueprint(bp)
    app.jinja_env.globals["asset_url"] = asset_url
