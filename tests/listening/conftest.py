"""Fixtures of the tests in tests/listening/."""

from __future__ import annotations

import pytest
from browsing import LiveServer
from builders import make_app

from guide import create_app


@pytest.fixture
def server(register, tmp_path):
    app = create_app(
        {
            "GUIDE_SITES": str(register),
            "TESTING": True,
            "GUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
        }
    )
    live = LiveServer(app).start()
    yield live, app
    live.stop()


@pytest.fixture
def scan_app(tmp_path):
    return make_app(tmp_path)
