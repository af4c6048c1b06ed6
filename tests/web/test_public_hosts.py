"""Public pages name no other host, except in links a person chooses to follow.

A visitor on a weak signal should wait for nothing but the guide itself, and no
other server should learn who reads which page. So a page's stylesheets,
scripts, images, frames, forms, preview tags and inline data all stay on the
guide's own host; only ``<a href>`` may point elsewhere (sources, directions).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

URL = re.compile(r"""(?:https?:)?//[a-z0-9][-a-z0-9.]*(?::\d+)?(?:/[^\s"'<>()\\,]*)?""", re.I)
OWN_HOSTS = {"localhost", "127.0.0.1"}
# The JSON-LD vocabulary is named by a URL, as schema.org requires; it is an
# identifier that no browser fetches.
JSON_LD_CONTEXT = "https://schema.org"


def foreign(text: str) -> list[str]:
    """Return the URLs in ``text`` whose host is not the guide's own."""
    found = []
    for match in URL.findall(text):
        host = urlsplit(match if "://" in match else "http:" + match).hostname
        if host and host not in OWN_HOSTS:
            found.append(match)
    return found


def foreign_urls_in_page(html: str) -> list[str]:
    """Return every URL of another host that a page uses other than as a link to follow."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        assert data.pop("@context") == JSON_LD_CONTEXT
        found += foreign(json.dumps(data))
        script.decompose()
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            if element.name == "a" and name == "href":
                continue
            values = value if isinstance(value, list) else [value]
            found += [f"<{element.name} {name}>: {url}" for v in values for url in foreign(v)]
    for element in soup.find_all(["script", "style"]):
        found += [f"<{element.name}>: {url}" for url in foreign(element.get_text())]
    for text in soup.find_all(string=True):
        if text.find_parent("a") is None:
            found += [f"text: {url}" for url in foreign(str(text))]
    return found


def public_paths(app) -> list[str]:
    with app.app_context():
        from guide.web import get_catalogue

        catalogue = get_catalogue()
        code = catalogue.published()[0].code
        sites = [f"/sites/{site.slug}" for site in catalogue if site.is_public]
    return [
        "/",
        "/search",
        "/search?q=chem",
        "/search?area=021",
        f"/S/{code}",
        "/S/ZZZZ",
        "/passport",
        "/offline",
        *sites,
        *(f"{path}?lang=en" for path in sites),
    ]


def test_every_public_page_keeps_to_the_guides_own_host(client, app):
    problems = {}
    for path in public_paths(app):
        response = client.get(path, follow_redirects=True)
        assert response.status_code in (200, 404), path
        found = foreign_urls_in_page(response.get_data(as_text=True))
        if found:
            problems[path] = found
    assert problems == {}


@pytest.mark.parametrize("path", ["/sw.js", "/manifest.webmanifest"])
def test_the_worker_and_manifest_name_no_other_host(client, path):
    assert foreign(client.get(path).get_data(as_text=True)) == []


def test_the_check_finds_a_foreign_stylesheet_and_ignores_a_source_link():
    page = (
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<a href="https://nhandan.vn/bai">nguồn</a><img src="//img.example.com/a.jpg" alt="">'
    )
    assert foreign_urls_in_page(page) == [
        "<link href>: https://cdn.example.com/x.css",
        "<img src>: //img.example.com/a.jpg",
    ]
