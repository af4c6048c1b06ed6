"""Benchmark the planner under load: can 20 clients planning 66-stop tours starve a story page?

For each version of the guide (this folder, and as a baseline in the same run
the code of another commit, checked out with ``git worktree add`` into a
temporary folder) the script starts ``guide serve`` (waitress, 8 threads, in
its own process) on 127.0.0.1 with the shipped catalogue, then for
``--seconds`` each:

1. idle: one client asks for Đình Chèm's story page again and again;
2. new plans: the same, while ``--clients`` clients ask for
   ``/tours/plan.json`` of the 66 published sites, each request with its stops
   shuffled and one to six of them left out (so that nearly every request is a
   plan never asked for before);
3. the same plan: the clients all ask for the full 66-stop plan, stops shuffled.

The load clients do not wait when told to (Retry-After): they ask again at
once, as an attacker would. Reported: the story page's latency (median, p95),
and the plans answered per second by status (200, 503, other).

Run from the project folder:

    python bench/planner_load.py                      # baseline 467f6be, 10 s per case
    python bench/planner_load.py --baseline ''        # this folder only
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
STORY = "/sites/dinh-chem"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_guide(code: Path, port: int) -> subprocess.Popen:
    """Start ``guide serve`` of the code in ``code`` on the shipped catalogue; wait for it."""
    command = [
        sys.executable,
        "-c",
        "import logging; logging.getLogger('waitress.queue').setLevel(logging.ERROR); "
        "from guide.cli import main; main()",
        "serve",
        "--sites",
        str(PROJECT / "sites"),
        "--port",
        str(port),
    ]
    env = {**os.environ, "PYTHONPATH": str(code), "GUIDE_ROUTING_URL": ""}
    process = subprocess.Popen(
        command, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"guide serve from {code} did not start within 60 s")


def published_codes(port: int) -> list[str]:
    """Return the codes of the published sites, from the guide's own GeoJSON."""
    import json

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/api/sites.geojson")
    data = json.loads(connection.getresponse().read())
    connection.close()
    return sorted(feature["properties"]["code"] for feature in data["features"])


def story_latencies(port: int, stop: threading.Event, times: list[float]) -> None:
    """Ask for the story page on one keep-alive connection until ``stop``, timing each."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set():
        began = time.perf_counter()
        connection.request("GET", STORY, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{STORY}: status {response.status}")
        times.append(time.perf_counter() - began)
    connection.close()


def plan_client(
    port: int, codes: list[str], seed: int, vary: bool, stop: threading.Event, counts: Counter
) -> None:
    """Ask for 66-stop plans until ``stop``: new sets of stops when ``vary``, else the same."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while not stop.is_set():
        stops = list(codes)
        rng.shuffle(stops)
        if vary:
            del stops[: rng.randint(1, 6)]
        connection.request("GET", f"/tours/plan.json?stops={','.join(stops)}")
        response = connection.getresponse()
        response.read()
        counts[response.status] += 1
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.close()


def run_case(port: int, codes: list[str], clients: int, seconds: float, vary: bool | None):
    """Return the story page's latencies and the plan answers by status for one case."""
    stop = threading.Event()
    counts: Counter = Counter()
    times: list[float] = []
    load = []
    if vary is not None:
        load = [
            threading.Thread(target=plan_client, args=(port, codes, seed, vary, stop, counts))
            for seed in range(clients)
        ]
    for thread in load:
        thread.start()
    if load:
        time.sleep(0.5)  # let the load reach the server before timing the page
    story = threading.Thread(target=story_latencies, args=(port, stop, times))
    began = time.monotonic()
    story.start()
    time.sleep(seconds)
    stop.set()
    story.join()
    for thread in load:
        thread.join()
    return times, counts, time.monotonic() - began


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(label: str, code: Path, clients: int, seconds: float) -> list[list[str]]:
    """Run the three cases against the guide in ``code``; return the table rows."""
    port = free_port()
    process = start_guide(code, port)
    rows = []
    try:
        codes = published_codes(port)
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for path in (STORY, f"/tours/plan.json?stops={','.join(codes)}"):
            warm.request("GET", path)
            warm.getresponse().read()
        warm.close()
        cases = [("idle", None), ("new 66-stop plans", True), ("the same 66-stop plan", False)]
        for name, vary in cases:
            times, counts, elapsed = run_case(port, codes, clients, seconds, vary)
            plans = (
                " / ".join(f"{counts[status] / elapsed:.1f}" for status in (200, 503))
                if vary is not None
                else "–"
            )
            other = sum(n for status, n in counts.items() if status not in (200, 503))
            rows.append(
                [
                    label,
                    name if vary is None else f"{name}, {clients} clients",
                    f"{statistics.median(times) * 1000:.1f}",
                    f"{percentile(times, 0.95) * 1000:.1f}",
                    str(len(times)),
                    plans,
                    str(other) if vary is not None else "–",
                ]
            )
            print(" | ".join(rows[-1]), flush=True)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--baseline", default="467f6be", help="commit to compare with ('' for none)"
    )
    args = parser.parse_args()
    load = os.getloadavg()[0]
    rows = []
    temporary = None
    try:
        if args.baseline:
            temporary = Path(tempfile.mkdtemp(prefix="guide-baseline-"))
            subprocess.run(
                ["git", "worktree", "add", "--detach", str(temporary / "code"), args.baseline],
                cwd=PROJECT,
                check=True,
                capture_output=True,
            )
            rows += measure(
                f"baseline {args.baseline}", temporary / "code", args.clients, args.seconds
            )
        rows += measure("this version", PROJECT, args.clients, args.seconds)
    finally:
        if temporary is not None:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(temporary / "code")],
                cwd=PROJECT,
                check=False,
                capture_output=True,
            )
            shutil.rmtree(temporary, ignore_errors=True)
    print()
    print(f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print(
        "| code | case | story median ms | story p95 ms | story requests "
        "| plans/s: 200 / 503 | other statuses |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
