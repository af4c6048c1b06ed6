"""Story minimums in `guide check`: 150 words per catalogue language, two independent sources."""

from __future__ import annotations

import tomllib

from builders import DEFAULT_SITES, FULL_STORIES, INDEPENDENT_SOURCES, site_facts, write_site

from guide.catalogue.checks import check_catalogue
from guide.catalogue.index import load_catalogue
from guide.catalogue.minimums import story_words
from guide.cli import main

SHORT = {"vi": "Đình làng ven sông. [1]", "en": "A village communal house. [1]"}


def minimum_problems(root):
    """Return (level, file name, field, kind) of every story-minimum problem."""
    return sorted(
        (p.level, p.path.rsplit("/", 1)[-1], p.field, p.kind)
        for p in check_catalogue(load_catalogue(root))
        if p.kind in ("story.short", "sources.independent")
    )


def test_a_published_site_with_a_short_story_and_one_publisher_fails_check(runner, empty_catalogue):
    write_site(empty_catalogue, site_facts(), SHORT)
    assert minimum_problems(empty_catalogue) == [
        ("error", "site.toml", "sources", "sources.independent"),
        ("error", "story.en.md", "", "story.short"),
        ("error", "story.vi.md", "", "story.short"),
    ]
    result = runner.invoke(main, ["check", "--sites", str(empty_catalogue)])
    assert result.exit_code == 1
    assert "story.vi.md: the narrative has 4 words, fewer than 150" in result.output


def test_a_draft_that_falls_short_only_warns(empty_catalogue):
    write_site(empty_catalogue, site_facts(status="draft"), SHORT)
    assert {level for level, *_ in minimum_problems(empty_catalogue)} == {"warning"}


def test_needs_story_turns_the_errors_of_a_published_site_into_warnings(runner, empty_catalogue):
    write_site(empty_catalogue, site_facts(needs_story=True), SHORT)
    assert [level for level, *_ in minimum_problems(empty_catalogue)] == ["warning"] * 3
    result = runner.invoke(main, ["check", "--sites", str(empty_catalogue)])
    assert result.exit_code == 0, result.output


def test_a_full_story_with_two_publishers_passes(empty_catalogue):
    write_site(empty_catalogue, site_facts(sources=INDEPENDENT_SOURCES), FULL_STORIES)
    assert minimum_problems(empty_catalogue) == []


def test_a_missing_language_counts_as_no_words(empty_catalogue):
    write_site(empty_catalogue, site_facts(sources=INDEPENDENT_SOURCES), {"vi": FULL_STORIES["vi"]})
    assert minimum_problems(empty_catalogue) == [("error", "story.en.md", "", "story.short")]


def test_markers_markdown_and_the_sources_list_are_not_words():
    words = " ".join(["lời"] * 149)
    padded = f"## Lịch sử\n\n**{words}** [1][2][3]\n\n- [xem](https://a.vn/x)\n"
    assert story_words(padded) == 149 + 2 + 1  # heading's two words, the link's text
    with_sources = f"{words}\n\n## Nguồn\n\n1. https://nhandan.vn/a một hai ba\n"
    assert story_words(with_sources) == 149


def test_coordinate_sources_and_one_publisher_twice_are_not_independent(empty_catalogue):
    sources = [
        {"url": "https://www.openstreetmap.org/node/1", "supports": "coordinate (OSM object)"},
        {
            "url": "https://www.wikidata.org/wiki/Q1",
            "supports": {"vi": "tọa độ", "en": "coordinate"},
        },
        {"url": "https://nhandan.vn/a", "publisher": "Báo Nhân Dân", "supports": "history"},
        {"url": "https://m.nhandan.vn/b", "supports": "festival"},
        {"url": "https://baohanoi.vn/c", "publisher": "Báo Nhân Dân", "supports": "rank"},
    ]
    write_site(empty_catalogue, site_facts(sources=sources), FULL_STORIES)
    problems = check_catalogue(load_catalogue(empty_catalogue))
    [found] = [p for p in problems if p.kind == "sources.independent"]
    assert dict(found.params)["count"] == "1"


def test_needs_story_must_be_true_or_false(empty_catalogue):
    write_site(empty_catalogue, site_facts(needs_story="yes"), SHORT)
    [found] = [
        p for p in check_catalogue(load_catalogue(empty_catalogue)) if p.field == "needs_story"
    ]
    assert found.level == "error" and "true or false" in found.message


def test_the_shipped_sites_that_fall_short_declare_it_and_pass():
    problems = check_catalogue(load_catalogue(DEFAULT_SITES))
    errors = [p for p in problems if p.level == "error"]
    assert errors == []
    declared = {
        folder.name
        for folder in DEFAULT_SITES.iterdir()
        if (folder / "site.toml").is_file()
        and tomllib.loads((folder / "site.toml").read_text(encoding="utf-8")).get("needs_story")
    }
    assert "o-thuy-chuong" in declared
    # A declaration only where the story really falls short.
    for slug in declared:
        kinds = {
            p.kind
            for p in problems
            if f"/{slug}/" in p.path and p.kind in ("story.short", "sources.independent")
        }
        assert kinds, f"{slug} says needs_story but meets the minimums"
