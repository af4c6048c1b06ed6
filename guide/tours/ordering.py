"""Visiting orders: the shortest way through every point of a distance matrix.

A tour either ends anywhere (open) or comes back to its start (a round trip),
and either starts at a given point or at whichever point makes it shortest.
Small tours are ordered exactly (Held-Karp dynamic programming); larger ones
by nearest neighbour, then 2-opt and Or-opt local search with a few rounds of
perturbation, for at most a given time of CPU (the best order found by then is
kept). Without a time limit everything is deterministic: the same matrix gives
the same order.
Nothing here knows about sites; a matrix is ``matrix[i][j]``, the cost of going
from point i to point j (metres, seconds: anything additive and non-negative).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

# Points besides the start that Held-Karp orders exactly. Its cost grows as
# 2**n * n**2: 15 points take about 30 milliseconds (bench/tours.py).
EXACT_LIMIT = 15
# Improvements smaller than this are rounding noise, not progress.
_EPSILON = 1e-7
# The seed of the perturbations, fixed so that a plan can be reproduced.
_SEED = 20250702


@dataclass(frozen=True)
class Ordering:
    """A visiting order (indices into the matrix), its cost and how it was found."""

    order: list[int]
    cost: float
    exact: bool
    # False when the local search stopped at its time limit rather than at its end.
    complete: bool = True


def path_cost(matrix: Sequence[Sequence[float]], order: Sequence[int], closed: bool) -> float:
    """Return the cost of visiting ``order``, back to its first point when ``closed``.

    >>> path_cost([[0, 1, 5], [1, 0, 2], [5, 2, 0]], [0, 1, 2], closed=False)
    3
    >>> path_cost([[0, 1, 5], [1, 0, 2], [5, 2, 0]], [0, 1, 2], closed=True)
    8
    """
    cost = sum(matrix[a][b] for a, b in pairwise(order))
    if closed and len(order) > 1:
        cost += matrix[order[-1]][order[0]]
    return cost


def nearest_neighbour(matrix: Sequence[Sequence[float]], start: int = 0) -> list[int]:
    """Return the order that always goes next to the nearest point not yet visited.

    >>> nearest_neighbour([[0, 1, 5], [1, 0, 2], [5, 2, 0]], start=2)
    [2, 1, 0]
    """
    costs = np.asarray(matrix, dtype=float)
    n = len(costs)
    visited = np.zeros(n, dtype=bool)
    order = [start]
    visited[start] = True
    for _ in range(n - 1):
        row = np.where(visited, np.inf, costs[order[-1]])
        nearest = int(row.argmin())
        order.append(nearest)
        visited[nearest] = True
    return order


def best_order(
    matrix: Sequence[Sequence[float]],
    *,
    closed: bool,
    start: int | None = 0,
    exact_limit: int = EXACT_LIMIT,
    rounds: int | None = None,
    cpu_seconds: float | None = None,
) -> Ordering:
    """Return the shortest order through every point of ``matrix``.

    ``start`` is the index the order begins with; None lets the planner choose
    the best first point of an open tour (a round trip then begins at 0).
    Orders are exact when at most ``exact_limit`` points follow the start,
    otherwise found by local search, with ``rounds`` perturbations (default:
    a number that grows with the size). ``cpu_seconds`` bounds the local search:
    once this thread has used that much CPU time on it, the best order found so
    far is returned (at worst the nearest-neighbour order), marked incomplete.

    >>> line = [[abs(a - b) for b in (0, 3, 1, 2)] for a in (0, 3, 1, 2)]
    >>> best_order(line, closed=False, start=0).order
    [0, 2, 3, 1]
    >>> best_order(line, closed=False, start=None).order in ([0, 2, 3, 1], [1, 3, 2, 0])
    True
    """
    costs = np.asarray(matrix, dtype=float)
    n = len(costs)
    if n == 0:
        return Ordering([], 0.0, True)
    if costs.shape != (n, n):
        raise ValueError(f"the matrix must be square, not {costs.shape}")
    if start is None and closed:
        start = 0
    if n == 1:
        return Ordering([0], 0.0, True)
    free_points = n if start is None else n - 1
    if free_points <= exact_limit:
        order = _exact(costs, closed=closed, start=start)
        exact = True
    else:
        clock = _Deadline(cpu_seconds)
        order = _heuristic(costs, closed=closed, start=start, rounds=rounds, expired=clock)
        return Ordering(order, float(path_cost(costs, order, closed)), False, not clock.reached)
    return Ordering(order, float(path_cost(costs, order, closed)), exact)


class _Deadline:
    """A limit of CPU time of the calling thread; calling it says whether the limit is reached.

    Thread time, not wall-clock time: a plan waiting for the interpreter while
    other requests run is not cut short for it, and other threads' work is not
    counted against it.
    """

    def __init__(self, seconds: float | None) -> None:
        self.at = None if seconds is None else time.thread_time() + seconds
        self.reached = False

    def __call__(self) -> bool:
        if self.at is not None and not self.reached and time.thread_time() >= self.at:
            self.reached = True
        return self.reached


def exact_order(matrix: Sequence[Sequence[float]], *, closed: bool, start: int | None = 0):
    """Return the optimal order by Held-Karp dynamic programming, whatever the size.

    Memory and time grow as 2**n: keep n to about 20.
    """
    costs = np.asarray(matrix, dtype=float)
    if start is None and closed:
        start = 0
    order = _exact(costs, closed=closed, start=start) if len(costs) > 1 else list(range(len(costs)))
    return Ordering(order, float(path_cost(costs, order, closed)), True)


def _exact(costs: np.ndarray, *, closed: bool, start: int | None) -> list[int]:
    if start is None:
        # A free start is a fixed start at a dummy point 0 that is nowhere, at no cost.
        padded = np.zeros((len(costs) + 1, len(costs) + 1))
        padded[1:, 1:] = costs
        return [point - 1 for point in _held_karp(padded, closed=False)[1:]]
    others = [point for point in range(len(costs)) if point != start]
    reordered = costs[np.ix_([start, *others], [start, *others])]
    return [start, *(others[point - 1] for point in _held_karp(reordered, closed)[1:])]


def _held_karp(costs: np.ndarray, closed: bool) -> list[int]:
    """Return the optimal order from point 0 through all others (and back when closed).

    ``best[mask, j]`` is the cheapest way from 0 through the set ``mask`` of
    points 1..m (bit j-1 for point j) ending at point j; sets are filled in
    order of size, one vectorised step per (size, last point).
    """
    m = len(costs) - 1
    inner = costs[1:, 1:]
    full = (1 << m) - 1
    best = np.full((full + 1, m), np.inf)
    parent = np.full((full + 1, m), -1, dtype=np.int8)
    for j in range(m):
        best[1 << j, j] = costs[0, j + 1]
    masks = np.arange(full + 1)
    sizes = np.zeros(full + 1, dtype=np.int64)
    for bit in range(m):
        sizes += (masks >> bit) & 1
    for size in range(2, m + 1):
        of_size = masks[sizes == size]
        for j in range(m):
            ending = of_size[(of_size >> j) & 1 == 1]
            before = ending ^ (1 << j)
            candidates = best[before] + inner[:, j]
            previous = candidates.argmin(axis=1)
            best[ending, j] = candidates[np.arange(len(ending)), previous]
            parent[ending, j] = previous
    finish = best[full] + (costs[1:, 0] if closed else 0.0)
    last = int(finish.argmin())
    order = []
    mask = full
    while last >= 0:
        order.append(last + 1)
        mask, last = mask ^ (1 << last), int(parent[mask, last])
    return [0, *reversed(order)]


def _heuristic(
    costs: np.ndarray,
    *,
    closed: bool,
    start: int | None,
    rounds: int | None,
    expired: Callable[[], bool] = lambda: False,
) -> list[int]:
    """Return a short order by local search on a round trip (a cycle).

    Every kind of tour becomes a cycle: a round trip is one already; an open
    tour gets a dummy point that costs nothing to reach and to leave, so that
    the cycle through it, cut there, is the open path. A fixed start of an open
    tour is kept next to the dummy point by a penalty on the dummy's other edges.
    Local search works on the symmetric part of the matrix (road distances
    differ a little by direction); the result is measured on the real one.
    """
    n = len(costs)
    symmetric = (costs + costs.T) / 2.0
    if closed:
        cycle_costs = symmetric
        first = nearest_neighbour(costs, start if start is not None else 0)
        initial = first
    else:
        dummy = n
        cycle_costs = np.zeros((n + 1, n + 1))
        cycle_costs[:n, :n] = symmetric
        if start is None:
            # Every point's nearest-neighbour tour, while there is time (at least one).
            tours = (
                nearest_neighbour(costs, point) for point in range(n) if point == 0 or not expired()
            )
            first = min(tours, key=lambda order: path_cost(costs, order, False))
        else:
            penalty = float(symmetric.max()) * (n + 1) + 1.0
            cycle_costs[dummy, :n] = penalty
            cycle_costs[:n, dummy] = penalty
            cycle_costs[dummy, start] = cycle_costs[start, dummy] = 0.0
            first = nearest_neighbour(costs, start)
        initial = [dummy, *first]
    if rounds is None:
        # Past about a hundred kicks each one gains little (bench/tours.py: 150 kicks at
        # 100 stops end within 0.1 % of 250, still shorter than OR-Tools).
        rounds = 100 + n // 2
    cycle = _iterated_local_search(cycle_costs, initial, rounds, expired)
    order = _cut_cycle(cycle, closed=closed, start=start, dummy=None if closed else n)
    # Local search never makes the cycle longer, but the real matrix may be asymmetric:
    # keep the nearest-neighbour order if the real cost says it is better.
    if path_cost(costs, first, closed) < path_cost(costs, order, closed):
        return list(first)
    return order


def _cut_cycle(cycle: list[int], *, closed: bool, start: int | None, dummy: int | None):
    """Return the cycle as an order: from ``start`` (round trip) or cut at the dummy point."""
    at = cycle.index(dummy if dummy is not None else start)
    rotated = cycle[at:] + cycle[:at]
    if dummy is None:
        return rotated
    path = rotated[1:]
    if start is not None and path[0] != start:
        path.reverse()
    return path


def _iterated_local_search(
    costs: np.ndarray, cycle: list[int], rounds: int, expired: Callable[[], bool]
) -> list[int]:
    """Return a cycle improved by local search, then by ``rounds`` kicks and repairs.

    When ``expired()`` turns true the search stops with the best cycle so far
    (a repair cut short is dropped unless it is already better).
    """
    search = _LocalSearch(costs, expired)
    best = search.improve(np.asarray(cycle))
    best_cost = search.cycle_cost(best)
    rng = random.Random(_SEED)
    n = len(cycle)
    if n < 8:
        return best.tolist()
    for _ in range(rounds):
        if expired():
            break
        candidate = search.improve(_double_bridge(best, rng))
        cost = search.cycle_cost(candidate)
        if cost < best_cost - _EPSILON:
            best, best_cost = candidate, cost
    return best.tolist()


def _double_bridge(cycle: np.ndarray, rng: random.Random) -> np.ndarray:
    """Return the cycle with three nearby segments swapped (A B C D -> A C B D).

    Short segments close together move the tour a little, so that the local
    search repairs it quickly and often finds a better neighbour.
    """
    n = len(cycle)
    reach = max(2, min(n // 4, 12))
    rotation = rng.randrange(n)
    rotated = np.roll(cycle, -rotation)
    a = rng.randrange(1, n - 2 * reach) if n > 2 * reach + 2 else 1
    b = min(a + rng.randint(1, reach), n - 2)
    c = min(b + rng.randint(1, reach), n - 1)
    return np.concatenate([rotated[:a], rotated[b:c], rotated[a:b], rotated[c:]])


class _LocalSearch:
    """Best-improvement 2-opt and Or-opt on a cycle, every move scored at once with numpy.

    Each step gathers the costs in cycle order once (``local[a, b]`` is the
    cost from the a-th to the b-th point of the cycle, with the first point
    repeated at the end), so that every move's change of length is a sum of
    slices of it; forbidden moves carry an infinite penalty.
    """

    def __init__(self, costs: np.ndarray, expired: Callable[[], bool] = lambda: False) -> None:
        self.costs = costs
        self.expired = expired
        n = len(costs)
        self.n = n
        row, column = np.indices((n, n))
        # 2-opt (a, b): drop edges a->a+1 and b->b+1, reverse a+1..b. Adjacent edges are no move.
        invalid = (column < row + 2) | ((row == 0) & (column == n - 1))
        self.two_opt_penalty = np.where(invalid, np.inf, 0.0)
        # Or-opt: move the segment i..i+L-1 (1 <= i, i+L <= n-1) between j and j+1,
        # where the edge j->j+1 does not touch the segment.
        self.or_opt = []
        for length in (1, 2, 3):
            if n < length + 4:
                continue
            starts = np.arange(1, n - length)[:, None]
            touching = (column[: len(starts)] >= starts - 1) & (
                column[: len(starts)] <= starts + length - 1
            )
            self.or_opt.append((length, np.where(touching, np.inf, 0.0)))

    def cycle_cost(self, cycle: np.ndarray) -> float:
        return float(self.costs[cycle, np.roll(cycle, -1)].sum())

    def improve(self, cycle: np.ndarray) -> np.ndarray:
        """Apply the best improving move until none is left (or the time is up)."""
        cycle = np.asarray(cycle)
        n = self.n
        if n < 5:
            return cycle
        while not self.expired():
            ring = np.append(cycle, cycle[0])
            table = self.costs[np.ix_(ring, ring)]
            local = table[:n, :n]
            after = table[:n, 1:]  # after[x, j] = cost(x -> j+1)
            edge = np.diagonal(after)  # edge[j] = cost(j -> j+1)
            delta = local + table[1:, 1:] - edge[:, None] - edge[None, :] + self.two_opt_penalty
            flat = int(delta.argmin())
            gain = float(delta.flat[flat])
            move: tuple = ("2opt", *divmod(flat, n))
            local_t = local.T
            for length, penalty in self.or_opt:
                count = n - length - 1  # segments i = 1 .. n-length-1
                # Taking segment i..e out joins i-1 to e+1.
                removal = (
                    edge[:count]
                    + edge[length : length + count]
                    - np.diagonal(local, offset=length + 1)[:count]
                )[:, None]
                # Put back between j and j+1, as it was (i first) or reversed (e first).
                forward = local_t[1 : 1 + count] + after[length : length + count]
                for reverse in (False, True) if length > 1 else (False,):
                    if reverse:
                        inserted = local_t[length : length + count] + after[1 : 1 + count]
                    else:
                        inserted = forward
                    delta = inserted - edge[None, :] - removal + penalty
                    flat = int(delta.argmin())
                    if delta.flat[flat] < gain:
                        gain = float(delta.flat[flat])
                        i, j = divmod(flat, n)
                        move = ("or", i + 1, length, j, reverse)
            if gain >= -_EPSILON:
                return cycle
            cycle = self._apply(cycle, move)
        return cycle

    @staticmethod
    def _apply(cycle: np.ndarray, move: tuple) -> np.ndarray:
        if move[0] == "2opt":
            _, a, b = move
            cycle = cycle.copy()
            cycle[a + 1 : b + 1] = cycle[a + 1 : b + 1][::-1]
            return cycle
        _, i, length, j, reverse = move
        segment = cycle[i : i + length]
        if reverse:
            segment = segment[::-1]
        rest = np.concatenate([cycle[:i], cycle[i + length :]])
        at = j if j < i else j - length
        return np.concatenate([rest[: at + 1], segment, rest[at + 1 :]])
