"""Fixtures of the tests in tests/web/tours/."""

from __future__ import annotations

import pytest
from tour_data import make_app


@pytest.fixture
def planner_client():
    return make_app().test_client()


@pytest.fixture
def hours_server(make_catalogue):
    """Serve a catalogue whose Binh Temple closes for lunch."""
    from browsing import LiveServer
    from tour_data import A, B, C, D

    from guide import create_app

    app = create_app({"TESTING": True, "GUIDE_SITES": str(make_catalogue(A, B, C, D))})
    server = LiveServer(app).start()
    yield server
    server.stop()
