"""The built export served by Debian's nginx, with the repo's config and with a bare host.

The shipped catalogue is built once; nginx runs as a child process on loopback. No
Flask server runs: in Chromium every host but nginx's is blocked and recorded.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from guide import PROJECT_ROOT
from guide.export.build import build
from tests.conftest import free_port
from tests.nginx_host import NginxHost, unavailable_reason

SITES = PROJECT_ROOT / "sites"
TILE_PREFIX = "https://tile.openstreetmap.org/"
# Đình Chèm's plaque code in the shipped catalogue.
CODE = "Z2HN"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Build the shipped catalogue once, as `guide build` does."""
    out = tmp_path_factory.mktemp("static-site")
    build(out, SITES)
    return out


def _host(kind: str, built: Path, tmp_path_factory) -> Iterator[NginxHost]:
    reason = unavailable_reason()
    if reason:
        if os.environ.get("GUIDE_REQUIRE_BROWSER"):
            pytest.fail(f"nginx is required here but cannot run: {reason}")
        pytest.skip(reason)
    host = NginxHost(kind, built, tmp_path_factory.mktemp(f"nginx-{kind}"), free_port()).start()
    yield host
    host.stop()


@pytest.fixture(scope="session")
def repo_host(built, tmp_path_factory) -> Iterator[NginxHost]:
    """nginx with deploy/nginx/guide-static.conf and the build's redirect map."""
    yield from _host("repo", built, tmp_path_factory)


@pytest.fixture(scope="session")
def minimal_host(built, tmp_path_factory) -> Iterator[NginxHost]:
    """nginx with only `root` and `index`: a host without any rewrite rules."""
    yield from _host("minimal", built, tmp_path_factory)


@pytest.fixture(params=["repo", "minimal"])
def host(request) -> NginxHost:
    return request.getfixturevalue(f"{request.param}_host")


def fetch(host: NginxHost, path: str, **headers: str) -> http.client.HTTPResponse:
    """Return nginx's answer to one GET, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", host.port, timeout=5)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


# --- HTTP, as any client sees it -------------------------------------------------------


@pytest.mark.parametrize("path", [f"/S/{CODE}", f"/s/{CODE.lower()}", f"/S/{CODE}/"])
def test_the_repo_config_answers_a_plaque_code_with_a_permanent_redirect(repo_host, path):
    response = fetch(repo_host, path)
    assert response.status == 301
    assert urlsplit(response.getheader("Location")).path == "/sites/dinh-chem"
    assert "Accept-Language" in response.getheader("Vary")
    # A renamed site moves its page: browsers keep the redirect for an hour, not forever.
    assert response.getheader("Cache-Control") == "public, max-age=3600"


def test_the_redirect_follows_the_language_the_visitor_chose_or_asks_for(repo_host):
    asked = fetch(repo_host, f"/S/{CODE}", **{"Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"})
    assert urlsplit(asked.getheader("Location")).path == "/en/sites/dinh-chem"
    chosen = fetch(repo_host, f"/s/{CODE.lower()}", Cookie="lang=vi", **{"Accept-Language": "en"})
    assert urlsplit(chosen.getheader("Location")).path == "/sites/dinh-chem"


def test_a_bare_host_serves_code_pages_that_send_the_visitor_on(minimal_host):
    slash = fetch(minimal_host, f"/S/{CODE}")
    # nginx adds the folder's slash itself; the folder's page does the rest.
    assert slash.status == 301 and urlsplit(slash.getheader("Location")).path == f"/S/{CODE}/"
    page = fetch(minimal_host, f"/s/{CODE.lower()}/")
    assert page.status == 200
    soup = BeautifulSoup(page.body, "html.parser")
    assert soup.select_one("link[rel=canonical]")["href"] == "/sites/dinh-chem"


@pytest.mark.parametrize("path", ["/S/QQQQ", "/s/qqqq", "/sites/no-such-site", "/en/nowhere"])
def test_unknown_addresses_get_the_guides_404_page_with_status_404(repo_host, path):
    response = fetch(repo_host, path)
    assert response.status == 404
    soup = BeautifulSoup(response.body, "html.parser")
    assert [s["lang"] for s in soup.select("section.not-found")] == ["vi", "en"]


@pytest.mark.parametrize("path", ["/.guide-build.json", "/nginx-codes.conf", "/_redirects"])
def test_build_bookkeeping_is_not_served(repo_host, built, path):
    assert (built / path.lstrip("/")).is_file()
    assert fetch(repo_host, path).status == 404


def test_types_and_cache_headers(repo_host, built):
    css = next(p.name for p in (built / "static").glob("guide.*.css"))
    cases = {
        f"/static/{css}": ("text/css", "public, max-age=31536000, immutable"),
        "/sites/dinh-chem": ("text/html; charset=utf-8", "no-cache"),
        "/en/": ("text/html; charset=utf-8", "no-cache"),
        "/sw.js": ("application/javascript; charset=utf-8", "no-cache"),
        "/manifest.webmanifest": ("application/manifest+json", "no-cache"),
        "/api/sites.geojson": ("application/geo+json", "public, max-age=300"),
        "/api/search-index.json": ("application/json", "no-cache"),
        "/robots.txt": ("text/plain; charset=utf-8", "no-cache"),
    }
    for path, (mimetype, cache) in cases.items():
        response = fetch(repo_host, path)
        assert response.status == 200, path
        assert response.getheader("Content-Type") == mimetype, path
        assert response.getheader("Cache-Control") == cache, path
        assert response.getheader("X-Content-Type-Options") == "nosniff", path
    svg = next(p.name for p in (built / "static").glob("icon.*.svg"))
    assert fetch(repo_host, f"/static/{svg}").getheader("Content-Type") == "image/svg+xml"


def test_text_is_sent_compressed(repo_host, built):
    response = fetch(repo_host, "/en/sites/dinh-chem", **{"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.getheader("Vary")
    on_disk = (built / "en/sites/dinh-chem/index.html").read_bytes()
    assert gzip.decompress(response.body) == on_disk
    assert len(response.body) < len(on_disk) / 2


def test_both_hosts_serve_the_built_pages_unchanged(host, built):
    for path, file in [("/sites/dinh-chem/", "sites/dinh-chem/index.html"), ("/", "index.html")]:
        response = fetch(host, path)
        assert response.status == 200
        assert response.body == (built / file).read_bytes()
    index = json.loads(fetch(host, "/api/search-index.json").body)
    assert any(site["slug"] == "dinh-chem" for site in index["sites"])
