"""The map of a large catalogue: compact positions, clusters per zoom, names fetched after."""

from __future__ import annotations

import gzip
import json
import random
import shutil
from pathlib import Path

import pytest
import tomli_w
from bs4 import BeautifulSoup

from guide import PROJECT_ROOT, create_app
from guide.catalogue import codes
from guide.catalogue.index import load_catalogue
from guide.render import map_data
from guide.web.maps.views import LARGE_MAP_FROM

SITES = LARGE_MAP_FROM + 500
SHIPPED = PROJECT_ROOT / "sites"
VOCABULARY = load_catalogue(SHIPPED).config.vocabulary
CLUSTERS = ".leaflet-marker-pane .marker-cluster"
MARKERS = ".leaflet-marker-pane .site-marker"


@pytest.fixture(scope="module")
def large_catalogue(tmp_path_factory) -> Path:
    """Write a catalogue of SITES published sites scattered near the shipped ones."""
    root = tmp_path_factory.mktemp("large") / "sites"
    shipped = load_catalogue(SHIPPED)
    anchors = [site for site in shipped if site.has_location]
    root.mkdir()
    for name in ("catalogue.toml", shipped.config.areas_file):
        shutil.copyfile(SHIPPED / name, root / name)
    rng = random.Random(11)
    taken: set[str] = set()
    made = 0
    while made < SITES:
        anchor = rng.choice(anchors)
        lat = round(anchor.lat + rng.uniform(-0.003, 0.003), 6)
        lon = round(anchor.lon + rng.uniform(-0.003, 0.003), 6)
        area = shipped.areas.locate(lat, lon)
        if area is None:
            continue
        code = ""
        while not code or code in taken:
            code = "".join(rng.choice(codes.ALPHABET) for _ in range(codes.LENGTH))
        taken.add(code)
        slug = f"di-tich-{made:05d}"
        facts = {
            "code": code,
            "slug": slug,
            "status": "published",
            "kind": rng.choice(["communal-house", "temple", "pagoda", "revolutionary"]),
            "rank": rng.choice(["", "national", "city"]),
            "lat": lat,
            "lon": lon,
            "address": "",
            "ward": "",
            "area": area.id,
            "visit_minutes": 30,
            "opening_hours": "",
            "tags": [],
            "name": {"vi": f"Di tích Số {made}", "en": f"Site number {made}"},
            "sources": [],
            "media": [],
        }
        (root / slug).mkdir()
        (root / slug / "site.toml").write_text(tomli_w.dumps(facts), encoding="utf-8")
        (root / slug / "story.vi.md").write_text("Câu chuyện.\n", encoding="utf-8")
        made += 1
    return root


@pytest.fixture(scope="module")
def large_app(large_catalogue):
    return create_app({"TESTING": True, "GUIDE_SITES": str(large_catalogue)})


def decoded(positions: dict) -> list[tuple[float, float]]:
    """Return (lat, lon) of each site as the map script decodes them."""
    points, lat = [], positions["lat0"]
    for dlat, dlon in zip(positions["dlat"], positions["dlon"], strict=True):
        lat += dlat
        points.append((lat / positions["scale"], (positions["lon0"] + dlon) / positions["scale"]))
    return points


def test_positions_and_details_list_every_site_in_one_order_within_a_metre(large_catalogue):
    sites = load_catalogue(large_catalogue).published()
    positions, details = map_data.positions(sites, VOCABULARY), map_data.details(sites)
    assert positions["count"] == details["count"] == len(sites) == SITES
    by_code = {site.code: site for site in sites}
    for (lat, lon), code, slug, group, level in zip(
        decoded(positions),
        details["code"],
        details["slug"],
        positions["group"],
        positions["level"],
        strict=True,
    ):
        site = by_code[code]
        assert slug == site.slug
        assert abs(lat - site.lat) < 1e-5 and abs(lon - site.lon) < 1e-5
        assert positions["groups"][group] == map_data.kind_group(site.kind)
        assert positions["levels"][level] == map_data.rank_level(site.rank)
    # A pure function of the sites: their order in the catalogue does not matter.
    assert map_data.positions(list(reversed(sites)), VOCABULARY) == positions


def test_the_compact_answers_are_a_fraction_of_the_geojson(large_app):
    client = large_app.test_client()
    sizes = {}
    for path in ("/api/sites.geojson", "/api/sites.positions.json", "/api/sites.details.json"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.content_encoding == "gzip"
        json.loads(gzip.decompress(response.data))
        sizes[path] = len(response.data)
    assert sizes["/api/sites.positions.json"] * 5 < sizes["/api/sites.geojson"]


def test_a_small_catalogue_keeps_the_one_geojson_request(client, large_app):
    def config(page: bytes) -> dict:
        soup = BeautifulSoup(page, "html.parser")
        return json.loads(soup.find("script", id="guide-map-config").string)

    small = config(client.get("/map").data)
    assert "large" not in small and small["data"] == "/api/sites.geojson"
    large = config(large_app.test_client().get("/map").data)["large"]
    assert large["positions"] == "/api/sites.positions.json"


@pytest.mark.browser
@pytest.mark.server
def test_the_large_map_draws_clusters_zooms_into_one_and_opens_a_popup(large_app, browser):
    from browsing import LiveServer

    server = LiveServer(large_app).start()
    context = browser.new_context(viewport={"width": 800, "height": 700})
    page = context.new_page()
    requested: list[str] = []

    def only_loopback(route) -> None:
        requested.append(route.request.url)
        if route.request.url.startswith("http://127.0.0.1"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_loopback)
    try:
        page.goto(f"{server.url}/map?lang=vi")
        page.wait_for_selector(".guide-map[data-state=ready]", timeout=20_000)
        assert page.get_attribute(".guide-map", "data-shown") == str(SITES)
        assert page.locator(CLUSTERS).count() > 0
        assert not any("sites.geojson" in url for url in requested)
        assert page.locator("#map-count").inner_text().startswith(f"{SITES:,}".replace(",", "."))

        # Clicking clusters zooms in, until single sites show.
        for _ in range(12):
            if page.locator(MARKERS).count():
                break
            zoom = float(page.get_attribute(".guide-map", "data-zoom"))
            page.locator(CLUSTERS).first.click()
            page.wait_for_function(
                "z => Number(document.querySelector('.guide-map').dataset.zoom) > z", arg=zoom
            )
        assert page.locator(MARKERS).count() > 0

        page.locator(MARKERS).first.click()
        popup = page.locator(".leaflet-popup-content .site-popup")
        popup.wait_for(timeout=10_000)
        name = popup.locator("h2").inner_text()
        assert name.startswith("Di tích Số ")
        number = int(name.removeprefix("Di tích Số "))
        link = popup.locator("a.site-popup-link")
        assert link.get_attribute("href") == f"/sites/di-tich-{number:05d}"
    finally:
        context.close()
        server.stop()
