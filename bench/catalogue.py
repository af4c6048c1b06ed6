"""Benchmark the catalogue: loading, `guide check` and `nearby` on generated catalogues.

Run from the project folder:

    python bench/catalogue.py            # 6,000 and 40,000 sites
    python bench/catalogue.py 600 6000   # other sizes

For each size it writes a temporary catalogue of generated sites (points drawn
inside the shipped areas), then times loading it (first load, which parses every
file and writes the snapshot, then a normal load), checking it, and 1,000
``nearby`` queries through the STRtree index. The baseline, in the same run, is
the same 1,000 queries answered by a full scan with geopy over every site.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import shapely
import tomli_w

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guide.catalogue.checks import check_catalogue  # noqa: E402
from guide.catalogue.codes import ALPHABET, record  # noqa: E402
from guide.catalogue.geo import distance_m  # noqa: E402
from guide.catalogue.index import load_catalogue  # noqa: E402

QUERIES = 1000
RADIUS_M = 1500
KINDS = ("communal-house", "temple", "pagoda", "revolutionary", "monument")


def random_points(n: int, seed: int = 1) -> list[tuple[float, float, str]]:
    """Return n (lat, lon, area id) points drawn uniformly inside the shipped areas."""
    catalogue = load_catalogue(ROOT / "sites")
    areas = list(catalogue.areas)
    rng = random.Random(seed)
    weights = [area.geometry.area for area in areas]
    points = []
    while len(points) < n:
        area = rng.choices(areas, weights)[0]
        west, south, east, north = area.geometry.bounds
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if area.geometry.covers(shapely.Point(lon, lat)):
            points.append((round(lat, 6), round(lon, 6), area.id))
    return points


def make_catalogue(folder: Path, n: int) -> None:
    """Write a catalogue of n generated published sites into ``folder``."""
    shutil.copyfile(ROOT / "sites" / "catalogue.toml", folder / "catalogue.toml")
    shutil.copyfile(ROOT / "sites" / "areas.geojson", folder / "areas.geojson")
    codes = []
    for index, (lat, lon, area) in enumerate(random_points(n)):
        code = "".join(ALPHABET[(index // len(ALPHABET) ** k) % len(ALPHABET)] for k in range(4))
        slug = f"di-tich-{index}"
        site = folder / slug
        site.mkdir()
        facts = {
            "code": code,
            "slug": slug,
            "status": "published",
            "kind": KINDS[index % len(KINDS)],
            "rank": "",
            "lat": lat,
            "lon": lon,
            "address": "",
            "ward": "",
            "area": area,
            "visit_minutes": 30,
            "name": {"vi": f"Di tích số {index}", "en": f"Site number {index}"},
        }
        (site / "site.toml").write_text(tomli_w.dumps(facts), encoding="utf-8")
        (site / "story.vi.md").write_text("Câu chuyện.\n", encoding="utf-8")
        codes.append((code, slug))
    record(folder, codes)


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def run(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        make_catalogue(folder, n)
        catalogue, cold_s = timed(load_catalogue, folder)
        assert len(catalogue) == n, catalogue.problems[:3]
        catalogue, load_s = timed(load_catalogue, folder)
        problems, check_s = timed(check_catalogue, catalogue)
        rng = random.Random(2)
        queries = [(lat, lon) for lat, lon, _ in random_points(QUERIES, seed=3)]
        catalogue.nearby(*queries[0], RADIUS_M)  # build the index outside the timing
        indexed = []
        for lat, lon in queries:
            start = time.perf_counter()
            catalogue.nearby(lat, lon, RADIUS_M)
            indexed.append(time.perf_counter() - start)
        scan_sample = rng.sample(queries, 50 if n > 10_000 else 100)
        scanned = []
        for lat, lon in scan_sample:
            start = time.perf_counter()
            [s for s in catalogue if distance_m((lat, lon), (s.lat, s.lon)) <= RADIUS_M]
            scanned.append(time.perf_counter() - start)
        return {
            "sites": n,
            "cold_s": cold_s,
            "load_s": load_s,
            "check_s": check_s,
            "warnings": len(problems),
            "nearby_ms_mean": statistics.mean(indexed) * 1000,
            "nearby_ms_p95": sorted(indexed)[int(len(indexed) * 0.95)] * 1000,
            "scan_ms_mean": statistics.mean(scanned) * 1000,
        }


def main(sizes: list[int]) -> None:
    print(
        "| sites | first load (s) | load (s) | guide check (s) | nearby, STRtree: mean / p95 (ms) "
        "| baseline full scan with geopy: mean (ms) | speed-up |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        r = run(n)
        print(
            f"| {r['sites']:,} | {r['cold_s']:.2f} | {r['load_s']:.2f} | {r['check_s']:.2f} "
            f"| {r['nearby_ms_mean']:.3f} / {r['nearby_ms_p95']:.3f} "
            f"| {r['scan_ms_mean']:.1f} | {r['scan_ms_mean'] / r['nearby_ms_mean']:.0f}× |",
            flush=True,
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [6000, 40000])
