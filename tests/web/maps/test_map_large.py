"""The map of a large catalogue: compact positions, clusters per zoom, names fetched after."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, LARGE_SITES

from guide.catalogue.index import load_catalogue
from guide.render import map_clusters, map_data
from guide.render.map_data import SCALE

STATIC = Path(__file__).resolve().parents[3] / "guide" / "static"
VOCABULARY = load_catalogue(DEFAULT_SITES).config.vocabulary
CLUSTERS = ".leaflet-marker-pane .marker-cluster"
MARKERS = ".leaflet-marker-pane .site-marker"


@pytest.fixture(scope="module")
def large_server(large_app):
    """Return the large catalogue's guide, served on loopback for the browser."""
    from browsing import LiveServer

    server = LiveServer(large_app).start()
    yield server
    server.stop()


@contextmanager
def map_page(browser, server, width: int = 900, refused: str = "") -> Iterator[tuple]:
    """Yield a page that reaches the guide's own host only, and the addresses it asked for.

    A request whose address contains ``refused`` is dropped too.
    """
    context = browser.new_context(viewport={"width": width, "height": 700})
    page = context.new_page()
    requested: list[str] = []

    def own_host_only(route) -> None:
        url = route.request.url
        requested.append(url)
        if url.startswith(server.url) and not (refused and refused in url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", own_host_only)
    try:
        yield page, requested
    finally:
        context.close()


def zoom_to_sites(page) -> None:
    """Click the first cluster, zoom level after zoom level, until single sites show."""
    for _ in range(12):
        if page.locator(MARKERS).count():
            break
        zoom = float(page.get_attribute(".guide-map", "data-zoom"))
        page.locator(CLUSTERS).first.click()
        page.wait_for_function(
            "z => Number(document.querySelector('.guide-map').dataset.zoom) > z", arg=zoom
        )
    assert page.locator(MARKERS).count() > 0


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


def test_the_large_map_page_loads_no_markercluster_script_but_keeps_its_styles(client, large_app):
    def assets(page: bytes) -> tuple[list[str], list[str]]:
        soup = BeautifulSoup(page, "html.parser")
        scripts = [script["src"] for script in soup.find_all("script", src=True)]
        return scripts, [link["href"] for link in soup.find_all("link", rel="stylesheet")]

    scripts, styles = assets(large_app.test_client().get("/map").data)
    assert any("/leaflet/leaflet." in src for src in scripts)
    assert any(src.startswith("/static/map.") for src in scripts)
    # supercluster clusters a large map: Leaflet.markercluster would only be compiled.
    assert not any("markercluster" in src for src in scripts)
    # The large map's scripts come with Leaflet, not after the map's script asked for them.
    assert any("/supercluster.min." in src for src in scripts)
    assert any("/map_large." in src for src in scripts)
    # Its styles draw the clusters' icons.
    assert any("markercluster/MarkerCluster.Default." in href for href in styles)
    small, _ = assets(client.get("/map").data)
    assert any("markercluster/leaflet.markercluster." in src for src in small)


# Notes each Worker the page starts, with the clusters drawn at that moment.
RECORD_WORKERS = """
window.workerStarts = [];
const PageWorker = window.Worker;
window.Worker = function (url, options) {
  window.workerStarts.push(
    document.querySelectorAll('.leaflet-marker-pane .marker-cluster').length);
  return new PageWorker(url, options);
};
"""


@pytest.mark.browser
@pytest.mark.server
def test_the_workers_start_only_once_the_first_clusters_are_drawn(large_server, browser):
    server = large_server
    with map_page(browser, server) as (page, _):
        page.add_init_script(RECORD_WORKERS)
        page.goto(f"{server.url}/map?lang=vi")
        page.wait_for_selector(".guide-map[data-index=full]", timeout=30_000)
        # Two workers (the clusters', the names'), both started with clusters on the map.
        starts = page.evaluate("window.workerStarts")
        assert len(starts) == 2 and all(drawn > 0 for drawn in starts), starts
        assert page.get_attribute(".guide-map", "data-shown") == str(LARGE_SITES)


@pytest.mark.browser
@pytest.mark.server
def test_the_large_map_draws_clusters_zooms_into_one_and_opens_a_popup(large_server, browser):
    server = large_server
    with map_page(browser, server, width=800) as (page, requested):
        page.goto(f"{server.url}/map?lang=vi")
        page.wait_for_selector(".guide-map[data-state=ready]", timeout=20_000)
        assert page.get_attribute(".guide-map", "data-shown") == str(LARGE_SITES)
        assert page.locator(CLUSTERS).count() > 0
        assert not any("sites.geojson" in url for url in requested)
        assert (
            page.locator("#map-count").inner_text().startswith(f"{LARGE_SITES:,}".replace(",", "."))
        )

        # Clicking clusters zooms in, until single sites show.
        zoom_to_sites(page)

        page.locator(MARKERS).first.click()
        popup = page.locator(".leaflet-popup-content .site-popup")
        popup.wait_for(timeout=10_000)
        name = popup.locator("h2").inner_text()
        assert name.startswith("Di tích Số ")
        number = int(name.removeprefix("Di tích Số "))
        link = popup.locator("a.site-popup-link")
        assert link.get_attribute("href") == f"/sites/di-tich-{number:05d}"


def test_the_first_zooms_clusters_hold_every_site_once_within_the_radius(large_catalogue):
    sites = load_catalogue(large_catalogue).published()
    positions = map_data.positions(sites, VOCABULARY)
    data = map_clusters.clusters(positions)
    assert data["count"] == LARGE_SITES and data["zooms"]
    for zoom, items in data["zooms"].items():
        assert sum(items["count"]) == LARGE_SITES, zoom
        alone = [i for i, n in zip(items["i"], items["count"], strict=True) if n == 1]
        # A site alone is named by its index in the positions, with its kind group.
        assert len(set(alone)) == len(alone) and all(0 <= i < LARGE_SITES for i in alone)
        points = decoded(positions)
        for k, i in enumerate(items["i"]):
            if i >= 0:
                lat, lon = points[i]
                assert abs(items["lat"][k] / SCALE - lat) < 2e-5
                assert abs(items["lon"][k] / SCALE - lon) < 2e-5
                assert (
                    data["groups"][items["group"][k]] == positions["groups"][positions["group"][i]]
                )
    # Fewer, larger clusters as the map zooms out.
    counts = [
        len(items["count"]) for _, items in sorted(data["zooms"].items(), key=lambda z: int(z[0]))
    ]
    assert counts == sorted(counts)


@pytest.mark.browser
def test_the_servers_clusters_are_those_supercluster_makes_at_that_zoom(large_catalogue, browser):
    sites = load_catalogue(large_catalogue).published()
    positions = map_data.positions(sites, VOCABULARY)
    data = map_clusters.clusters(positions)
    points = decoded(positions)
    page = browser.new_page()
    try:
        page.add_script_tag(content=(STATIC / "supercluster.min.js").read_text(encoding="utf-8"))
        for zoom in ("9", "11"):
            theirs = page.evaluate(
                """([points, zoom]) => new Supercluster({radius: 60, maxZoom: zoom, minPoints: 2})
                  .load(points.map(([lat, lon], i) => ({type: "Feature", properties: {i},
                    geometry: {type: "Point", coordinates: [lon, lat]}})))
                  .getClusters([-180, -85, 180, 85], zoom)
                  .map(c => [c.properties.point_count || 1, c.geometry.coordinates])""",
                [points, int(zoom)],
            )
            items = data["zooms"][zoom]
            ours = sorted(zip(items["count"], items["lon"], items["lat"], strict=True))
            theirs = sorted((n, round(lon * SCALE), round(lat * SCALE)) for n, (lon, lat) in theirs)
            assert [n for n, *_ in ours] == [n for n, *_ in theirs]
            for (_, lon, lat), (_, lon2, lat2) in zip(ours, theirs, strict=True):
                assert abs(lon - lon2) <= 2 and abs(lat - lat2) <= 2
    finally:
        page.close()


# Records each value the map's data-index takes: "pre" (the server's clusters), "quick"
# (one zoom clustered in the page), "full" (the worker's index of every zoom).
RECORD_INDEX = """
window.indexes = [];
new MutationObserver(() => {
  const map = document.querySelector('.guide-map');
  const value = map && map.getAttribute('data-index');
  if (value && window.indexes[window.indexes.length - 1] !== value) window.indexes.push(value);
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-index']});
"""


@pytest.mark.browser
@pytest.mark.server
def test_the_first_clusters_are_the_servers_then_the_workers_lead_to_a_story(large_server, browser):
    server = large_server
    with map_page(browser, server) as (page, _):
        page.add_init_script(RECORD_INDEX)
        page.goto(f"{server.url}/map?lang=vi")
        page.wait_for_selector(".guide-map[data-index=full]", timeout=30_000)
        assert page.evaluate("window.indexes") == ["pre", "full"]
        # The workers read the positions and the names: the page itself parses neither.
        fetched = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
        assert any("sites.clusters.json" in address for address in fetched)
        assert not any("sites.positions.json" in address for address in fetched)
        assert not any("sites.details.json" in address for address in fetched)
        assert page.get_attribute(".guide-map", "data-shown") == str(LARGE_SITES)
        assert page.locator(CLUSTERS).count() > 0

        zoom_to_sites(page)
        assert page.get_attribute(".guide-map", "data-index") == "full"
        page.locator(MARKERS).first.click()
        popup = page.locator(".leaflet-popup-content .site-popup")
        popup.wait_for(timeout=10_000)
        name = popup.locator("h2").inner_text()
        with page.expect_navigation():
            popup.locator("a.site-popup-link").click()
        assert page.url.startswith(f"{server.url}/sites/di-tich-")
        assert page.locator("h1").first.inner_text().strip() == name


@pytest.mark.browser
@pytest.mark.server
def test_a_large_maps_link_to_one_site_opens_its_popup(large_server, large_catalogue, browser):
    chosen = sorted(load_catalogue(large_catalogue).published(), key=lambda s: s.code)[7]
    server = large_server
    with map_page(browser, server) as (page, _):
        page.goto(f"{server.url}/map?site={chosen.code}&lang=en")
        popup = page.locator(".leaflet-popup-content .site-popup")
        popup.wait_for(timeout=30_000)
        assert popup.locator("h2").inner_text() == chosen.name["en"]
        href = popup.locator("a.site-popup-link").get_attribute("href")
        assert href == f"/en/sites/{chosen.slug}"
        # The map comes down to the street the site is in.
        page.wait_for_function("() => document.querySelector('.guide-map').dataset.zoom === '18'")


def test_the_static_export_writes_every_file_the_large_map_loads(
    large_app, large_catalogue, tmp_path
):
    from guide.export.build import Builder, _refs

    client = large_app.test_client()
    page = client.get("/map").get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    large = json.loads(soup.find("script", id="guide-map-config").string)["large"]
    # The data files are listed with the pages; the scripts are found in the page.
    listed = {address for address, _ in Builder(tmp_path, large_catalogue).pages()}
    found = _refs("/map", page, "text/html")
    for name in ("positions", "clusters", "details"):
        assert large[name] in listed, name
    for name in ("supercluster", "script", "worker"):
        assert large[name] in found, name
    for name in ("positions", "clusters", "details", "supercluster", "script", "worker"):
        assert client.get(large[name]).status_code == 200, name


def test_a_small_catalogues_export_lists_no_large_map_files(tmp_path):
    from guide.export.build import Builder

    listed = {address for address, _ in Builder(tmp_path, DEFAULT_SITES).pages()}
    assert "/api/sites.geojson" in listed
    assert not any(address.startswith("/api/sites.positions") for address in listed)


@pytest.mark.browser
@pytest.mark.server
def test_without_its_worker_the_large_map_clusters_in_the_page(large_server, browser):
    server = large_server
    # The worker's script never arrives, as behind a proxy that drops it.
    with map_page(browser, server, refused="map_cluster_worker") as (page, _):
        page.goto(f"{server.url}/map?lang=vi")
        page.wait_for_selector(".guide-map[data-index=full]", timeout=30_000)
        assert page.get_attribute(".guide-map", "data-shown") == str(LARGE_SITES)
        zoom_to_sites(page)
        page.locator(MARKERS).first.click()
        popup = page.locator(".leaflet-popup-content .site-popup")
        popup.wait_for(timeout=10_000)
        assert popup.locator("h2").inner_text().startswith("Di tích Số ")


# Pans the map by (x, y) pixels and resolves once the markers of the new view are drawn.
PAN_BY = """async ([x, y]) => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const box = document.querySelector('.guide-map');
  const drawn = new Promise((resolve) => {
    const watch = new MutationObserver(() => { watch.disconnect(); resolve(); });
    watch.observe(box, {attributes: true, attributeFilter: ['data-drawn']});
  });
  map.panBy([x, y], {animate: false});
  await drawn;
}"""
ICONS = ".leaflet-marker-pane .leaflet-marker-icon"


@pytest.mark.browser
@pytest.mark.server
def test_a_pan_keeps_the_markers_still_in_view_and_adds_the_new_ones(large_server, browser):
    server = large_server
    with map_page(browser, server) as (page, _):
        page.goto(f"{server.url}/map?lang=vi")
        page.wait_for_selector(".guide-map[data-index=full]", timeout=30_000)
        zoom_to_sites(page)
        page.wait_for_function(
            "() => document.querySelector('.guide-map').dataset.index === 'full'"
        )
        before = page.eval_on_selector_all(
            ICONS, "icons => icons.map((icon) => { icon.dataset.seen = '1'; return 1; }).length"
        )
        assert before > 1
        page.evaluate(PAN_BY, [60, 40])
        drawn = int(page.get_attribute(".guide-map", "data-drawn"))
        # Every marker once, and those still in view are the same elements: nothing blinks.
        assert page.locator(ICONS).count() == drawn
        kept = page.locator(f"{ICONS}[data-seen]").count()
        assert kept > 0 and kept >= min(before, drawn) // 2
        # A long pan brings other sites; they are drawn, those left behind are gone.
        page.evaluate(PAN_BY, [3000, 0])
        assert page.locator(ICONS).count() == int(page.get_attribute(".guide-map", "data-drawn"))
        assert page.locator(f"{ICONS}[data-seen]").count() == 0


@pytest.mark.browser
@pytest.mark.server
def test_a_kind_chosen_on_the_large_map_shows_only_its_sites(
    large_server, large_catalogue, browser
):
    pagodas = [
        site for site in load_catalogue(large_catalogue).published() if site.kind == "pagoda"
    ]
    server = large_server
    with map_page(browser, server) as (page, _):
        page.goto(f"{server.url}/map?lang=vi")
        page.wait_for_selector(".guide-map[data-index=full]", timeout=30_000)
        page.locator(".map-more summary").click()
        page.select_option("#map-kind", "pagoda")
        page.wait_for_selector(
            f".guide-map[data-shown='{len(pagodas)}'][data-index=full]", timeout=30_000
        )
        assert 0 < len(pagodas) < LARGE_SITES
        zoom_to_sites(page)
        # Every site drawn is a pagoda.
        kinds = page.eval_on_selector_all(MARKERS, "icons => icons.map((icon) => icon.className)")
        assert kinds and all("kind-pagoda" in kind for kind in kinds)
