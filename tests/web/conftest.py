"""Fixtures of the tests in tests/web/."""

from __future__ import annotations

import json

import pytest
from browsing import LiveServer, sign_in
from builders import make_staff_app, write_site
from hostile_data import NARRATIVE, TOUR, A, B
from story_data import build

from guide import create_app


@pytest.fixture
def seams_staff_server(staff_app):
    """Serve the guide on a writable catalogue copy with waitress on loopback."""
    server = LiveServer(staff_app).start()
    yield server
    server.stop()


@pytest.fixture
def validation_admin(staff_app):
    client = staff_app.test_client()
    assert sign_in(client, "admin").status_code == 302
    return client


@pytest.fixture
def admin_client(staff_app):
    """Return a test client signed in as an administrator."""
    from browsing import sign_in

    client = staff_app.test_client()
    assert sign_in(client, "admin").status_code == 302
    return client


@pytest.fixture
def address_story_root(empty_catalogue):
    """Return a catalogue whose Đình Chèm has photos (for og:image)."""
    return build(empty_catalogue)


@pytest.fixture
def hostile_app(empty_catalogue):
    """Return the guide on a catalogue whose texts hold template syntax and script break-outs."""
    write_site(empty_catalogue, A, {"vi": NARRATIVE, "en": NARRATIVE})
    write_site(empty_catalogue, B)
    tours = empty_catalogue / "_tours"
    tours.mkdir()
    (tours / "hostile.toml").write_text(
        'stops = ["site-a", "site-b"]\nmode = "walk"\n\n[name]\n'
        f"vi = {json.dumps(TOUR)}\nen = {json.dumps(TOUR)}\n\n[description]\n"
        f"vi = {json.dumps(TOUR)}\nen = {json.dumps(TOUR)}\n",
        encoding="utf-8",
    )
    return create_app(
        {"TESTING": True, "GUIDE_SITES": str(empty_catalogue), "GUIDE_ROUTING_URL": ""}
    )


@pytest.fixture
def sessions_app(staff_sites, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'guide.sqlite3'}"
    monkeypatch.setenv("GUIDE_DATABASE_URL", url)  # the same database for `guide user`
    return make_staff_app(staff_sites, tmp_path, GUIDE_DATABASE_URL=url)
