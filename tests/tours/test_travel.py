"""Travel distances: estimates from geodesic metres, and road distances from a routing server."""

from __future__ import annotations

from typing import Any

import pytest
from browsing import RoutingServer, closed_port
from builders import DEFAULT_SITES
from tour_data import ROAD

from guide import settings
from guide.catalogue.geo import distance_m
from guide.tours.travel import Travel

# Đình Chèm, Nhà lưu niệm Văn Tiến Dũng, Đài tưởng niệm liệt sĩ Cổ Nhuế.
POINTS = [(21.094072, 105.774237), (21.061514, 105.776769), (21.054724, 105.787196)]


def travel(**overrides: Any) -> Travel:
    return Travel.from_settings(settings.resolve(overrides))


def test_estimates_are_geodesic_metres_times_the_detour_factor():
    model = travel(GUIDE_WALK_DETOUR=1.25, GUIDE_CAR_DETOUR=1.5)
    walk, source = model.matrix(POINTS, "walk")
    assert source == "estimate"
    assert walk[0][1] == pytest.approx(distance_m(POINTS[0], POINTS[1]) * 1.25)
    assert walk[1][0] == walk[0][1]
    assert walk[2][2] == 0
    car, _ = model.matrix(POINTS, "car")
    assert car[0][2] == pytest.approx(distance_m(POINTS[0], POINTS[2]) * 1.5)


def test_minutes_follow_the_speed_of_each_mode():
    model = travel(GUIDE_WALK_SPEED_KMH=4.5, GUIDE_BIKE_SPEED_KMH=12.0, GUIDE_CAR_SPEED_KMH=20.0)
    assert model.minutes(4500, "walk") == 60
    assert model.minutes(4500, "bike") == 22
    assert model.minutes(10_000, "car") == 30
    assert model.minutes(10, "walk") == 1
    assert model.minutes(0, "walk") == 0


def test_road_distances_come_from_the_routing_server(osrm):
    model = travel(GUIDE_ROUTING_URL=osrm.url)
    matrix, source = model.matrix(POINTS, "walk")
    assert source == "road"
    assert matrix == ROAD
    path = osrm.paths[0]
    # OSRM wants lon,lat pairs and the profile of the mode.
    assert path.startswith("/table/v1/foot/105.774237,21.094072;105.776769,21.061514;")
    assert "annotations=distance" in path
    model.matrix(POINTS, "car")
    assert osrm.paths[1].startswith("/table/v1/car/")


def test_a_server_per_mode_is_named_in_the_address(osrm):
    model = travel(GUIDE_ROUTING_URL=osrm.url + "/{mode}")
    _, source = model.matrix(POINTS, "bike")
    assert source == "road"
    assert osrm.paths[0].startswith("/bike/table/v1/bike/")


def test_pairs_without_a_road_are_estimated():
    table = [[0, None, 7300], [5150, 0, 1900], [7250, 1880, 0]]
    with RoutingServer(lambda path: (200, {"code": "Ok", "distances": table})) as server:
        matrix, source = travel(GUIDE_ROUTING_URL=server.url).matrix(POINTS, "walk")
    assert source == "road"
    assert matrix[1][0] == 5150
    assert matrix[0][1] == pytest.approx(distance_m(POINTS[0], POINTS[1]) * 1.3)


def test_a_closed_port_falls_back_to_estimates(caplog):
    model = travel(GUIDE_ROUTING_URL=f"http://127.0.0.1:{closed_port()}")
    matrix, source = model.matrix(POINTS, "walk")
    assert source == "estimate"
    assert matrix == travel().estimate(POINTS, "walk")
    assert "routing server failed" in caplog.text


@pytest.mark.parametrize(
    "reply",
    [
        (200, {"code": "InvalidQuery", "message": "Query string malformed"}),
        (400, {"code": "TooBig"}),
        (200, {"code": "Ok", "distances": [[0, 1]]}),
        (200, b"<html>gateway error</html>"),
        (500, b""),
    ],
    ids=["error-code", "http-400", "wrong-shape", "not-json", "http-500"],
)
def test_a_broken_server_falls_back_to_estimates(reply):
    with RoutingServer(lambda path: reply) as server:
        matrix, source = travel(GUIDE_ROUTING_URL=server.url).matrix(POINTS, "walk")
        assert server.paths  # it was asked
    assert source == "estimate"
    assert matrix == travel().estimate(POINTS, "walk")


def test_a_slow_server_falls_back_after_the_timeout():
    slow = RoutingServer(lambda path: (200, {"code": "Ok", "distances": ROAD}), delay_s=1.0)
    with slow:
        model = travel(GUIDE_ROUTING_URL=slow.url, GUIDE_ROUTING_TIMEOUT_S=0.1)
        matrix, source = model.matrix(POINTS, "walk")
    assert source == "estimate"
    assert matrix[0][1] == pytest.approx(distance_m(POINTS[0], POINTS[1]) * 1.3)


def test_nearby_sites_and_the_next_stop_agree_on_the_walk_between_the_same_pair(app):
    """A story page shows one walking figure for a pair, whichever part of it shows it."""
    from guide.catalogue.index import load_catalogue
    from guide.tours.plan import next_stop
    from guide.web.public.story import nearby_sites

    catalogue = load_catalogue(DEFAULT_SITES)
    travel = Travel.from_settings(app.config)
    assert not travel.routing_url
    compared = 0
    with app.app_context():
        for tour in catalogue.tours.values():
            if tour.mode != "walk":
                continue  # nearby sites are always a walk away
            for slug in tour.stops[:-1]:
                there, metres, minutes = next_stop(tour, slug, catalogue, travel)
                for near in nearby_sites(catalogue, catalogue.by_slug(slug)):
                    if near.site.slug == there.slug:
                        assert (near.metres, near.minutes) == (metres, minutes)
                        compared += 1
    assert compared
