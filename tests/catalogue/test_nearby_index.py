"""The numpy nearby index finds exactly the points a full geodesic scan finds, in its order."""

import random

import pytest
from geographiclib.geodesic import Geodesic

from guide.catalogue.nearby import Nearby, NearIndex


def scan(points, lat, lon, radius):
    measured = [
        (Geodesic.WGS84.Inverse(lat, lon, a, b)["s12"], p) for p, (a, b) in enumerate(points)
    ]
    return sorted((m, p) for m, p in measured if m <= radius)


@pytest.mark.parametrize("radius", [30, 1500, 50_000])
def test_points_a_millimetre_either_side_of_the_radius_are_told_apart(radius):
    centre = (21.03, 105.85)
    rng = random.Random(radius)
    points = []
    for _ in range(60):
        azimuth = rng.uniform(-180, 180)
        for offset in (-0.001, 0.001):
            line = Geodesic.WGS84.Direct(*centre, azimuth, radius + offset)
            points.append((line["lat2"], line["lon2"]))
    index = NearIndex(points)
    positions = list(range(len(points)))
    found = Nearby(positions, index.points, index.query(*centre, radius), *centre)
    expected = scan(points, *centre, radius)
    assert len(found) == 60
    # Every point found is within the radius, nearest first (points at the same
    # distance, to the nanometre, may come in either order).
    assert sorted(p for p, _ in found) == sorted(p for _, p in expected)
    assert [round(m, 6) for _, m in found] == [round(m, 6) for m, _ in expected]


def test_random_queries_match_a_full_scan():
    rng = random.Random(3)
    points = [(rng.uniform(20.95, 21.1), rng.uniform(105.72, 105.92)) for _ in range(800)]
    index = NearIndex(points)
    for _ in range(30):
        lat, lon = rng.uniform(20.95, 21.1), rng.uniform(105.72, 105.92)
        radius = rng.choice([100, 1500, 4000])
        found = Nearby(list(range(800)), index.points, index.query(lat, lon, radius), lat, lon)
        assert [(p, round(m, 6)) for p, m in found] == [
            (p, round(m, 6)) for m, p in scan(points, lat, lon, radius)
        ]


def test_an_empty_index_and_a_slice_of_results():
    assert len(NearIndex([]).query(21.0, 105.8, 1000)) == 0
    points = [(21.0, 105.8), (21.001, 105.8), (21.002, 105.8)]
    index = NearIndex(points)
    found = Nearby(["a", "b", "c"], index.points, index.query(21.0, 105.8, 500), 21.0, 105.8)
    assert [item for item, _ in found[:2]] == ["a", "b"]
    assert found[-1][0] == "c" and found[0][1] == 0.0
    with pytest.raises(IndexError):
        found[3]


def test_radius_zero_finds_only_points_at_the_place_in_the_order_given():
    points = [(21.0, 105.8), (21.0000001, 105.8), (21.0, 105.8), (21.001, 105.8)]
    index = NearIndex(points)
    assert list(index.query(21.0, 105.8, 0)) == [0, 2]
    assert list(index.query(21.0, 105.8, -1)) == []
    assert list(NearIndex([]).query(21.0, 105.8, 0)) == []


def test_sites_at_the_same_spot_come_in_the_order_given():
    points = [(21.002, 105.8), (21.001, 105.8), (21.002, 105.8), (21.001, 105.8)]
    index = NearIndex(points)
    assert list(index.query(21.0, 105.8, 500)) == [1, 3, 0, 2]


@pytest.mark.parametrize(
    ("centre", "radius"),
    [
        ((89.999, 0.0), 5000),
        ((-89.9995, 120.0), 2000),
        ((0.0, 179.999), 3000),
        ((10.0, -179.9995), 1500),
        ((21.03, 105.85), 25_000),
    ],
)
def test_near_the_poles_across_the_antimeridian_and_far_the_answer_is_a_full_scan(centre, radius):
    rng = random.Random(f"{centre}{radius}")
    points = []
    for _ in range(150):
        line = Geodesic.WGS84.Direct(*centre, rng.uniform(-180, 180), rng.uniform(0, 2 * radius))
        points.append((line["lat2"], line["lon2"]))
    index = NearIndex(points)
    found = Nearby(list(range(150)), index.points, index.query(*centre, radius), *centre)
    expected = scan(points, *centre, radius)
    assert 0 < len(expected) < 150
    assert [(p, round(m, 6)) for p, m in found] == [(p, round(m, 6)) for m, p in expected]


def test_a_dense_town_matches_a_full_scan_at_every_radius():
    rng = random.Random(5)
    points = [(rng.uniform(21.0, 21.02), rng.uniform(105.84, 105.86)) for _ in range(3000)]
    # Exact repeats, as when two plaques share a building.
    points += points[:50]
    index = NearIndex(points)
    positions = list(range(len(points)))
    for radius in (0.5, 40, 700, 1500):
        lat, lon = rng.uniform(21.0, 21.02), rng.uniform(105.84, 105.86)
        found = Nearby(positions, index.points, index.query(lat, lon, radius), lat, lon)
        assert [(round(m, 6), p) for p, m in found] == [
            (round(m, 6), p) for m, p in scan(points, lat, lon, radius)
        ]
