"""Leftovers of interrupted writes: ``guide check`` warns with the fix, ``--fix`` tidies safely."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import tomli_w
from builders import site_facts, write_site

from guide.cli import main

# The module's own setting of the environment, for every test in it.
pytestmark = pytest.mark.usefixtures("database")

PHOTO = b"\xff\xd8\xff\xe0 not really a jpeg"


def check(runner, root: Path, *extra: str):
    return runner.invoke(main, ["check", "--sites", str(root), *extra])


def old(path: Path) -> Path:
    stamp = time.time() - 3600
    os.utime(path, (stamp, stamp))
    return path


def test_an_old_temporary_file_is_reported_then_removed(runner, make_catalogue):
    # A short test story, declared so: guide check warns of it and still passes.
    root = make_catalogue(site_facts(needs_story=True))
    stale = root / "dinh-chem" / ".site.toml.abc123.tmp"  # the names store.py's mkstemp makes
    stale.write_bytes(b"half")
    old(stale)
    fresh = root / "dinh-chem" / ".story.vi.md.def456.tmp"
    fresh.write_bytes(b"being written")
    result = check(runner, root)
    assert result.exit_code == 0
    assert f"warning: {root / 'dinh-chem' / 'site.toml'}: {stale.name}: a temporary file" in (
        result.output
    )
    assert "guide check --fix removes it" in result.output
    fixed = check(runner, root, "--fix")
    assert not stale.exists()
    assert fresh.exists(), "a temporary file younger than a minute may be a write in progress"
    assert f"removed {stale}" in fixed.output
    warned = [line for line in fixed.output.splitlines() if line.startswith("warning:")]
    assert any(fresh.name in line for line in warned)
    assert not any(stale.name in line for line in warned)


def test_an_unlisted_upload_is_moved_to_orphans_and_listed_files_stay(runner, make_catalogue):
    media = [{"file": "gate.jpg", "caption": {}, "credit": "", "licence": ""}]
    facts = site_facts(media=media, needs_story=True)
    root = make_catalogue(facts)
    (root / "dinh-chem" / "gate.jpg").write_bytes(PHOTO)
    (root / "dinh-chem" / "upload-1.jpg").write_bytes(PHOTO)
    (root / "dinh-chem" / "web").mkdir()
    (root / "dinh-chem" / "web" / "gate.480.jpg").write_bytes(PHOTO)
    result = check(runner, root)
    assert "upload-1.jpg: neither the site nor any revision lists this file" in result.output
    assert "gate.jpg: neither" not in result.output
    check(runner, root, "--fix")
    assert (root / "_orphans" / "dinh-chem" / "upload-1.jpg").read_bytes() == PHOTO
    assert not (root / "dinh-chem" / "upload-1.jpg").exists()
    assert (root / "dinh-chem" / "gate.jpg").exists()
    assert (root / "dinh-chem" / "web" / "gate.480.jpg").exists()
    again = check(runner, root)
    assert again.exit_code == 0 and "neither the site" not in again.output
    assert "_orphans" not in {p.name for p in root.iterdir() if (p / "site.toml").exists()}


def test_sites_without_a_revision_get_one_and_files_a_revision_lists_stay(runner, make_catalogue):
    from guide.workspace.db import database_context
    from guide.workspace.editing import record_revision, revisions, snapshot

    root = make_catalogue(site_facts())
    write_site(root, site_facts(slug="dinh-hai", code="7K2R", lat=21.0941, lon=105.7745,
                                name={"vi": "Đình Hai"}))  # fmt: skip
    # dinh-chem once listed old.jpg in a revision; the current site.toml no longer does.
    listed_once = site_facts(
        media=[{"file": "old.jpg", "caption": {}, "credit": "", "licence": ""}]
    )
    with database_context():
        record_revision("dinh-chem", {"site.toml": tomli_w.dumps(listed_once)}, "ana", "photo")
    (root / "dinh-chem" / "old.jpg").write_bytes(PHOTO)
    (root / "dinh-chem" / "lost.jpg").write_bytes(PHOTO)
    result = check(runner, root)
    assert f"warning: {root / 'dinh-hai' / 'site.toml'}: no revision recorded" in result.output
    assert "dinh-chem/site.toml: no revision" not in result.output
    assert "lost.jpg: neither" in result.output and "old.jpg: neither" not in result.output
    fixed = check(runner, root, "--fix")
    assert "recorded revision 1 of dinh-hai" in fixed.output
    with database_context():
        (first,) = revisions("dinh-hai")
        assert first.files == snapshot(root / "dinh-hai", ("vi", "en"))
        assert first.summary == "as found in the catalogue folder"
    assert (root / "dinh-chem" / "old.jpg").exists(), "a revision needs it to be restored"
    assert (root / "_orphans" / "dinh-chem" / "lost.jpg").exists()
    again = check(runner, root)
    assert "no revision recorded" not in again.output and "neither" not in again.output
