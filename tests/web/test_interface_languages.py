"""Interface languages beyond Vietnamese and English: Chinese, Korean, Japanese, French."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from guide.catalogue.config import CatalogueError, read_config
from guide.web.i18n import TRANSLATIONS
from guide.web.language_paths import path_segment

NEW = ["zh_Hans", "ko", "ja", "fr"]
HTML_LANG = {"zh_Hans": "zh-Hans", "ko": "ko", "ja": "ja", "fr": "fr"}
# "English" as each language says it inside the fallback notice.
ENGLISH_IN = {"zh_Hans": "英语", "ko": "영어", "ja": "英語", "fr": "anglais"}
# A story page whose story is written in Vietnamese and English only.
STORY = "/sites/bac-bo-phu"
# Where the texts visitors meet are written.
PUBLIC_PLACES = (
    "templates/public/",
    "templates/maps/",
    "templates/tours/",
    "templates/offline/",
    "templates/base.html",
    "guide/web/public/",
    "guide/web/maps/",
    "guide/web/tours/",
)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def texts(page: BeautifulSoup, selector: str) -> list[str]:
    return [node.get_text(" ", strip=True) for node in page.select(selector)]


def html_lang(response) -> str:
    return soup(response).html["lang"]


@pytest.mark.parametrize("language", NEW)
def test_home_page_is_in_the_language(client, language):
    response = client.get(f"/{path_segment(language)}/")
    page = soup(response)
    assert response.status_code == 200
    assert page.html["lang"] == HTML_LANG[language]
    nav = texts(page, "nav.menu a")
    assert len(nav) == 4 and not set(nav) & {"Map", "Plan a tour", "Passport", "Search"}
    assert "Red Addresses of Hà Nội" not in texts(page, "h1")
    headings = texts(page, "h2")
    assert headings and not set(headings) & {"By area", "By kind"}
    buttons = texts(page, "form.search button")
    assert buttons and "Search" not in buttons


@pytest.mark.parametrize("language", NEW)
def test_story_page_is_in_the_language_with_the_story_in_english(client, language):
    response = client.get(f"/{path_segment(language)}{STORY}")
    page = soup(response)
    assert response.status_code == 200
    assert page.html["lang"] == HTML_LANG[language]
    headings = texts(page, "h2")
    assert "Visiting" not in headings and "Nearby" not in headings
    assert page.select_one("#facts").get_text(strip=True) != "Visiting"
    # No story in the reader's language: the English one, saying so in the reader's language.
    assert page.select_one(".narrative")["lang"] == "en"
    notice = page.select_one("p.notice[role=note]").get_text()
    assert ENGLISH_IN[language] in notice
    assert not notice.startswith("This story is not yet available")
    # The name is the English one, marked as English.
    assert page.h1["lang"] == "en"


@pytest.mark.parametrize("language", NEW)
def test_map_page_is_in_the_language(client, language):
    response = client.get(f"/{path_segment(language)}/map")
    page = soup(response)
    assert response.status_code == 200
    assert page.html["lang"] == HTML_LANG[language]
    assert texts(page, "h1") and "Map of the red addresses" not in texts(page, "h1")
    assert "Clear filters" not in texts(page, "button")


def test_the_switcher_names_every_language_in_itself(client):
    page = soup(client.get("/ja/"))
    links = page.select("nav.languages a")
    assert [a.get_text(strip=True) for a in links] == [
        "Tiếng Việt",
        "English",
        "中文",
        "한국어",
        "日本語",
        "Français",
    ]
    assert [a["lang"] for a in links] == ["vi", "en", "zh-Hans", "ko", "ja", "fr"]
    # Each language's own address; Vietnamese, at the root, as a choice the root will not undo.
    assert [a["href"] for a in links] == ["/?lang=vi", "/en/", "/zh-hans/", "/ko/", "/ja/", "/fr/"]
    assert page.select_one("nav.languages a[aria-current]").get_text() == "日本語"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("ja, en;q=0.8", "ja"),
        ("de, fr;q=0.9", "fr"),
        ("de", "vi"),
        ("zh-CN,zh;q=0.9,en;q=0.5", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh-TW, en;q=0.5", "en"),
        ("ko-KR,ko;q=0.9", "ko"),
        ("de-DE, en-GB;q=0.7, fr;q=0.3", "en"),
    ],
)
def test_the_browser_preference_list_chooses_the_language(client, accept, expected):
    response = client.get("/", headers={"Accept-Language": accept}, follow_redirects=True)
    assert html_lang(response) == expected


def test_an_explicit_choice_wins_over_the_browser(client):
    response = client.get("/?lang=fr", headers={"Accept-Language": "ja, en;q=0.8"})
    assert (response.status_code, response.headers["Location"]) == (301, "/fr/")
    assert html_lang(client.get("/fr/", headers={"Accept-Language": "ja, en;q=0.8"})) == "fr"
    # Written the way HTML writes it, too.
    response = client.get("/?lang=zh-Hans", headers={"Accept-Language": "ko"})
    assert (response.status_code, response.headers["Location"]) == (301, "/zh-hans/")


def test_a_planned_tour_is_shown_in_the_language(client):
    response = client.get("/ja/tours/plan?stops=P7ZT,3SNH")
    page = soup(response)
    assert response.status_code == 200
    assert page.html["lang"] == "ja"
    assert "あなたのルート" in texts(page, "h2")


def plain(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def is_public(message) -> bool:
    return any(path.startswith(PUBLIC_PLACES) for path, _line in message.locations)


@pytest.mark.parametrize("language", NEW)
def test_every_public_text_is_translated(language):
    gaps = []
    for message in catalogue(language):
        if not message.id or not is_public(message):
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            gaps.append(message.id)
    assert gaps == []


@pytest.mark.parametrize("language", NEW)
def test_placeholders_are_kept(language):
    import re

    field = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    wrong = []
    for message in catalogue(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(field.findall(ids[-1]))
        wrong += [text for text in strings if text and set(field.findall(text)) != wanted]
    assert wrong == []


@pytest.mark.parametrize(
    ("language", "plurals"),
    [("zh_Hans", 1), ("ko", 1), ("ja", 1), ("fr", 2)],
)
def test_plural_forms_and_compiled_catalogue(language, plurals):
    source = catalogue(language)
    assert source.num_plurals == plurals
    if language == "fr":
        assert source.plural_expr == "(n > 1)"
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    with (folder / "messages.mo").open("rb") as mo:
        compiled = {plain(m.id): plain(m.string) for m in read_mo(mo) if m.id}
    for message in source:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            assert compiled.get(plain(message.id)) == plain(message.string), (
                "run `pybabel compile -d guide/translations`"
            )


def write_config(root: Path, extra: str) -> Path:
    (root / "catalogue.toml").write_text(
        f'languages = ["vi", "en"]\n{extra}\n[areas]\nfile = "areas.geojson"\n', encoding="utf-8"
    )
    return root


def test_interface_languages_default_to_the_narrative_ones(tmp_path):
    config = read_config(write_config(tmp_path, ""))
    assert config.interface_languages == ("vi", "en")
    config = read_config(write_config(tmp_path, 'interface_languages = ["vi", "en", "ja"]'))
    assert config.interface_languages == ("vi", "en", "ja")
    assert config.languages == ("vi", "en")


@pytest.mark.parametrize("value", ['"ja"', "[]", '["vi", 3]', '["vi", "not a language"]'])
def test_bad_interface_languages_are_refused_by_name(tmp_path, value):
    with pytest.raises(CatalogueError, match="interface_languages"):
        read_config(write_config(tmp_path, f"interface_languages = {value}"))
