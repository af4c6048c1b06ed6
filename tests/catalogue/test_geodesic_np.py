"""The vectorised geodesic gives geographiclib's metres, the same alone or in a batch."""

import random

import numpy as np
from geographiclib.geodesic import Geodesic

from guide.catalogue.geo import distance_matrix_m, pair_m
from guide.catalogue.geodesic_np import metres


def test_metres_agree_with_geographiclib_to_a_micrometre_in_town():
    rng = random.Random(5)
    pairs = [
        (
            rng.uniform(20.5, 21.5),
            rng.uniform(105.3, 106.2),
            rng.uniform(-60, 60),
            rng.uniform(-170, 170),
        )
        for _ in range(500)
    ]
    got = metres(*(np.array(column) for column in zip(*pairs, strict=True)))
    for (lat1, lon1, lat2, lon2), value in zip(pairs, got, strict=True):
        expected = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]
        # A micrometre within the city, a hundredth of a millimetre across continents.
        assert abs(value - expected) < 1e-6 + expected * 1e-11


def test_nearly_antipodal_points_are_measured_too():
    expected = Geodesic.WGS84.Inverse(0.0, 0.0, 0.5, 179.7)["s12"]
    assert abs(pair_m((0.0, 0.0), (0.5, 179.7)) - expected) < 1e-6
    assert pair_m((21.0, 105.8), (21.0, 105.8)) == 0.0


def test_a_pair_has_the_same_figure_alone_and_in_a_matrix_either_way_round():
    rng = random.Random(9)
    points = [(rng.uniform(20.9, 21.2), rng.uniform(105.6, 106.0)) for _ in range(40)]
    matrix = distance_matrix_m(points)
    for i in range(40):
        for j in range(40):
            if i != j:
                assert matrix[i][j] == pair_m(points[i], points[j]) == pair_m(points[j], points[i])
