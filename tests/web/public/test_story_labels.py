"""Every published story page, in every language: labels in the reader's language, one Sources list.

The kind, rank and area a page shows are the catalogue's labels for the page's
language; English pages show no Vietnamese label there; the sources are listed
once; pages in a language no narrative is written in say so, in that language.
"""

from __future__ import annotations

import pytest
from babel import Locale
from babel.support import Translations
from bs4 import BeautifulSoup

from guide import PROJECT_ROOT, create_app
from guide.catalogue.index import Catalogue, load_catalogue
from guide.catalogue.model import Site

TRANSLATIONS = PROJECT_ROOT / "guide" / "translations"
FALLBACK_NOTICE = "This story is not yet available in %(wanted)s, so it is shown in %(shown)s."
BATCH = {"vi": "đợt", "en": "batch"}
SOURCES_HEADING = {"vi": "Nguồn", "en": "Sources"}


def expected_rank(catalogue: Catalogue, site: Site, language: str) -> str:
    label = catalogue.config.vocabulary.rank_label(site.rank, language)
    detail = site.rank_detail
    parts = [f"{BATCH[language]} {detail.batch}"] if detail.batch else []
    parts += [str(detail.year)] if detail.year else []
    return f"{label} ({', '.join(parts)})" if parts else label


def vietnamese_labels(catalogue: Catalogue) -> set[str]:
    vocabulary = catalogue.config.vocabulary
    terms = (*vocabulary.kinds, *vocabulary.ranks)
    return {term.labels["vi"] for term in terms if term.labels.get("vi") != term.labels.get("en")}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_kind_rank_and_area_are_the_labels_of_the_pages_language(catalogue, pages, language):
    vi_labels = vietnamese_labels(catalogue)
    vi_area_names = {area.name for area in catalogue.areas}
    wrong = []
    for site in catalogue.published():
        soup = pages(site, language)
        kind = soup.select_one("ul.badges li.kind").get_text(strip=True)
        rank = soup.select_one("ul.badges li.rank")
        area = soup.select_one("dl.facts span.area").get_text(strip=True)
        shown = {
            "kind": kind,
            "rank": rank.get_text(strip=True) if rank else "",
            "area": area,
        }
        wanted = {
            "kind": catalogue.config.vocabulary.kind_label(site.kind, language),
            "rank": expected_rank(catalogue, site, language) if site.rank else "",
            "area": catalogue.areas.name_of(site.area, language),
        }
        if shown != wanted:
            wrong.append((site.slug, shown, wanted))
        if language == "en":
            rank_label = shown["rank"].split(" (")[0]
            if kind in vi_labels or rank_label in vi_labels or area in vi_area_names:
                wrong.append((site.slug, "Vietnamese label on an English page", shown))
    assert not wrong


def test_english_area_names_come_from_the_catalogues_rule(catalogue):
    names = {area.name: area.label("en") for area in catalogue.areas}
    assert names["Quận Ba Đình"] == "Ba Đình District"
    assert names["Huyện Sóc Sơn"] == "Sóc Sơn District"
    assert names["Thị xã Sơn Tây"] == "Sơn Tây Town"
    assert all(not label.startswith(("Quận", "Huyện", "Thị xã")) for label in names.values())
    # A language without names of its own shows the English one.
    assert {area.label("ja") for area in catalogue.areas} == set(names.values())


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_story_page_lists_its_sources_once(catalogue, pages, language):
    wrong = []
    for site in catalogue.published():
        soup = pages(site, language)
        headings = [
            h.get_text(strip=True)
            for h in soup.find_all(["h2", "h3", "h4"])
            if h.get_text(strip=True) in SOURCES_HEADING.values()
        ]
        if headings != [SOURCES_HEADING[language]] or len(soup.select("ol.sources")) != 1:
            wrong.append((site.slug, headings))
        if len(soup.select("ol.sources > li")) != len(site.sources):
            wrong.append((site.slug, "sources listed", len(soup.select("ol.sources > li"))))
    assert not wrong


@pytest.mark.parametrize("language", ["zh_Hans", "ko", "ja", "fr"])
def test_a_narrative_in_another_language_says_so_in_the_readers_language(
    catalogue, pages, language
):
    translate = Translations.load(str(TRANSLATIONS), [language]).gettext
    template = translate(FALLBACK_NOTICE)
    assert template != FALLBACK_NOTICE, f"the notice has no {language} translation"
    vocabulary = catalogue.config.vocabulary
    wrong = []
    for site in catalogue.published():
        soup = pages(site, language)
        narrative = soup.select_one("#narrative")
        shown = narrative["lang"].replace("-", "_") if narrative else None
        notices = [p.get_text(strip=True) for p in soup.select("p.notice")]
        if shown is None:
            continue
        wanted = template % {
            "wanted": Locale.parse(language).get_language_name(language),
            "shown": Locale.parse(shown).get_language_name(language),
        }
        if wanted not in notices:
            wrong.append((site.slug, notices))
        kind = soup.select_one("ul.badges li.kind").get_text(strip=True)
        if kind != vocabulary.kind_label(site.kind, language):
            wrong.append((site.slug, "kind", kind))
        # Site names shown in English on this page are marked as English.
        for link in soup.select("ol.nearby a"):
            if link.get("lang") != "en":
                wrong.append((site.slug, "nearby name without lang", link.get_text()))
    assert not wrong


def test_a_vietnamese_name_on_an_english_page_is_marked_vietnamese(make_catalogue):
    from builders import site_facts

    root = make_catalogue(
        site_facts(),
        site_facts(
            code="Z3HN",
            slug="dinh-gan-chem",
            name={"vi": "Đình Gần Chèm"},
            lat=21.0925,
            lon=105.7805,
        ),
    )
    client = create_app({"TESTING": True, "GUIDE_SITES": str(root)}).test_client()
    soup = BeautifulSoup(client.get("/sites/dinh-chem?lang=en").data, "html.parser")
    link = soup.select_one("ol.nearby a[href$='/dinh-gan-chem']")
    assert link is not None and link.get("lang") == "vi"
    browse = BeautifulSoup(client.get("/?lang=en").data, "html.parser")
    names = {a.get_text(strip=True): a.get("lang") for a in browse.select("details.area a")}
    assert names["Đình Gần Chèm"] == "vi"
    assert names[site_facts()["name"]["en"]] is None


def test_a_malformed_area_names_table_is_refused_with_its_field(empty_catalogue):
    from guide.catalogue.config import CatalogueError

    config = empty_catalogue / "catalogue.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('"Thị xã" = "{name} Town"', '"Thị xã" = 3', 1),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"catalogue.toml: areas.names: .*\[areas.names.en\]"):
        load_catalogue(empty_catalogue)
