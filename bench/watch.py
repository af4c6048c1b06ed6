"""Benchmark publishing one edit: `guide build --watch` against the `guide build` command.

Run from the project folder:

    python bench/watch.py          # 5 edits each way, the watcher looking every 1 s
    python bench/watch.py 9 0.2    # 9 edits each way, looking every 0.2 s

On a copy of the shipped catalogue (in a temporary folder), a watcher
(`guide build OUT --watch --every SECONDS`) runs in its own process. Each round
waits a random part of the watcher's period (so that edits fall anywhere
between two of its looks), appends a sentence to Đình Chèm's Vietnamese
narrative and times, from the
moment the file is saved, until the story page in the watcher's folder holds
the sentence (the page is polled every 5 ms); the rebuild's own seconds (its
check of the inputs, the catalogue's reload and the build) are taken from the
line the watcher prints. Then, in the same round, it edits a second
copy of the catalogue (so that the watcher is idle meanwhile) and times
`guide build OUT2` on it as a command in a fresh process, until it returns with
the page written (the way a timer or a hook publishes). Both folders were built
in full before the first round. Median, lowest and highest of each are printed.
"""

from __future__ import annotations

import os
import queue
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-c", "from guide.cli import main; main()"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
STORY = Path("sites/dinh-chem/index.html")


def edit(sites: Path, sentence: str) -> None:
    story = sites / "dinh-chem" / "story.vi.md"
    story.write_text(story.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def wait_for_text(page: Path, text: str, limit: float = 120.0) -> float:
    """Return the time.perf_counter() at which ``page`` first holds ``text``."""
    end = time.perf_counter() + limit
    while time.perf_counter() < end:
        try:
            if text in page.read_text(encoding="utf-8"):
                return time.perf_counter()
        except FileNotFoundError:
            pass
        time.sleep(0.005)
    raise SystemExit(f"{page} did not show {text!r} within {limit} s")


def line_seconds(line: str) -> float:
    return float(line.split(" bytes in ", 1)[1].split(" s", 1)[0])


def resident_mb(pid: int) -> float:
    """Return the resident memory of process ``pid`` in MB (Linux), or 0."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    kb = next((line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")), 0)
    return int(kb) / 1024


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def main(arguments: list[str]) -> None:
    rounds = int(arguments[0]) if arguments else 5
    every = arguments[1] if len(arguments) > 1 else "1"
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        # A catalogue each: the watcher never rebuilds while the command runs.
        sites, other = work / "sites", work / "sites-command"
        for folder in (sites, other):
            shutil.copytree(ROOT / "sites", folder, ignore=shutil.ignore_patterns(".cache"))
        watched, built = work / "out-watch", work / "out-command"
        subprocess.run([*COMMAND, "build", str(built), "--sites", str(other)], env=ENV, check=True)
        arguments = ["build", str(watched), "--sites", str(sites), "--watch", "--every", every]
        watcher = subprocess.Popen(
            [*COMMAND, *arguments], env=ENV, stdout=subprocess.PIPE, text=True
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: [lines.put(line) for line in watcher.stdout], daemon=True
        ).start()
        try:
            while "watching" not in lines.get(timeout=300):
                pass
            first_mb = resident_mb(watcher.pid)
            published, rebuilds, commands = [], [], []
            for number in range(rounds):
                # Edits fall anywhere between two of the watcher's looks.
                time.sleep(random.uniform(0, float(every)))
                sentence = f"Câu thứ {number} của người biên tập, đo lúc {time.time():.3f}."
                edit(sites, sentence)
                saved = time.perf_counter()
                published.append(wait_for_text(watched / STORY, sentence) - saved)
                line = lines.get(timeout=60)
                while " written, " not in line:
                    line = lines.get(timeout=60)
                rebuilds.append(line_seconds(line))
                sentence += " (lệnh)"
                edit(other, sentence)
                saved = time.perf_counter()
                subprocess.run(
                    [*COMMAND, "build", str(built), "--sites", str(other)],
                    env=ENV,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                wait_for_text(built / STORY, sentence, limit=1)
                commands.append(time.perf_counter() - saved)
                print(
                    f"round {number + 1}: watcher {published[-1]:.2f} s "
                    f"(its rebuild {rebuilds[-1]:.2f} s), command {commands[-1]:.2f} s",
                    flush=True,
                )
            last_mb = resident_mb(watcher.pid)
        finally:
            watcher.terminate()
            watcher.wait(timeout=60)
    print(
        f"\n{rounds} edits of one narrative, shipped catalogue, watcher looking every {every} s; "
        f"load average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    print("| published by | edit → page written (s), median (range) |\n|---|---:|")
    print(f"| `guide build --watch --every {every}` | {spread(published)} |")
    print(f"| … of which its rebuild | {spread(rebuilds)} |")
    print(f"| `guide build` command | {spread(commands)} |")
    print(
        f"\nwatcher's resident memory: {first_mb:.0f} MB after its first build, "
        f"{last_mb:.0f} MB after the last edit"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
