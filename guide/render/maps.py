"""Folium maps of the catalogue, with Leaflet and its plugins served by the guide itself.

The map page is a folium ``Map`` whose asset lists point at files of installed
packages (``xstatic-leaflet``, ``xstatic-leaflet-markercluster``) and of the
guide's own ``static/`` folder, so a page asks no CDN for anything: the only
request to another host is for map tiles. Sites do not go into the page as one
``Marker`` each; the browser loads them as GeoJSON from the API and clusters
them itself (``static/map.js``).

No data goes into folium's templates. branca renders each element's output
*again* as a Jinja template when it collects the page's script, so a site name
written into a map's script would be evaluated on the server (``{{ 7*191 }}``
printed 1337). The map script's configuration, tiles included, is therefore a
``<script type="application/json">`` element of its own (``MapParts.config``),
which ``static/map.js`` reads with ``JSON.parse``; folium's script holds only
numbers and the names folium makes up.

The folium classes live in ``guide.render.folium_map``, imported on first use:
folium brings pandas along, seconds and tens of megabytes that a server start,
the API and the story pages do not need. This module knows nothing of Flask:
the web layer passes in the function that turns an asset name into a URL, and
the URLs of the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import shapely
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from shapely.geometry import mapping

from guide.catalogue.geo import Area, Areas
from guide.catalogue.kinds import (  # the map's names for them, kept for the web layer
    kind_group as kind_group,
)
from guide.catalogue.kinds import (
    matches_kind as matches_kind,
)
from guide.catalogue.kinds import (
    matches_rank as matches_rank,
)
from guide.catalogue.kinds import (
    rank_level as rank_level,
)
from guide.catalogue.model import Site

# Folders of installed packages served under /static/<prefix>/ by the web layer.
ASSET_FOLDERS: dict[str, Path] = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
}
# Areas' outlines are drawn simplified: about 50 m of tolerance is invisible at
# city scale and shrinks the boundary file several times over.
AREA_TOLERANCE_DEG = 0.0005
COORDINATE_DIGITS = 6


def site_feature(site: Site, story_url: str, thumbnail_url: str | None) -> dict[str, Any]:
    """Return a GeoJSON Feature of a located site; coordinates are [lon, lat].

    >>> from guide.catalogue.model import Site
    >>> site = Site("7K2Q", "dinh-chem", "published", {"vi": "Đình Chèm"}, "đình",
    ...             lat=21.094072, lon=105.774237, area="021")
    >>> site_feature(site, "/sites/dinh-chem", None)["geometry"]
    {'type': 'Point', 'coordinates': [105.774237, 21.094072]}
    """
    if site.lat is None or site.lon is None:
        raise ValueError(f"site {site.slug} has no location to put on a map")
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(site.lon, COORDINATE_DIGITS), round(site.lat, COORDINATE_DIGITS)],
        },
        "properties": {
            "code": site.code,
            "slug": site.slug,
            "name": dict(site.name),
            "kind": site.kind,
            "kind_group": kind_group(site.kind),
            "rank": site.rank,
            "rank_level": rank_level(site.rank),
            "area": site.area,
            "url": story_url,
            "thumbnail": thumbnail_url,
        },
    }


def feature_collection(features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection of ``features``."""
    return {"type": "FeatureCollection", "features": list(features)}


def simplified_area(area: Area, tolerance: float = AREA_TOLERANCE_DEG) -> dict[str, Any]:
    """Return an area's outline as a GeoJSON Feature, simplified and rounded for drawing."""
    geometry = shapely.simplify(area.geometry, tolerance, preserve_topology=True)
    geometry = shapely.set_precision(geometry, 10**-5)
    return {
        "type": "Feature",
        "id": area.id,
        "geometry": mapping(geometry),
        "properties": {"id": area.id, "name": area.name},
    }


def areas_feature_collection(areas: Areas, tolerance: float = AREA_TOLERANCE_DEG) -> dict:
    """Return every area's simplified outline as a GeoJSON FeatureCollection."""
    return feature_collection(simplified_area(area, tolerance) for area in areas)


def sites_bounds(sites: Sequence[Site]) -> tuple[float, float, float, float] | None:
    """Return (south, west, north, east) around the located sites, or None without any."""
    points = [(s.lat, s.lon) for s in sites if s.lat is not None and s.lon is not None]
    if not points:
        return None
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    return min(lats), min(lons), max(lats), max(lons)


_FOLIUM_NAMES = (
    "GuideMap",
    "SiteLayer",
    "MapParts",
    "render_parts",
    "site_map",
    "leaflet_bounds",
    "MAP_JS",
    "MAP_CSS",
    "CONFIG_ELEMENT_ID",
)


def __getattr__(name: str) -> Any:
    """Import the folium map only when a page first draws one."""
    if name in _FOLIUM_NAMES:
        from guide.render import folium_map

        return getattr(folium_map, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
