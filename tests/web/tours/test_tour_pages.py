"""The tour planner's pages over HTTP: the planner, permalinks, the itinerary and curated tours."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import gpxpy
import pytest
import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image
from tour_data import BAC_TU_LIEM, CITADEL, A, B, C, D, make_app

from guide import create_app
from guide.catalogue.geo import distance_m

CITADEL_TOUR = "hoang-thanh-ba-dinh"
BTL_TOUR = "hanh-trinh-dia-chi-do-bac-tu-liem"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def api_plan(planner_client, **body) -> dict:
    response = planner_client.post("/api/tours/plan", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def timetable(soup: BeautifulSoup, scope: str = "") -> list[dict]:
    """Return the rows of the page's timetable as a person reads them."""
    rows = []
    table = f"{scope} table.timetable"
    for tr in soup.select(f"{table} tbody tr.stop, {table} tbody tr.return"):
        cells = tr.find_all("td")
        rows.append(
            {
                "id": tr["data-id"],
                "number": cells[0].get_text(strip=True),
                "name": (tr.th.a or tr.th).get_text(strip=True) if "stop" in tr["class"] else "",
                "arrive": cells[1].get_text(strip=True),
                "leave": cells[2].get_text(strip=True),
                "warnings": [w.get_text(strip=True) for w in tr.select(".warning")],
                "return": "return" in tr["class"],
            }
        )
    return rows


def same_as_api(rows: list[dict], answer: dict) -> None:
    """Check that the page's timetable says what the API's plan says."""
    assert [row["id"] for row in rows] == [row["id"] for row in answer["timetable"]]
    for row, planned in zip(rows, answer["timetable"], strict=True):
        assert row["arrive"] == planned["arrive"]
        assert row["return"] == planned["return"]
        if not planned["return"]:
            assert row["name"] == planned["name"]
            assert row["leave"] == planned["leave"]
            assert row["warnings"] == planned["warnings"]
    numbers = [row["number"] for row in rows if not row["return"]]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


# ---------------------------------------------------------------- the planner


def test_the_planner_offers_every_site_to_pick(planner_client):
    response = planner_client.get("/tours/plan")
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.h1.get_text() == "Lập hành trình"
    catalogue = planner_client.application.extensions["guide.catalogue"]
    located = {site.code for site in catalogue.published() if site.has_location}
    boxes = soup.select("#plan-sites input[name=stops]")
    assert {box["value"] for box in boxes} == located
    assert not any(box.has_attr("checked") for box in boxes)
    assert soup.select_one("#plan-result").has_attr("hidden")
    assert soup.select_one("#plan-error").has_attr("hidden")
    form = soup.select_one("form#plan-form")
    assert form["method"] == "get" and form["action"] == "/tours/plan"
    assert [r["value"] for r in form.select("input[name=mode]")] == ["walk", "bike", "car"]
    assert form.select_one("input[name=mode][checked]")["value"] == "walk"
    assert form.select_one("input[name=start_time]")["value"] == "08:00"
    scripts = [tag["src"] for tag in soup.select("script[src]")]
    assert any("/static/planner." in src for src in scripts)
    assert any("/static/map." in src for src in scripts)
    assert soup.select_one(".plan-map .guide-map") is not None


def test_the_planner_is_in_english_too(planner_client):
    soup = soup_of(planner_client.get("/en/tours/plan"))
    assert soup.h1.get_text() == "Plan a tour"
    assert soup.select_one("#plan-submit").get_text() == "Plan the tour"
    names = [li["data-name"] for li in soup.select("#plan-sites li")]
    assert "Chèm Communal House (Chèm Temple)" in names


@pytest.mark.parametrize(
    "body",
    [
        {"stops": CITADEL, "start": "75A8", "mode": "walk", "start_time": "08:00"},
        {
            "stops": CITADEL,
            "start": [21.0368, 105.8345],
            "mode": "walk",
            "return_to_start": True,
            "start_time": "07:30",
            "visit_minutes": {"GKQH": 20, "JZ37": 45},
        },
        {"stops": BAC_TU_LIEM, "mode": "bike", "start_time": "13:15"},
        {"stops": BAC_TU_LIEM, "start": "9XT4", "mode": "car", "keep_order": True},
    ],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_permalink_opens_with_the_same_plan_as_the_api(planner_client, body, lang):
    answer = api_plan(planner_client, **body, lang=lang)
    response = planner_client.get(answer["links"]["permalink"])
    assert response.status_code == 200
    soup = soup_of(response)
    result = soup.select_one("#plan-result")
    assert not result.has_attr("hidden")
    same_as_api(timetable(soup, "#plan-result"), answer)
    assert len(result.select("tr.leg")) == len(answer["legs"])
    assert result.select_one("[data-field=note]").get_text() == answer["note"]
    assert result.select_one("[data-field=title]").get_text() == answer["title"]
    duration = result.select_one("[data-field=duration]").get_text()
    assert duration.startswith(f"{answer['start_time']}–{answer['timetable'][-1]['leave']}")
    # Downloads are those of the same plan.
    links = {a["data-link"]: a["href"] for a in result.select("a[data-link]")}
    for kind in ("gpx", "geojson", "qr"):
        assert links[kind] == answer["links"][kind]
    printed = answer["links"]["permalink"].replace("/tours/plan?", "/tours/plan/print?")
    assert links["print"] == printed
    shared = result.select_one("#plan-permalink")["value"]
    # No public address set: the share link is relative (never the request's Host).
    assert shared == answer["links"]["permalink"]
    # The form shows the request, ready to change.
    form = soup.select_one("#plan-form")
    checked = {box["value"] for box in form.select("#plan-sites input[checked]")}
    chosen = [li["data-code"] for li in form.select("#plan-chosen li")]
    start = body.get("start")
    expected = set(body["stops"]) | ({start} if isinstance(start, str) else set())
    assert checked == set(chosen) == expected
    assert form.select_one("input[name=mode][checked]")["value"] == body["mode"]
    assert form.select_one("input[name=start_time]")["value"] == body.get("start_time", "08:00")
    assert form.select_one("input[name=return]").has_attr("checked") == bool(
        body.get("return_to_start")
    )
    assert form.select_one("input[name=order]").has_attr("checked") == bool(body.get("keep_order"))
    selected = form.select_one("#plan-start option[selected]")
    if start is None:
        assert selected is None
    elif isinstance(start, str):
        assert selected["value"] == start
    else:
        assert selected["value"] == f"{start[0]:.6f},{start[1]:.6f}"
    for code, minutes in body.get("visit_minutes", {}).items():
        assert form.select_one(f"input[name='visit.{code}']")["value"] == str(minutes)


def test_the_form_sent_without_its_script_plans_like_the_api(planner_client):
    """Ticked sites come as separate values, minutes as visit.CODE: the plan is the same."""
    answer = api_plan(
        planner_client, stops=["GKQH", "T7BR", "YYDU"], mode="bike", return_to_start=True,
        start_time="09:00", visit_minutes={"T7BR": 45}, lang="en",
    )  # fmt: skip
    response = planner_client.get(
        "/en/tours/plan?q=&kind=&area=&stops=GKQH&stops=T7BR&stops=YYDU"
        "&visit.GKQH=30&visit.T7BR=45&visit.YYDU=&visit.JZ37=90"
        "&start=&mode=bike&start_time=09:00&return=1"
    )
    assert response.status_code == 200
    soup = soup_of(response)
    same_as_api(timetable(soup, "#plan-result"), answer)
    # The link to share is the tidy permalink of the same plan.
    shared = urlsplit(soup.select_one("#plan-permalink")["value"])
    assert shared.path == "/en/tours/plan"
    assert shared.query == answer["query"].replace("&lang=en", "")
    assert parse_qs(shared.query)["visit"] == ["T7BR:45"]


def test_showing_matching_sites_does_not_plan(planner_client):
    response = planner_client.get("/tours/plan?q=dinh+chem&stops=GKQH&action=filter")
    assert response.status_code == 200
    soup = soup_of(response)
    shown = [li["data-code"] for li in soup.select("#plan-sites li:not([hidden])")]
    assert shown == ["Z2HN"]
    assert soup.select_one("#plan-sites input[value=GKQH]").has_attr("checked")
    assert soup.select_one("#plan-error").has_attr("hidden")
    assert soup.select_one("#plan-result").has_attr("hidden")


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("stops=GKQH,QQQQ", "stops[1]", "'QQQQ' is not the code of a published site"),
        ("stops=GKQH", "stops", "pick at least two different sites"),
        ("stops=GKQH,T7BR&mode=boat", "mode", "'boat' is not one of walk, bike, car"),
        ("stops=GKQH,T7BR&start_time=25:00", "start_time", "is not a time as HH:MM"),
        ("stops=GKQH,T7BR&start=10.78,106.70", "start", "outside the catalogue's areas"),
        ("stops=GKQH,T7BR&start=north", "start", "'north' is not the code of a published"),
        ("stops=GKQH,T7BR&return=maybe", "return", "write 1 or 0"),
        ("stops=GKQH,T7BR&visit=GKQH:abc", "visit", "write CODE:minutes"),
        ("stops=GKQH,T7BR&order=random", "order", "write listed"),
        ("start=GKQH", "stops", "pick at least two"),
    ],
)
def test_bad_parameters_get_a_message_on_the_page(planner_client, query, field, words):
    response = planner_client.get(f"/en/tours/plan?{query}")
    assert response.status_code == 400
    soup = soup_of(response)
    error = soup.select_one("#plan-error")
    assert not error.has_attr("hidden")
    assert error["role"] == "alert"
    assert error.get_text().startswith(f"{field}: ")
    assert words in error.get_text()
    # The page is still the planner, with the good part of the request kept.
    assert soup.select_one("form#plan-form") is not None
    assert soup.select_one("#plan-sites input[value=GKQH]").has_attr("checked")
    assert soup.select_one("#plan-result").has_attr("hidden")
    printed = planner_client.get(f"/en/tours/plan/print?{query}")
    assert printed.status_code == 400
    assert words in soup_of(printed).select_one("[role=alert]").get_text()


def test_bad_parameters_are_explained_in_vietnamese(planner_client):
    soup = soup_of(planner_client.get("/tours/plan?stops=GKQH"))
    assert "chọn ít nhất hai địa điểm khác nhau" in soup.select_one("#plan-error").get_text()


def test_opening_hours_warnings_show_in_the_timetable(make_catalogue):
    root = make_catalogue(A, B, C, D)
    planner_client = create_app({"TESTING": True, "GUIDE_SITES": str(root)}).test_client()
    query = "stops=AAAA,BBBB&start=AAAA&start_time=11:20&lang=en"
    answer = planner_client.get(f"/tours/plan.json?{query}").get_json()
    assert answer["warnings"], "the plan should warn that Binh Temple is closed"
    soup = soup_of(planner_client.get(f"/en/tours/plan?{query.replace('&lang=en', '')}"))
    same_as_api(timetable(soup, "#plan-result"), answer)
    box = soup.select_one("#plan-result [data-field=warnings]")
    assert not box.has_attr("hidden")
    assert [li.get_text() for li in box.select("li")] == [w["message"] for w in answer["warnings"]]
    assert "Binh Temple: closed at" in box.get_text()


# ---------------------------------------------------------------- the itinerary


def decode_qr(png: bytes) -> str:
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return result.text


def test_the_itinerary_has_the_route_map_the_timetable_and_the_qr_code():
    planner_client = make_app(GUIDE_BASE_URL="https://ditich.example.vn").test_client()
    answer = api_plan(planner_client, stops=CITADEL, start="75A8", return_to_start=True, lang="vi")
    response = planner_client.get(f"/tours/plan/print?{answer['query']}")
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.h1.get_text() == answer["title"]
    same_as_api(timetable(soup), answer)
    svg = soup.select_one("svg.route-map")
    stops = svg.select("g.stop")
    names = {place["id"]: place["name"] for place in answer["places"]}
    assert [g.title.get_text() for g in stops] == [
        f"{number}. {names[code]}" for number, code in enumerate(answer["order"], start=1)
    ]
    assert [g.select_one("text").get_text() for g in stops] == [
        str(n) for n in range(1, len(stops) + 1)
    ]
    route = svg.select_one("path.route")["d"]
    assert route.count("L") == len(answer["order"])  # the way back closes the round trip
    assert "Quận Ba Đình" in [t.get_text() for t in svg.select("text.area-name")]
    assert soup.select_one(".plan-note").get_text() == answer["note"]
    qr = soup.select_one(".it-qr img")
    assert qr["src"] == answer["links"]["qr"]
    link = decode_qr(planner_client.get(qr["src"]).data)
    assert link == "https://ditich.example.vn" + answer["links"]["permalink"]
    assert soup.select_one(".it-link").get_text() == link


# ---------------------------------------------------------------- curated tours


def test_the_home_page_leads_to_the_tours_and_the_planner(planner_client):
    home = soup_of(planner_client.get("/"))
    link = home.select_one("a[href='/tours']")
    assert link is not None and link.get_text() == "Hành trình"
    tours = planner_client.get("/tours")
    assert tours.status_code == 200
    soup = soup_of(tours)
    listed = {a.get_text(): a["href"] for a in soup.select(".tour-list h2 a")}
    assert listed == {
        "Hoàng thành – Ba Đình": f"/tours/{CITADEL_TOUR}",
        "Hành trình địa chỉ đỏ Bắc Từ Liêm": f"/tours/{BTL_TOUR}",
    }
    assert soup.select_one("a[href='/tours/plan']") is not None
    english = soup_of(planner_client.get("/en/tours"))
    assert "Imperial Citadel – Ba Đình" in [a.get_text() for a in english.select(".tour-list a")]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_curated_tour_page_shows_its_stops_in_order_with_the_timetable(planner_client, lang):
    catalogue = planner_client.application.extensions["guide.catalogue"]
    tour = catalogue.tours[CITADEL_TOUR]
    codes = [catalogue.by_slug(slug).code for slug in tour.stops]
    response = planner_client.get(
        f"/tours/{CITADEL_TOUR}" if lang == "vi" else f"/en/tours/{CITADEL_TOUR}"
    )
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.h1.get_text() == tour.name[lang]
    assert soup.select_one("p.lead").get_text() == tour.description[lang]
    rows = timetable(soup)
    assert [row["id"] for row in rows] == codes
    # Its timetable is the planner's, for the stops as listed.
    answer = api_plan(
        planner_client, stops=codes, start=codes[0], mode=tour.mode, keep_order=True, lang=lang
    )
    same_as_api(rows, answer)
    links = [tr.th.a["href"] for tr in soup.select("table.timetable tr.stop")]
    prefix = "" if lang == "vi" else f"/{lang}"
    assert links == [f"{prefix}/sites/{slug}?tour={CITADEL_TOUR}" for slug in tour.stops]
    assert len(soup.select("svg.route-map g.stop")) == len(codes)
    # Downloads keep the curated order, at a plain address a static host serves too.
    gpx_link = soup.select_one("a[data-link=gpx]")["href"]
    assert gpx_link == f"{prefix}/tours/{CITADEL_TOUR}.gpx"
    gpx = gpxpy.parse(planner_client.get(gpx_link).get_data(as_text=True))
    names = [row["name"] for row in answer["timetable"]]
    assert [w.name for w in gpx.waypoints] == [f"{n}. {name}" for n, name in enumerate(names, 1)]
    planner = soup.find("a", href=answer["links"]["permalink"])
    assert planner is not None
    same_as_api(timetable(soup_of(planner_client.get(planner["href"])), "#plan-result"), answer)


def test_an_unknown_tour_is_not_found(planner_client):
    assert planner_client.get("/tours/nowhere").status_code == 404


# ---------------------------------------------------------------- story pages on a tour


def next_stop_box(planner_client, slug: str, query: str, prefix: str = ""):
    response = planner_client.get(f"{prefix}/sites/{slug}?{query}")
    assert response.status_code == 200
    return soup_of(response).select_one("nav.tour-step")


def expected_leg(
    planner_client, here: str, there: str, detour: float, kmh: float
) -> tuple[int, int]:
    """Return metres and minutes between two sites, computed from their coordinates."""
    catalogue = planner_client.application.extensions["guide.catalogue"]
    a, b = catalogue.by_slug(here), catalogue.by_slug(there)
    metres = distance_m((a.lat, a.lon), (b.lat, b.lon)) * detour
    return round(metres), max(1, round(metres / (kmh * 1000 / 60)))


def test_a_story_page_opened_from_a_tour_shows_the_next_stop(planner_client):
    catalogue = planner_client.application.extensions["guide.catalogue"]
    tour = catalogue.tours[CITADEL_TOUR]
    box = next_stop_box(planner_client, tour.stops[1], f"tour={CITADEL_TOUR}")
    assert box is not None
    where = box.select_one(".tour-step-where")
    assert where.get_text(" ", strip=True).startswith("Điểm dừng 2/6 của hành trình")
    assert where.a["href"] == f"/tours/{CITADEL_TOUR}"
    link = box.select_one(".next-stop a")
    assert link["href"] == f"/sites/{tour.stops[2]}?tour={CITADEL_TOUR}"
    assert link.get_text() == catalogue.by_slug(tour.stops[2]).name["vi"]
    metres, minutes = expected_leg(planner_client, tour.stops[1], tour.stops[2], 1.3, 4.5)
    assert box.select_one(".distance").get_text() == f"{metres} m, đi bộ khoảng {minutes} phút"
    # Following the link keeps the tour.
    following = next_stop_box(planner_client, tour.stops[2], urlsplit(link["href"]).query)
    assert (
        following.select_one(".tour-step-where")
        .get_text(" ", strip=True)
        .startswith("Điểm dừng 3/6")
    )


def test_the_next_stop_of_a_bicycle_tour_in_english(planner_client):
    tour_stops = planner_client.application.extensions["guide.catalogue"].tours[BTL_TOUR].stops
    box = next_stop_box(planner_client, tour_stops[0], f"tour={BTL_TOUR}", "/en")
    metres, minutes = expected_leg(planner_client, tour_stops[0], tour_stops[1], 1.3, 12)
    distance = f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres} m"
    assert box.select_one(".distance").get_text() == (f"{distance}, about {minutes} min by bicycle")
    assert box.select_one(".tour-step-where").get_text(" ", strip=True) == (
        "Stop 1 of 4 on the tour Red addresses of Bắc Từ Liêm"
    )


def test_the_last_stop_says_the_tour_is_complete(planner_client):
    tour = planner_client.application.extensions["guide.catalogue"].tours[CITADEL_TOUR]
    box = next_stop_box(planner_client, tour.stops[-1], f"tour={CITADEL_TOUR}")
    assert box.select_one(".next-stop") is None
    assert box.select_one(".tour-complete").get_text() == (
        "Đây là điểm dừng cuối: bạn đã hoàn thành hành trình."
    )
    english = next_stop_box(planner_client, tour.stops[-1], f"tour={CITADEL_TOUR}", "/en")
    assert english.select_one(".tour-complete").get_text() == (
        "This is the last stop: you have completed the tour."
    )


def test_the_tour_variant_of_a_story_page_is_kept_apart_from_the_plain_page(planner_client):
    """Story pages are cached per address and language: a tour must not leak into them."""
    slug = "doan-mon"
    plain = planner_client.get(f"/sites/{slug}")
    on_tour = planner_client.get(f"/sites/{slug}?tour={CITADEL_TOUR}")
    again = planner_client.get(f"/sites/{slug}")
    assert soup_of(plain).select_one("nav.tour-step") is None
    assert soup_of(on_tour).select_one("nav.tour-step") is not None
    assert soup_of(again).select_one("nav.tour-step") is None
    assert plain.headers["ETag"] == again.headers["ETag"] != on_tour.headers["ETag"]
    other = planner_client.get(f"/en/sites/{slug}?tour={CITADEL_TOUR}")
    assert soup_of(other).select_one(".tour-step-where a").get_text() == (
        "Imperial Citadel – Ba Đình"
    )


@pytest.mark.parametrize("tour", ["nowhere", BTL_TOUR])
def test_a_tour_that_does_not_stop_here_is_said_so(planner_client, tour):
    soup = soup_of(planner_client.get(f"/en/sites/doan-mon?tour={tour}"))
    assert soup.select_one("nav.tour-step") is None
    notice = soup.select_one("article .notice[role=note]")
    assert f"“{tour}” is not a tour that stops here" in notice.get_text()
