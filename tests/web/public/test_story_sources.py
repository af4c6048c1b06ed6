"""Sources and inscriptions on story pages: listed once, in the reader's language, cited inline."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from builders import beside_minimums, site_facts, write_site

from guide import create_app
from guide.catalogue.checks import check_catalogue
from guide.catalogue.index import load_catalogue

SOURCES = [
    {
        "url": "https://www.openstreetmap.org/node/6652529905",
        "publisher": "OpenStreetMap",
        "supports": {"vi": "tọa độ", "en": "coordinate"},
    },
    {
        "url": "https://nhandan.vn/doc-dao-di-tich-dinh-chem-post322290.html",
        "publisher": "Báo Nhân Dân",
        "supports": {"vi": "lễ hội và kiến trúc", "en": "festival and architecture"},
    },
]
STORIES = {
    "vi": "Đình thờ Lý Ông Trọng. [2]\n\n## Nguồn\n\n- <https://nhandan.vn/> — bài báo\n",
    "en": "The house honours Lý Ông Trọng. [2][1]\n\n## Sources\n\n- <https://nhandan.vn/>\n",
}
INSCRIPTION = {
    "kind": "horizontal-board",
    "location": {"vi": "trên cửa chính", "en": "over the main door"},
    "reading": "Vạn cổ anh linh",
    "translation": {"vi": "Anh linh muôn thuở", "en": "Heroic spirit for ever"},
    "sources": [2],
}


def _app(root: Path):
    return create_app({"TESTING": True, "GUIDE_SITES": str(root)})


def _page(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_one_sources_section_in_the_pages_language_with_numbered_entries(empty_catalogue):
    write_site(empty_catalogue, site_facts(sources=SOURCES), STORIES)
    client = _app(empty_catalogue).test_client()
    for path, note, other in (
        ("/sites/dinh-chem", "lễ hội và kiến trúc", "festival and architecture"),
        ("/en/sites/dinh-chem", "festival and architecture", "lễ hội và kiến trúc"),
    ):
        page = _page(client, path)
        headings = [
            h for h in page.find_all(["h2", "h3"]) if h.get_text(strip=True) in ("Nguồn", "Sources")
        ]
        assert len(headings) == 1, path
        items = page.select("ol.sources > li")
        assert [li["id"] for li in items] == ["source-1", "source-2"]
        text = items[1].get_text(" ", strip=True)
        assert note in text and other not in text
        assert "Báo Nhân Dân" in text
        # The narrative's own list under "Nguồn"/"Sources" is not shown a second time.
        narrative = page.select_one("#narrative")
        assert "nhandan.vn/" not in narrative.get_text()


def test_citation_markers_link_to_the_listed_sources(empty_catalogue):
    write_site(empty_catalogue, site_facts(sources=SOURCES), STORIES)
    page = _page(_app(empty_catalogue).test_client(), "/en/sites/dinh-chem")
    links = [a["href"] for a in page.select("#narrative sup.cite a")]
    assert links == ["#source-2", "#source-1"]
    for href in links:
        assert page.select_one(href) is not None
    assert "[2]" not in page.select_one("#narrative").get_text()
    description = page.find("meta", attrs={"name": "description"})
    if description is not None:
        assert "[" not in description["content"]


def test_guide_check_names_a_marker_that_cites_no_source(empty_catalogue):
    write_site(empty_catalogue, site_facts(sources=SOURCES), {"vi": "Đình làng. [3]"})
    problems = check_catalogue(load_catalogue(empty_catalogue, use_cache=False))
    errors = [p for p in beside_minimums(problems) if p.level == "error"]
    assert len(errors) == 1
    assert errors[0].path.endswith("story.vi.md") and "[3]" in errors[0].message


def test_inscriptions_show_their_reading_and_translation(empty_catalogue):
    write_site(empty_catalogue, site_facts(sources=SOURCES, inscriptions=[INSCRIPTION]), STORIES)
    client = _app(empty_catalogue).test_client()
    page = _page(client, "/en/sites/dinh-chem")
    figure = page.select_one("#inscriptions ~ figure.inscription") or page.select_one(
        "figure.inscription"
    )
    assert figure.select_one(".reading").get_text(strip=True) == "Vạn cổ anh linh"
    assert figure.select_one(".translation").get_text(strip=True) == "Heroic spirit for ever"
    assert "over the main door" in figure.figcaption.get_text()
    assert figure.select_one("figcaption a")["href"] == "#source-2"
    vi = _page(client, "/sites/dinh-chem").select_one("figure.inscription")
    assert vi.select_one(".translation").get_text(strip=True) == "Anh linh muôn thuở"


def test_an_inscription_that_cites_a_missing_source_is_refused(empty_catalogue):
    bad = dict(INSCRIPTION, sources=[5])
    write_site(empty_catalogue, site_facts(sources=SOURCES, inscriptions=[bad]), STORIES)
    problems = load_catalogue(empty_catalogue, use_cache=False).problems
    assert [p.field for p in problems if p.level == "error"] == ["inscriptions[0].sources"]


def test_sources_and_inscriptions_survive_a_round_trip_through_site_toml(empty_catalogue):
    write_site(empty_catalogue, site_facts(sources=SOURCES, inscriptions=[INSCRIPTION]), STORIES)
    site = load_catalogue(empty_catalogue, use_cache=False).by_slug("dinh-chem")
    facts = site.to_dict()
    assert facts["sources"] == SOURCES
    assert facts["inscriptions"] == [INSCRIPTION]
