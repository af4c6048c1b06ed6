"""The map of a large catalogue: compact positions, clusters per zoom, names fetched after."""

from __future__ import annotations

import gzip
import json

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, LARGE_SITES

from guide.catalogue.index import load_catalogue
from guide.render import map_data

VOCABULARY = load_catalogue(DEFAULT_SITES).config.vocabulary
CLUSTERS = ".leaflet-marker-pane .marker-cluster"
MARKERS = ".leaflet-marker-pane .site-marker"


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
    assert positions["count"] == details["count"] == len(sites) == LARGE_SITES
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
        assert page.get_attribute(".guide-map", "data-shown") == str(LARGE_SITES)
        assert page.locator(CLUSTERS).count() > 0
        assert not any("sites.geojson" in url for url in requested)
        assert (
            page.locator("#map-count").inner_text().startswith(f"{LARGE_SITES:,}".replace(",", "."))
        )

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
