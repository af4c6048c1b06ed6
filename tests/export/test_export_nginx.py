"""The built export served by Debian's nginx, with the repo's config and with a bare host.

The shipped catalogue is built once; nginx runs as a child process on loopback. No
Flask server runs: in Chromium every host but nginx's is blocked and recorded.
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from browsing import wait_until_kept
from bs4 import BeautifulSoup
from nginx_host import NginxHost

# Đình Chèm's plaque code in the shipped catalogue.
CODE = "Z2HN"


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


def test_the_next_builds_staged_files_are_not_served(repo_host, built):
    staged = built / ".guide-staging" / "sites" / "dinh-chem" / "index.html"
    staged.parent.mkdir(parents=True)
    try:
        staged.write_text("<p>the next build</p>", encoding="utf-8")
        assert fetch(repo_host, "/.guide-staging/sites/dinh-chem/index.html").status == 404
        assert fetch(repo_host, "/.guide-staging/sites/dinh-chem/").status == 404
    finally:
        staged.unlink()
        for folder in (staged.parent, staged.parent.parent, built / ".guide-staging"):
            folder.rmdir()


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


# --- Chromium, with only nginx reachable ------------------------------------------------


def site_index(built: Path) -> dict[str, Any]:
    index = json.loads((built / "api/search-index.json").read_text(encoding="utf-8"))
    return {site["slug"]: site for site in index["sites"]}


@pytest.mark.parametrize("path", [f"/S/{CODE}", f"/s/{CODE.lower()}"])
@pytest.mark.parametrize(
    ("locale", "story"), [("vi-VN", "/sites/dinh-chem"), ("en-US", "/en/sites/dinh-chem")]
)
def test_a_plaque_url_lands_on_the_story_page(host, visit, built, path, locale, story):
    page = visit(host, locale)
    page.goto(page.base + path)
    page.wait_for_url(page.base + story + "**")
    language = "en" if story.startswith("/en/") else "vi"
    assert page.locator("h1").text_content() == site_index(built)["dinh-chem"]["name"][language]
    assert page.locator("html").get_attribute("lang") == language


def test_the_english_page_is_one_link_away(repo_host, visit, built):
    page = visit(repo_host, "vi-VN")
    page.goto(page.base + f"/S/{CODE}")
    page.wait_for_url("**/sites/dinh-chem")
    page.locator("nav.languages a[data-language=en]").click()
    page.wait_for_url(page.base + "/en/sites/dinh-chem")
    assert page.locator("h1").text_content() == site_index(built)["dinh-chem"]["name"]["en"]


def test_the_map_draws_its_markers(host, visit, built):
    total = len(json.loads((built / "api/sites.geojson").read_bytes())["features"])
    page = visit(host, "vi-VN")
    page.goto(page.base + "/map")
    page.wait_for_selector(".guide-map[data-state=ready]", timeout=15_000)
    assert int(page.get_attribute(".guide-map", "data-shown")) == total
    assert page.locator("#map-count").inner_text() == f"{total} / {total} địa điểm"
    drawn = page.locator(".leaflet-marker-pane .site-marker, .leaflet-marker-pane .marker-cluster")
    assert drawn.count() > 0


def results(page) -> list[tuple[str, str]]:
    return [
        (link.get_attribute("href"), link.text_content())
        for link in page.locator("ul.results a").all()
    ]


@pytest.mark.parametrize(
    ("path", "story", "language"),
    [
        ("/search?q=dinh+chem", "/sites/dinh-chem", "vi"),
        ("/en/search?q=DINH%20CH%C3%88M", "/en/sites/dinh-chem", "en"),
    ],
)
def test_search_in_the_browser_finds_dinh_chem(host, visit, built, path, story, language):
    page = visit(host, "vi-VN")
    page.goto(page.base + path)
    page.wait_for_selector("[data-searched-in-browser] h2")
    name = site_index(built)["dinh-chem"]["name"][language]
    assert (story, name) in results(page)
    count = re.search(r"\d+", page.locator("#results").text_content()).group()
    assert count == str(len(results(page)))
    assert page.locator("input[name=q]").input_value() != ""
    assert page.locator("section[aria-labelledby=by-area]").is_hidden()


SERVER_QUERIES = [
    "/search?q=dinh+chem",
    "/search?q=%C4%90%E1%BB%80N",  # ĐỀN
    "/search?q=chua",
    "/search?q=hoa+lo",
    "/search?q=zzzz",
    "/search?kind=%C4%91%C3%ACnh",  # đình
    "/search?area=021&q=d",
    "/en/search?q=temple",
    "/en/search?q=van+mieu",
    "/en/search?q=nothing+like+this",
]


@pytest.mark.parametrize("path", SERVER_QUERIES)
def test_the_browser_finds_what_the_server_finds(repo_host, visit, search_app, path):
    soup = BeautifulSoup(search_app.test_client().get(path).get_data(as_text=True), "html.parser")
    expected = [(a["href"], a.get_text()) for a in soup.select("ul.results a")]
    heading = soup.select_one("#results").get_text()
    page = visit(repo_host, "vi-VN")
    page.goto(page.base + path)
    page.wait_for_selector("[data-searched-in-browser] h2")
    assert results(page) == expected
    assert page.locator("#results").text_content() == heading
    shown = page.locator("section[aria-labelledby=results] > p")
    if not expected:
        assert shown.text_content() == soup.select_one("section[aria-labelledby=results] > p").text


def test_a_query_with_markup_is_shown_as_text(repo_host, visit):
    asked = '<img src=x onerror="window.ran=1"> $& chem'
    page = visit(repo_host, "en-US")
    page.goto(page.base + "/en/search?q=" + quote(asked))
    page.wait_for_selector("[data-searched-in-browser] h2")
    assert page.locator("input[name=q]").input_value() == asked
    assert page.title().startswith(f"Search: {asked} – ")
    assert page.locator("main img").count() == 0
    assert page.evaluate("window.ran") is None


def test_the_passport_stamps_a_visit(repo_host, visit):
    page = visit(repo_host, "en-US")
    page.goto(page.base + "/en/sites/dinh-chem")
    page.wait_for_function("() => document.getElementById('stamp-status').textContent.length > 0")
    assert list(page.evaluate("JSON.parse(localStorage.getItem('guide.passport'))")) == [
        "dinh-chem"
    ]
    page.goto(page.base + "/en/passport")
    row = page.locator("[data-area='021']")
    row.locator("[data-collected] a").wait_for()
    assert row.locator("[data-collected] a").get_attribute("href") == "/en/sites/dinh-chem"


def test_a_story_page_seen_once_opens_offline(host, visit, built):

    page = visit(host, "en-US")
    page.goto(page.base + "/en/sites/dinh-chem")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # A host without rules serves the page at its folder's address, with a slash.
    wait_until_kept(page, urlsplit(page.url).path)
    page.context.set_offline(True)
    page.goto(page.base + "/en/sites/dinh-chem")
    assert page.locator("h1").text_content() == site_index(built)["dinh-chem"]["name"]["en"]
    # Styled from the kept stylesheet, not a bare page.
    assert page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor") == (
        "rgb(164, 22, 26)"
    )


def test_an_unknown_code_gets_the_guides_404_page_in_the_browser(repo_host, visit):
    page = visit(repo_host, "vi-VN")
    response = page.goto(page.base + "/S/QQQQ")
    assert response.status == 404
    assert page.locator("section.not-found").count() == 2


def test_the_repo_config_redirects_the_browser_with_a_301(repo_host, visit):
    page = visit(repo_host, "vi-VN")
    response = page.goto(page.base + f"/S/{CODE}")
    first = response.request.redirected_from
    assert first is not None and first.url == page.base + f"/S/{CODE}"
    assert first.response().status == 301
    assert urlsplit(response.url).path == "/sites/dinh-chem"
