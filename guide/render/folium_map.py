"""The folium map of the guide: Leaflet and the guide's map script, rendered for a page.

Imported on first use through ``guide.render.maps`` (see there why no data goes
into folium's templates).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import MacroElement
from folium.template import Template

from guide.render.jsonhtml import json_script

MAP_JS = (
    ("leaflet", "leaflet/leaflet.js"),
    ("markercluster", "markercluster/leaflet.markercluster.js"),
    ("guide_map", "map.js"),
)
# A large catalogue's map clusters with supercluster (static/map_large.js): both come in
# the page's head, loading alongside Leaflet instead of after map.js asked for them, and
# Leaflet.markercluster, one more script to fetch and compile before the first markers,
# is left out (its styles stay: the clusters' icons use them).
LARGE_MAP_JS = (
    ("leaflet", "leaflet/leaflet.js"),
    ("supercluster", "supercluster.min.js"),
    ("guide_map_large", "map_large.js"),
    ("guide_map", "map.js"),
)
MAP_CSS = (
    ("leaflet_css", "leaflet/leaflet.css"),
    ("markercluster_css", "markercluster/MarkerCluster.css"),
    ("markercluster_default_css", "markercluster/MarkerCluster.Default.css"),
    ("guide_map_css", "map.css"),
)
# The id of the page element holding the map script's configuration as JSON.
CONFIG_ELEMENT_ID = "guide-map-config"


def leaflet_bounds(bounds: tuple[float, float, float, float]) -> list[list[float]]:
    """Return (south, west, north, east) as Leaflet's [[south, west], [north, east]]."""
    south, west, north, east = bounds
    return [[south, west], [north, east]]


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
            {#- A property of the window too: a deferred page's script runs in a function. #}
            var {{ this.get_name() }} = window[{{ this.get_name()|tojson }}] = L.map(
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


def render_parts(folium_map: folium.Map, *, deferred: bool = False) -> MapParts:
    """Render a map and return its header (links, style), its element, its data and script.

    ``deferred``: the scripts load without holding up the page (``defer``), so the
    browser lays the page out while they arrive; the map's own script then runs once
    they have (at DOMContentLoaded, which waits for deferred scripts).
    """
    figure = folium_map.get_root()
    # The page template declares its own charset; folium's meta tag would repeat it.
    figure.header._children.pop("meta_http", None)
    figure.render()
    header, script = figure.header.render(), figure.script.render()
    if deferred:
        header = header.replace("<script src=", "<script defer src=")
        script = f'document.addEventListener("DOMContentLoaded", function () {{\n{script}\n}});'
    return MapParts(
        header=header,
        html=figure.html.render(),
        script=script,
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
    if config.get("large"):
        folium_map.default_js = [(name, asset_url(path)) for name, path in LARGE_MAP_JS]
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
