"""The way to the tour planner: the top menu of every page and the map page, in every language."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES

from guide.catalogue.index import load_catalogue
from guide.web.language_paths import path_segment

LANGUAGES = load_catalogue(DEFAULT_SITES).config.interface_languages
PLANNER_TEXT = {
    "vi": "Lập hành trình",
    "en": "Plan a tour",
    "zh_Hans": "规划行程",
    "ko": "일정 짜기",
    "ja": "ルートを作る",
    "fr": "Planifier un circuit",
}


def at(language: str, path: str) -> str:
    """Return ``path`` in ``language``'s part of the guide: ``/en/map``; Vietnamese at the root."""
    if language == LANGUAGES[0]:
        return path
    return f"/{path_segment(language)}{path}" if path != "/" else f"/{path_segment(language)}/"


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.data, "html.parser")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["/", "/map", "/sites/dinh-chem", "/search?q=chem"])
def test_the_top_menu_leads_to_the_planner(client, language, path):
    menu = page(client, at(language, path)).select_one("header nav.menu")
    links = [
        a for a in menu.select("a[href]") if urlsplit(a["href"]).path == at(language, "/tours/plan")
    ]
    assert [a.get_text(strip=True) for a in links] == [PLANNER_TEXT[language]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_map_page_leads_to_the_planner_with_its_filters(client, language):
    link = page(client, at(language, "/map?area=021")).select_one("main a#map-plan")
    assert link is not None and link.get_text(strip=True) == PLANNER_TEXT[language]
    target = urlsplit(link["href"])
    assert target.path == at(language, "/tours/plan")
    assert parse_qs(target.query) == {"area": ["021"]}
    assert client.get(link["href"]).status_code == 200
