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

This module knows nothing of Flask: the web layer passes in the function that
turns an asset name into a URL, and the URLs of the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import shapely
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import mapping

from guide.catalogue.geo import Area, Areas
from guide.catalogue.kinds import (  # the map's names for them, kept for the web layer
    KIND_GROUPS as KIND_GROUPS,
)
from guide.catalogue.kinds import (
    RANK_LEVELS as RANK_LEVELS,
)
from guide.catalogue.kinds import (
    KindGroup as KindGroup,
)
from guide.catalogue.kinds import (
    RankLevel as RankLevel,
)
from guide.catalogue.kinds import (
    group_of as group_of,
)
from guide.catalogue.kinds import (
    kind_group as kind_group,
)
from guide.catalogue.kinds import (
    level_of as level_of,
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
from guide.render.jsonhtml import json_script

# Folders of installed packages served under /static/<prefix>/ by the web layer.
ASSET_FOLDERS: dict[str, Path] = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
}
MAP_JS = (
    ("leaflet", "leaflet/leaflet.js"),
    ("markercluster", "markercluster/leaflet.markercluster.js"),
    ("guide_map", "map.js"),
)
MAP_CSS = (
    ("leaflet_css", "leaflet/leaflet.css"),
    ("markercluster_css", "markercluster/MarkerCluster.css"),
    ("markercluster_default_css", "markercluster/MarkerCluster.Default.css"),
    ("guide_map_css", "map.css"),
)
# Areas' outlines are drawn simplified: about 50 m of tolerance is invisible at
# city scale and shrinks the boundary file several times over.
AREA_TOLERANCE_DEG = 0.0005
COORDINATE_DIGITS = 6
# The id of the page element holding the map script's configuration as JSON.
CONFIG_ELEMENT_ID = "guide-map-config"


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


def leaflet_bounds(bounds: tuple[float, float, float, float]) -> list[list[float]]:
    """Return (south, west, north, east) as Leaflet's [[south, west], [north, east]]."""
    south, west, north, east = bounds
    return [[south, west], [north, east]]


def sites_bounds(sites: Sequence[Site]) -> tuple[float, float, float, float] | None:
    """Return (south, west, north, east) around the located sites, or None without any."""
    points = [(s.lat, s.lon) for s in sites if s.lat is not None and s.lon is not None]
    if not points:
        return None
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    return min(lats), min(lons), max(lats), max(lons)


class GuideMap(folium.Map):
    """A folium Map that loads Leaflet, its plugins and the guide's map code from the guide.

    ``asset_url`` turns an asset name such as ``leaflet/leaflet.js`` into the URL the
    guide serves it at. The asset lists are set on the instance, so folium's own
    class-level lists (which point at CDNs) stay untouched for every other map.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>
                #{{ this.get_name() }} {
                    position: {{ this.position }};
                    width: {{ this.width[0] }}{{ this.width[1] }};
                    height: {{ this.height[0] }}{{ this.height[1] }};
                    left: {{ this.left[0] }}{{ this.left[1] }};
                    top: {{ this.top[0] }}{{ this.top[1] }};
                }
            </style>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map guide-map" id={{ this.get_name()|tojson }}></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{ this.options|tojavascript }}
                }
            );
        {% endmacro %}
        """
    )

    def __init__(
        self,
        asset_url: Callable[[str], str],
        *,
        location: Sequence[float] | None = None,
        zoom_start: int = 12,
        **kwargs: Any,
    ) -> None:
        # The guide's script adds translated zoom buttons and a metric scale bar.
        kwargs.setdefault("position", "absolute")
        # Below zoom 5 a country is a few pixels wide; not clustering for those zooms
        # saves the browser a quarter of the clustering work.
        kwargs.setdefault("minZoom", 5)
        kwargs.setdefault("maxZoom", 19)
        super().__init__(
            location=location, zoom_start=zoom_start, tiles=None, zoom_control=False, **kwargs
        )
        self.default_js = [(name, asset_url(path)) for name, path in MAP_JS]
        self.default_css = [(name, asset_url(path)) for name, path in MAP_CSS]
        # What static/map.js is started with; render_parts writes it as JSON, not script.
        self.config: dict[str, Any] = {}


class SiteLayer(MacroElement):
    """Start the guide's map script on the parent map: clustered sites, filters, controls.

    The script reads its configuration (the address of the sites' GeoJSON, the
    tiles, interface labels, the legend's styles...) from the page element
    ``element_id``: the configuration itself never passes through a template.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            GuideMap.start(
                {{ this._parent.get_name() }},
                JSON.parse(document.getElementById({{ this.element_id|tojson }}).textContent)
            );
        {% endmacro %}
        """
    )

    def __init__(self, element_id: str = CONFIG_ELEMENT_ID) -> None:
        super().__init__()
        self._name = "SiteLayer"
        self.element_id = element_id


@dataclass(frozen=True)
class MapParts:
    """The rendered pieces of a map for a page template: head, body, configuration and script.

    ``config`` is the ``<script type="application/json">`` element the script
    reads; the page writes it before ``script``.
    """

    header: str
    html: str
    script: str
    config: str = ""


def render_parts(folium_map: folium.Map) -> MapParts:
    """Render a map and return its header (links, style), its element, its data and script."""
    figure = folium_map.get_root()
    # The page template declares its own charset; folium's meta tag would repeat it.
    figure.header._children.pop("meta_http", None)
    figure.render()
    return MapParts(
        header=figure.header.render(),
        html=figure.html.render(),
        script=figure.script.render(),
        config=str(json_script(getattr(folium_map, "config", {}), CONFIG_ELEMENT_ID)),
    )


def site_map(
    asset_url: Callable[[str], str],
    *,
    tile_url: str,
    tile_attribution: str,
    config: dict[str, Any],
    location: Sequence[float] | None = None,
    zoom: int = 17,
    bounds: tuple[float, float, float, float] | None = None,
) -> GuideMap:
    """Return the map of sites, fitted to ``bounds`` when given, else centred on ``location``.

    The sites themselves are not in the map: ``config["data"]`` is the address of
    their GeoJSON, which ``static/map.js`` loads and clusters in the browser. The
    tiles are added by that script too, from ``config["tiles"]``.
    """
    if location is None:
        if bounds is None:
            raise ValueError("give the map a location to centre on or bounds to fit")
        south, west, north, east = bounds
        location = ((south + north) / 2, (west + east) / 2)
    folium_map = GuideMap(asset_url, location=location, zoom_start=zoom)
    if bounds is not None:
        folium_map.fit_bounds(leaflet_bounds(bounds), padding=(20, 20), max_zoom=17)
    # Kept on the map, out of every template: render_parts writes it as JSON.
    folium_map.config = {
        **config,
        "tiles": {"url": tile_url, "attribution": tile_attribution, "maxZoom": 19},
    }
    SiteLayer().add_to(folium_map)
    stable_ids(folium_map)
    return folium_map


def stable_ids(element: Any, start: int = 0) -> int:
    """Number ``element`` and its children in order instead of folium's random ids.

    The same catalogue then gives the same page, byte for byte: the static
    export and ETags depend on it. Returns the next free number.
    """
    element._id = f"{start:08x}"
    start += 1
    for child in list(element._children.values()):
        start = stable_ids(child, start)
    return start
