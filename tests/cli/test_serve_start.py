"""What a starting server does not spend its first seconds on."""

from __future__ import annotations

import subprocess
import sys

from builders import DEFAULT_SITES
from werkzeug.security import check_password_hash, generate_password_hash

from guide.workspace import accounts

# Libraries a page may need later, each loaded on first use rather than at start.
LATER = ("geopy", "requests", "folium", "pandas")


def test_the_server_starts_without_the_libraries_of_later_pages(tmp_path):
    code = (
        "import sys\n"
        "from guide import create_app\n"
        f"create_app({{'GUIDE_SITES': {str(DEFAULT_SITES)!r}}})\n"
        f"print(' '.join(name for name in {LATER!r} if name in sys.modules))\n"
    )
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
    assert result.stdout.split() == []


def test_an_unknown_name_costs_what_a_known_one_does():
    # The stand-in hash has the parameters werkzeug gives new passwords (so checking it
    # takes as long), and no password of anybody matches it.
    fresh = generate_password_hash("a long enough password", method="scrypt")
    assert accounts._DUMMY_HASH.split("$")[0] == fresh.split("$")[0]
    assert check_password_hash(accounts._DUMMY_HASH, "not a password of anybody")
