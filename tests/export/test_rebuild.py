"""Builds with nothing to do: said without loading the guide, and only when nothing changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, PROJECT_ROOT

from guide.export.build import MANIFEST, build

# Runs `guide build` and says which of the guide's heavy libraries it loaded.
COMMAND = """
import sys
from guide.cli import main
main(sys.argv[1:], standalone_mode=False)
heavy = ("flask", "jinja2", "sqlalchemy", "shapely", "numpy")
loaded = [name for name in heavy if name in sys.modules]
print("LOADED", ",".join(loaded))
"""


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    sites = tmp_path_factory.mktemp("rebuild") / "sites"
    shutil.copytree(DEFAULT_SITES, sites, ignore=shutil.ignore_patterns(".cache"))
    return sites


def files_of(folder):
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def run_command(*arguments: str) -> tuple[str, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", COMMAND, "build", *arguments],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    lines = done.stdout.splitlines()
    return lines[0], [name for name in lines[-1].removeprefix("LOADED ").split(",") if name]


def test_a_build_with_nothing_changed_writes_nothing_and_loads_no_web_app(catalogue, tmp_path):
    out = tmp_path / "out"
    first = build(out, catalogue)
    before = files_of(out)
    said, loaded = run_command(str(out), "--sites", str(catalogue))
    counts = said.split(": ", 1)[1].rsplit(" in ", 1)[0]
    assert counts == (
        f"0 written, {first.files} unchanged, 0 removed; {first.files} files, {first.bytes} bytes"
    )
    assert loaded == []
    assert files_of(out) == before
    # The same in process: the report counts what the folder holds.
    again = build(out, catalogue)
    assert (again.written, again.kept, again.files, again.bytes) == (
        [],
        first.files,
        first.files,
        first.bytes,
    )


def test_a_file_gone_from_the_folder_is_written_again(catalogue, tmp_path):
    out = tmp_path / "out"
    build(out, catalogue)
    page = out / "en" / "sites" / "dinh-chem" / "index.html"
    expected = page.read_bytes()
    page.unlink()
    report = build(out, catalogue)
    assert report.written == ["en/sites/dinh-chem/index.html"]
    assert page.read_bytes() == expected


def test_another_public_address_or_an_edited_file_is_not_nothing_changed(catalogue, tmp_path):
    out = tmp_path / "out"
    build(out, catalogue)
    report = build(out, catalogue, base_url="https://example.org")
    assert "en/sites/dinh-chem/index.html" in report.written
    soup = BeautifulSoup((out / "en/sites/dinh-chem/index.html").read_bytes(), "html.parser")
    assert soup.find("link", rel="canonical")["href"].startswith("https://example.org/")
    # An edit the catalogue's own cache cannot hide: a file of a site's folder.
    story = catalogue / "dinh-chem" / "story.vi.md"
    original = story.read_text(encoding="utf-8")
    try:
        story.write_text(original + "\nMột câu mới.\n", encoding="utf-8")
        said, loaded = run_command(
            str(out), "--sites", str(catalogue), "--base-url", "https://example.org"
        )
        written = int(said.split(": ", 1)[1].split(" written")[0])
        assert 0 < written < 20
        assert "flask" in loaded
        assert "Một câu mới." in (out / "sites/dinh-chem/index.html").read_text(encoding="utf-8")
    finally:
        story.write_text(original, encoding="utf-8")


def test_a_broken_manifest_means_a_build_not_an_error(catalogue, tmp_path):
    out = tmp_path / "out"
    first = build(out, catalogue)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    (out / MANIFEST).write_text(json.dumps({**manifest, "outputs": "?"}), encoding="utf-8")
    report = build(out, catalogue)
    assert report.files == first.files and (out / MANIFEST).is_file()
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["outputs"] != "?"
