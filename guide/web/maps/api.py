"""The JSON side of the guide: published sites and area outlines as GeoJSON, and thumbnails.

Answers carry an ETag (a repeated request with If-None-Match gets 304 and no
body) and are gzip-compressed for clients that accept it. The answers the map
loads (all sites, all areas) are built once per catalogue and kept: the
catalogue changes by being reloaded, which makes a new Catalogue object and so
new cache keys.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for

from guide.catalogue.filters import SiteFilter
from guide.catalogue.index import Catalogue
from guide.catalogue.kept import per_catalogue
from guide.catalogue.model import Site
from guide.render import map_clusters, map_data, maps
from guide.web.loaded import get_catalogue
from guide.web.maps import stored

bp = Blueprint("api", __name__, url_prefix="/api")

GEOJSON = "application/geo+json"
FILTERS = ("kind", "rank", "area", "tag", "q")
THUMBNAIL_SIZE = (320, 320)
# Bodies smaller than this are sent as they are: gzip would save next to nothing.
COMPRESS_FROM = 512


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Body:
    """An answer's bytes, their ETag, and their gzip-compressed form made on first use."""

    def __init__(self, raw: bytes, gzipped: bytes | None = None) -> None:
        self.raw = raw
        self.etag = hashlib.sha256(raw).hexdigest()[:24]
        self._gzipped: bytes | None = gzipped

    @property
    def gzipped(self) -> bytes:
        """Return the body compressed with gzip (level 6), computed once."""
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.raw, compresslevel=6, mtime=0)
        return self._gzipped


def send(body: Body, mimetype: str, max_age: int = 60, compress: bool = True) -> Response:
    """Return ``body`` compressed when the client accepts gzip, answering If-None-Match."""
    use_gzip = compress and len(body.raw) >= COMPRESS_FROM and request.accept_encodings["gzip"] > 0
    # Each encoding is a different representation, so it gets its own ETag.
    response = Response(body.gzipped if use_gzip else body.raw, mimetype=mimetype)
    response.set_etag(body.etag + ("-gz" if use_gzip else ""))
    if use_gzip:
        response.content_encoding = "gzip"
    response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


def bad_request(field: str, message: str) -> Response:
    """Return a 400 answer naming the query parameter and what to send instead."""
    response = jsonify({"error": f"{field}: {message}", "field": field})
    response.status_code = 400
    return response


def select_sites(catalogue: Catalogue, filters: dict[str, str]) -> list[Site]:
    """Return the published, located sites matching every filter given.

    ``kind`` is a kind id of the vocabulary (such as ``pagoda``) or its label in
    any language; ``rank`` a rank id (such as ``special-national``) or its label;
    ``area`` an area id; ``tag`` one tag; ``q`` words of the name, slug, code or kind.
    Case and diacritics are ignored.
    """
    return SiteFilter.from_mapping(filters, status="published", located=True).apply(
        catalogue, catalogue.config.vocabulary
    )


def _url_templates() -> tuple[str, str]:
    # One url_for per answer instead of one per site: thousands of sites add up.
    story = url_for("public.story", slug="SLUG")
    thumbnail = url_for("api.thumbnail", code="CODE")
    return story, thumbnail


def has_photo(site: Site) -> Path | None:
    """Return the file of the site's first photo when it exists on disk."""
    if site.folder is None:
        return None
    for photo in site.photos():
        path = site.folder / photo.file
        if path.is_file():
            return path
    return None


def _build_sites_body(
    catalogue: Catalogue, filters: tuple[tuple[str, str], ...], templates: tuple[str, str]
) -> Body:
    story, thumbnail = templates
    features = [
        maps.site_feature(
            site,
            story.replace("SLUG", site.slug),
            thumbnail.replace("CODE", site.code) if has_photo(site) else None,
        )
        for site in select_sites(catalogue, dict(filters))
    ]
    return Body(_dumps(maps.feature_collection(features)))


@per_catalogue
def _areas_body(catalogue: Catalogue) -> Body:
    return Body(_dumps(maps.areas_feature_collection(catalogue.areas)))


# Only the unfiltered answer (the one the map loads) is kept: filters such as q take any
# text, and keeping an answer per query would let requests fill the memory.
_all_sites_body = per_catalogue(_build_sites_body)


def sites_body(catalogue: Catalogue, filters: dict[str, str]) -> Body:
    """Return the GeoJSON body of the published sites matching ``filters``."""
    key = tuple(sorted((k, v) for k, v in filters.items() if v))
    build = _build_sites_body if key else _all_sites_body
    return build(catalogue, key, _url_templates())


def areas_body(catalogue: Catalogue) -> Body:
    """Return the GeoJSON body of the catalogue's area outlines, simplified for drawing."""
    return _areas_body(catalogue)


@bp.get("/sites.geojson")
def sites() -> Response:
    """Answer the published sites as a GeoJSON FeatureCollection, coordinates [lon, lat]."""
    catalogue = get_catalogue()
    filters = {name: request.args.get(name, "").strip() for name in FILTERS}
    if filters["area"] and catalogue.areas.get(filters["area"]) is None:
        return bad_request(
            "area",
            f"no area has the id {filters['area']!r}; the ids are the 'id' properties "
            f"of {url_for('api.areas')}",
        )
    return send(sites_body(catalogue, filters), GEOJSON)


@per_catalogue
def _located(catalogue: Catalogue) -> map_data.Located:
    # One sort of the published sites for the positions and the names.
    return map_data.locate(catalogue.published())


@per_catalogue
def _positions(catalogue: Catalogue) -> dict[str, Any]:
    return map_data.positions(_located(catalogue), catalogue.config.vocabulary)


# The large map's answers are kept next to the catalogue's snapshot (``stored``): the
# first request after a start reads them instead of building them again.
@per_catalogue
def positions_body(catalogue: Catalogue) -> Body:
    """Return the compact positions of the published sites (``guide.render.map_data``)."""
    return Body(*stored.kept(catalogue, "positions", lambda: _dumps(_positions(catalogue))))


@per_catalogue
def details_body(catalogue: Catalogue) -> Body:
    """Return the codes, slugs, names, kinds and ranks of the published sites, positions' order."""
    return Body(
        *stored.kept(catalogue, "details", lambda: _dumps(map_data.details(_located(catalogue))))
    )


@per_catalogue
def clusters_body(catalogue: Catalogue) -> Body:
    """Return the published sites' clusters at the first zooms (``guide.render.map_clusters``)."""
    return Body(
        *stored.kept(
            catalogue, "clusters", lambda: _dumps(map_clusters.clusters(_positions(catalogue)))
        )
    )


@bp.get("/sites.positions.json")
def site_positions() -> Response:
    """Answer the published sites' positions as parallel arrays: what a large map draws first."""
    return send(positions_body(get_catalogue()), "application/json")


@bp.get("/sites.clusters.json")
def site_clusters() -> Response:
    """Answer the published sites' clusters at the first zooms: what a large map draws first."""
    return send(clusters_body(get_catalogue()), "application/json")


@bp.get("/sites.details.json")
def site_details() -> Response:
    """Answer the published sites' codes, slugs and names, in the order of the positions."""
    return send(details_body(get_catalogue()), "application/json")


@bp.get("/areas.geojson")
def areas() -> Response:
    """Answer the administrative areas' outlines (simplified) as a GeoJSON FeatureCollection."""
    return send(areas_body(get_catalogue()), GEOJSON, max_age=3600)


@lru_cache(maxsize=256)
def _thumbnail(path: Path, mtime_ns: int) -> Body:
    from PIL import Image, ImageOps

    with Image.open(path) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    return Body(out.getvalue())


@bp.get("/sites/<code>/thumbnail.jpg")
def thumbnail(code: str) -> Response:
    """Answer a small JPEG of a public site's first photo."""
    site = get_catalogue().by_code(code)
    if site is None or not site.is_public:
        abort(404)
    path = has_photo(site)
    if path is None:
        abort(404)
    return send(
        _thumbnail(path, path.stat().st_mtime_ns), "image/jpeg", max_age=86400, compress=False
    )
