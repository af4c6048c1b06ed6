"""Fixtures of the tests in tests/web/admin/."""

from __future__ import annotations

import tomllib

import pytest
import tomli_w
from browsing import LiveServer
from builders import DEFAULT_SITES, PUBLIC_BASE, make_staff_app

from guide import create_app


@pytest.fixture
def signing_client():
    """Return a test client of the guide with its public address set."""
    app = create_app(
        {"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES), "GUIDE_BASE_URL": PUBLIC_BASE}
    )
    return app.test_client()


@pytest.fixture
def staff_server(staff_app):
    """Serve the guide on a writable catalogue copy with waitress on loopback."""
    server = LiveServer(staff_app).start()
    yield server
    server.stop()


@pytest.fixture
def inscribed_sites(staff_sites):
    """Return the writable catalogue copy with Đình Chèm's shipped inscriptions taken out.

    The tests add, number and remove inscriptions from a site that has none.
    """
    path = staff_sites / "dinh-chem" / "site.toml"
    facts = tomllib.loads(path.read_text(encoding="utf-8"))
    facts.pop("inscriptions", None)
    path.write_text(tomli_w.dumps(facts), encoding="utf-8")
    return staff_sites


@pytest.fixture
def inscribed_staff_app(inscribed_sites, tmp_path):
    """Return the guide with one account per role on the catalogue copy without inscriptions."""
    return make_staff_app(inscribed_sites, tmp_path)
