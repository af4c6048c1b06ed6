"""Benchmark the tour planner: planning time and tour length against the optimum and OR-Tools.

Run from the project folder (OR-Tools is needed here only, not by the guide):

    pip install ortools
    python bench/tours.py                       # 8, 12, 20, 50 and 100 stops
    python bench/tours.py --sizes 100 --instances 3 --ortools-seconds 30

Each instance is n random points drawn uniformly inside the catalogue's areas
(the districts of Hà Nội in the shipped ``sites/``), walked from the first
point, once as an open tour and once as a round trip. For each it times the
planner (the distance matrix of geodesic metres times the detour factor, then
the ordering, as ``guide.tours.plan.plan_tour`` does) and compares the tour length
with, in the same run:

- the optimum, by Held-Karp, for n up to 20 (the planner itself is exact up to
  ``guide.tours.ordering.EXACT_LIMIT`` points after the start);
- Google OR-Tools' routing solver (path-cheapest-arc start, guided local
  search, ``--ortools-seconds`` per instance) for n from 20 up;
- nearest neighbour, the baseline the planner starts from.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import shapely
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guide import settings  # noqa: E402
from guide.catalogue.index import load_catalogue  # noqa: E402
from guide.tours.ordering import (  # noqa: E402
    EXACT_LIMIT,
    best_order,
    exact_order,
    nearest_neighbour,
    path_cost,
)
from guide.tours.travel import Travel  # noqa: E402

EXACT_UP_TO = 20


def random_points(region, n: int, rng: random.Random) -> list[tuple[float, float]]:
    """Return n (lat, lon) points drawn uniformly inside ``region`` (lon/lat geometry)."""
    west, south, east, north = region.bounds
    points = []
    while len(points) < n:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if region.contains(Point(lon, lat)):
            points.append((lat, lon))
    return points


def ortools_order(matrix: list[list[float]], closed: bool, seconds: float) -> list[int]:
    """Return OR-Tools' order from point 0 (open: ending anywhere) on metres rounded to 1 m."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(matrix)
    costs = [[round(value) for value in row] for row in matrix]
    if closed:
        manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    else:  # a dummy end point, free to reach from anywhere
        costs = [[*row, 0] for row in costs] + [[0] * (n + 1)]
        manager = pywrapcp.RoutingIndexManager(n + 1, 1, [0], [n])
    routing = pywrapcp.RoutingModel(manager)

    def cost(i: int, j: int) -> int:
        return costs[manager.IndexToNode(i)][manager.IndexToNode(j)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost))
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(parameters)
    order, index = [], routing.Start(0)
    while not routing.IsEnd(index):
        order.append(manager.IndexToNode(index))
        index = solution.Value(routing.NextVar(index))
    return order


def percent(value: float) -> str:
    return f"{value * 100:+.2f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 12, 20, 50, 100])
    parser.add_argument("--instances", type=int, default=10)
    parser.add_argument("--ortools-seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sites", type=Path, default=ROOT / "sites")
    args = parser.parse_args()

    catalogue = load_catalogue(args.sites)
    region = shapely.union_all([area.geometry for area in catalogue.areas])
    shapely.prepare(region)
    travel = Travel.from_settings(settings.resolve({"GUIDE_ROUTING_URL": ""}))
    rng = random.Random(args.seed)
    try:
        import ortools  # noqa: F401

        have_ortools = True
    except ImportError:
        have_ortools = False
        print("OR-Tools is not installed (pip install ortools): no comparison with it")

    # Warm up numpy and geopy so that the first instance is timed like the others.
    warm = random_points(region, 30, rng)
    best_order(travel.estimate(warm, "walk"), closed=True, start=0)

    print(
        f"{args.instances} instances per size, points inside {len(catalogue.areas)} areas, "
        f"walking (geodesic x {travel.detours['walk']}), exact limit {EXACT_LIMIT} points "
        f"after the start, OR-Tools {args.ortools_seconds:g} s per instance\n"
    )
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    header = (
        "| stops | tour | exact | plan ms, wall (mean / max) | of it ordering (mean) | "
        "plan ms, CPU (mean / max) | vs optimum (mean / max) | vs OR-Tools (mean / max) | "
        "nearest neighbour vs planner (mean) |"
    )
    print(header)
    print("|---" * 9 + "|")
    for n in args.sizes:
        for closed in (False, True):
            rows: dict[str, list[float]] = {
                "order": [],
                "plan": [],
                "cpu": [],
                "optimum": [],
                "ortools": [],
                "nn": [],
            }
            exact_flags = set()
            for _ in range(args.instances):
                points = random_points(region, n, rng)
                cpu_started = time.process_time()
                started = time.perf_counter()
                matrix = travel.estimate(points, "walk")
                matrix_done = time.perf_counter()
                found = best_order(matrix, closed=closed, start=0)
                ordered = time.perf_counter()
                rows["cpu"].append((time.process_time() - cpu_started) * 1000)
                rows["order"].append((ordered - matrix_done) * 1000)
                rows["plan"].append((ordered - started) * 1000)
                exact_flags.add(found.exact)
                greedy = path_cost(matrix, nearest_neighbour(matrix, 0), closed)
                rows["nn"].append(greedy / found.cost - 1)
                if n <= EXACT_UP_TO:
                    optimum = exact_order(matrix, closed=closed, start=0).cost
                    rows["optimum"].append(found.cost / optimum - 1)
                if have_ortools and n >= 20:
                    reference = path_cost(
                        matrix, ortools_order(matrix, closed, args.ortools_seconds), closed
                    )
                    rows["ortools"].append(found.cost / reference - 1)

            def pair(values: list[float], fmt) -> str:
                if not values:
                    return "–"
                return f"{fmt(statistics.mean(values))} / {fmt(max(values))}"

            print(
                f"| {n} | {'round trip' if closed else 'open'} | "
                f"{'yes' if exact_flags == {True} else 'no'} | "
                f"{pair(rows['plan'], lambda v: f'{v:.0f}')} | "
                f"{statistics.mean(rows['order']):.0f} | "
                f"{pair(rows['cpu'], lambda v: f'{v:.0f}')} | "
                f"{pair(rows['optimum'], percent)} | "
                f"{pair(rows['ortools'], percent)} | "
                f"{percent(statistics.mean(rows['nn']))} |",
                flush=True,
            )
    print(f"\nload average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
