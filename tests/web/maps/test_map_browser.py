"""The map in headless Chromium, every request to another host blocked (tiles included)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from browsing import CLUSTERS, MARKERS, TILE_PREFIX, settle
from hostile_data import MARKUP_NAME

from guide.catalogue.text import fold

pytestmark = [pytest.mark.browser, pytest.mark.server]


def open_map(page, server, query: str = "") -> None:
    """Open the map (in Vietnamese unless ``query`` names a language) and wait for its sites."""
    if "lang=" not in query:
        query += ("&" if query else "?") + "lang=vi"
    page.goto(f"{server.url}/map{query}")
    page.wait_for_selector(".guide-map[data-state=ready]", timeout=15_000)


def shown(page) -> int:
    return int(page.get_attribute(".guide-map", "data-shown"))


def visible_count(page, selector: str) -> int:
    return page.locator(selector).count()


def search(page, text: str) -> None:
    """Type in the search box and wait until the map shows what it selects."""
    page.fill("#map-q", text)
    # The map marks the filters it applied, the query folded as guide.catalogue.text.fold does.
    page.wait_for_function(
        "q => document.querySelector('.guide-map').dataset.filters === q + '|||'", arg=fold(text)
    )


def api_count(client, query: str) -> int:
    return len(client.get(f"/api/sites.geojson?q={quote(query)}").get_json(force=True)["features"])


def test_markers_and_clusters_appear_and_only_tiles_go_outside(live_server, page, client):
    open_map(page, live_server)
    total = len(client.get("/api/sites.geojson").get_json(force=True)["features"])
    assert shown(page) == total
    page.wait_for_selector(CLUSTERS)
    assert visible_count(page, CLUSTERS) + visible_count(page, MARKERS) > 0
    assert page.locator("#map-count").inner_text() == f"{total} / {total} địa điểm"
    assert page.locator(".leaflet-control-scale").is_visible()
    assert page.outside_requests, "the map should at least try to load its tiles"
    assert all(url.startswith(TILE_PREFIX) for url in page.outside_requests), [
        url for url in page.outside_requests if not url.startswith(TILE_PREFIX)
    ][:5]


def test_search_narrows_markers_like_the_api_does(live_server, page, client):
    open_map(page, live_server)
    total = shown(page)
    search(page, "ĐÌNH CHÈM")
    assert shown(page) == api_count(client, "ĐÌNH CHÈM") == 1
    page.wait_for_function(f"() => document.querySelectorAll('{CLUSTERS}').length === 0")
    assert visible_count(page, MARKERS) == 1
    assert page.locator(MARKERS).first.get_attribute("title").startswith("Đình Chèm")
    for query in ("dinh chem", "chua", "Hồ Chí Minh", "ho chi minh", "hoa lo", "đống đa", "b52"):
        search(page, query)
        assert 0 < shown(page) < total
        assert shown(page) == api_count(client, query), query
    search(page, "")
    assert shown(page) == total


def test_clicking_a_marker_opens_its_popup_and_the_story(live_server, page):
    open_map(page, live_server)
    search(page, "dinh chem")
    page.wait_for_function(f"() => document.querySelectorAll('{CLUSTERS}').length === 0")
    settle(page)
    page.locator(MARKERS).first.click()
    popup = page.locator(".leaflet-popup-content .site-popup")
    popup.wait_for()
    assert popup.locator("h2").inner_text().startswith("Đình Chèm")
    assert "Di tích quốc gia đặc biệt" in popup.inner_text()
    link = popup.locator("a.site-popup-link")
    assert link.inner_text() == "Đọc câu chuyện"
    assert link.get_attribute("href") == "/sites/dinh-chem"
    settle(page)
    link.click()
    page.wait_for_url(f"{live_server.url}/sites/dinh-chem")
    assert page.locator("h1").inner_text().startswith("Đình Chèm")


def test_site_address_opens_the_popup_in_english(live_server, page):
    open_map(page, live_server, "?site=Z2HN&lang=en")
    popup = page.locator(".leaflet-popup-content .site-popup")
    popup.wait_for()
    assert popup.locator("h2").inner_text().startswith("Chèm Communal House")
    assert "Communal house" in popup.inner_text()
    assert "Special national relic" in popup.inner_text()
    # The kind and rank are the vocabulary's English labels, not the Vietnamese ones.
    assert "Đình" not in popup.inner_text() and "Di tích" not in popup.inner_text()
    assert popup.locator("a").inner_text() == "Read the story"
    # Switching to Vietnamese keeps the site in view.
    assert "site=Z2HN" in page.locator("a[hreflang=vi]").get_attribute("href")


def test_filters_work_without_reloading(live_server, page, client):
    open_map(page, live_server)
    page.evaluate("window.sameDocument = true")
    total = shown(page)
    page.locator(".map-more summary").click()
    page.select_option("#map-kind", "pagoda")
    page.wait_for_function(
        f"() => document.querySelector('.guide-map').dataset.shown !== '{total}'"
    )
    pagodas = len(client.get("/api/sites.geojson?kind=pagoda").get_json(force=True)["features"])
    assert shown(page) == pagodas
    page.select_option("#map-area", "001")
    page.wait_for_function(
        f"() => document.querySelector('.guide-map').dataset.shown !== '{pagodas}'"
    )
    both = client.get("/api/sites.geojson?kind=pagoda&area=001").get_json(force=True)
    assert shown(page) == len(both["features"])
    assert "kind=pagoda" in page.url and "area=001" in page.url
    english = page.locator("a[hreflang=en]").get_attribute("href")
    # The English map's own path (a static host ignores ?lang=), with the same filters.
    assert english.split("?")[0].endswith("/en/map") and "lang=" not in english
    assert "kind=pagoda" in english and "area=001" in english
    page.select_option("#map-rank", "special-national")
    page.wait_for_function("() => document.querySelector('.guide-map').dataset.shown === '0'")
    assert page.locator("#map-status").inner_text() == "Không có địa điểm nào khớp với bộ lọc."
    page.click("button[type=reset]")
    page.wait_for_function(
        f"() => document.querySelector('.guide-map').dataset.shown === '{total}'"
    )
    assert page.evaluate("window.sameDocument") is True


def test_filters_in_the_address_apply_on_load(live_server, page, client):
    open_map(page, live_server, "?q=chua&kind=pagoda")
    expected = client.get("/api/sites.geojson?q=chua&kind=pagoda").get_json(force=True)
    assert 0 < shown(page) == len(expected["features"])
    assert page.locator("#map-q").input_value() == "chua"


def test_area_boundaries_switch_on_and_off(live_server, page):
    open_map(page, live_server)
    paths = ".leaflet-overlay-pane path"
    assert page.locator(paths).count() == 0
    page.hover(".leaflet-control-layers")
    checkbox = page.get_by_label("Ranh giới hành chính")
    checkbox.check()
    page.wait_for_function(f"() => document.querySelectorAll('{paths}').length === 30")
    checkbox.uncheck()
    page.wait_for_function(f"() => document.querySelectorAll('{paths}').length === 0")


def test_area_address_shows_its_boundary(live_server, page):
    open_map(page, live_server, "?area=002")
    page.wait_for_function(
        "() => document.querySelectorAll('.leaflet-overlay-pane path').length > 0"
    )
    assert page.locator("#map-area").input_value() == "002"


def test_locate_me_marks_where_you_are(live_server, page):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 21.0285, "longitude": 105.8542, "accuracy": 30})
    open_map(page, live_server)
    page.click("button.locate")
    page.wait_for_selector("path.you-are-here")
    centre = page.evaluate(
        "(() => { const m = Object.values(window).find(v => v && v._leaflet_id && v.getCenter);"
        " const c = m.getCenter(); return [c.lat, c.lng]; })()"
    )
    assert centre == pytest.approx([21.0285, 105.8542], abs=0.01)


def test_full_screen_toggles(live_server, page):
    open_map(page, live_server)
    toggle = page.locator("button.fullscreen")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    page.wait_for_function(
        "() => document.fullscreenElement === document.querySelector('.map-app')"
        " || document.querySelector('.map-app').classList.contains('is-fullscreen')"
    )
    page.wait_for_function(
        "() => document.querySelector('button.fullscreen').ariaPressed === 'true'"
    )
    toggle.click()
    page.wait_for_function(
        "() => document.querySelector('button.fullscreen').ariaPressed === 'false'"
    )


def test_embedded_map_has_no_chrome_and_fills_the_frame(live_server, page):
    open_map(page, live_server, "?embed=1")
    assert page.locator("header.top").count() == 0
    box = page.locator(".guide-map").bounding_box()
    assert box["height"] > 500
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


class TestEscaping:
    """A catalogue whose site name holds HTML."""

    NAME = MARKUP_NAME

    def test_a_name_with_html_shows_as_text(self, escaping_server, page):
        open_map(page, escaping_server, "?site=7K2Q")
        popup = page.locator(".leaflet-popup-content .site-popup")
        popup.wait_for()
        assert popup.locator("h2").inner_text() == self.NAME
        assert popup.locator("img, b").count() == 0
        assert page.evaluate("window.hacked") is None
        assert page.locator(MARKERS).first.get_attribute("title") == self.NAME


def test_markers_take_their_kind_colour_without_breaking_the_security_policy(live_server, page):
    from builders import DEFAULT_SITES

    from guide.catalogue.config import read_config

    vocabulary = read_config(DEFAULT_SITES).vocabulary
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    open_map(page, live_server, "?site=Z2HN")
    page.wait_for_selector(f"{MARKERS}.kind-communal-house")
    colour = page.eval_on_selector(
        f"{MARKERS}.kind-communal-house > span", "span => getComputedStyle(span).backgroundColor"
    )
    expected = vocabulary.kind("communal-house").colour.lstrip("#")
    assert colour == "rgb({}, {}, {})".format(*(int(expected[i : i + 2], 16) for i in (0, 2, 4)))
    legend = page.eval_on_selector(
        "#map-legend .kind-communal-house > span", "span => getComputedStyle(span).backgroundColor"
    )
    assert legend == colour
    assert [m for m in messages if "Content Security Policy" in m] == []


def test_a_popup_near_the_right_edge_of_a_phone_stays_on_screen(live_server, page):
    open_map(page, live_server)
    search(page, "dinh chem")
    page.wait_for_function(f"() => document.querySelectorAll('{CLUSTERS}').length === 0")
    settle(page)
    width = page.viewport_size["width"]
    assert width == 360
    # Drag the map until the marker sits by the right edge, as a thumb would.
    marker = page.locator(MARKERS).first.bounding_box()
    map_box = page.locator(".guide-map").bounding_box()
    x0 = marker["x"] + marker["width"] / 2
    start_x = map_box["x"] + 40
    start_y = map_box["y"] + map_box["height"] / 2
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    page.mouse.move(start_x + (width - 14 - x0), start_y, steps=12)
    page.mouse.up()
    settle(page)
    marker = page.locator(MARKERS).first.bounding_box()
    assert marker["x"] + marker["width"] / 2 > width - 30
    page.locator(MARKERS).first.click(position={"x": 4, "y": marker["height"] / 2})
    page.locator(".leaflet-popup-content .site-popup").wait_for()
    settle(page)
    box = page.locator(".leaflet-popup").bounding_box()
    # Inside the screen with a finger's margin to spare, its close button included.
    assert box["x"] >= 8 and box["x"] + box["width"] <= width - 8, box
    height = page.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
    close = page.locator(".leaflet-popup-close-button").bounding_box()
    assert close["x"] + close["width"] <= width, close
    overflow = page.evaluate(
        "() => { const c = document.querySelector('.leaflet-popup-content');"
        " return c.scrollWidth - c.clientWidth; }"
    )
    assert overflow <= 0
