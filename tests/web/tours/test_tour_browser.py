"""The tour planner and its itinerary in headless Chromium, requests to other hosts blocked."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pypdfium2
import pytest
import zxingcpp
from browsing import CLUSTERS, MARKERS, TILE_PREFIX, settle

from guide.catalogue.text import fold

pytestmark = [pytest.mark.browser, pytest.mark.server]

# Three sites of Bắc Từ Liêm, and a typical school morning of eight stops in Ba Đình.
THREE = ["Z2HN", "9XT4", "8S2D"]
EIGHT = ["GKQH", "T7BR", "YYDU", "JZ37", "36K5", "TFD2", "4J4J", "BGG6"]
TIMETABLE_STOPS = "#plan-result table.timetable tbody tr.stop"


def open_planner(page, server, query: str = "lang=vi") -> None:
    """Open the planner and wait until the map has its sites."""
    page.goto(f"{server.url}/tours/plan?{query}")
    page.wait_for_selector(".guide-map[data-state=ready]", timeout=15_000)


def search(page, text: str) -> None:
    """Type in the planner's search box and wait until the map and list show what it selects."""
    page.fill("#map-q", text)
    page.wait_for_function(
        "q => document.querySelector('.guide-map').dataset.filters === q + '|||'", arg=fold(text)
    )


def click_marker(page, code: str) -> None:
    """Find a site by its code, then click its marker on the map."""
    search(page, code)
    page.wait_for_function(f"() => document.querySelectorAll('{CLUSTERS}').length === 0")
    settle(page)
    markers = page.locator(MARKERS)
    assert markers.count() == 1
    markers.first.click()


def test_three_stops_clicked_on_the_map_are_planned(live_server, page, client):
    open_planner(page, live_server)
    for number, code in enumerate(THREE, start=1):
        click_marker(page, code)
        # The popup says the site is in the tour and offers to take it out again.
        popup = page.locator(".leaflet-popup-content .site-popup")
        popup.locator(".site-popup-tour button", has_text="Bỏ khỏi hành trình").wait_for()
        assert page.locator("#plan-chosen li").count() == number
        assert page.locator(f"#plan-sites input[value='{code}']").is_checked()
    chosen = page.locator("#plan-chosen li").evaluate_all(
        "items => items.map(li => li.dataset.code)"
    )
    assert chosen == THREE

    page.click("#plan-submit")
    page.wait_for_function(
        f"() => document.querySelectorAll('{TIMETABLE_STOPS}').length === 3", timeout=10_000
    )
    answer = client.post("/api/tours/plan", json={"stops": THREE, "lang": "vi"}).get_json()
    rows = page.locator(TIMETABLE_STOPS)
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.id)") == answer["order"]
    for index, row in enumerate(answer["timetable"]):
        cells = rows.nth(index).locator("td")
        assert rows.nth(index).locator("th a").inner_text() == row["name"]
        assert cells.nth(1).inner_text() == row["arrive"]
        assert cells.nth(2).inner_text() == row["leave"]
    assert page.locator("#plan-result tr.leg").count() == 2
    assert page.locator("[data-field=note]").inner_text().startswith("Số liệu là ước tính")
    # Numbered stops and the route line are on the map; the address is the permalink.
    assert page.locator(".plan-stop").count() == 3
    assert page.locator("path.plan-route").count() == 1
    address = urlsplit(page.url)
    assert address.path == "/tours/plan"
    assert parse_qs(address.query)["stops"] == [",".join(THREE)]
    gpx = page.locator("[data-link=gpx]").get_attribute("href")
    assert client.get(gpx).status_code == 200
    outside = [url for url in page.outside_requests if not url.startswith(TILE_PREFIX)]
    assert outside == []


def test_the_list_searches_without_accents_and_a_start_is_clicked_on_the_map(live_server, page):
    open_planner(page, live_server, "lang=en")
    page.click("#plan-submit")
    assert page.locator("#plan-error").inner_text() == (
        "Pick at least two sites, on the map or from the list."
    )
    search(page, "dai tuong niem liet si co nhue")
    shown = page.locator("#plan-sites li:not([hidden])")
    assert shown.count() == 1
    assert shown.first.get_attribute("data-code") == "8S2D"
    shown.first.locator("input").check()
    search(page, "CHEM")
    assert page.locator("#plan-sites li:not([hidden])").count() == 1
    page.locator("#plan-sites li:not([hidden]) input").check()
    assert page.locator("#plan-chosen li").count() == 2

    # The start: a point clicked on the map, between the two sites.
    page.click("#plan-pick-start")
    settle(page)
    box = page.locator(".guide-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
    page.wait_for_function("() => document.getElementById('plan-start').value.includes(',')")
    page.locator("#plan-chosen li[data-code='8S2D'] input").fill("20")
    page.check("input[name=mode][value=bike]")
    page.click("#plan-submit")
    page.wait_for_function(
        f"() => document.querySelectorAll('{TIMETABLE_STOPS}').length === 3", timeout=10_000
    )
    rows = page.locator(TIMETABLE_STOPS)
    assert rows.first.get_attribute("data-id") == "start"
    assert rows.first.locator("th").inner_text().startswith("Starting point")
    query = parse_qs(urlsplit(page.url).query)
    assert query["mode"] == ["bike"] and query["visit"] == ["8S2D:20"]
    assert "," in query["start"][0]
    assert page.locator(".plan-stop.point").count() == 1


def test_a_permalink_opens_with_its_plan_on_the_map(live_server, page):
    open_planner(page, live_server, f"stops={','.join(EIGHT[:4])}&return=1&lang=vi")
    assert page.locator(TIMETABLE_STOPS).count() == 4
    assert page.locator("#plan-result tr.return").count() == 1
    page.wait_for_function("() => document.querySelectorAll('.plan-stop').length === 4")
    assert page.locator("#plan-chosen li").count() == 4
    # Taking a stop out and planning again gives a plan of three.
    page.locator("#plan-chosen li").first.locator("button.remove").click()
    page.click("#plan-submit")
    page.wait_for_function(
        f"() => document.querySelectorAll('{TIMETABLE_STOPS}').length === 3", timeout=10_000
    )


def test_a_typical_tour_prints_on_one_a4_page_with_a_qr_code_of_its_link(app, live_server, page):
    # A plan's QR code holds the public address, so the guide must know it.
    app.config["GUIDE_BASE_URL"] = live_server.url
    query = f"stops={','.join(EIGHT)}&start=75A8&mode=walk&start_time=07:30&lang=vi"
    page.goto(f"{live_server.url}/tours/plan/print?{query}")
    page.wait_for_function("() => document.querySelector('.it-qr img').naturalWidth > 0")
    assert page.locator(TIMETABLE_STOPS.replace("#plan-result ", "")).count() == 9
    pdf = page.pdf(format="A4")
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    try:
        assert len(document) == 1
        width, height = document[0].get_size()
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
        image = document[0].render(scale=3).to_pil()
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "Quảng trường Ba Đình" in text and "Cửa Bắc (Bắc Môn)" in text
    (code,) = zxingcpp.read_barcodes(image)
    scanned = urlsplit(code.text)
    assert scanned.path == "/tours/plan"
    assert parse_qs(scanned.query)["stops"] == [",".join(EIGHT)]
    assert parse_qs(scanned.query)["start"] == ["75A8"]


def test_closing_times_are_warned_about_and_the_page_fits_a_phone(hours_server, page):
    open_planner(page, hours_server, "lang=en")
    for code in ("AAAA", "BBBB"):
        page.check(f"#plan-sites input[value={code}]")
    page.select_option("#plan-start", "AAAA")
    page.fill("#plan-time", "11:20")
    page.click("#plan-submit")
    page.wait_for_function(
        f"() => document.querySelectorAll('{TIMETABLE_STOPS}').length === 2", timeout=10_000
    )
    warnings = page.locator("[data-field=warnings]")
    assert warnings.is_visible()
    (message,) = warnings.locator("li").all_inner_texts()
    assert message.startswith("Binh Temple: closed at 12:")
    assert message.endswith("(opening hours: 08:00-11:30, 13:30-17:00)")
    row = page.locator(f"{TIMETABLE_STOPS}[data-id=BBBB]")
    assert row.locator(".warning").inner_text() == message
    assert page.locator("[data-field=note]").inner_text().startswith("Figures are estimates")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
