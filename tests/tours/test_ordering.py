"""Visiting orders: the exact solver against brute force, the heuristic against greedy tours."""

from __future__ import annotations

import doctest
import itertools
import math
import random

import pytest

from guide.tours import ordering
from guide.tours.ordering import (
    EXACT_LIMIT,
    best_order,
    exact_order,
    nearest_neighbour,
    path_cost,
)


def random_matrix(rng: random.Random, n: int, symmetric: bool = True) -> list[list[float]]:
    """Return street-like costs between n random points: straight lines with detours."""
    points = [(rng.uniform(0, 5000), rng.uniform(0, 5000)) for _ in range(n)]
    matrix = [[0.0] * n for _ in range(n)]
    for i, j in itertools.combinations(range(n), 2):
        straight = math.dist(points[i], points[j])
        matrix[i][j] = straight * rng.uniform(1.1, 1.6)
        matrix[j][i] = matrix[i][j] if symmetric else straight * rng.uniform(1.1, 1.6)
    return matrix


def brute_force(matrix, closed: bool, start: int | None) -> float:
    n = len(matrix)
    costs = []
    for order in itertools.permutations(range(n)):
        if start is not None and order[0] != start:
            continue
        costs.append(path_cost(matrix, order, closed))
    return min(costs)


def is_tour(order: list[int], n: int, start: int | None) -> bool:
    return sorted(order) == list(range(n)) and (start is None or order[0] == start)


def test_doctests_pass():
    assert doctest.testmod(ordering).failed == 0


@pytest.mark.parametrize("symmetric", [True, False], ids=["symmetric", "one-way"])
def test_exact_solver_matches_brute_force_on_random_small_instances(symmetric):
    rng = random.Random(6)
    for _ in range(25):
        n = rng.randint(2, 8)
        matrix = random_matrix(rng, n, symmetric)
        for closed in (False, True):
            for start in (0, n - 1, None):
                found = best_order(matrix, closed=closed, start=start)
                assert found.exact
                assert is_tour(found.order, n, start if start is not None or not closed else 0)
                assert found.cost == pytest.approx(brute_force(matrix, closed, start))
                assert found.cost == pytest.approx(path_cost(matrix, found.order, closed))


def test_exact_solver_orders_at_least_twelve_stops_exactly():
    assert EXACT_LIMIT >= 12
    rng = random.Random(12)
    matrix = random_matrix(rng, 13)
    found = best_order(matrix, closed=True, start=0)
    assert found.exact
    # Any other order is no shorter: compare with every 2-opt neighbour of the optimum.
    for a, b in itertools.combinations(range(1, 13), 2):
        other = found.order[:a] + found.order[a : b + 1][::-1] + found.order[b + 1 :]
        assert path_cost(matrix, other, True) >= found.cost - 1e-6


def test_heuristic_is_never_worse_than_nearest_neighbour():
    rng = random.Random(7)
    for n in (5, 9, 17, 30, 60):
        for symmetric in (True, False):
            matrix = random_matrix(rng, n, symmetric)
            for closed in (False, True):
                start = rng.randrange(n)
                found = best_order(matrix, closed=closed, start=start, exact_limit=0, rounds=20)
                assert not found.exact
                assert is_tour(found.order, n, start)
                greedy = path_cost(matrix, nearest_neighbour(matrix, start), closed)
                assert found.cost <= greedy + 1e-9


def test_heuristic_with_a_free_start_beats_every_nearest_neighbour_tour():
    rng = random.Random(8)
    matrix = random_matrix(rng, 40)
    found = best_order(matrix, closed=False, start=None, rounds=10)
    assert is_tour(found.order, 40, None)
    greedy = min(path_cost(matrix, nearest_neighbour(matrix, s), False) for s in range(40))
    assert found.cost <= greedy


def test_heuristic_finds_the_optimum_of_small_instances_mostly():
    """The local search alone, on sizes the exact solver can check: at most 1% over."""
    rng = random.Random(9)
    gaps = []
    for _ in range(10):
        matrix = random_matrix(rng, 11)
        heuristic = best_order(matrix, closed=True, start=0, exact_limit=0).cost
        optimum = exact_order(matrix, closed=True, start=0).cost
        assert heuristic >= optimum - 1e-6
        gaps.append(heuristic / optimum - 1)
    assert sum(gaps) / len(gaps) < 0.01


def test_open_tour_ends_anywhere_and_round_trip_comes_back():
    # Five stops on a street, listed out of order: 0 m, 300 m, 100 m, 400 m, 200 m.
    positions = [0, 300, 100, 400, 200]
    matrix = [[abs(a - b) for b in positions] for a in positions]
    open_tour = best_order(matrix, closed=False, start=0)
    assert open_tour.order == [0, 2, 4, 1, 3]
    assert open_tour.cost == 400
    round_trip = best_order(matrix, closed=True, start=0)
    assert round_trip.cost == 800
    assert round_trip.order[0] == 0
    # Starting in the middle: an open tour goes to one end then the other.
    from_middle = best_order(matrix, closed=False, start=4)
    assert from_middle.cost == 600
    assert from_middle.order[0] == 4
    assert from_middle.order[-1] in (0, 3)
    # Without a start, an open tour starts at an end of the street.
    free = best_order(matrix, closed=False, start=None)
    assert free.cost == 400
    assert free.order[0] in (0, 3)


def test_open_tours_and_round_trips_are_each_best_at_their_own_kind():
    rng = random.Random(10)
    for n in (8, 40):
        matrix = random_matrix(rng, n)
        for exact_limit in (EXACT_LIMIT, 0):
            open_tour = best_order(matrix, closed=False, start=0, exact_limit=exact_limit)
            round_trip = best_order(matrix, closed=True, start=0, exact_limit=exact_limit)
            assert open_tour.cost < round_trip.cost
            if exact_limit:
                # The round trip read as an open tour is no shorter than the best open tour,
                # and the open tour closed is no shorter than the best round trip.
                assert path_cost(matrix, round_trip.order, False) >= open_tour.cost - 1e-6
                assert path_cost(matrix, open_tour.order, True) >= round_trip.cost - 1e-6


def test_orders_are_reproducible():
    rng = random.Random(11)
    matrix = random_matrix(rng, 60)
    first = best_order(matrix, closed=True, start=3)
    again = best_order(matrix, closed=True, start=3)
    assert first == again


def test_tiny_inputs():
    assert best_order([], closed=False).order == []
    assert best_order([[0]], closed=True).order == [0]
    assert best_order([[0, 5], [7, 0]], closed=False, start=1).order == [1, 0]
    with pytest.raises(ValueError, match="square"):
        best_order([[0, 1]], closed=False)
