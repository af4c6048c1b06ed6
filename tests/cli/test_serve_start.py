"""What a starting server does not spend its first seconds on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from browsing import free_port
from builders import DEFAULT_SITES
from werkzeug.security import check_password_hash, generate_password_hash

from guide.workspace import accounts

# Libraries a page may need later, each loaded on first use rather than at start.
LATER = ("geopy", "requests", "folium", "pandas")
# Signs and codes are drawn when staff download one, photos read when a page shows one,
# the database (SQLAlchemy) reached when a request or a batch of counts first uses it.
FIRST_USE = ("reportlab", "qrcode", "PIL", "sqlalchemy", "flask_sqlalchemy")


def imported(code: str, tmp_path, wanted: tuple[str, ...]) -> list[str]:
    """Return which of ``wanted`` a fresh interpreter has imported after running ``code``."""
    code += f"\nimport sys\nprint(' '.join(name for name in {wanted!r} if name in sys.modules))\n"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=DEFAULT_SITES.parent,
        env={
            "PYTHONPATH": str(DEFAULT_SITES.parent),
            "PATH": "/usr/bin:/bin",
            "GUIDE_INSTANCE": str(tmp_path),
        },
    )
    return result.stdout.split()


def test_the_server_starts_without_the_libraries_of_later_pages(tmp_path):
    code = f"from guide import create_app\ncreate_app({{'GUIDE_SITES': {str(DEFAULT_SITES)!r}}})"
    assert imported(code, tmp_path, LATER) == []


def test_the_server_starts_without_the_sign_and_photo_libraries(tmp_path):
    code = f"from guide import create_app\ncreate_app({{'GUIDE_SITES': {str(DEFAULT_SITES)!r}}})"
    assert imported(code, tmp_path, FIRST_USE) == []


def broken_copy(tmp_path):
    """Return a catalogue (the shipped one's settings and areas) that lists no language."""
    folder = tmp_path / "sites"
    folder.mkdir()
    for name in ("catalogue.toml", "areas.geojson"):
        shutil.copy(DEFAULT_SITES / name, folder / name)
    config = folder / "catalogue.toml"
    text = config.read_text(encoding="utf-8").replace('languages = ["vi", "en"]', "languages = []")
    config.write_text(text, encoding="utf-8")
    return folder


def serve_broken(tmp_path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "guide.cli", "serve", "--port", str(free_port()), *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=DEFAULT_SITES.parent,
        env={**os.environ, "PYTHONPATH": str(DEFAULT_SITES.parent), **env},
    )


@pytest.mark.parametrize("given", ["flag", "environment"])
def test_a_catalogue_that_cannot_load_stops_the_start_with_its_message(tmp_path, given):
    folder = broken_copy(tmp_path)
    instance = {"GUIDE_INSTANCE": str(tmp_path / "instance")}
    if given == "flag":
        result = serve_broken(tmp_path, ["--sites", str(folder)], instance)
    else:
        result = serve_broken(tmp_path, [], {**instance, "GUIDE_SITES": str(folder)})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {folder / 'catalogue.toml'}: languages: list at least one language, "
        "such as ['vi', 'en']"
    ]
    assert "Red Addresses Guide on" not in result.stderr


def test_the_serve_command_is_found_without_the_other_commands_libraries(tmp_path):
    code = "from guide.cli import main\nmain.get_command(None, 'serve')"
    # reportlab draws signs (guide qr), pandas and folium serve imports and exports.
    assert imported(code, tmp_path, (*LATER, "reportlab", "flask")) == []


def test_an_unknown_name_costs_what_a_known_one_does():
    # The stand-in hash has the parameters werkzeug gives new passwords (so checking it
    # takes as long), and no password of anybody matches it.
    fresh = generate_password_hash("a long enough password", method="scrypt")
    assert accounts._DUMMY_HASH.split("$")[0] == fresh.split("$")[0]
    assert check_password_hash(accounts._DUMMY_HASH, "not a password of anybody")
