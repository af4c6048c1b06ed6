"""Kinds and ranks are a vocabulary of catalogue.toml: every site uses its ids, pages its labels."""

from __future__ import annotations

import tomllib

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, language_path, site_facts

from guide.catalogue.config import CatalogueError, read_config
from guide.catalogue.index import load_catalogue


def problems_of(root):
    catalogue = load_catalogue(root)
    return catalogue, [p for p in catalogue.problems if p.level == "error"]


def test_the_shipped_vocabulary_is_small_and_labelled_in_vi_and_en():
    vocabulary = read_config(DEFAULT_SITES).vocabulary
    assert 8 <= len(vocabulary.kinds) <= 15
    for term in (*vocabulary.kinds, *vocabulary.ranks):
        assert term.labels["vi"] and term.labels["en"]
    # Every interface language has its label; a language without one falls back to English.
    for term in (*vocabulary.kinds, *vocabulary.ranks):
        assert all(term.labels.get(code) for code in ("zh_Hans", "ko", "ja", "fr")), term.id
    assert vocabulary.kind_label("pagoda", "fr") == "Pagode"
    assert vocabulary.kind_label("pagoda", "de") == "Pagoda"
    assert vocabulary.kind_label("pagoda", "vi") == "Chùa"


def test_every_shipped_site_has_a_kind_and_rank_of_the_vocabulary():
    catalogue = load_catalogue(DEFAULT_SITES)
    vocabulary = catalogue.config.vocabulary
    assert len(catalogue) == 79
    for site in catalogue:
        assert vocabulary.kind(site.kind) is not None, site.slug
        assert vocabulary.rank(site.rank) is not None, site.slug
    # Kinds spread over several marker styles, or styling by kind means nothing.
    assert len({site.kind for site in catalogue}) >= 8


def test_writers_rank_lines_are_data_with_their_source():
    catalogue = load_catalogue(DEFAULT_SITES)
    chem = catalogue.by_slug("dinh-chem")
    # Batch 8 is sourced; no source states the year 2017 the old text gave.
    assert (chem.rank, chem.rank_detail.batch, chem.rank_detail.year) == (
        "special-national",
        8,
        None,
    )
    assert chem.rank_detail.sources == (13,)
    tay_dang = catalogue.by_slug("dinh-tay-dang").rank_detail
    assert (tay_dang.decision, tay_dang.date, tay_dang.year) == ("2383/QĐ-TTg", "2013-12-09", 2013)
    lang = catalogue.by_slug("chua-lang")
    assert (lang.rank, lang.rank_detail.year, lang.rank_detail.sources) == ("national", 1962, (6,))
    relief = catalogue.by_slug("phu-dieu-lac-long-quan-binh-da")
    assert relief.rank == "national-treasure" and relief.kind == "artefact"
    # The detail of a raw kind survives as a tag.
    assert "nhà tù" in catalogue.by_slug("nha-tu-hoa-lo").tags


def test_an_unknown_kind_is_refused_with_the_list(make_catalogue):
    _catalogue, errors = problems_of(make_catalogue(site_facts(kind="đình")))
    [error] = errors
    assert error.field == "kind" and "'đình' is not a kind" in error.message
    assert "communal-house" in error.message and "pagoda" in error.message


def test_an_unknown_rank_and_bad_rank_fields_are_refused(make_catalogue):
    facts = site_facts(
        rank="Di tích quốc gia (1962)", rank_year="1962", rank_date="2013-13-01", rank_source=[4]
    )
    _catalogue, errors = problems_of(make_catalogue(facts))
    fields = {error.field: error.message for error in errors}
    assert set(fields) == {"rank", "rank_year", "rank_date", "rank_source"}
    assert "special-national" in fields["rank"]
    assert "from 1 to 1" in fields["rank_source"]


def test_rank_date_and_year_must_agree(make_catalogue):
    facts = site_facts(rank_year=2014, rank_date="2013-12-09")
    _catalogue, errors = problems_of(make_catalogue(facts))
    assert [e.field for e in errors] == ["rank_year"]


def test_a_malformed_vocabulary_names_the_entry(empty_catalogue):
    path = empty_catalogue / "catalogue.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + '\n[[kinds]]\nid = "Bad Id"\nlabel = { vi = "x" }\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"kinds\[14\]\.id: 'Bad Id' is not an id"):
        read_config(empty_catalogue)


def test_story_badges_show_the_labels_of_the_page_language(client):
    for language, kind, rank in (
        ("en", "Communal house", "Special national relic (batch 8)"),
        ("vi", "Đình", "Di tích quốc gia đặc biệt (đợt 8)"),
    ):
        soup = BeautifulSoup(
            client.get(language_path(language, "/sites/dinh-chem")).data, "html.parser"
        )
        badges = [li.get_text(strip=True) for li in soup.select("ul.badges li")]
        assert badges == [kind, rank], language


def test_the_editor_offers_the_vocabulary_as_selects(staff_app):
    from browsing import sign_in

    client = staff_app.test_client()
    sign_in(client, "admin")
    soup = BeautifulSoup(client.get("/admin/sites/dinh-chem?lang=en").data, "html.parser")
    kinds = [o["value"] for o in soup.select("select#kind option")]
    config = tomllib.loads((DEFAULT_SITES / "catalogue.toml").read_text(encoding="utf-8"))
    assert kinds == [k["id"] for k in config["kinds"]]
    assert soup.select_one("select#kind option[selected]")["value"] == "communal-house"
    assert soup.select_one("select#rank option[selected]")["value"] == "special-national"
