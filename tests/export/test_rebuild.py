"""Builds with nothing to do: said without loading the guide, and only when nothing changed."""

from __future__ import annotations

import json
import shutil

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, run_guide

from guide.export.build import MANIFEST, build

# Runs `guide build` and says which of the guide's heavy libraries it loaded.
HEAVY = ("flask", "jinja2", "sqlalchemy", "shapely", "numpy")


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
    """Run `guide build ARGUMENTS` in a fresh process; return its line and heavy modules loaded."""
    return run_guide("build", *arguments, modules=HEAVY)


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


def test_after_an_edit_then_a_move_the_folder_is_the_build_from_scratch(tmp_path):
    # The edit keeps every site's neighbours (taken from the last build); the move
    # changes them, on the moved site's pages and on those of the sites around it.
    sites = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, sites, ignore=shutil.ignore_patterns(".cache"))
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    build(out, sites)
    story = sites / "dinh-chem" / "story.vi.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    edited = build(out, sites)
    assert edited.written and all("dinh-chem" in name for name in edited.written)
    facts = sites / "dinh-chem" / "site.toml"
    lines = facts.read_text(encoding="utf-8").splitlines()
    # Đình Chèm moves next to the Temple of Literature, far from where it was.
    moved = []
    for line in lines:
        key = line.split(" =", 1)[0]
        moved.append(
            {"lat": "lat = 21.0286", "lon": "lon = 105.8355", "area": 'area = "006"'}.get(key, line)
        )
    assert moved != lines
    facts.write_text("\n".join(moved) + "\n", encoding="utf-8")
    report = build(out, sites)
    build(scratch, sites)
    mine, theirs = files_of(out), files_of(scratch)
    assert sorted(set(mine) ^ set(theirs)) == []
    assert [name for name in mine if name != MANIFEST and mine[name] != theirs[name]] == []
    assert any("van-mieu" in name for name in report.written)
