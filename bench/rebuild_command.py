"""Benchmark `guide build` as a command after one narrative changed: two versions of the code.

Run from the project folder, with the folder of another version of the code
(for example a worktree of main) to compare against:

    python bench/rebuild_command.py /tmp/base-worktree [runs]

For each version, in a fresh process every time, it builds a copy of the
shipped catalogue once (so the export exists), then ``runs`` times (5 unless
given), alternating between the versions: appends a line to one site's
Vietnamese narrative and times `guide build OUT --sites DIR`. Each version has
its own catalogue copy, export folder and instance folder (GUIDE_INSTANCE),
kept between its runs as a publisher's machine keeps them. Two ways of
loading the code: compiled beforehand into a bytecode folder of its own (as an
installed package is), and from source at every start (PYTHONDONTWRITEBYTECODE).
Prints the median and every run's wall and CPU seconds (the command's process and
its children, user + system), the files written, and the load average.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = "dinh-chem"
COMMAND = [sys.executable, "-c", "from guide.cli import main; main()"]


def environment(code: Path, work: Path, compiled: bool) -> dict[str, str]:
    """Return the environment that runs ``code``, its modules compiled first if ``compiled``."""
    env = {**os.environ, "PYTHONPATH": str(code), "GUIDE_INSTANCE": str(work / "instance")}
    if compiled:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(code / "guide")],
            env=env,
            check=True,
            capture_output=True,
            cwd=work,
        )
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def timed(env: dict[str, str], work: Path) -> tuple[float, float, str]:
    """Run `guide build` once; return its wall and CPU seconds and what it said."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [*COMMAND, "build", str(work / "out"), "--sites", str(work / "sites")],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        # Not the project folder: `python -c` puts the working folder first on the path.
        cwd=work,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip().split(": ", 1)[-1].split(";")[0]


def edit(work: Path, run: int) -> None:
    story = work / "sites" / SITE / "story.vi.md"
    with story.open("a", encoding="utf-8") as stream:
        stream.write(f"\nMột dòng thêm, lần {run}.\n")


def main(other: Path, runs: int) -> None:
    base = Path(tempfile.mkdtemp(prefix="guide-bench-rebuild-"))
    versions = {"before": other.resolve(), "after": ROOT}
    for compiled in (True, False):
        works = {name: base / f"{name}-{'compiled' if compiled else 'source'}" for name in versions}
        envs = {}
        for name, code in versions.items():
            work = works[name]
            work.mkdir()
            shutil.copytree(code / "sites", work / "sites", ignore=shutil.ignore_patterns(".cache"))
            envs[name] = environment(code, work, compiled)
            loaded = subprocess.run(
                [sys.executable, "-c", "import guide; print(guide.__file__)"],
                env=envs[name],
                cwd=work,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            assert loaded.startswith(str(code)), (name, loaded)
            timed(envs[name], work)  # the export to rebuild
            edit(work, 0)
            timed(envs[name], work)  # a first rebuild: what a build keeps is there
        figures: dict[str, list[tuple[float, float, str]]] = {name: [] for name in versions}
        load_start = os.getloadavg()
        for run in range(1, runs + 1):
            for name in versions:
                edit(works[name], run)
                figures[name].append(timed(envs[name], works[name]))
        load_end = os.getloadavg()
        print(
            f"\n{'compiled bytecode' if compiled else 'from source'}: load average "
            f"{load_start[0]:.2f} → {load_end[0]:.2f}"
        )
        for name, rows in figures.items():
            walls = [wall for wall, _, _ in rows]
            cpus = [cpu for _, cpu, _ in rows]
            print(
                f"  {name:6}: median {statistics.median(walls):.2f} s wall, "
                f"{statistics.median(cpus):.2f} s CPU; runs "
                + " ".join(f"{w:.2f}/{c:.2f}" for w, c, _ in rows)
                + f"; {rows[-1][2]}"
            )
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5)
