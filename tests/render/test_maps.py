"""guide.maps: marker groups, GeoJSON features, and folium maps that load nothing from a CDN."""

from __future__ import annotations

import doctest
import json

import folium
import pytest
from bs4 import BeautifulSoup
from shapely.geometry import shape

from guide import PROJECT_ROOT
from guide.catalogue.index import load_catalogue
from guide.catalogue.model import Site
from guide.render import maps

DEFAULT_SITES = PROJECT_ROOT / "sites"


def local_asset(name: str) -> str:
    return f"/static/{name}"


def test_doctests_pass():
    result = doctest.testmod(maps)
    assert result.attempted > 0
    assert result.failed == 0


def test_site_feature_puts_longitude_first():
    site = Site(
        "7K2Q", "dinh-chem", "published", {"vi": "Đình Chèm"}, "đình", lat=21.094072, lon=105.774237
    )
    feature = maps.site_feature(site, "/sites/dinh-chem", None)
    lon, lat = feature["geometry"]["coordinates"]
    assert (lat, lon) == (21.094072, 105.774237)
    assert feature["properties"]["thumbnail"] is None


def test_a_site_without_a_point_has_no_feature():
    site = Site("7K2Q", "dinh-chem", "draft", {"vi": "Đình Chèm"}, "đình")
    with pytest.raises(ValueError, match="dinh-chem"):
        maps.site_feature(site, "/sites/dinh-chem", None)


def test_simplified_areas_stay_close_to_the_boundaries_and_are_smaller():
    catalogue = load_catalogue(DEFAULT_SITES)
    collection = maps.areas_feature_collection(catalogue.areas)
    assert len(collection["features"]) == len(catalogue.areas)
    simplified_size = len(json.dumps(collection))
    original_size = (DEFAULT_SITES / "areas.geojson").stat().st_size
    assert simplified_size < original_size / 2
    for feature in collection["features"]:
        area = catalogue.areas.get(feature["properties"]["id"])
        outline = shape(feature["geometry"])
        assert outline.is_valid
        # Simplified by about 50 m (0.0005°): the outline stays within a few hundred metres.
        assert outline.hausdorff_distance(area.geometry) < 0.002
        assert feature["properties"]["name"] == area.name


def test_guide_map_loads_its_assets_from_the_guide_and_leaves_folium_alone():
    before_js, before_css = list(folium.Map.default_js), list(folium.Map.default_css)
    guide_map = maps.site_map(
        local_asset,
        tile_url="https://tiles.example.org/{z}/{x}/{y}.png",
        tile_attribution="© Example tiles",
        config={"data": "/api/sites.geojson"},
        bounds=(21.0, 105.7, 21.1, 105.9),
    )
    parts = maps.render_parts(guide_map)
    head = BeautifulSoup(parts.header, "html.parser")
    scripts = [tag["src"] for tag in head.find_all("script", src=True)]
    styles = [tag["href"] for tag in head.find_all("link", rel="stylesheet")]
    assert scripts == [f"/static/{path}" for _, path in maps.MAP_JS]
    assert styles == [f"/static/{path}" for _, path in maps.MAP_CSS]
    assert "https://" not in parts.header
    # The tiles and the rest of the configuration are data beside the script, not in it.
    assert "https://" not in parts.script
    assert "GuideMap.start" in parts.script
    config = BeautifulSoup(parts.config, "html.parser").find("script", id=maps.CONFIG_ELEMENT_ID)
    assert config["type"] == "application/json"
    assert json.loads(config.string)["tiles"] == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "© Example tiles",
        "maxZoom": 19,
    }
    assert json.loads(config.string)["data"] == "/api/sites.geojson"
    # Another folium map in the same process still has folium's own lists.
    assert folium.Map.default_js == before_js and folium.Map.default_css == before_css
    assert folium.Map().default_js == before_js


def test_the_packaged_asset_files_exist():
    for _, path in (*maps.MAP_JS, *maps.MAP_CSS):
        prefix, _, rest = path.partition("/")
        if prefix in maps.ASSET_FOLDERS:
            assert (maps.ASSET_FOLDERS[prefix] / rest).is_file(), path


def test_a_map_needs_somewhere_to_look():
    with pytest.raises(ValueError, match="location"):
        maps.site_map(
            local_asset, tile_url="https://t/{z}/{x}/{y}.png", tile_attribution="t", config={}
        )
