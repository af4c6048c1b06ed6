"""Interface languages: complete Vietnamese catalogue, compiled files in step, language choice."""

from __future__ import annotations

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from guide.web.i18n import TRANSLATIONS


def messages(catalog) -> dict:
    """Return {id: translation}; plural messages are keyed and valued by tuples."""

    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {plain(m.id): plain(m.string) for m in catalog if m.id and not m.fuzzy}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_compiled_catalogue_matches_its_source(language):
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as po, (folder / "messages.mo").open("rb") as mo:
        source, compiled = messages(read_po(po)), messages(read_mo(mo))
    translated = {k: v for k, v in source.items() if v and (not isinstance(v, tuple) or all(v))}
    assert {k: compiled.get(k) for k in translated} == translated, (
        "run `pybabel compile -d guide/translations`"
    )


def test_every_interface_text_has_a_vietnamese_translation():
    with (TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        untranslated = [
            k
            for k, v in messages(read_po(po)).items()
            if not v or (isinstance(v, tuple) and not all(v))
        ]
    assert untranslated == []


def nav_texts(response) -> list[str]:
    soup = BeautifulSoup(response.data, "html.parser")
    return [a.get_text() for a in soup.select("nav.menu a")]


def test_vietnamese_is_the_default(client):
    response = client.get("/")
    assert BeautifulSoup(response.data, "html.parser").html["lang"] == "vi"
    assert nav_texts(response) == ["Bản đồ", "Lập hành trình", "Hộ chiếu", "Tìm kiếm"]


def test_the_english_pages_live_under_en(client):
    response = client.get("/en/")
    assert BeautifulSoup(response.data, "html.parser").html["lang"] == "en"
    assert nav_texts(response) == ["Map", "Plan a tour", "Passport", "Search"]


def test_a_page_in_the_path_ignores_accept_language_and_the_cookie(client):
    """A page is the same file for everyone, as on a static host."""
    client.get("/en/?lang=en")
    response = client.get("/search", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert BeautifulSoup(response.data, "html.parser").html["lang"] == "vi"
    assert "Accept-Language" not in response.headers.get("Vary", "")


def test_the_bare_root_sends_an_english_browser_to_en(client):
    response = client.get("/", headers={"Accept-Language": "de-DE,en;q=0.8,vi;q=0.5"})
    assert response.status_code == 302 and response.headers["Location"] == "/en/"
    stay = client.get("/", headers={"Accept-Language": "vi-VN,en;q=0.5"})
    assert stay.status_code == 200
    # A cache in front of the server must keep one root per language.
    assert {"Accept-Language", "Cookie"} <= set(stay.headers["Vary"].replace(" ", "").split(","))


def test_a_chosen_language_is_remembered_for_plaque_codes(client):
    client.get("/?lang=en")
    response = client.get("/S/Z2HN", headers={"Accept-Language": "vi"})
    assert response.headers["Location"] == "/en/sites/dinh-chem"
    client.get("/en/?lang=vi")
    assert client.get("/S/Z2HN").headers["Location"] == "/sites/dinh-chem"


def test_an_unknown_language_falls_back_to_vietnamese(client):
    response = client.get("/?lang=de", headers={"Accept-Language": "de"})
    assert BeautifulSoup(response.data, "html.parser").html["lang"] == "vi"
