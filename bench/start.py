"""Where a server's start and a one-site `guide build` go, against a baseline folder, taking turns.

Run from the project folder, with the baseline checked out beside it:

    git worktree add /tmp/base-start6 main
    python bench/start.py serve --baseline /tmp/base-start6 --catalogue /tmp/snap/cat40k --repeat 5
    python bench/start.py build --baseline /tmp/base-start6 --repeat 5

``serve``: in a fresh process per run, the CPU seconds of the catalogue's load (timed
around ``load_catalogue``), of the rest of ``create_app`` (imports and setup) and of
the first story page (``/sites/di-tich-0`` through the test client); medians of
``--repeat`` runs after one that makes the version's instance folder (kept, as a
restarted server keeps its own). ``build``: the shipped catalogue copied once per
version and built; then, ``--repeat`` times, one narrative edited and ``guide build``
run as a command, wall and CPU seconds (the command's and its children's), and the
two outputs compared at the end. CPU is the figure to read on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

START = r"""
import json, sys, time
c0 = time.process_time(); w0 = time.perf_counter()
import guide.web.loaded as loaded
spent = {}
real = loaded.load_catalogue
def timed(*a, **k):
    t = time.process_time(); r = real(*a, **k); spent["load"] = time.process_time() - t; return r
loaded.load_catalogue = timed
from guide import create_app
app = create_app({"GUIDE_SITES": sys.argv[1]})
c1 = time.process_time()
r = app.test_client().get("/sites/di-tich-0", headers={"Accept": "text/html"})
assert r.status_code == 200, r.status_code
c2 = time.process_time(); w2 = time.perf_counter()
print(json.dumps({"load": spent["load"], "start": c1 - c0, "story": c2 - c1, "wall": w2 - w0,
  "sqlalchemy": "sqlalchemy" in sys.modules}))
"""


def environment(code: Path, work: Path) -> dict[str, str]:
    """Return the environment of ``code``'s processes, its modules compiled first."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / f"bytecode-{code.name}")
    env["GUIDE_INSTANCE"] = str(work / f"instance-{code.name}")
    compile_all = [sys.executable, "-m", "compileall", "-q", str(code / "guide")]
    subprocess.run(compile_all, env=env, check=True, capture_output=True)
    return env


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def serve(versions: list[tuple[str, Path]], catalogue: Path, repeat: int, work: Path) -> None:
    envs = {label: environment(code, work) for label, code in versions}
    runs: dict[str, list[dict]] = {label: [] for label, _ in versions}
    for turn in range(repeat + 1):
        for label, code in versions:
            command = [sys.executable, "-c", START, str(catalogue)]
            done = subprocess.run(
                command, cwd=code, env=envs[label], check=True, capture_output=True, text=True
            )
            run = json.loads(done.stdout.strip().splitlines()[-1])
            print(label, run, file=sys.stderr, flush=True)
            if turn:  # the first run of each made its instance folder
                runs[label].append(run)
    print(
        "| code | runs | catalogue load CPU s | rest of the start CPU s | first story CPU s "
        "| start and story without the load, CPU s | wall s to the first story "
        "| SQLAlchemy loaded |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, _ in versions:
        rs = runs[label]
        rest = [r["start"] - r["load"] for r in rs]
        print(
            f"| {label} | {len(rs)} | {median([r['load'] for r in rs]):.2f} | {median(rest):.2f} "
            f"| {median([r['story'] for r in rs]):.2f} "
            f"| {median([a + r['story'] for a, r in zip(rest, rs, strict=True)]):.2f} "
            f"| {median([r['wall'] for r in rs]):.2f} | {'yes' if rs[0]['sqlalchemy'] else 'no'} |"
        )


def build(versions: list[tuple[str, Path]], repeat: int, work: Path) -> None:
    setups = {}
    for label, code in versions:
        env = environment(code, work)
        sites = work / f"sites-{code.name}"
        shutil.copytree(code / "sites", sites, ignore=shutil.ignore_patterns(".cache"))
        out = work / f"out-{code.name}"
        command = [sys.executable, "-m", "guide.cli", "build", str(out), "--sites", str(sites)]
        subprocess.run(command, cwd=code, env=env, check=True, capture_output=True)
        setups[label] = (code, env, sites, out, command)
    walls: dict[str, list[float]] = {label: [] for label, _ in versions}
    cpus: dict[str, list[float]] = {label: [] for label, _ in versions}
    for turn in range(repeat):
        for label, _ in versions:
            code, env, sites, out, command = setups[label]
            story = sites / "dinh-chem" / "story.vi.md"
            text = story.read_text(encoding="utf-8")
            story.write_text(text + f"\n<!-- edit {turn} -->\n", encoding="utf-8")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(
                command, cwd=code, env=env, check=True, capture_output=True, text=True
            )
            walls[label].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            cpus[label].append(cpu)
            print(label, f"{walls[label][-1]:.2f}", done.stdout.strip(), file=sys.stderr)
    print("| code | wall s, each | wall s, median | CPU s, each | CPU s, median |")
    print("|---|---|---:|---|---:|")
    for label, _ in versions:
        each = ", ".join(f"{x:.2f}" for x in walls[label])
        cpu_each = ", ".join(f"{x:.2f}" for x in cpus[label])
        print(
            f"| {label} | {each} | {median(walls[label]):.2f} "
            f"| {cpu_each} | {median(cpus[label]):.2f} |"
        )
    outs = [setups[label][3] for label, _ in versions]
    compare = ["diff", "-r", "-q", "-x", ".guide-build.json", *map(str, outs)]
    differ = subprocess.run(compare, capture_output=True, text=True).stdout
    print("\noutputs differ:\n" + differ if differ else "\noutputs identical but the manifest")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("serve", "build"))
    parser.add_argument("--baseline", type=Path, required=True, help="folder of the other code")
    parser.add_argument("--catalogue", type=Path, default=PROJECT / "sites")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    versions = [(f"baseline {args.baseline}", args.baseline), ("this version", PROJECT)]
    work = Path(tempfile.mkdtemp(prefix="guide-bench-start-"))
    load = os.getloadavg()[0]
    try:
        if args.what == "serve":
            serve(versions, args.catalogue, args.repeat, work)
        else:
            build(versions, args.repeat, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
