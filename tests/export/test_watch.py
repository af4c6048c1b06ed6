"""`guide build OUT --watch`: a real process following a copy of the shipped catalogue."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, PROJECT_ROOT

from guide.export.outputs import STAGING

STORY = "sites/dinh-chem/index.html"
# The first build of the shipped catalogue, at the load of a shared machine.
FIRST_BUILD_S = 240
# An edit is published within this: a look every 0.2 s, then the rebuild of a few pages.
PUBLISHED_S = 20


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Watcher:
    """`guide build OUT --watch` running, its lines read as they come."""

    def __init__(self, out: Path, sites: Path, project: Path = PROJECT_ROOT) -> None:
        env = {**os.environ, "PYTHONPATH": str(project), "PYTHONUNBUFFERED": "1"}
        command = "from guide.cli import main; main()"
        arguments = ["build", str(out), "--sites", str(sites), "--watch", "--every", "0.2"]
        self.process = subprocess.Popen(
            [sys.executable, "-c", command, *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            # `python -c` imports from its working folder first: the guide of ``project``.
            cwd=project,
            # As from a terminal: a test run started in the background inherits an ignored
            # SIGINT, which Python then leaves ignored.
            preexec_fn=_interruptible,
        )
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.said: list[tuple[str, str]] = []
        for name, stream in (("out", self.process.stdout), ("err", self.process.stderr)):
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()

    def _read(self, name: str, stream) -> None:
        with stream:
            for line in stream:
                self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, wanted: Callable[[str, str], bool], seconds: float) -> str:
        """Return the first new line (stream, text) that ``wanted`` accepts, within ``seconds``."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                name, line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.said.append((name, line))
            if wanted(name, line):
                return line
        raise AssertionError(f"not said within {seconds} s; said: {self.said[-20:]}")

    def stop(self, signum: int = signal.SIGINT) -> int:
        self.process.send_signal(signum)
        code = self.process.wait(timeout=60)
        time.sleep(0.2)  # the reading threads take the last lines
        while not self.lines.empty():
            self.said.append(self.lines.get())
        return code


@pytest.fixture
def catalogue(tmp_path) -> Path:
    sites = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, sites, ignore=shutil.ignore_patterns(".cache"))
    return sites


@pytest.fixture
def watcher(catalogue, tmp_path) -> Iterator[Watcher]:
    running = Watcher(tmp_path / "out", catalogue)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def narrative(page: Path) -> str:
    soup = BeautifulSoup(page.read_bytes(), "html.parser")
    return soup.find("div", class_="narrative").get_text(" ", strip=True)


def add_sentence(sites: Path, sentence: str) -> None:
    story = sites / "dinh-chem" / "story.vi.md"
    story.write_text(story.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def test_an_edit_is_published_by_the_watcher_and_a_broken_file_keeps_the_last_good_build(
    watcher, catalogue, tmp_path
):
    out = tmp_path / "out"
    watcher.wait_for(lambda name, line: "watching" in line, FIRST_BUILD_S)
    first = [line for name, line in watcher.said if " written, " in line]
    assert len(first) == 1 and " 0 unchanged" in first[0]
    assert (out / STORY).is_file() and not (out / STAGING).exists()

    add_sentence(catalogue, "Dân làng Chèm rước nước vào ngày hội.")
    edited_at = time.monotonic()
    line = watcher.wait_for(lambda name, line: " written, " in line, PUBLISHED_S)
    assert time.monotonic() - edited_at < PUBLISHED_S
    written = line.split(" s: ", 1)[1].split(", ")
    # The Vietnamese story page is rewritten, and the pages of no other site.
    assert STORY in written
    assert all("dinh-chem" in name for name in written)
    assert "Dân làng Chèm rước nước vào ngày hội." in narrative(out / STORY)
    assert not (out / STAGING).exists()

    # A site file that cannot be read: said on standard error, the folder stays as it was.
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    facts = catalogue / "dinh-chem" / "site.toml"
    good = facts.read_text(encoding="utf-8")
    facts.write_text(good.replace('slug = "dinh-chem"', 'slug = "dinh-chem'), encoding="utf-8")
    failed = watcher.wait_for(lambda name, line: "failed" in line, PUBLISHED_S)
    assert ("err", failed) in watcher.said
    assert "dinh-chem" in failed and "site.toml" in failed
    time.sleep(1)  # several looks later: still nothing written
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before
    assert watcher.process.poll() is None

    # Fixed, and edited again: the watcher kept going and publishes it.
    facts.write_text(good, encoding="utf-8")
    add_sentence(catalogue, "Hội làng mở vào tháng Hai âm lịch.")
    line = watcher.wait_for(lambda name, line: " written, " in line, PUBLISHED_S)
    assert STORY in line
    assert "Hội làng mở vào tháng Hai âm lịch." in narrative(out / STORY)

    assert watcher.stop(signal.SIGINT) == 0
    assert watcher.said[-1][1].endswith("stopped")
    assert not any("Traceback" in line for name, line in watcher.said)


def test_sigterm_during_a_build_ends_it_cleanly_and_writes_nothing(watcher, tmp_path):
    out = tmp_path / "out"
    # Pages are staged while the first build renders: stop it then.
    end = time.monotonic() + FIRST_BUILD_S
    while not (out / STAGING).is_dir():
        assert time.monotonic() < end and watcher.process.poll() is None
        time.sleep(0.02)
    assert watcher.stop(signal.SIGTERM) == 0
    assert not any("Traceback" in line for name, line in watcher.said)
    # Nothing of the stopped build reached the folder: no page, no manifest, no staging.
    assert not out.exists() or sorted(p.name for p in out.iterdir()) == []


def test_a_change_to_the_guides_code_starts_the_watcher_again(tmp_path):
    # A copy of the guide's code, so that a file of it can change under the watcher.
    project = tmp_path / "project"
    shutil.copytree(
        PROJECT_ROOT / "guide", project / "guide", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(PROJECT_ROOT / "templates", project / "templates")
    # No catalogue there: each build fails at once, and says so.
    running = Watcher(tmp_path / "out", tmp_path / "no-catalogue", project)
    try:
        running.wait_for(lambda name, line: "watching" in line, FIRST_BUILD_S)
        # Standard error and output are read apart: either line may come first.
        failed = next((line for name, line in running.said if "failed" in line), None)
        failed = failed or running.wait_for(lambda name, line: "failed" in line, PUBLISHED_S)
        assert "no-catalogue" in failed and "catalogue.toml" in failed
        module = project / "guide" / "export" / "search.py"
        module.write_text(module.read_text(encoding="utf-8") + "\n# changed\n", "utf-8")
        running.wait_for(lambda name, line: "starting again" in line, PUBLISHED_S)
        # Started again in the same process (it never ended), with the same arguments.
        running.wait_for(lambda name, line: "watching" in line, FIRST_BUILD_S)
        assert running.process.poll() is None
        assert running.stop(signal.SIGINT) == 0
        assert not any("Traceback" in line for name, line in running.said)
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


def test_rebuilds_with_the_kept_app_give_the_folder_a_build_from_scratch_gives(catalogue, tmp_path):
    from guide.export.build import build
    from guide.export.inputs import MANIFEST
    from guide.export.watch import Follower

    said: list[tuple[str, bool]] = []
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    follower = Follower(out, catalogue, "", "", lambda text, error: said.append((text, error)))
    follower.build()
    app = follower.app
    add_sentence(catalogue, "Một câu mới.")
    # Đình Chèm renamed and moved next to the Temple of Literature: many pages show it.
    facts = catalogue / "dinh-chem" / "site.toml"
    moved = []
    for line in facts.read_text(encoding="utf-8").splitlines():
        key = line.split(" =", 1)[0]
        changed = {"lat": "lat = 21.0286", "lon": "lon = 105.8355", "area": 'area = "006"'}
        moved.append(changed.get(key, line).replace('vi = "Đình Chèm', 'vi = "Đình làng Chèm', 1))
    facts.write_text("\n".join(moved) + "\n", encoding="utf-8")
    report = follower.build()
    assert follower.app is app and report is not None
    assert any("van-mieu" in name for name in report.written)
    assert not any(error for text, error in said)
    build(scratch, catalogue)
    mine = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    theirs = {p.relative_to(scratch): p.read_bytes() for p in scratch.rglob("*") if p.is_file()}
    assert sorted(set(mine) ^ set(theirs)) == []
    assert [name for name in mine if name.name != MANIFEST and mine[name] != theirs[name]] == []
