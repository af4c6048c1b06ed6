"""The GeoJSON API: coordinate order, filters, search, escaping, ETags and compression."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from bs4 import BeautifulSoup
from builders import site_facts
from hostile_data import HTML_NAME
from PIL import Image

from guide import create_app


def features(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/sites.geojson{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/geo+json"
    data = response.get_json(force=True)
    assert data["type"] == "FeatureCollection"
    return data["features"]


def codes(client, query: str = "") -> set[str]:
    return {feature["properties"]["code"] for feature in features(client, query)}


def test_published_sites_only_with_longitude_first(api):
    found = {f["properties"]["code"]: f for f in features(api)}
    assert set(found) == {"7K2Q", "CH7A", "HN48", "HT3X"}
    chem = found["7K2Q"]
    assert chem["geometry"] == {"type": "Point", "coordinates": [105.774237, 21.094072]}


def test_every_shipped_site_lies_in_viet_nam_in_lon_lat_order(client):
    collection = features(client)
    assert len(collection) > 50
    for feature in collection:
        lon, lat = feature["geometry"]["coordinates"]
        # Viet Nam spans longitudes 102-110 E and latitudes 8-24 N: a swap fails both.
        assert 102 < lon < 110 and 8 < lat < 24, feature["properties"]["slug"]


def test_properties_carry_names_kind_rank_area_and_story_link(api):
    chem = next(f for f in features(api) if f["properties"]["code"] == "7K2Q")["properties"]
    assert chem["name"] == {"vi": "Đình Chèm", "en": "Chem Communal House"}
    assert chem["slug"] == "dinh-chem"
    assert chem["kind"] == "communal-house" and chem["kind_group"] == "communal-house"
    assert chem["rank"] == "special-national"
    assert chem["rank_level"] == "special-national"
    assert chem["area"] == "021"
    assert chem["thumbnail"] is None
    story = api.get(chem["url"])
    assert story.status_code == 200
    heading = BeautifulSoup(story.get_data(as_text=True), "html.parser").h1.get_text()
    assert "Đình Chèm" in heading


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=đình", {"7K2Q", "HT3X"}),
        ("?kind=DINH", {"7K2Q", "HT3X"}),
        ("?kind=communal-house", {"7K2Q", "HT3X"}),
        ("?kind=pagoda", {"CH7A"}),
        ("?kind=chùa", {"CH7A"}),
        ("?kind=bảo tàng", set()),
        ("?rank=special-national", {"7K2Q"}),
        ("?rank=national", {"HN48"}),
        ("?rank=unranked", {"CH7A", "HT3X"}),
        ("?rank=di tich quoc gia", {"HN48"}),
        ("?area=002", {"HN48", "HT3X"}),
        ("?tag=le hoi", {"7K2Q"}),
        ("?tag=Cách mạng", {"HN48"}),
        ("?kind=đình&area=002", {"HT3X"}),
        ("?kind=communal-house&rank=special-national&area=021", {"7K2Q"}),
        ("?area=002&q=hang ngang", {"HN48"}),
        ("?area=003&q=hang ngang", set()),
    ],
)
def test_filters_combine(api, query, expected):
    assert codes(api, query) == expected


@pytest.mark.parametrize(
    "q", ["Trấn Quốc", "tran quoc", "TRẤN QUỐC", "TRAN QUOC", "quoc tran", "  tran   quoc "]
)
def test_search_ignores_diacritics_case_and_word_order(api, q):
    assert codes(api, f"?q={q}") == {"CH7A"}


def test_search_finds_codes_and_real_names_in_the_shipped_catalogue(client):
    assert "Z2HN" in codes(client, "?q=dinh chem")
    assert "Z2HN" in codes(client, "?q=ĐÌNH CHÈM")
    assert codes(client, "?q=z2hn") == {"Z2HN"}
    assert codes(client, "?q=no such place anywhere") == set()


def test_an_unknown_area_is_refused_with_the_parameter_named(api):
    response = api.get("/api/sites.geojson?area=999")
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == "area"
    assert "999" in body["error"] and "/api/areas.geojson" in body["error"]


def test_names_with_html_come_back_as_the_same_text(api):
    response = api.get("/api/sites.geojson?q=hang")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    names = [f["properties"]["name"]["vi"] for f in response.get_json(force=True)["features"]]
    assert HTML_NAME in names
    # Not escaped twice: the map escapes when it shows the name, the data stays text.
    assert "&lt;" not in response.get_data(as_text=True)


def test_etag_answers_304_and_changes_with_the_filters(api):
    first = api.get("/api/sites.geojson")
    etag = first.headers["ETag"]
    again = api.get("/api/sites.geojson", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    other = api.get("/api/sites.geojson?kind=pagoda")
    assert other.headers["ETag"] != etag
    stale = api.get("/api/sites.geojson?kind=pagoda", headers={"If-None-Match": etag})
    assert stale.status_code == 200


def test_gzip_when_accepted(api):
    plain = api.get("/api/sites.geojson")
    packed = api.get("/api/sites.geojson", headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
    # The compressed form has its own ETag, and answers 304 to it.
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = api.get(
        "/api/sites.geojson",
        headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]},
    )
    assert again.status_code == 304


def test_area_outlines_are_simplified_geojson_in_lon_lat(client):
    response = client.get("/api/areas.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    data = json.loads(gzip.decompress(response.data))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 30
    ba_dinh = next(f for f in data["features"] if f["properties"]["id"] == "001")
    assert ba_dinh["properties"]["name"] == "Quận Ba Đình"
    ring = ba_dinh["geometry"]["coordinates"][0]
    if ba_dinh["geometry"]["type"] == "MultiPolygon":
        ring = ring[0]
    for lon, lat in ring:
        assert 105.7 < lon < 105.9 and 20.9 < lat < 21.1


def test_a_photo_gives_a_thumbnail(make_catalogue):
    facts = site_facts(
        media=[{"file": "cong.jpg", "caption": {"vi": "Cổng đình"}, "credit": "Test"}]
    )
    root = make_catalogue(facts)
    Image.new("RGB", (1600, 1200), (164, 22, 26)).save(root / "dinh-chem" / "cong.jpg")
    client = create_app({"TESTING": True, "GUIDE_SITES": str(root)}).test_client()
    (feature,) = features(client)
    url = feature["properties"]["thumbnail"]
    assert url == "/api/sites/7K2Q/thumbnail.jpg"
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(response.data)) as thumb:
        assert max(thumb.size) <= 320
        assert thumb.size == (320, 240)
    assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_no_thumbnail_without_a_photo(api):
    assert api.get("/api/sites/7K2Q/thumbnail.jpg").status_code == 404
    assert api.get("/api/sites/NOPE/thumbnail.jpg").status_code == 404
