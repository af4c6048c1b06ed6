"""Story pages of the export: rendered without the server's response around them, yet the
very pages the server sends, in every language; an address the view does not answer with a
page stops the build."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES

from guide.catalogue.index import load_catalogue
from guide.export.build import Builder, BuildError

NONCE = re.compile(r' nonce="[^"]*"')


def test_every_story_page_in_every_language_is_the_page_the_server_sends(export, api_app):
    client = api_app.test_client()
    files = sorted(export.glob("**/sites/*/index.html"))
    languages = set()
    for file in files:
        address = "/" + file.parent.relative_to(export).as_posix()
        response = client.get(address)
        assert response.status_code == 200, address
        sent = NONCE.sub("", response.get_data(as_text=True))
        assert file.read_text(encoding="utf-8") == sent, address
        languages.add(BeautifulSoup(sent, "html.parser").html["lang"])
    published = [site for site in load_catalogue(DEFAULT_SITES).sites if site.is_public]
    # Every public site in each of the six interface languages, most of them telling
    # their story in another language than the page's.
    assert languages == {"vi", "en", "zh-Hans", "ko", "ja", "fr"}
    assert len(files) == 6 * len(published)


def test_the_nearby_list_names_each_site_in_the_pages_language(export):
    page = (export / "fr/sites/bac-bo-phu/index.html").read_text(encoding="utf-8")
    items = BeautifulSoup(page, "html.parser").select("ol.nearby li")
    assert len(items) == 6
    for item in items:
        link = item.select_one("a")
        assert link["href"].startswith("/fr/sites/")
        target = (export / link["href"].lstrip("/") / "index.html").read_text(encoding="utf-8")
        heading = BeautifulSoup(target, "html.parser").select_one("h1")
        # The name the site's own page shows, marked as English where French has none.
        assert link.get_text() == heading.get_text()
        assert link.get("lang") == heading.get("lang") == "en"
        distance = item.select_one(".distance").get_text()
        assert re.fullmatch(r"\d+ m, environ \d+ min à pied", distance), distance


@pytest.fixture(scope="module")
def builder(tmp_path_factory) -> Builder:
    return Builder(tmp_path_factory.mktemp("fetched"), DEFAULT_SITES)


def test_a_story_address_without_a_page_stops_the_build_with_its_status(builder):
    drafts = [site for site in load_catalogue(DEFAULT_SITES).sites if site.status == "draft"]
    assert drafts
    with pytest.raises(BuildError, match=rf"/en/sites/{drafts[0].slug}: the guide answered 404"):
        builder.fetch(f"/en/sites/{drafts[0].slug}")
    with pytest.raises(BuildError, match="/sites/no-such-site: the guide answered 404"):
        builder.fetch("/sites/no-such-site")
    # An old ?lang= link is the server's redirect, not a page.
    with pytest.raises(BuildError, match="answered 301"):
        builder.fetch("/sites/dinh-chem?lang=en")


def test_fetched_pages_in_turn_keep_their_own_languages(builder):
    # One page after another in different languages: nothing of one request's
    # language (its translations, its links) stays for the next.
    pages = {}
    for address in ("/sites/dinh-chem", "/ja/sites/dinh-chem", "/sites/dinh-chem", "/en/"):
        body, mimetype = builder.fetch(address)
        assert mimetype == "text/html"
        pages.setdefault(address, []).append(BeautifulSoup(body, "html.parser"))
    first, again = pages["/sites/dinh-chem"]
    assert str(first) == str(again)
    assert first.html["lang"] == "vi" and first.select_one("h2#nearby").text == "Di tích lân cận"
    japanese = pages["/ja/sites/dinh-chem"][0]
    assert japanese.html["lang"] == "ja"
    assert japanese.select_one("link[rel=canonical]")["href"] == "/ja/sites/dinh-chem"
    assert pages["/en/"][0].html["lang"] == "en"
