"""Each public page has an address per language, the same on the server as in the export."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.data, "html.parser")


@pytest.mark.parametrize(
    "path",
    ["/en/", "/en/sites/dinh-chem", "/en/search?q=chem", "/en/passport", "/en/map", "/en/tours"],
)
def test_every_link_of_an_english_page_to_a_public_page_stays_in_english(client, path):
    soup = soup_of(client.get(path))
    assert soup.html["lang"] == "en"
    links = [urlsplit(a["href"]).path for a in soup.select("a[href^='/']:not([hreflang])")]
    public = [
        link
        for link in links
        if link.split("/")[1] in {"", "sites", "search", "passport", "map", "tours"}
    ]
    assert not public, f"links without the /en prefix: {public}"
    assert any(link.startswith("/en/") for link in links)
    assert soup.select_one("link[rel=manifest]")["href"] == "/en/manifest.webmanifest"


def test_the_language_links_lead_to_the_same_page_in_the_other_language(client):
    soup = soup_of(client.get("/search?q=chem"))
    english = soup.select_one("nav.languages a[hreflang=en]")["href"]
    assert urlsplit(english).path == "/en/search" and "q=chem" in english
    back = soup_of(client.get(english)).select_one("nav.languages a[hreflang=vi]")["href"]
    assert urlsplit(back).path == "/search"


def test_the_story_page_names_its_address_in_every_language(client):
    soup = soup_of(client.get("/en/sites/dinh-chem"))
    assert soup.select_one("link[rel=canonical]")["href"] == "/en/sites/dinh-chem"
    alternates = {
        link["hreflang"]: link["href"] for link in soup.select("link[rel=alternate][hreflang]")
    }
    assert alternates == {
        "vi": "/sites/dinh-chem",
        "en": "/en/sites/dinh-chem",
        "zh-hans": "/zh-hans/sites/dinh-chem",
        "ko": "/ko/sites/dinh-chem",
        "ja": "/ja/sites/dinh-chem",
        "fr": "/fr/sites/dinh-chem",
    }


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/sites/dinh-chem?lang=en", "/en/sites/dinh-chem"),
        ("/search?q=chem&lang=en", "/en/search?q=chem"),
        ("/en/sites/dinh-chem?lang=vi", "/sites/dinh-chem"),
        ("/?lang=en", "/en/"),
    ],
)
def test_old_lang_links_are_redirected_to_the_languages_path(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == new
    assert client.get(new).status_code == 200


def test_an_unknown_language_prefix_is_not_a_page(client):
    assert client.get("/de/sites/dinh-chem").status_code == 404
    assert client.get("/vi/sites/dinh-chem").status_code == 404


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("de-DE,de;q=0.9,en;q=0.8,vi;q=0.5", "/en/sites/dinh-chem"),
        ("de, vi;q=0.7, en;q=0.3", "/sites/dinh-chem"),
        ("en-US", "/en/sites/dinh-chem"),
        ("pt-BR", "/sites/dinh-chem"),
        # Every interface language has its path, even where the story falls back to English.
        ("ja", "/ja/sites/dinh-chem"),
        ("zh-CN, en;q=0.5", "/zh-hans/sites/dinh-chem"),
    ],
)
def test_a_plaque_code_reads_the_whole_accept_language_list(client, accept, target):
    for code in ("Z2HN", "z2hn"):
        for prefix in ("/S/", "/s/"):
            response = client.get(prefix + code, headers={"Accept-Language": accept})
            assert response.status_code == 302
            assert response.headers["Location"] == target


def test_staff_pages_keep_their_scheme(client):
    response = client.get("/admin/login?lang=en")
    assert response.status_code == 200
    assert soup_of(response).html["lang"] == "en"
    assert client.get("/en/admin/login").status_code == 404
