"""Benchmark `guide build`: full, unchanged and one-site rebuilds, and 6,000 generated sites.

Run from the project folder:

    python bench/build.py             # shipped catalogue, then 6,000 generated sites
    python bench/build.py 600 6000    # other generated sizes (0: shipped catalogue only)

For the shipped catalogue (copied to a temporary folder, so that a site can be
edited) it times, in one process: a full build into an empty folder, a build
with nothing changed, a build after editing one site's narrative, and a build
after renaming one site (its name shows on lists and the map, so more pages
depend on it). Each build also runs once as the `guide build` command in a
fresh process, which adds Python's start-up and imports. The baseline in the
same run is the full build: the speed-up of each rebuild is against it. For
generated catalogues (bench/catalogue.py writes them) it times a full build, a
build with nothing changed (also as the command) and one after editing a
site's narrative.
Every build prints its seconds, files written and kept, and the folder's files
and bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from catalogue import make_catalogue  # noqa: E402

from guide.export.build import BuildReport, build  # noqa: E402

SITE = "dinh-chem"
COMMAND = [sys.executable, "-c", "from guide.cli import main; main()"]


def in_process(out: Path, sites: Path) -> BuildReport:
    """Build and return the report, with the wall time of the whole call."""
    start = time.perf_counter()
    report = build(out, sites)
    report.seconds = time.perf_counter() - start
    return report


def as_command(out: Path, sites: Path) -> float:
    """Return the wall time of `guide build OUT --sites SITES` in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run(
        [*COMMAND, "build", str(out), "--sites", str(sites)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def row(label: str, report: BuildReport, command_s: float | None, full_s: float) -> str:
    command = f"{command_s:.2f}" if command_s is not None else "–"
    speed = f"{full_s / report.seconds:.0f}×" if report.seconds < full_s * 0.9 else "–"
    return (
        f"| {label} | {report.seconds:.2f} | {command} | {len(report.written):,} "
        f"| {report.kept:,} | {report.files:,} | {report.bytes / 1e6:.1f} | {speed} |"
    )


HEADER = (
    "| build | in process (s) | `guide build` command (s) | files written | kept "
    "| files in folder | MB | speed-up vs full |\n|---|---:|---:|---:|---:|---:|---:|---:|"
)


def edit_story(sites: Path) -> None:
    story = sites / SITE / "story.vi.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")


def rename(sites: Path, suffix: str) -> None:
    facts = sites / SITE / "site.toml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace('vi = "Đình Chèm', f'vi = "Đình Chèm{suffix}', 1), "utf-8")


def shipped() -> None:
    print("Shipped catalogue (sites/):\n")
    print(HEADER)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        sites = work / "sites"
        shutil.copytree(ROOT / "sites", sites, ignore=shutil.ignore_patterns(".cache"))
        full = in_process(work / "out", sites)
        full_command = as_command(work / "out-command", sites)
        print(row("full, empty folder", full, full_command, full.seconds), flush=True)
        same = in_process(work / "out", sites)
        same_command = as_command(work / "out-command", sites)
        print(row("nothing changed", same, same_command, full.seconds), flush=True)
        edit_story(sites)
        story = in_process(work / "out", sites)
        edit_story(sites)
        story_command = as_command(work / "out-command", sites)
        edit_story(sites)
        in_process(work / "out-command", sites)  # keep the command's folder level
        print(row("one narrative edited", story, story_command, full.seconds), flush=True)
        rename(sites, " ")
        renamed = in_process(work / "out", sites)
        rename(sites, " ")
        renamed_command = as_command(work / "out-command", sites)
        print(row("one site renamed", renamed, renamed_command, full.seconds), flush=True)


def generated(sizes: list[int]) -> None:
    print("\nGenerated catalogues (bench/catalogue.py):\n")
    print(HEADER)
    for n in sizes:
        with tempfile.TemporaryDirectory() as temporary:
            work = Path(temporary)
            sites = work / "sites"
            sites.mkdir()
            make_catalogue(sites, n)
            full = in_process(work / "out", sites)
            print(row(f"{n:,} sites, full", full, None, full.seconds), flush=True)
            same = in_process(work / "out", sites)
            same_command = as_command(work / "out", sites)
            print(
                row(f"{n:,} sites, nothing changed", same, same_command, full.seconds), flush=True
            )
            story = sites / "di-tich-0" / "story.vi.md"
            story.write_text(story.read_text(encoding="utf-8") + "\nThêm một câu.\n", "utf-8")
            edited = in_process(work / "out", sites)
            print(row(f"{n:,} sites, one narrative edited", edited, None, full.seconds), flush=True)


def main(arguments: list[str]) -> None:
    sizes = [int(arg) for arg in arguments] or [6000]
    print(f"load average at the start: {os.getloadavg()[0]:.1f}\n")
    shipped()
    sizes = [n for n in sizes if n > 0]
    if sizes:
        generated(sizes)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
