"""Fixtures of the tests in tests/web/admin/."""

from __future__ import annotations

import tomllib

import pytest
import tomli_w
from browsing import LiveServer, client_as, media_files, upload
from builders import DEFAULT_SITES, PUBLIC_BASE, make_staff_app, png

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


@pytest.fixture
def two_photos(staff_app, staff_sites):
    """Give Đình Chèm two photos (red, then blue); return their file names."""
    client = client_as(staff_app, "admin")
    first = upload(client, png((200, 30, 30)), "cong.png", caption_vi="Cổng đình")
    second = upload(client, png((30, 30, 200)), "san.png", caption_vi="Sân đình", credit="Ban QL")
    assert first.status_code == second.status_code == 302
    files = media_files(staff_sites)
    assert len(files) == 2
    return files
