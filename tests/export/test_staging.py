"""A full build into an empty folder shows nothing until done; later builds are incremental."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from builders import DEFAULT_SITES, PROJECT_ROOT

from guide.export.build import MANIFEST, build
from guide.export.outputs import STAGING

# A full build of the shipped catalogue at the load of a shared machine.
BUILD_S = 240
COMMAND = "from guide.cli import main; main()"


@pytest.fixture
def catalogue(tmp_path):
    sites = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, sites, ignore=shutil.ignore_patterns(".cache"))
    return sites


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def files_of(folder):
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and STAGING not in path.parts
    }


def test_a_full_build_stopped_while_rendering_leaves_the_empty_folder_empty(catalogue, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", COMMAND, "build", str(out), "--sites", str(catalogue)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=PROJECT_ROOT,
        preexec_fn=_interruptible,
    )
    try:
        end = time.monotonic() + BUILD_S
        staged_pages = out / STAGING / "sites"
        # Stopped once story pages are being written, as Ctrl-C would stop it.
        while not (staged_pages.is_dir() and any(staged_pages.iterdir())):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < end, "no story page was staged"
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode != 0
    # No page, no half of the export, no staged files: the folder is as it was.
    assert list(out.iterdir()) == []


def test_after_a_full_build_into_an_empty_folder_an_edit_rebuilds_only_its_pages(
    catalogue, tmp_path
):
    out = tmp_path / "out"
    first = build(out, catalogue)
    assert first.kept == 0 and len(first.written) == first.files
    assert (out / MANIFEST).is_file() and not (out / STAGING).exists()
    story = catalogue / "dinh-chem" / "story.vi.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nLàng Chèm mở hội.\n", "utf-8")
    again = build(out, catalogue)
    assert "sites/dinh-chem/index.html" in again.written
    assert len(again.written) < 10 and again.kept == first.files - len(again.written)
    assert "Làng Chèm mở hội." in (out / "sites/dinh-chem/index.html").read_text("utf-8")
    # The same as a build from scratch of the edited catalogue.
    scratch = tmp_path / "scratch"
    build(scratch, catalogue)
    assert files_of(out).keys() == files_of(scratch).keys()
    assert {k: v for k, v in files_of(out).items() if k != MANIFEST} == {
        k: v for k, v in files_of(scratch).items() if k != MANIFEST
    }


def test_a_full_build_into_a_folder_with_other_files_keeps_them(catalogue, tmp_path):
    out = tmp_path / "out"
    (out / "sites").mkdir(parents=True)
    (out / "sites" / "README.txt").write_text("the host's own file", encoding="utf-8")
    (out / "CNAME").write_text("guide.example.org", encoding="utf-8")
    report = build(out, catalogue)
    assert (out / "sites" / "README.txt").read_text(encoding="utf-8") == "the host's own file"
    assert (out / "CNAME").read_text(encoding="utf-8") == "guide.example.org"
    assert (out / "sites/dinh-chem/index.html").is_file() and report.kept == 0
    assert not (out / STAGING).exists()
