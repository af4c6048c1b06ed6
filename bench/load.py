"""Benchmark loading a large catalogue and starting `guide serve` on it, against a baseline.

Run from the project folder:

    python bench/load.py                          # 40,000 sites, baseline e3dfc5b
    python bench/load.py --sites 6000 --baseline ''   # this folder only

The catalogue of generated sites (``bench/catalogue.py``) is written once into
``--catalogue`` (default /tmp/guide-bench-40000) and reused by later runs. The
baseline, in the same run, is the code of another commit checked out with ``git
worktree add`` into a temporary folder. Each figure comes from a fresh process:

- first load: ``load_catalogue`` with no cache of that code in the catalogue's
  ``.cache`` folder (each version keeps its own file there);
- warm load: the same again, the cache now written (best of ``--repeat``);
  each load's CPU seconds are printed beside its wall-clock seconds, as a busy
  machine stretches the second far more than the first (the CPU of the processes
  a load forks is counted in it);
- serve: ``guide serve`` started on the catalogue (best of ``--repeat``), seconds
  until its port answers and one story page is served, with the CPU seconds the
  process had used at each, then its resident memory (VmRSS) and peak (VmHWM) from
  ``/proc``. Each version keeps one instance folder
  for all its starts, as a restarted server does (its database, secret key and
  compiled templates); the first start of each makes it.

``--serve-only`` leaves out the first load: each version loads twice (the first
writes its snapshot, the second is printed as its warm load) and the server starts of
the versions then take turns, ``--repeat`` each, so that a busy minute falls on both;
each version's snapshot is put back before each of its starts, since versions whose
validation code differs void each other's.

Each version's modules are compiled once beforehand into a bytecode folder of
its own, as an installed guide's are (``pip install`` writes them), so that no
figure counts compiling the source; ``--no-bytecode`` measures without (every
process compiles what it imports, as under ``PYTHONDONTWRITEBYTECODE``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CACHE_FILES = ("sites.json", "catalogue.snapshot")

LOAD = """
import json, resource, sys, time
from guide.catalogue.index import load_catalogue
start, cpu = time.perf_counter(), time.process_time()
catalogue = load_catalogue(sys.argv[1])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu += children.ru_utime + children.ru_stime  # a forked helper's CPU counts too
rss = int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) / 1024
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"sites": len(catalogue), "s": seconds, "cpu": cpu, "rss": rss, "peak": peak}))
"""


def ensure_catalogue(folder: Path, n: int) -> None:
    """Write a catalogue of n generated sites into ``folder`` unless it is there."""
    if (folder / "catalogue.toml").is_file():
        return
    sys.path.insert(0, str(PROJECT / "bench"))
    from catalogue import make_catalogue

    folder.mkdir(parents=True, exist_ok=True)
    make_catalogue(folder, n)


# Per version of the code: the environment its processes run with (see ``bytecode_env``).
ENVIRONMENTS: dict[Path, dict[str, str]] = {}


def bytecode_env(code: Path, compiled: bool) -> dict[str, str]:
    """Return the environment to run ``code`` with, its modules compiled first if ``compiled``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    if compiled:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="guide-bench-bytecode-")
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(code / "guide")],
            env=env,
            check=True,
            capture_output=True,
        )
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    ENVIRONMENTS[code] = env
    return env


def load_once(code: Path, root: Path) -> dict[str, float]:
    env = ENVIRONMENTS.get(code) or {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-c", LOAD, str(root)],
        cwd=code,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def memory_of(pid: int) -> tuple[float, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_of(pid: int) -> float:
    """Return the CPU seconds (user and system) a process and its ended children have used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[at]) for at in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Per version of the code: its instance folder, kept from one start to the next as a
# server's is (its database, secret key and compiled templates); removed at the end.
INSTANCES: dict[Path, Path] = {}


def instance_of(code: Path) -> Path:
    if code not in INSTANCES:
        INSTANCES[code] = Path(tempfile.mkdtemp(prefix="guide-bench-instance-"))
    return INSTANCES[code]


def serve_once(code: Path, root: Path, slug: str) -> dict[str, float]:
    """Start ``guide serve``; return seconds until a story page came back, and memory."""
    port = free_port()
    instance = instance_of(code)
    base = ENVIRONMENTS.get(code) or {**os.environ, "PYTHONPATH": str(code)}
    env = {**base, "GUIDE_INSTANCE": str(instance)}
    command = [sys.executable, "-c", "from guide.cli import main; main()", "serve"]
    command += ["--sites", str(root), "--port", str(port)]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            if process.poll() is not None or time.perf_counter() - start > 600:
                raise RuntimeError(f"guide serve from {code} did not start")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.05)
        listening = time.perf_counter() - start
        cpu = cpu_of(process.pid)
        rss_start, _ = memory_of(process.pid)
        url = f"http://127.0.0.1:{port}/sites/{slug}"
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
        story = time.perf_counter() - start
        story_cpu = cpu_of(process.pid)
        rss, peak = memory_of(process.pid)
        return {
            "listening": listening,
            "cpu": cpu,
            "story": story,
            "story_cpu": story_cpu,
            "rss0": rss_start,
            "rss": rss,
            "peak": peak,
        }
    finally:
        process.terminate()
        process.wait(timeout=30)


def serving(served: dict[str, float]) -> str:
    """Return a start's seconds: until it listens, its CPU then, until the story, its CPU then."""
    return (
        f"{served['listening']:.2f} / {served['cpu']:.2f} / "
        f"{served['story']:.2f} / {served['story_cpu']:.2f}"
    )


def measure(label: str, code: Path, root: Path, repeat: int, compiled: bool = True) -> list[str]:
    bytecode_env(code, compiled)
    for name in CACHE_FILES:
        (root / ".cache" / name).unlink(missing_ok=True)
    first = load_once(code, root)
    warm = min((load_once(code, root) for _ in range(repeat)), key=lambda r: r["s"])
    # Best of ``repeat`` too: on a shared machine one start can wait far longer than the next.
    served = min(
        (serve_once(code, root, "di-tich-0") for _ in range(repeat)), key=lambda r: r["listening"]
    )
    return [
        label,
        f"{first['sites']:,}",
        f"{first['s']:.2f} / {first['cpu']:.2f}",
        f"{warm['s']:.2f} / {warm['cpu']:.2f}",
        f"{warm['rss']:.0f} / {warm['peak']:.0f}",
        serving(served),
        f"{served['rss0']:.0f} / {served['rss']:.0f} / {served['peak']:.0f}",
    ]


def measure_serving(versions: list[tuple[str, Path]], root: Path, repeat: int) -> list[list[str]]:
    """Return a row per version: a warm load, then server starts taking turns."""
    # Versions whose validation code differs void each other's snapshot: each one's is
    # kept aside after its loads and put back before each of its starts, so that every
    # start is warm, as a restarted server's is.
    snapshot = root / ".cache" / "catalogue.snapshot"
    warm: dict[str, dict[str, float]] = {}
    kept: dict[str, bytes] = {}
    for label, code in versions:
        load_once(code, root)  # writes this version's snapshot
        warm[label] = load_once(code, root)
        kept[label] = snapshot.read_bytes()
    served: dict[str, list[dict[str, float]]] = {label: [] for label, _ in versions}
    for _ in range(repeat):
        for label, code in versions:
            snapshot.write_bytes(kept[label])
            served[label].append(serve_once(code, root, "di-tich-0"))
    rows = []
    for label, _ in versions:
        best = min(served[label], key=lambda r: r["listening"])
        listening = ", ".join(f"{r['listening']:.2f}" for r in served[label])
        print(f"{label}: listening after {listening} s", file=sys.stderr, flush=True)
        cpu = ", ".join(f"{r['story_cpu']:.2f}" for r in served[label])
        print(f"{label}: CPU until the first story {cpu} s", file=sys.stderr, flush=True)
        rows.append(
            [
                label,
                f"{warm[label]['sites']:,}",
                "–",
                f"{warm[label]['s']:.2f} / {warm[label]['cpu']:.2f}",
                f"{warm[label]['rss']:.0f} / {warm[label]['peak']:.0f}",
                serving(best),
                f"{best['rss0']:.0f} / {best['rss']:.0f} / {best['peak']:.0f}",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=40_000)
    parser.add_argument("--catalogue", type=Path)
    parser.add_argument(
        "--baseline", default="e3dfc5b", help="commit to compare with ('' for none)"
    )
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="compile the source in every process instead of once beforehand",
    )
    parser.add_argument(
        "--serve-only",
        action="store_true",
        help="no first load: one warm load each, then server starts taking turns",
    )
    args = parser.parse_args()
    root = args.catalogue or Path(f"/tmp/guide-bench-{args.sites}")
    ensure_catalogue(root, args.sites)
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
        versions = [("this version", PROJECT)]
        if args.baseline:
            versions.insert(0, (f"baseline {args.baseline}", temporary / "code"))
        if args.serve_only:
            for _, code in versions:
                bytecode_env(code, not args.no_bytecode)
            rows = measure_serving(versions, root, args.repeat)
        else:
            for label, code in versions:
                rows.append(measure(label, code, root, args.repeat, not args.no_bytecode))
                print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    finally:
        if temporary is not None:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(temporary / "code")],
                cwd=PROJECT,
                check=False,
                capture_output=True,
            )
            shutil.rmtree(temporary, ignore_errors=True)
    print(
        "| code | sites | first load s: wall / CPU | warm load s: wall / CPU "
        "| warm load MiB: resident / peak "
        "| serve s: listening / its CPU / first story / its CPU "
        "| serve MiB: at start / after story / peak |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nload average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    for instance in INSTANCES.values():
        shutil.rmtree(instance, ignore_errors=True)
    for env in ENVIRONMENTS.values():
        if "PYTHONPYCACHEPREFIX" in env:
            shutil.rmtree(env["PYTHONPYCACHEPREFIX"], ignore_errors=True)


if __name__ == "__main__":
    main()
