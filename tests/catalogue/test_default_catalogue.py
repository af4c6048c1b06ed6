"""The catalogue that ships with the guide: real sites, valid, with narratives."""

from __future__ import annotations

import re

from builders import DEFAULT_SITES

from guide.catalogue.checks import check_catalogue
from guide.catalogue.index import load_catalogue
from guide.catalogue.text import CITATION, cited_sources


def words(markdown: str) -> int:
    return len(re.findall(r"\w+", CITATION.sub("", markdown)))


def test_shipped_catalogue_passes_check():
    catalogue = load_catalogue(DEFAULT_SITES)
    assert [str(p) for p in check_catalogue(catalogue) if p.level == "error"] == []


def test_all_79_real_sites_are_there_67_published_12_needing_a_location():
    catalogue = load_catalogue(DEFAULT_SITES)
    assert len(catalogue) == 79
    assert len(catalogue.published()) == 67
    drafts = [s for s in catalogue if s.status == "draft"]
    assert len(drafts) == 12 and all(s.needs_location for s in drafts)


def test_dinh_chem_has_full_narratives_that_cite_sources():
    chem = load_catalogue(DEFAULT_SITES).by_slug("dinh-chem")
    assert (chem.rank, chem.rank_detail.batch) == ("special-national", 8)
    assert words(chem.story("vi")) >= 300
    assert words(chem.story("en")) >= 300
    assert "https://www.openstreetmap.org/node/6652529905" in [s.url for s in chem.sources]
    assert "Lý Ông Trọng" in chem.story("vi")
    for language in ("vi", "en"):
        assert len(set(cited_sources(chem.story(language)))) >= 3, language


def test_every_site_has_a_story_in_both_languages_and_located_ones_cite_their_point():
    for site in load_catalogue(DEFAULT_SITES):
        assert site.story_languages == ("vi", "en"), site.slug
        if site.has_location:
            assert any(s.note("en").startswith("coordinate") for s in site.sources), site.slug


def test_every_paragraph_of_a_long_story_names_its_sources():
    """Paragraphs of narrative end with [n] markers naming entries of the site's sources."""
    for site in load_catalogue(DEFAULT_SITES).published():
        for language in site.story_languages:
            story = site.story(language) or ""
            paragraphs = [
                p.strip()
                for p in story.split("\n\n")
                if p.strip() and not p.lstrip().startswith(("#", "-", "*", ">"))
            ]
            cited = [p for p in paragraphs if CITATION.search(p)]
            assert len(cited) >= len(paragraphs) - 2, (site.slug, language)
            assert all(1 <= n <= len(site.sources) for n in cited_sources(story)), site.slug


def test_codes_are_unique_unambiguous_and_in_the_ledger():
    catalogue = load_catalogue(DEFAULT_SITES)
    ledger = (DEFAULT_SITES / "codes.txt").read_text(encoding="utf-8")
    codes = [site.code for site in catalogue]
    assert len(set(codes)) == len(codes)
    for site in catalogue:
        assert not set(site.code) & set("01OIL")
        assert f"{site.code} {site.slug}" in ledger


def test_data_notices_credit_openstreetmap_and_the_boundary_source():
    attribution = " ".join(load_catalogue(DEFAULT_SITES).config.attribution)
    assert "© OpenStreetMap contributors" in attribution and "ODbL" in attribution
    assert "dvhcvn" in attribution


def test_the_example_in_the_format_documentation_is_a_valid_site():
    import tomllib

    from guide.catalogue.reader import site_from_dict

    text = (DEFAULT_SITES / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(code = .*?)```", text, re.S).group(1)
    catalogue = load_catalogue(DEFAULT_SITES)
    site, problems = site_from_dict(
        tomllib.loads(example), "README example", catalogue.config, catalogue.areas
    )
    assert problems == []
    assert site.code == catalogue.by_slug("dinh-chem").code
    assert [m.file for m in site.media] == ["cong-dinh.jpg", "story.vi.mp3"]
    assert site.audio("vi").credit.startswith("Đoàn thanh niên")
