"""Every published story page, in every language: labels in the reader's language, one Sources list.

The kind, rank and area a page shows are the catalogue's labels for the page's
language; English pages show no Vietnamese label there; the sources are listed
once; pages in a language no narrative is written in say so, in that language.

Inscription kinds and source notes are checked on every published page too:

- an inscription's kind (``figcaption .inscription-kind``) is exactly the label
  of its ``[[inscription_kinds]]`` entry in the page's language; on English pages
  it holds no Vietnamese letter at all (a kind is a common noun, never a name);
- a source's note (``ol.sources .source-note``) is exactly the source's note in
  the page's language (other interface languages show the English one), or, for
  one of the words the pages translate, its gettext translation; every source of
  a published site has its note in Vietnamese and in English. Notes may quote
  Vietnamese names and terms, so "in English" is measured over the lower-case
  words outside quotation marks (proper names are capitalised): under 40 % of
  them carry a Vietnamese letter (ă â đ ê ô ơ ư or a tone mark) on English pages,
  and at least half on Vietnamese pages when the note has three such words.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from babel import Locale
from babel.support import Translations
from bs4 import BeautifulSoup

from guide import PROJECT_ROOT, create_app
from guide.catalogue.index import Catalogue, load_catalogue
from guide.catalogue.model import STANDARD_NOTES, Site, Source

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
    soup = BeautifulSoup(client.get("/en/sites/dinh-chem").data, "html.parser")
    link = soup.select_one("ol.nearby a[href$='/dinh-gan-chem']")
    assert link is not None and link.get("lang") == "vi"
    browse = BeautifulSoup(client.get("/en/").data, "html.parser")
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


# Combining marks of Vietnamese letters: grave, acute, tilde, hook, dot below,
# circumflex, breve, horn.
VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|«[^»]*»")


def is_vietnamese_letter(char: str) -> bool:
    return char in "đĐ" or any(m in VIETNAMESE_MARKS for m in unicodedata.normalize("NFD", char))


def vietnamese_share(text: str) -> tuple[float, int]:
    """Return the share of lower-case words outside quotations with a Vietnamese letter."""
    words = [w for w in re.findall(r"[^\W\d_]+", QUOTED.sub(" ", text)) if w[0].islower()]
    marked = sum(1 for word in words if any(is_vietnamese_letter(ch) for ch in word))
    return (marked / len(words) if words else 0.0), len(words)


def test_the_measure_tells_english_notes_from_vietnamese_ones():
    assert vietnamese_share("tọa độ (đối tượng OpenStreetMap)")[0] == 1.0
    assert vietnamese_share("the nội công ngoại quốc layout, seven-bay front hall")[0] < 0.5
    assert vietnamese_share("coordinate and the name “Nhà lưu niệm Chủ tịch”") == (0.0, 4)
    assert vietnamese_share("Hoành phi")[0] == 0.0 and is_vietnamese_letter("ơ")


def expected_note(source: Source, language: str, translate) -> str:
    if source.standard_note is not None:
        return translate(source.standard_note)
    wanted = language if language in ("vi", "en") else "en"
    return source.notes.get(wanted, "")


@pytest.mark.parametrize("language", ["vi", "en", "zh_Hans", "ko", "ja", "fr"])
def test_inscription_kinds_and_source_notes_are_in_the_pages_language(catalogue, pages, language):
    translate = Translations.load(str(TRANSLATIONS), [language]).gettext
    vocabulary = catalogue.config.vocabulary
    wrong, kinds_seen, notes_seen = [], 0, 0
    for site in catalogue.published():
        soup = pages(site, language)
        shown_kinds = [e.get_text(strip=True) for e in soup.select("figcaption .inscription-kind")]
        wanted_kinds = []
        for item in site.inscriptions:
            if vocabulary.inscription_kind(item.kind) is None:
                wrong.append((site.slug, "not an inscription kind", item.kind))
            wanted_kinds.append(vocabulary.inscription_kind_label(item.kind, language))
        if shown_kinds != wanted_kinds:
            wrong.append((site.slug, "inscription kinds", shown_kinds, wanted_kinds))
        if language == "en":
            wrong += [
                (site.slug, "Vietnamese inscription kind", kind)
                for kind in shown_kinds
                if any(is_vietnamese_letter(ch) for ch in kind)
            ]
        kinds_seen += len(shown_kinds)
        for number, source in enumerate(site.sources, start=1):
            if source.standard_note is None and not {"vi", "en"} <= set(source.notes):
                wrong.append((site.slug, number, "note not in vi and en", source.supports))
                continue
            element = soup.select_one(f"li#source-{number} .source-note")
            shown = element.get_text(strip=True)[1:-1] if element else ""
            if shown != expected_note(source, language, translate):
                wrong.append((site.slug, number, "note", shown))
            share, words = vietnamese_share(shown)
            if language == "en" and share >= 0.4:
                wrong.append((site.slug, number, "Vietnamese note on an English page", shown))
            if language == "vi" and words >= 3 and share < 0.5:
                wrong.append((site.slug, number, "English note on a Vietnamese page", shown))
            notes_seen += 1
    assert not wrong
    assert kinds_seen >= 20 and notes_seen >= 150, (kinds_seen, notes_seen)


def test_every_word_the_pages_translate_has_a_vietnamese_translation():
    from guide.web.public.story import STANDARD_NOTES as TRANSLATED

    assert set(TRANSLATED) == set(STANDARD_NOTES)
    vietnamese = Translations.load(str(TRANSLATIONS), ["vi"]).gettext
    assert vietnamese("coordinate") == "tọa độ"
    assert all(vietnamese(word) != word for word in STANDARD_NOTES)


def test_a_one_word_note_is_shown_in_the_pages_language(make_catalogue):
    from builders import site_facts

    sources = [{"url": "https://www.openstreetmap.org/node/6652529905", "supports": "point"}]
    root = make_catalogue(site_facts(sources=sources))
    client = create_app({"TESTING": True, "GUIDE_SITES": str(root)}).test_client()
    for path, wanted in (("/sites/dinh-chem", "vị trí"), ("/en/sites/dinh-chem", "point")):
        soup = BeautifulSoup(client.get(path).data, "html.parser")
        assert soup.select_one("li#source-1 .source-note").get_text(strip=True) == f"({wanted})"
