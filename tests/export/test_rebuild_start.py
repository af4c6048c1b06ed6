"""A rebuild after one site changed: a fresh `guide build` loads only what its pages need."""

from __future__ import annotations

import shutil

import pytest
from builders import DEFAULT_SITES, run_guide

from guide.export.build import MANIFEST, build

# Runs `guide build` and says which of the given modules it loaded.
# The staff workspace, its sign-in limits and the listening half's staff pages: an
# export renders none of them, nor loads the Flask-Limiter and limits libraries;
# fontTools neither: the Hán-Nôm font's coverage was kept by the last build.
NOT_NEEDED = (
    "guide.web.admin.editor",
    "guide.web.admin.api",
    "guide.web.admin.imports",
    "guide.web.admin.auth",
    "guide.web.admin.throttle",
    "guide.web.listening.reach",
    "guide.web.listening.plaques",
    "flask_limiter",
    "limits",
    "sqlalchemy",
    "fontTools",
)


@pytest.fixture
def catalogue(tmp_path):
    sites = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, sites, ignore=shutil.ignore_patterns(".cache"))
    return sites


def run_build(out, sites, wanted: tuple[str, ...]) -> tuple[str, list[str]]:
    """Run `guide build OUT --sites SITES` in a fresh interpreter; return its line and loads."""
    return run_guide("build", str(out), "--sites", str(sites), modules=wanted)


def edit_narrative(sites) -> None:
    story = sites / "dinh-chem" / "story.vi.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nMột dòng thêm.\n", encoding="utf-8")


def files_of(folder):
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_a_one_site_rebuild_loads_none_of_the_staff_pages(catalogue, tmp_path):
    out = tmp_path / "out"
    build(out, catalogue)
    edit_narrative(catalogue)
    said, loaded = run_build(out, catalogue, (*NOT_NEEDED, "guide.web.public.story"))
    assert said.split(": ", 1)[1].startswith("6 written, ")
    # It rendered story pages through the guide's own views, and nothing of the workspace.
    assert loaded == ["guide.web.public.story"]


def test_a_rebuild_uses_the_templates_the_last_build_compiled(
    catalogue, tmp_path, private_instance, monkeypatch
):
    out = tmp_path / "out"
    run_build(out, catalogue, ())
    folder = private_instance / "template-cache"
    assert folder.stat().st_mode & 0o777 == 0o700
    kept = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    assert kept and all(name.startswith("build-") for name in kept)
    edit_narrative(catalogue)
    said, _ = run_build(out, catalogue, ())
    assert said.split(": ", 1)[1].startswith("6 written, ")
    # Nothing compiled again: every template the story pages use was found unchanged.
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == kept
    # And the pages are those of a build from scratch, with no compiled template.
    monkeypatch.setenv("GUIDE_INSTANCE", str(tmp_path / "empty-instance"))
    fresh = tmp_path / "fresh"
    build(fresh, catalogue)
    mine, theirs = files_of(out), files_of(fresh)
    assert sorted(set(mine) ^ set(theirs)) == []
    assert [name for name in mine if name != MANIFEST and mine[name] != theirs[name]] == []
