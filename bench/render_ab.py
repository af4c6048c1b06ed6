"""Compare the CPU time of a story page in the export between two checkouts, taking turns.

Each checkout runs in a process of its own (``Builder`` on a generated
catalogue, story pages fetched as ``Builder.fetch`` does); the two take turns
on the same chunks of pages and never run at the same time, so a busy shared
machine slows both alike. Prints each turn's milliseconds per page and the
median speed-up of the pairs.

Run from the project folder:

    git worktree add --detach /tmp/base-render main
    python bench/render_ab.py /tmp/base-render [turns] [--sites DIR]

Without ``--sites`` it uses (and first writes) 6,000 generated sites in
/tmp/render-ab-sites (bench/catalogue.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CHUNK = 240
WARM = 50


def worker(sites: Path) -> None:
    """Load the guide of the current folder, then fetch the chunk named on each input line."""
    sys.path.insert(0, os.getcwd())
    from guide.export.build import Builder

    builder = Builder(Path("/tmp/render-ab-out"), sites)
    builder.digests()
    pages = [address for address, _ in builder.pages() if "/sites/" in address]
    pages = pages[len(pages) // 2 :]  # the middle of the catalogue, every language
    for address in pages[:WARM]:
        builder.fetch(address)
    print("ready", flush=True)
    for line in sys.stdin:
        start = WARM + CHUNK * int(line)
        chunk = pages[start : start + CHUNK]
        began = time.process_time()
        for address in chunk:
            builder.fetch(address)
        print((time.process_time() - began) / len(chunk) * 1000, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="the other checkout (the code before)")
    parser.add_argument("turns", type=int, nargs="?", default=16)
    parser.add_argument("--sites", type=Path, default=Path("/tmp/render-ab-sites"))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.sites)
        return
    if not args.sites.is_dir():
        sys.path.insert(0, str(PROJECT / "bench"))
        from catalogue import make_catalogue

        args.sites.mkdir(parents=True)
        make_catalogue(args.sites, 6000)
    command = [sys.executable, str(Path(__file__).resolve()), ".", "--worker"]
    command += ["--sites", str(args.sites)]
    runs = {}
    for name, folder in (("before", args.base.resolve()), ("after", PROJECT)):
        env = {**os.environ, "PYTHONPATH": str(folder)}
        runs[name] = subprocess.Popen(
            command, cwd=folder, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    for process in runs.values():
        assert process.stdout.readline().strip() == "ready"
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    times: dict[str, list[float]] = {name: [] for name in runs}
    for turn in range(args.turns):
        order = list(runs) if turn % 2 == 0 else list(reversed(runs))
        for name in order:
            runs[name].stdin.write(f"{turn}\n")
            runs[name].stdin.flush()
            times[name].append(float(runs[name].stdout.readline()))
    for process in runs.values():
        process.stdin.close()
        process.wait()
    for name, values in times.items():
        line = " ".join(f"{value:.2f}" for value in values)
        print(f"{name:6} {line}  median {statistics.median(values):.2f} ms/page")
    ratios = [b / a for b, a in zip(times["before"], times["after"], strict=True)]
    print(
        f"speed-up per pair: median {statistics.median(ratios):.2f} "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f})"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
