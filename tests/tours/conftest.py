"""Fixtures of the tests in tests/tours/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browsing import RoutingServer
from builders import DEFAULT_SITES
from tour_data import DRAFT, ROAD, A, B, C, D, make_app

from guide import settings
from guide.catalogue.index import load_catalogue
from guide.tours.travel import Travel
from guide.web.tours.api import planner_limits


@pytest.fixture(scope="module")
def shipped():
    return load_catalogue(DEFAULT_SITES)


@pytest.fixture
def busy_app():
    app = make_app(GUIDE_PLAN_RETRY_AFTER_S=7)
    with app.app_context():
        release = planner_limits().hold()
    yield app
    release()


@pytest.fixture
def catalogue(make_catalogue):
    return load_catalogue(make_catalogue(A, B, C, D, DRAFT))


@pytest.fixture
def travel() -> Travel:
    return Travel.from_settings(settings.resolve({"GUIDE_ROUTING_URL": ""}))


@pytest.fixture
def osrm() -> Iterator[RoutingServer]:
    with RoutingServer(lambda path: (200, {"code": "Ok", "distances": ROAD})) as server:
        yield server
