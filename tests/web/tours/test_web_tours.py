"""The tour planner over HTTP: the JSON API, the permalink's downloads and its QR code."""

from __future__ import annotations

import io
import json
from urllib.parse import urlsplit

import gpxpy
import pytest
import zxingcpp
from browsing import RoutingServer, closed_port
from PIL import Image
from tour_data import BAC_TU_LIEM, CITADEL, A, B, C, D, make_app, walk_leg

from guide import create_app


def plan(planner_client, **body):
    response = planner_client.post("/api/tours/plan", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def same_plan(a: dict, b: dict) -> None:
    for key in ("order", "legs", "total_m", "total_minutes", "timetable", "warnings"):
        assert a[key] == b[key], key


def test_the_api_plans_a_tour(planner_client):
    data = plan(planner_client, stops=CITADEL, start="75A8", mode="walk", start_time="08:00")
    assert data["order"][0] == "75A8"
    assert sorted(data["order"]) == sorted(CITADEL)
    assert [leg["from"] for leg in data["legs"]] == data["order"][:-1]
    assert [leg["to"] for leg in data["legs"]] == data["order"][1:]
    assert data["total_m"] == sum(leg["metres"] for leg in data["legs"])
    assert all(leg["metres"] > 0 and leg["minutes"] >= 1 for leg in data["legs"])
    assert [row["id"] for row in data["timetable"]] == data["order"]
    assert data["timetable"][0]["arrive"] == "08:00"
    assert data["exact"] is True
    assert data["distances"] == "estimate"
    assert data["timetable"][0]["name"] == "Quảng trường Ba Đình"


def test_the_start_may_be_one_of_the_stops_or_not(planner_client):
    inside = plan(planner_client, stops=BAC_TU_LIEM, start="Z2HN")
    assert inside["order"][0] == "Z2HN" and len(inside["order"]) == 4
    outside = plan(planner_client, stops=BAC_TU_LIEM[1:], start="Z2HN")
    assert outside["order"][0] == "Z2HN" and len(outside["order"]) == 4
    point = plan(planner_client, stops=BAC_TU_LIEM, start=[21.06, 105.78])
    assert point["order"][0] == "start" and len(point["order"]) == 5


def test_names_follow_the_language(planner_client):
    data = plan(planner_client, stops=BAC_TU_LIEM, start="Z2HN", lang="en")
    assert data["timetable"][0]["name"] == "Chèm Communal House (Chèm Temple)"
    assert data["note"].startswith("Figures are estimates")


def test_round_trip_over_the_api(planner_client):
    open_tour = plan(planner_client, stops=BAC_TU_LIEM, start="Z2HN", mode="bike")
    round_trip = plan(
        planner_client, stops=BAC_TU_LIEM, start="Z2HN", mode="bike", return_to_start=True
    )
    assert len(round_trip["legs"]) == len(open_tour["legs"]) + 1
    assert round_trip["legs"][-1]["to"] == "Z2HN"
    assert round_trip["timetable"][-1]["return"] is True
    assert round_trip["total_m"] > open_tour["total_m"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"stops": ["GKQH", "QQQQ"]}, "stops[1]", "'QQQQ' is not the code of a published site"),
        ({"stops": ["GKQH"]}, "stops", "1 stop(s): pick at least two different sites"),
        ({"stops": []}, "stops", "pick at least two"),
        ({"stops": CITADEL, "start": [10.78, 106.70]}, "start", "outside the catalogue's areas"),
        ({"stops": CITADEL, "mode": "boat"}, "mode", "'boat' is not one of walk, bike, car"),
        ({"stops": CITADEL, "start_time": "8 giờ"}, "start_time", "is not a time as HH:MM"),
        ({"stops": CITADEL, "return_to_start": 1}, "return_to_start", "write true or false"),
    ],
)
def test_bad_requests_get_400_naming_the_problem(planner_client, body, field, words):
    response = planner_client.post("/api/tours/plan", json={**body, "lang": "en"})
    assert response.status_code == 400
    error = response.get_json()
    assert error["field"] == field
    assert words in error["error"]
    assert error["messages"]["vi"].startswith(f"{field}: ")


def test_errors_are_in_vietnamese_by_default(planner_client):
    response = planner_client.post("/api/tours/plan", json={"stops": ["GKQH"]})
    assert response.status_code == 400
    assert "chọn ít nhất hai địa điểm" in response.get_json()["error"]


def test_more_stops_than_the_maximum_get_400():
    planner_client = make_app(GUIDE_TOUR_MAX_STOPS=5).test_client()
    response = planner_client.post("/api/tours/plan", json={"stops": CITADEL, "lang": "en"})
    assert response.status_code == 400
    assert "6 stops is more than the maximum of 5" in response.get_json()["error"]
    assert planner_client.post("/api/tours/plan", json={"stops": CITADEL[:5]}).status_code == 200


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ('{"stops": ["GKQH", "T7BR"', "is not valid JSON"),
        ("", "is not valid JSON"),
        ('["GKQH", "T7BR"]', "send a JSON object"),
    ],
)
def test_malformed_json_gets_400(planner_client, raw, words):
    response = planner_client.post("/api/tours/plan", data=raw, content_type="application/json")
    assert response.status_code == 400
    error = response.get_json()
    assert error["field"] == "body"
    assert words in error["messages"]["en"]


def test_the_permalink_reproduces_the_posted_plan(planner_client):
    body = {
        "stops": CITADEL,
        "start": [21.0368, 105.8345],
        "mode": "walk",
        "return_to_start": True,
        "start_time": "07:30",
        "visit_minutes": {"GKQH": 20, "JZ37": 45},
        "lang": "en",
    }
    posted = plan(planner_client, **body)
    links = posted["links"]
    # An English plan opens on the English planner page.
    assert urlsplit(links["permalink"]).path == "/en/tours/plan"
    fetched = planner_client.get(links["json"])
    assert fetched.status_code == 200
    same_plan(fetched.get_json(), posted)
    # Written by hand, in another order and letter case, the same link gives the same plan.
    by_hand = planner_client.get(
        "/tours/plan.json?stops=75a8,36K5,JZ37,YYDU,T7BR,GKQH&start=21.0368,105.8345"
        "&mode=walk&return=1&start_time=07:30&visit=JZ37:45,GKQH:20&lang=en"
    )
    same_plan(by_hand.get_json(), posted)


def test_the_permalink_of_a_large_tour_reproduces_the_plan(planner_client):
    """Above the exact limit the heuristic plans it, still the same each time."""
    catalogue = planner_client.application.extensions["guide.catalogue"]
    codes = [site.code for site in catalogue.published()][:30]
    posted = plan(planner_client, stops=codes, mode="car", return_to_start=True)
    assert posted["exact"] is False
    same_plan(planner_client.get(posted["links"]["json"]).get_json(), posted)


def test_gpx_download_has_the_stops_in_order(planner_client):
    posted = plan(planner_client, stops=BAC_TU_LIEM, start="Z2HN", mode="bike", lang="en")
    response = planner_client.get(posted["links"]["gpx"])
    assert response.status_code == 200
    assert response.mimetype == "application/gpx+xml"
    assert "attachment" in response.headers["Content-Disposition"]
    gpx = gpxpy.parse(response.get_data(as_text=True))
    assert gpx.version == "1.1"
    names = [row["name"] for row in posted["timetable"]]
    assert [w.name for w in gpx.waypoints] == [f"{n}. {name}" for n, name in enumerate(names, 1)]
    places = {p["id"]: (p["lat"], p["lon"]) for p in posted["places"]}
    (route,) = gpx.routes
    assert [(p.latitude, p.longitude) for p in route.points] == [
        places[code] for code in posted["order"]
    ]
    vietnamese = gpxpy.parse(
        planner_client.get(posted["links"]["gpx"].replace("lang=en", "lang=vi")).data
    )
    assert vietnamese.waypoints[0].name == "1. Đình Chèm (Đền Chèm, đền Lý Hiệu Úy)"


def test_geojson_download_matches_the_plan(planner_client):
    posted = plan(planner_client, stops=CITADEL, start="GKQH")
    response = planner_client.get(posted["links"]["geojson"])
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    data = json.loads(response.get_data(as_text=True))
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    assert [f["properties"]["code"] for f in points] == posted["order"]
    line = next(f for f in data["features"] if f["geometry"]["type"] == "LineString")
    assert line["properties"]["total_m"] == posted["total_m"]


@pytest.mark.parametrize("suffix", ["json", "gpx", "geojson", "qr.png"])
def test_bad_permalinks_get_400_naming_the_parameter(planner_client, suffix):
    response = planner_client.get(f"/tours/plan.{suffix}?stops=GKQH,QQQQ&lang=en")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    if suffix in ("json", "geojson"):
        text = response.get_json()["error"]
    assert "stops[1]: 'QQQQ' is not the code of a published site" in text


def decode_qr(png: bytes) -> str:
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return result.text


def test_the_qr_code_holds_the_permalink_on_the_public_address():
    planner_client = make_app(GUIDE_BASE_URL="https://ditich.example.vn").test_client()
    posted = plan(planner_client, stops=BAC_TU_LIEM, start="Z2HN", mode="bike")
    response = planner_client.get(posted["links"]["qr"])
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    text = decode_qr(response.data)
    assert text == "https://ditich.example.vn" + posted["links"]["permalink"]
    scanned = urlsplit(text)
    same_plan(planner_client.get(f"{scanned.path}.json?{scanned.query}").get_json(), posted)


def test_without_a_public_address_no_qr_code_is_made_from_the_request_host(planner_client):
    posted = plan(planner_client, stops=CITADEL)
    response = planner_client.get(posted["links"]["qr"], base_url="http://192.168.1.20:5000")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert "GUIDE_BASE_URL" in response.get_data(as_text=True)


def test_opening_hours_warnings_come_through_the_api(make_catalogue):
    root = make_catalogue(A, B, C, D)
    planner_client = create_app({"TESTING": True, "GUIDE_SITES": str(root)}).test_client()
    _, minutes = walk_leg(A, B)
    data = plan(
        planner_client, stops=["AAAA", "BBBB"], start="AAAA", start_time="08:00",
        visit_minutes={"AAAA": 250 - minutes}, lang="en",
    )  # fmt: skip
    assert data["timetable"][1]["arrive"] == "12:10"
    assert data["timetable"][1]["warnings"] == [
        "Binh Temple: closed at 12:10 (opening hours: 08:00-11:30, 13:30-17:00)"
    ]
    assert data["warnings"][0]["messages"]["vi"].startswith("Đền Bính: đóng cửa lúc 12:10")


def test_a_routing_server_gives_road_distances_and_a_dead_one_changes_nothing(planner_client):
    stops = BAC_TU_LIEM[:3]
    catalogue = planner_client.application.extensions["guide.catalogue"]
    by_point = {f"{s.lon:.6f},{s.lat:.6f}": s.code for s in map(catalogue.by_code, stops)}
    # Roads that make the nearer site (9XT4) the longer way round from Z2HN.
    road = {("Z2HN", "9XT4"): 9000, ("Z2HN", "8S2D"): 5000, ("9XT4", "8S2D"): 1900}

    def reply(path: str):
        points = [by_point[p] for p in path.split("/")[-1].split("?")[0].split(";")]
        table = [[road.get((a, b)) or road.get((b, a)) or 0 for b in points] for a in points]
        return 200, {"code": "Ok", "distances": table}

    with RoutingServer(reply) as server:
        road_client = make_app(GUIDE_ROUTING_URL=server.url).test_client()
        data = plan(road_client, stops=stops, start="Z2HN")
        english = plan(road_client, stops=stops, start="Z2HN", lang="en")
        assert server.paths[0].startswith("/table/v1/foot/105.774237,21.094072;")
    assert data["distances"] == "road"
    assert data["order"] == ["Z2HN", "8S2D", "9XT4"]
    assert [leg["metres"] for leg in data["legs"]] == [5000, 1900]
    assert "road distances from the routing server" in english["note"]

    estimated = plan(planner_client, stops=stops, start="Z2HN")
    assert estimated["order"] == ["Z2HN", "9XT4", "8S2D"]
    dead = make_app(GUIDE_ROUTING_URL=f"http://127.0.0.1:{closed_port()}").test_client()
    fallback = plan(dead, stops=stops, start="Z2HN")
    assert fallback["distances"] == "estimate"
    same_plan(fallback, estimated)


def disposition(response) -> dict[str, str]:
    """Return the parameters of a Content-Disposition header, filename* decoded (RFC 5987)."""
    from urllib.parse import unquote

    kind, *parts = [part.strip() for part in response.headers["Content-Disposition"].split(";")]
    params = dict(part.split("=", 1) for part in parts)
    params["filename"] = params["filename"].strip('"')
    charset, _language, value = params["filename*"].split("'", 2)
    assert kind == "attachment" and charset == "UTF-8"
    params["filename*"] = unquote(value, encoding=charset)
    return params


@pytest.mark.parametrize("suffix", ["gpx", "geojson"])
def test_tour_files_are_named_after_the_tour(planner_client, suffix):
    posted = plan(planner_client, stops=BAC_TU_LIEM, start="Z2HN", mode="bike", lang="vi")
    response = planner_client.get(posted["links"][suffix])
    assert response.headers["Content-Disposition"].startswith("attachment;")
    params = disposition(response)
    title = gpxpy.parse(planner_client.get(posted["links"]["gpx"]).data).name
    assert "Đình Chèm" in title
    # The ASCII name for old clients, the title with its diacritics for the others.
    ascii_name = params["filename"]
    assert ascii_name.isascii() and ascii_name.endswith(f".{suffix}")
    assert ascii_name != f"tour.{suffix}" and "dinh-chem" in ascii_name
    assert all(c.isalnum() or c in "-." for c in ascii_name)
    assert params["filename*"] == f"{title}.{suffix}".replace(":", " ").replace("  ", " ")
