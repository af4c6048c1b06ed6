"""Which area a point lies in: inside, on an edge two areas share, and outside them all."""

from __future__ import annotations

import random

import shapely
from conftest import DEFAULT_SITES
from shapely.geometry import Point

from guide.catalogue.geo import Areas


def shipped_areas() -> Areas:
    return Areas.from_geojson(DEFAULT_SITES / "areas.geojson", "level2_id", "name")


def edge_points(areas: Areas) -> list[tuple[float, float]]:
    """Return (lat, lon) of corners of every area's outline: many lie on shared edges."""
    points = []
    for area in areas:
        for polygon in shapely.get_parts(area.geometry):
            points += [(lat, lon) for lon, lat in list(polygon.exterior.coords)[::5]]
    return points


def test_a_point_goes_to_the_area_a_query_of_the_areas_gives():
    areas = shipped_areas()
    listed = list(areas)
    tree = shapely.STRtree([area.geometry for area in listed])
    south, west, north, east = areas.bounds
    rng = random.Random(7)
    points = [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(500)]
    points += edge_points(areas)
    for lat, lon in points:
        point = Point(lon, lat)
        expected = next(
            (listed[int(i)] for i in tree.query(point) if listed[int(i)].geometry.covers(point)),
            None,
        )
        assert areas.locate(lat, lon) is expected, (lat, lon)


def test_a_point_on_an_edge_is_in_an_area_and_one_far_away_in_none():
    areas = shipped_areas()
    for lat, lon in edge_points(areas)[:200]:
        found = areas.locate(lat, lon)
        assert found is not None and found.geometry.covers(Point(lon, lat))
    assert areas.locate(10.77, 106.70) is None  # Hồ Chí Minh City
