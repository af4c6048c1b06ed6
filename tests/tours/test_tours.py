"""Tour plans: requests, the timetable, opening-hour warnings, exports and the curated tours."""

from __future__ import annotations

import doctest
import xml.etree.ElementTree as ET

import gpxpy
import pytest
from builders import DEFAULT_SITES
from tour_data import DRAFT, A, B, C, walk_leg

from guide.catalogue.checks import check_catalogue
from guide.catalogue.curated import can_follow, check_tours
from guide.catalogue.geo import distance_m
from guide.catalogue.index import load_catalogue
from guide.tours import plan as tours
from guide.tours import request as tour_requests
from guide.tours.export import plan_geojson, plan_gpx
from guide.tours.plan import next_stop, plan_tour
from guide.tours.request import PlanError, TourRequest, parse_query, parse_request, tour_request


def request(catalogue, **data) -> TourRequest:
    return parse_request(data, catalogue, max_stops=100)


def test_doctests_pass():
    assert doctest.testmod(tours).failed == 0
    assert doctest.testmod(tour_requests).failed == 0


@pytest.mark.parametrize(
    ("stops", "mode", "kind"),
    [
        (["site-a", "site-a"], "walk", "tour.stops"),
        (["site-a", "site-e"], "walk", "tour.unreachable"),
        (["site-a", "site-b"], "boat", "tour.mode"),
    ],
)
def test_guide_check_and_the_tour_pages_agree_on_which_tours_visitors_can_follow(
    make_catalogue, stops, mode, kind
):
    root = make_catalogue(A, B, DRAFT)
    (root / "_tours").mkdir()
    (root / "_tours" / "bad.toml").write_text(
        f'stops = {stops!r}\nmode = "{mode}"\n[name]\nvi = "Hành trình"\n'.replace("'", '"'),
        encoding="utf-8",
    )
    (root / "_tours" / "good.toml").write_text(
        'stops = ["site-a", "site-b"]\n[name]\nvi = "Hành trình tốt"\n', encoding="utf-8"
    )
    catalogue = load_catalogue(root, use_cache=False)
    assert [p.kind for p in check_tours(catalogue)] == [kind]
    assert not can_follow(catalogue.tours["bad"], catalogue)
    assert can_follow(catalogue.tours["good"], catalogue)


def test_timetable_adds_travel_and_visit_minutes(catalogue, travel):
    tour = request(
        catalogue, stops=["AAAA", "BBBB", "CCCC"], start="AAAA", start_time="08:00",
        visit_minutes={"BBBB": 10},
    )  # fmt: skip
    plan = plan_tour(tour, catalogue, travel)
    assert [place.id for place in plan.places] == ["AAAA", "BBBB", "CCCC"]
    ab, bc = walk_leg(A, B), walk_leg(B, C)
    assert [(leg.metres, leg.minutes) for leg in plan.legs] == [ab, bc]
    rows = plan.to_json()["timetable"]
    clock = 8 * 60

    def hhmm(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    expected = []
    for row_id, visit, leg in (("AAAA", 45, None), ("BBBB", 10, ab), ("CCCC", 20, bc)):
        clock += leg[1] if leg else 0
        expected.append((row_id, hhmm(clock), hhmm(clock + visit), visit))
        clock += visit
    assert [(r["id"], r["arrive"], r["leave"], r["visit_minutes"]) for r in rows] == expected
    assert plan.total_m == ab[0] + bc[0]
    assert plan.total_minutes == clock - 8 * 60
    assert plan.travel_minutes == ab[1] + bc[1]
    assert plan.distances == "estimate"
    assert "ước tính" in plan.note("vi")
    assert plan.note("en").startswith("Figures are estimates")


def test_a_site_closed_on_arrival_is_warned_about(catalogue, travel):
    _, minutes = walk_leg(A, B)
    # Leave the first site so as to reach the second at 12:10, in its lunch break.
    tour = request(
        catalogue, stops=["AAAA", "BBBB"], start="AAAA", start_time="08:00",
        visit_minutes={"AAAA": 250 - minutes},
    )  # fmt: skip
    plan = plan_tour(tour, catalogue, travel)
    arrival = plan.to_json()["timetable"][1]
    assert arrival["arrive"] == "12:10"
    assert [w.messages(("vi", "en")) for w in plan.warnings] == [
        {
            "vi": "Đền Bính: đóng cửa lúc 12:10 (giờ mở cửa: 08:00-11:30, 13:30-17:00)",
            "en": "Binh Temple: closed at 12:10 (opening hours: 08:00-11:30, 13:30-17:00)",
        }
    ]
    english = plan_tour(TourRequest(**{**tour.__dict__, "lang": "en"}), catalogue, travel)
    assert english.to_json()["timetable"][1]["warnings"] == [
        "Binh Temple: closed at 12:10 (opening hours: 08:00-11:30, 13:30-17:00)"
    ]
    assert english.to_json()["warnings"][0]["id"] == "BBBB"


def test_a_site_that_closes_during_the_visit_is_warned_about(catalogue, travel):
    _, minutes = walk_leg(A, B)
    tour = request(
        catalogue, stops=["AAAA", "BBBB"], start="AAAA", start_time="10:00",
        visit_minutes={"AAAA": 60 - minutes, "BBBB": 45},
    )  # fmt: skip
    plan = plan_tour(tour, catalogue, travel)
    assert [w.message("en") for w in plan.warnings] == [
        "Binh Temple: closes at 11:30, before the visit ends at 11:45"
    ]
    assert plan.warnings[0].message("vi") == (
        "Đền Bính: đóng cửa lúc 11:30, trước khi kết thúc tham quan lúc 11:45"
    )


def test_no_warning_inside_opening_hours_or_without_them(catalogue, travel):
    tour = request(catalogue, stops=["AAAA", "BBBB", "CCCC"], start="AAAA", start_time="13:00")
    assert plan_tour(tour, catalogue, travel).warnings == []


def test_round_trip_comes_back_to_the_start(catalogue, travel):
    stops = ["AAAA", "BBBB", "CCCC", "DDDD"]
    open_plan = plan_tour(request(catalogue, stops=stops, start="CCCC"), catalogue, travel)
    round_plan = plan_tour(
        request(catalogue, stops=stops, start="CCCC", return_to_start=True), catalogue, travel
    )
    assert len(open_plan.legs) == 3
    assert len(round_plan.legs) == 4
    assert round_plan.legs[-1].end.id == "CCCC"
    last = round_plan.to_json()["timetable"][-1]
    assert last["id"] == "CCCC" and last["return"] is True and last["visit_minutes"] == 0
    assert round_plan.total_m > open_plan.total_m
    assert open_plan.places[0].id == round_plan.places[0].id == "CCCC"


def test_a_round_trip_without_a_start_begins_at_the_first_stop(catalogue, travel):
    plan = plan_tour(
        request(catalogue, stops=["DDDD", "AAAA", "CCCC"], return_to_start=True), catalogue, travel
    )
    assert plan.places[0].id == "DDDD"
    assert plan.legs[-1].end.id == "DDDD"


def test_an_open_tour_without_a_start_begins_where_it_is_shortest(catalogue, travel):
    plan = plan_tour(request(catalogue, stops=["BBBB", "DDDD", "AAAA", "CCCC"]), catalogue, travel)
    shortest = min(
        plan_tour(request(catalogue, stops=["AAAA", "BBBB", "CCCC", "DDDD"], start=code),
                  catalogue, travel).total_m
        for code in ("AAAA", "BBBB", "CCCC", "DDDD")
    )  # fmt: skip
    assert plan.total_m == shortest


def test_a_start_point_is_not_a_visit(catalogue, travel):
    point = [21.0368, 105.8345]
    plan = plan_tour(request(catalogue, stops=["AAAA", "CCCC"], start=point), catalogue, travel)
    data = plan.to_json()
    assert data["order"][0] == "start"
    assert data["places"][0]["name"] == "Điểm xuất phát"
    assert data["places"][0]["code"] is None
    assert data["timetable"][0]["arrive"] == data["timetable"][0]["leave"] == "08:00"
    assert data["legs"][0]["from"] == "start"
    assert sorted(data["order"][1:]) == ["AAAA", "CCCC"]


def test_a_start_site_outside_the_stops_is_visited_first(catalogue, travel):
    plan = plan_tour(request(catalogue, stops=["AAAA", "CCCC"], start="DDDD"), catalogue, travel)
    assert plan.places[0].id == "DDDD"
    assert sorted(p.id for p in plan.places) == ["AAAA", "CCCC", "DDDD"]
    assert plan.timetable[0].leave - plan.timetable[0].arrive == 15


def test_the_plan_does_not_depend_on_the_order_stops_are_listed(catalogue, travel):
    orders = {
        tuple(p.id for p in plan_tour(request(catalogue, stops=s, start="BBBB"), catalogue,
                                      travel).places)
        for s in (["AAAA", "BBBB", "CCCC", "DDDD"], ["DDDD", "CCCC", "BBBB", "AAAA"])
    }  # fmt: skip
    assert len(orders) == 1


def test_stops_are_given_by_code_in_any_case_or_by_slug_and_counted_once(catalogue):
    tour = request(catalogue, stops=["aaaa", "site-b", "AAAA"])
    assert tour.stops == ("AAAA", "BBBB")


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"stops": ["AAAA", "ZZZZ"]}, "stops[1]", "'ZZZZ' is not the code of a published site"),
        ({"stops": ["AAAA", "EEEE"]}, "stops[1]", "'EEEE' is not the code of a published site"),
        ({"stops": ["AAAA", 7]}, "stops[1]", "7 is not a site code"),
        ({"stops": ["AAAA", "AAAA"]}, "stops", "pick at least two different sites"),
        ({"stops": "AAAA,BBBB"}, "stops", "list the site codes"),
        ({"stops": ["AAAA", "BBBB"], "start": [10.8, 106.7]}, "start", "outside the catalogue"),
        ({"stops": ["AAAA", "BBBB"], "start": [105.83, 21.03]}, "start", "swapped"),
        ({"stops": ["AAAA", "BBBB"], "start": [21.03]}, "start", "[lat, lon]"),
        ({"stops": ["AAAA", "BBBB"], "mode": "plane"}, "mode", "not one of walk, bike, car"),
        ({"stops": ["AAAA", "BBBB"], "start_time": "25:00"}, "start_time", "HH:MM"),
        ({"stops": ["AAAA", "BBBB"], "start_time": 800}, "start_time", "HH:MM"),
        ({"stops": ["AAAA", "BBBB"], "return_to_start": "yes"}, "return_to_start", "true or"),
        ({"stops": ["AAAA", "BBBB"], "visit_minutes": {"CCCC": 5}}, "visit_minutes", "CCCC"),
        ({"stops": ["AAAA", "BBBB"], "visit_minutes": {"AAAA": -5}}, "visit_minutes", "0 to"),
        ({"stops": ["AAAA", "BBBB"], "lang": "de"}, "lang", "'de' is not one of vi, en, zh_Hans"),
        (["AAAA", "BBBB"], "body", "send a JSON object"),
    ],
)
def test_bad_requests_name_the_field_and_the_problem(catalogue, data, field, words):
    with pytest.raises(PlanError) as caught:
        parse_request(data, catalogue, max_stops=100)
    assert caught.value.field == field
    assert words in caught.value.message("en")
    assert caught.value.message("vi").startswith(f"{field}: ")
    assert caught.value.message("vi") != caught.value.message("en")


def test_more_stops_than_the_maximum_are_refused(catalogue):
    with pytest.raises(PlanError, match="4 stops is more than the maximum of 3"):
        parse_request({"stops": ["AAAA", "BBBB", "CCCC"], "start": "DDDD"}, catalogue, 3)
    assert parse_request({"stops": ["AAAA", "BBBB", "CCCC"]}, catalogue, 3).stops


def test_query_strings_round_trip(catalogue):
    tour = request(
        catalogue, stops=["CCCC", "AAAA", "BBBB"], start=[21.0368, 105.8345], mode="bike",
        return_to_start=True, start_time="07:45", visit_minutes={"AAAA": 20, "CCCC": 0},
        lang="en",
    )  # fmt: skip
    query = tour.query()
    assert query == (
        "stops=CCCC,AAAA,BBBB&start=21.036800,105.834500&mode=bike&return=1"
        "&start_time=07:45&visit=AAAA:20,CCCC:0&lang=en"
    )
    args = dict(part.split("=", 1) for part in query.split("&"))
    assert parse_query(args, catalogue, 100) == tour


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        ({"stops": "AAAA"}, "stops", "at least two"),
        ({}, "stops", "at least two"),
        ({"stops": "AAAA,BBBB", "visit": "AAAA=20"}, "visit", "CODE:minutes"),
        ({"stops": "AAAA,BBBB", "visit": "CCCC:20"}, "visit", "not one of the tour's stops"),
        ({"stops": "AAAA,BBBB", "return": "maybe"}, "return", "write 1 or 0"),
        ({"stops": "AAAA,BBBB", "start": "21.0,north"}, "start", "lat,lon"),
        ({"stops": "AAAA,BBBB", "start_time": "8h"}, "start_time", "HH:MM"),
        ({"stops": "AAAA,BBBB", "order": "random"}, "order", "write listed"),
    ],
)
def test_bad_query_parameters_are_named(catalogue, args, field, words):
    with pytest.raises(PlanError) as caught:
        parse_query(args, catalogue, 100)
    assert caught.value.field == field
    assert words in caught.value.message("en")


def test_a_tour_may_keep_the_order_its_stops_are_listed_in(catalogue, travel):
    """Organizers who want their own order get it, in the API and in the permalink."""
    listed = ["CCCC", "AAAA", "DDDD", "BBBB"]
    best = plan_tour(request(catalogue, stops=listed, start="CCCC"), catalogue, travel)
    kept = plan_tour(
        request(catalogue, stops=listed, start="CCCC", keep_order=True), catalogue, travel
    )
    assert [p.id for p in kept.places] == listed
    assert [p.id for p in best.places] != listed
    assert kept.total_m > best.total_m
    assert kept.exact is False
    # Without a start the first stop listed is the start.
    unstarted = plan_tour(request(catalogue, stops=listed, keep_order=True), catalogue, travel)
    assert [p.id for p in unstarted.places] == listed
    query = kept.request.query()
    assert "&order=listed&" in query
    args = dict(part.split("=", 1) for part in query.split("&"))
    assert parse_query(args, catalogue, 100) == kept.request
    assert parse_query({**args, "order": "best"}, catalogue, 100).keep_order is False
    assert kept.to_json()["keep_order"] is True


def test_keep_order_must_be_true_or_false(catalogue):
    with pytest.raises(PlanError) as caught:
        request(catalogue, stops=["AAAA", "BBBB"], keep_order="yes")
    assert caught.value.field == "keep_order"


def test_a_curated_tour_request_keeps_its_order():
    catalogue = shipped_tours()
    tour = catalogue.tours["hoang-thanh-ba-dinh"]
    assert tour_request(tour, catalogue).keep_order is True
    assert "order=listed" in tour_request(tour, catalogue).query()


def test_gpx_has_numbered_waypoints_in_order_and_the_route(catalogue, travel):
    tour = request(catalogue, stops=["AAAA", "BBBB", "CCCC"], start="AAAA", lang="en")
    plan = plan_tour(tour, catalogue, travel)
    text = plan_gpx(plan)
    assert ET.fromstring(text).tag == "{http://www.topografix.com/GPX/1/1}gpx"
    gpx = gpxpy.parse(text)
    assert [w.name for w in gpx.waypoints] == [
        f"{n}. {p.name('en')}" for n, p in enumerate(plan.places, 1)
    ]
    assert [(w.latitude, w.longitude) for w in gpx.waypoints] == [
        (p.lat, p.lon) for p in plan.places
    ]
    (route,) = gpx.routes
    assert [(p.latitude, p.longitude) for p in route.points] == [
        (p.lat, p.lon) for p in plan.places
    ]
    vietnamese = gpxpy.parse(plan_gpx(plan, "vi"))
    assert vietnamese.waypoints[0].name == "1. Đình Ất"


def test_geojson_has_the_stops_and_the_route_line(catalogue, travel):
    tour = request(catalogue, stops=["AAAA", "BBBB"], start="CCCC", return_to_start=True)
    plan = plan_tour(tour, catalogue, travel)
    data = plan_geojson(plan)
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    (line,) = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert [f["properties"]["id"] for f in points] == [p.id for p in plan.places]
    assert [f["properties"]["number"] for f in points] == [1, 2, 3]
    assert points[0]["geometry"]["coordinates"] == [C["lon"], C["lat"]]
    assert line["geometry"]["coordinates"][0] == line["geometry"]["coordinates"][-1]
    assert line["properties"]["total_m"] == plan.total_m


# ---------------------------------------------------------------- curated tours


def shipped_tours():
    return load_catalogue(DEFAULT_SITES)


def test_the_curated_tours_ship_with_the_catalogue():
    catalogue = shipped_tours()
    btl = catalogue.tours["hanh-trinh-dia-chi-do-bac-tu-liem"]
    assert btl.name["vi"] == "Hành trình địa chỉ đỏ Bắc Từ Liêm"
    assert {catalogue.by_slug(slug).area for slug in btl.stops} == {"021"}
    published_021 = {s.slug for s in catalogue.filter(status="published", area="021")}
    assert set(btl.stops) == published_021
    citadel = catalogue.tours["hoang-thanh-ba-dinh"]
    assert citadel.name["vi"] == "Hoàng thành – Ba Đình"
    assert {catalogue.by_slug(slug).area for slug in citadel.stops} == {"001"}
    for tour in (btl, citadel):
        assert tour.description["vi"] and tour.description["en"]
    assert check_tours(catalogue) == []
    assert [p for p in check_catalogue(catalogue) if p.level == "error"] == []


def test_curated_tours_are_listed_in_their_shortest_order(travel):
    """Each tour's stops are the planner's best open order, so following them is short."""
    catalogue = shipped_tours()
    for tour in catalogue.tours.values():
        codes = tuple(catalogue.by_slug(slug).code for slug in tour.stops)
        best = plan_tour(TourRequest(stops=codes, mode=tour.mode), catalogue, travel)
        listed = plan_tour(tour_request(tour, catalogue), catalogue, travel, keep_order=True)
        assert [p.site.slug for p in listed.places] == tour.stops
        assert listed.total_m == best.total_m


def test_next_stop_of_a_curated_tour(travel):
    catalogue = shipped_tours()
    tour = catalogue.tours["hoang-thanh-ba-dinh"]
    site, metres, minutes = next_stop(tour, tour.stops[1], catalogue, travel)
    assert site.slug == tour.stops[2]
    here = catalogue.by_slug(tour.stops[1])
    expected = distance_m((here.lat, here.lon), (site.lat, site.lon)) * 1.3
    assert metres == round(expected)
    assert minutes >= 1
    assert next_stop(tour, tour.stops[-1], catalogue, travel) is None
    assert next_stop(tour, "dinh-chem", catalogue, travel) is None


def test_guide_check_reports_a_curated_tour_visitors_cannot_follow(make_catalogue, runner):
    from guide.cli import main

    root = make_catalogue(A, B, DRAFT)
    (root / "_tours").mkdir()
    (root / "_tours" / "broken.toml").write_text(
        'stops = ["site-a", "site-e"]\nmode = "plane"\n[name]\nvi = "Hỏng"\n', encoding="utf-8"
    )
    result = runner.invoke(main, ["check", "--sites", str(root)])
    assert result.exit_code == 1
    assert "broken.toml: mode: 'plane' is not one of walk, bike, car" in result.output
    assert "broken.toml: stops[1]: 'site-e' is not a published site" in result.output


def test_guide_check_passes_on_the_shipped_catalogue(runner):
    from guide.cli import main

    result = runner.invoke(main, ["check", "--sites", str(DEFAULT_SITES)])
    assert result.exit_code == 0, result.output
