"""Fixtures of the tests in tests/export/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browsing import TILE_PREFIX
from builders import DEFAULT_SITES, PUBLIC_API, PUBLIC_BASE
from nginx_host import NginxHost, running_host

from guide import create_app
from guide.export.build import build


@pytest.fixture(scope="session")
def export(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export")
    build(out, DEFAULT_SITES, base_url=PUBLIC_BASE, api_url=PUBLIC_API)
    return out


@pytest.fixture(scope="module")
def api_app():
    # The server the export's pages send planning, feedback and counts to.
    settings = {"GUIDE_BASE_URL": PUBLIC_BASE, "GUIDE_API_URL": PUBLIC_API}
    return create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES), **settings})


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Build the shipped catalogue once, as `guide build` does."""
    out = tmp_path_factory.mktemp("static-site")
    build(out, DEFAULT_SITES)
    return out


@pytest.fixture(scope="session")
def repo_host(built, tmp_path_factory) -> Iterator[NginxHost]:
    """nginx with deploy/nginx/guide-static.conf and the build's redirect map."""
    yield from running_host("repo", built, tmp_path_factory)


@pytest.fixture(scope="session")
def minimal_host(built, tmp_path_factory) -> Iterator[NginxHost]:
    """nginx with only `root` and `index`: a host without any rewrite rules."""
    yield from running_host("minimal", built, tmp_path_factory)


@pytest.fixture(params=["repo", "minimal"])
def host(request) -> NginxHost:
    return request.getfixturevalue(f"{request.param}_host")


@pytest.fixture
def visit(browser) -> Iterator[Any]:
    """Return ``visit(host, locale)``: a phone-sized page that may reach only that nginx."""
    contexts = []

    def make(host: NginxHost, locale: str = "en-US") -> Any:
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale=locale)
        allowed = f"127.0.0.1:{host.port}"
        context.requests = []  # type: ignore[attr-defined]

        def only_nginx(route) -> None:
            url = route.request.url
            context.requests.append(url)
            if urlsplit(url).netloc == allowed:
                route.continue_()
            else:
                route.abort()

        context.route("**/*", only_nginx)
        contexts.append((context, allowed))
        page = context.new_page()
        page.base = host.url  # type: ignore[attr-defined]
        return page

    yield make
    for context, allowed in contexts:
        elsewhere = [
            url
            for url in context.requests
            if urlsplit(url).netloc != allowed and not url.startswith(TILE_PREFIX)
        ]
        context.close()
        # No Flask server, no other host: map tiles (blocked) are the only other address.
        assert elsewhere == []


@pytest.fixture(scope="module")
def search_app():
    """The guide's app in-process, for the pages the server would send (no HTTP server)."""
    from guide import create_app

    return create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES)})


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    with_server, without = tmp_path_factory.mktemp("api"), tmp_path_factory.mktemp("bare")
    build(with_server, DEFAULT_SITES, base_url=PUBLIC_BASE, api_url=PUBLIC_API)
    build(without, DEFAULT_SITES, base_url=PUBLIC_BASE)
    return {"api": with_server, "bare": without}


@pytest.fixture(scope="module")
def api_server():
    settings = {"GUIDE_BASE_URL": PUBLIC_BASE, "GUIDE_API_URL": PUBLIC_API}
    return create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES), **settings})
