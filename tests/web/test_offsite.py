"""No page of the guide loads anything from another host, except the map's tiles.

Every GET route of the app is rendered with sample arguments; in each HTML page
the addresses a browser fetches by itself (src/href of scripts, stylesheets,
images, media, frames; url() in styles; URLs in inline scripts) must be of the
guide's own host. Links a person clicks (<a href>, <form action>) may go anywhere,
and so may the tile URL template, the one third-party request the map makes.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

OWN_HOST = "localhost"
URL = re.compile(r"""(?:https?:)?//[^\s"'<>()\\]+""")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
# Attributes whose address the browser fetches without anyone clicking.
FETCHED = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
# Links a person follows; <link rel="..."> kinds that a browser never fetches.
CLICKED_LINK_RELS = {"canonical", "alternate", "license", "author", "help", "search"}


def is_foreign(url: str) -> bool:
    """Return whether ``url`` points at a host other than the guide's own."""
    url = url.strip()
    if not url.startswith(("http:", "https:", "//")):
        return False
    return (urlsplit(url).hostname or "") not in {OWN_HOST, "127.0.0.1"}


def foreign_fetches(html: str, allowed: set[str]) -> list[str]:
    """Return the addresses of other hosts that a browser would fetch for this page."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag_name, attributes in FETCHED.items():
        for tag in soup.find_all(tag_name):
            if tag_name == "link" and CLICKED_LINK_RELS & set(tag.get("rel") or []):
                continue
            for attribute in attributes:
                value = tag.get(attribute)
                if not value:
                    continue
                candidates = [part.split()[0] for part in value.split(",") if part.strip()]
                found += [
                    f"<{tag_name} {attribute}={url}>" for url in candidates if is_foreign(url)
                ]
    for tag in soup.find_all(style=True):
        found += [f"style={url}" for url in CSS_URL.findall(tag["style"]) if is_foreign(url)]
    for tag in soup.find_all(["script", "style"]):
        if "json" in (tag.get("type") or ""):
            continue  # data such as schema.org JSON-LD: its URLs name things, nothing loads them
        text = tag.string or ""
        for url in URL.findall(text):
            if is_foreign(url) and url not in allowed:
                found.append(f"<{tag.name}> {url}")
    return found


def sample_arguments(app) -> dict[str, str | int]:
    """Return a value for each URL argument the guide's routes take."""
    from guide.web import get_catalogue

    with app.app_context():
        catalogue = get_catalogue()
        site = catalogue.by_code("Z2HN") or catalogue.published()[0]
        tour = next(iter(catalogue.tours), "")
        area = site.area
    return {
        "code": site.code,
        "slug": site.slug,
        "tour": tour,
        "area": area,
        "area_id": area,
        # Media and workspace addresses: they answer with files, 404 or a sign-in page.
        "name": "site.toml",
        "number": 1,
        "plaque_id": 1,
        # The plaque marker a printed QR code carries after the code.
        "marker": "Q",
        "version": "0",
        "width": 360,
        "lang": "en",
        "file": "photo.jpg",
        # The hash of a Hán-Nôm font subset or its stylesheet (404 without original text).
        "key": "0",
    }


def html_pages(app) -> list[str]:
    """Return the address of every GET page, with extra variants of the map."""
    samples = sample_arguments(app)
    urls = []
    missing = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint in {"assets.serve", "static"}:
                continue
            unknown = [name for name in rule.arguments if name not in samples]
            if unknown:
                missing.append(f"{rule.rule} ({', '.join(unknown)})")
                continue
            urls.append(url_for(rule.endpoint, **{k: samples[k] for k in rule.arguments}))
    assert not missing, f"add sample values in {__file__} for the routes {missing}"
    extra = [
        f"/map?site={samples['code']}",
        f"/map?area={samples['area']}",
        "/map?embed=1",
        "/map?site=NOPE",
    ]
    return sorted(set(urls)) + extra


def allowed_urls(app) -> set[str]:
    """Return the tile URL template and the links in the tile attribution."""
    allowed = {app.config["GUIDE_TILE_URL"]}
    allowed.update(URL.findall(app.config["GUIDE_TILE_ATTRIBUTION"]))
    return allowed


def test_the_checker_catches_what_a_browser_would_fetch():
    page = """<html><head>
      <script src="https://cdn.example.com/leaflet.js"></script>
      <link rel="stylesheet" href="//fonts.example.com/css">
      <link rel="canonical" href="https://ditich.example.vn/map">
      <style>body { background: url(https://img.example.com/bg.png) }</style>
      <script>L.tileLayer("https://tile.example.org/{z}/{x}/{y}.png");
              fetch("https://api.example.net/x")</script>
    </head><body>
      <img src="/static/a.png" srcset="/static/a.png 1x, https://img.example.com/a@2x.png 2x">
      <div style="background-image: url('https://img.example.com/x.png')"></div>
      <a href="https://www.openstreetmap.org/node/1">source</a>
    </body></html>"""
    found = foreign_fetches(page, {"https://tile.example.org/{z}/{x}/{y}.png"})
    assert sorted(found) == sorted(
        [
            "<script src=https://cdn.example.com/leaflet.js>",
            "<link href=//fonts.example.com/css>",
            "<img srcset=https://img.example.com/a@2x.png>",
            "style=https://img.example.com/x.png",
            "<script> https://api.example.net/x",
            "<style> https://img.example.com/bg.png",
        ]
    )


def test_no_page_fetches_from_another_host(app, client):
    allowed = allowed_urls(app)
    pages = html_pages(app)
    assert "/map" in pages and "/" in pages
    checked = 0
    for url in pages:
        for language in ("vi", "en"):
            address = f"{url}{'&' if '?' in url else '?'}lang={language}"
            response = client.get(address, follow_redirects=True)
            if response.mimetype != "text/html":
                continue
            checked += 1
            found = foreign_fetches(response.get_data(as_text=True), allowed)
            assert not found, f"{address} fetches from other hosts: {found}"
    assert checked >= 6


def test_the_map_page_names_the_tile_template_and_nothing_else_foreign(client, app):
    html = client.get("/map").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    inline = " ".join(tag.string or "" for tag in soup.find_all("script"))
    foreign = {url for url in URL.findall(inline) if is_foreign(url)}
    assert foreign == {app.config["GUIDE_TILE_URL"]}


@pytest.mark.parametrize("query", ["", "?q=dinh"])
def test_api_answers_name_only_the_guide_itself(client, query):
    text = client.get(f"/api/sites.geojson{query}").get_data(as_text=True)
    assert not [url for url in URL.findall(text) if is_foreign(url)]
    text = client.get("/api/areas.geojson").get_data(as_text=True)
    assert not [url for url in URL.findall(text) if is_foreign(url)]
