"""What a starting server does not spend its first seconds on."""

from __future__ import annotations

import subprocess
import sys

from builders import DEFAULT_SITES
from werkzeug.security import check_password_hash, generate_password_hash

from guide.workspace import accounts

# Libraries a page may need later, each loaded on first use rather than at start.
LATER = ("geopy", "requests", "folium", "pandas")


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
