"""The route map drawn as SVG: stops in place and in order, areas clipped, a true scale bar."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from guide.catalogue.geo import distance_m
from guide.render.routemap import RouteStop, route_svg

# The Flag Tower, Đoan Môn, the North Gate and Ba Đình Square.
STOPS = [
    RouteStop(21.0325, 105.83972, "1", "Cột cờ Hà Nội"),
    RouteStop(21.035257, 105.840252, "2", "Đoan Môn"),
    RouteStop(21.040555, 105.841032, "3", "Cửa Bắc"),
    RouteStop(21.036987, 105.835803, "4", "Quảng trường <Ba Đình>"),
]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def parse(svg: str) -> BeautifulSoup:
    return BeautifulSoup(svg, "html.parser").svg


def points_of(svg) -> list[tuple[float, float]]:
    return [(float(c["cx"]), float(c["cy"])) for c in svg.select("g.stop circle")]


def route_points(svg) -> list[tuple[float, float]]:
    values = [float(v) for v in NUMBER.findall(svg.select_one("path.route")["d"])]
    return list(zip(values[::2], values[1::2], strict=True))


def test_stops_are_drawn_in_place_numbered_and_named(areas):
    svg = parse(route_svg(STOPS, areas, title="Hoàng thành"))
    width, height = (float(v) for v in svg["viewbox"].split()[2:])
    points = points_of(svg)
    assert all(0 < x < width and 0 < y < height for x, y in points)
    # North is up and east is right: the North Gate is above and right of the Flag Tower.
    assert points[2][1] < points[0][1] and points[2][0] > points[0][0]
    # Ba Đình Square lies west of the others.
    assert points[3][0] == min(x for x, _ in points)
    assert [g.select_one("text").get_text() for g in svg.select("g.stop")] == ["1", "2", "3", "4"]
    assert svg.select("g.stop title")[3].get_text() == "4. Quảng trường <Ba Đình>"
    assert svg.title.get_text() == "Hoàng thành"
    assert svg["role"] == "img"


def test_distances_keep_their_proportions(areas):
    """One unit is the same length east-west as north-south (no squashed map)."""
    svg = parse(route_svg(STOPS, areas, title="x"))
    points = points_of(svg)
    ratios = []
    for i, j in [(0, 2), (0, 3), (1, 3), (2, 3)]:
        metres = distance_m((STOPS[i].lat, STOPS[i].lon), (STOPS[j].lat, STOPS[j].lon))
        units = ((points[i][0] - points[j][0]) ** 2 + (points[i][1] - points[j][1]) ** 2) ** 0.5
        ratios.append(units / metres)
    assert max(ratios) / min(ratios) == pytest.approx(1, abs=0.01)


def test_the_route_joins_the_stops_in_order_and_a_round_trip_comes_back(areas):
    open_svg = parse(route_svg(STOPS, areas, title="x"))
    assert route_points(open_svg) == points_of(open_svg)
    closed_svg = parse(route_svg(STOPS, areas, closed=True, title="x"))
    assert route_points(closed_svg) == [*points_of(closed_svg), points_of(closed_svg)[0]]
    assert len(closed_svg.select("polygon.arrow")) >= 3


def test_the_areas_around_the_route_are_clipped_and_named(areas):
    svg = parse(route_svg(STOPS, areas, title="x"))
    names = [t.get_text() for t in svg.select("text.area-name")]
    assert "Quận Ba Đình" in names
    assert "Huyện Sóc Sơn" not in names  # far to the north
    width, height = (float(v) for v in svg["viewbox"].split()[2:])
    for path in svg.select("path.area, path.boundary"):
        values = [float(v) for v in NUMBER.findall(path["d"])]
        xs, ys = values[::2], values[1::2]
        assert min(xs) >= -0.5 and max(xs) <= width + 0.5
        assert min(ys) >= -0.5 and max(ys) <= height + 0.5


def test_the_scale_bar_is_true(areas):
    svg = parse(route_svg(STOPS, areas, title="x"))
    label = svg.select_one("g.scale text").get_text()
    number, unit = label.split()
    metres = float(number) * (1000 if unit == "km" else 1)
    bar = [float(v) for v in NUMBER.findall(svg.select_one("g.scale path")["d"])]
    length = bar[-2] - bar[0]  # "M x y V y H x2 V y": from x to x2
    points = points_of(svg)
    across = distance_m((STOPS[0].lat, STOPS[0].lon), (STOPS[2].lat, STOPS[2].lon))
    units = ((points[0][0] - points[2][0]) ** 2 + (points[0][1] - points[2][1]) ** 2) ** 0.5
    assert length / metres == pytest.approx(units / across, rel=0.01)


def test_one_stop_or_no_areas_still_make_a_map():
    svg = parse(route_svg(STOPS[:1], title="x"))
    assert len(svg.select("g.stop")) == 1
    assert svg.select_one("path.route") is None
    with pytest.raises(ValueError, match="at least one stop"):
        route_svg([], title="x")


def test_a_start_point_is_drawn_apart_from_the_sites():
    stops = [RouteStop(21.0368, 105.8345, "1", "Điểm xuất phát", is_point=True), *STOPS[1:]]
    svg = parse(route_svg(stops, title="x"))
    assert [g["class"] for g in svg.select("g.stop")] == [["stop", "point"], *[["stop"]] * 3]


def test_the_areas_are_named_in_the_pages_language(areas):
    svg = parse(route_svg(STOPS, areas, title="x", language="en"))
    names = [t.get_text() for t in svg.select("text.area-name")]
    assert "Ba Đình District" in names and "Quận Ba Đình" not in names
