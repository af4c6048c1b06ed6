"""Fixtures of the tests in tests/workspace/."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

import pytest
from browsing import Nominatim


@pytest.fixture
def nominatim():
    """Run a real HTTP server on loopback that answers like Nominatim; yield its base URL."""
    Nominatim.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Nominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    """Point the guide at a SQLite database of the test's own (never the instance folder's)."""
    url = f"sqlite:///{tmp_path / 'guide.sqlite3'}"
    monkeypatch.setenv("GUIDE_DATABASE_URL", url)
    return url
