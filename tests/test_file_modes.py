"""File modes: what the guide writes for people follows the umask; the database stays private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from builders import DEFAULT_SITES, make_staff_app

from guide.catalogue.store import atomic_write_bytes, write_site_folder
from guide.cli import main


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_atomic_writes_get_the_umask_mode(tmp_path, umask):
    atomic_write_bytes(tmp_path / "export.csv", b"slug\n")
    assert mode(tmp_path / "export.csv") == 0o666 & ~umask


def test_a_secret_written_atomically_stays_private(tmp_path, umask):
    atomic_write_bytes(tmp_path / "secret", b"x", mode=0o600)
    assert mode(tmp_path / "secret") == 0o600


def test_a_new_site_folder_and_its_files_are_readable_like_any_other(tmp_path, umask):
    folder = write_site_folder(tmp_path, "dinh-a", {"slug": "dinh-a"}, {"vi": "Chuyện.\n"})
    assert mode(folder) == 0o777 & ~umask
    assert mode(folder / "site.toml") == mode(folder / "story.vi.md") == 0o666 & ~umask


def test_exports_and_signs_from_the_command_line_are_readable(runner, tmp_path, umask):
    out = tmp_path / "sites.geojson"
    result = runner.invoke(main, ["export", "--format", "geojson", "--sites", str(DEFAULT_SITES),
                                  "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o666 & ~umask
    signs = tmp_path / "signs"
    result = runner.invoke(
        main,
        ["qr", "--sites", str(DEFAULT_SITES), "--site", "dinh-chem", "--format", "svg",
         "--base-url", "https://guide.example", "--out", str(signs)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = [p for p in signs.rglob("*") if p.is_file()]
    assert written and all(mode(p) == 0o666 & ~umask for p in written)


def test_the_database_is_created_private(tmp_path, umask):
    make_staff_app(DEFAULT_SITES, tmp_path)
    assert mode(tmp_path / "guide.sqlite3") == 0o600


def test_an_existing_readable_database_is_made_private(tmp_path, umask):
    database = tmp_path / "guide.sqlite3"
    database.touch()
    database.chmod(0o644)
    make_staff_app(DEFAULT_SITES, tmp_path)
    assert mode(database) == 0o600
