"""A story page of the export, served by nginx, counts its view on the guide's server.

The shipped catalogue is built with ``api_url`` pointing at a live guide server (waitress on
loopback, its own SQLite file); Chromium opens the page from nginx and the server's stored
counts show one view of that code in that language.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browsing import LiveServer, wait_until_kept
from builders import DEFAULT_SITES, PHONE, make_app
from nginx_host import NginxHost, running_host
from sqlalchemy import select

from guide.export.build import build
from guide.listening.models import ScanCount
from guide.listening.scans import counter
from guide.workspace.db import db

STORY = "/en/sites/dinh-chem"


@pytest.fixture(scope="module")
def guide_server(tmp_path_factory) -> Iterator[tuple[Any, LiveServer]]:
    app = make_app(tmp_path_factory.mktemp("server"))
    live = LiveServer(app).start()
    yield app, live
    live.stop()


@pytest.fixture(scope="module")
def counted_host(guide_server, tmp_path_factory) -> Iterator[NginxHost]:
    out = tmp_path_factory.mktemp("counted-export")
    build(out, DEFAULT_SITES, api_url=guide_server[1].url)
    yield from running_host("repo", out, tmp_path_factory)


def stored(app) -> dict[tuple[str, str, str, str], int]:
    """Flush the server's counter and return its rows as {(code, language, via, event): count}."""
    counter(app).flush()
    with app.app_context():
        rows = db.session.execute(select(ScanCount)).scalars().all()
        return {(r.code, r.language, r.via, r.event): r.count for r in rows}


def stored_soon(app, timeout_s: float = 10) -> dict[tuple[str, str, str, str], int]:
    """Return the stored counts once there are any (a beacon is sent in the background)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        rows = stored(app)
        if rows:
            return rows
        time.sleep(0.2)
    return stored(app)


def test_a_story_page_from_nginx_counts_one_view_on_the_server(browser, guide_server, counted_host):
    app, live = guide_server
    # A person's browser: headless Chromium names itself in its User-Agent and is left out.
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-US", user_agent=PHONE["User-Agent"]
    )
    allowed = {urlsplit(counted_host.url).netloc, urlsplit(live.url).netloc}
    requests: list[tuple[str, str]] = []

    def only_the_two_hosts(route) -> None:
        requests.append((route.request.method, route.request.url))
        if urlsplit(route.request.url).netloc in allowed:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_two_hosts)
    try:
        page = context.new_page()
        failures: list[str] = []
        page.on("pageerror", lambda error: failures.append(str(error)))
        page.goto(counted_host.url + STORY)
        wait_until_kept(page, STORY)
        assert stored_soon(app) == {("Z2HN", "en", "link", "view"): 1}
        to_server = [(m, url) for m, url in requests if url.startswith(live.url)]
        assert len(to_server) == 1
        method, url = to_server[0]
        assert method == "POST" and urlsplit(url).path == "/api/count/Z2HN"
        assert parse_qs(urlsplit(url).query) == {"event": ["view"], "lang": ["en"]}

        # The copy kept for offline use opens without a signal and is not a new view.
        context.set_offline(True)
        page.reload()
        assert page.locator("article[data-story] h1").inner_text()
        time.sleep(1)
        assert stored(app) == {("Z2HN", "en", "link", "view"): 1}
        assert failures == []
    finally:
        context.close()


def test_a_server_that_is_away_never_breaks_the_page(browser, counted_host):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    # Only nginx answers: the beacon to the guide's server is refused.
    nginx = urlsplit(counted_host.url).netloc
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).netloc == nginx else route.abort()
        ),
    )
    try:
        page = context.new_page()
        failures: list[str] = []
        page.on("pageerror", lambda error: failures.append(str(error)))
        page.goto(counted_host.url + STORY)
        wait_until_kept(page, STORY)
        assert page.locator("article[data-story] h1").inner_text().startswith("Chèm")
        # What guide.js does after counting still happens: the passport is stamped.
        stamps = page.evaluate("JSON.parse(localStorage.getItem('guide.passport'))")
        assert "dinh-chem" in stamps
        assert failures == []
    finally:
        context.close()
