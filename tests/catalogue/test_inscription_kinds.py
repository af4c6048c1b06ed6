"""Inscription kinds are a vocabulary; a source note in one text for every language is warned of."""

from __future__ import annotations

import csv
import json

import pytest
from builders import DEFAULT_SITES, site_facts

from guide.catalogue.checks import check_catalogue
from guide.catalogue.config import CatalogueError
from guide.catalogue.index import load_catalogue
from guide.catalogue.interchange import COLUMNS
from guide.cli import main

IDS = ["stele", "horizontal-board", "parallel-sentences", "bell", "other"]


def inscription(kind: str) -> dict:
    return {"kind": kind, "reading": "Vạn cổ anh linh", "sources": [1]}


def problems(root) -> list:
    return check_catalogue(load_catalogue(root, use_cache=False))


def test_the_shipped_catalogue_lists_the_kinds_with_a_label_per_language():
    vocabulary = load_catalogue(DEFAULT_SITES).config.vocabulary
    assert [term.id for term in vocabulary.inscription_kinds] == IDS
    assert vocabulary.inscription_kind_label("horizontal-board", "vi") == "Hoành phi"
    assert vocabulary.inscription_kind_label("horizontal-board", "en") == "Horizontal board"
    assert vocabulary.inscription_kind_label("parallel-sentences", "en") == "Parallel sentences"
    for term in vocabulary.inscription_kinds:
        assert set(term.labels) == {"vi", "en", "zh_Hans", "ko", "ja", "fr"}, term.id


def test_every_shipped_inscription_is_of_a_listed_kind():
    catalogue = load_catalogue(DEFAULT_SITES)
    kinds = [item.kind for site in catalogue for item in site.inscriptions]
    assert len(kinds) >= 20
    assert set(kinds) <= set(IDS)
    assert not [p for p in catalogue.problems if "inscriptions" in p.field]


def test_check_refuses_a_kind_outside_the_list_and_names_the_list(make_catalogue):
    root = make_catalogue(site_facts(inscriptions=[inscription("hoành phi")]))
    (problem,) = [p for p in problems(root) if p.field == "inscriptions[0].kind"]
    assert problem.level == "error"
    assert "'hoành phi' is not an inscription kind" in problem.message
    assert ", ".join(IDS) in problem.message
    assert load_catalogue(root, use_cache=False).by_slug("dinh-chem") is None


def test_a_listed_kind_is_accepted(make_catalogue):
    root = make_catalogue(site_facts(inscriptions=[inscription("bell")]))
    site = load_catalogue(root, use_cache=False).by_slug("dinh-chem")
    assert [item.kind for item in site.inscriptions] == ["bell"]


def test_a_malformed_entry_is_refused_naming_it(empty_catalogue):
    config = empty_catalogue / "catalogue.toml"
    text = config.read_text(encoding="utf-8").replace('id = "bell"', 'id = "Bell board"', 1)
    config.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"inscription_kinds\[3\]\.id: 'Bell board'"):
        load_catalogue(empty_catalogue, use_cache=False)


def write_csv(path, inscriptions: list[dict]) -> None:
    fields = [*COLUMNS, "inscriptions"]
    row = {
        "slug": "dinh-chem",
        "name_vi": "Đình Chèm",
        "lat": "21.094072",
        "lon": "105.774237",
        "kind": "đình",
        "source_url": "https://www.openstreetmap.org/node/6652529905",
        "inscriptions": json.dumps(inscriptions, ensure_ascii=False),
    }
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=fields)
        writer.writeheader()
        writer.writerow(row)


def test_an_import_reads_a_kind_by_id_or_label_and_stores_the_id(runner, empty_catalogue, tmp_path):
    source = tmp_path / "in.csv"
    write_csv(source, [inscription("câu đối"), inscription("Horizontal board"), inscription("bia")])
    result = runner.invoke(main, ["import", str(source), "--sites", str(empty_catalogue)])
    assert result.exit_code == 0, result.output
    site = load_catalogue(empty_catalogue, use_cache=False).by_slug("dinh-chem")
    assert [item.kind for item in site.inscriptions] == [
        "parallel-sentences",
        "horizontal-board",
        "stele",
    ]
    # A source given only by its URL gets its note in each language.
    assert site.sources[0].notes == {"vi": "tọa độ", "en": "coordinate"}


def test_an_import_refuses_an_unknown_kind_naming_row_and_list(runner, empty_catalogue, tmp_path):
    source = tmp_path / "in.csv"
    write_csv(source, [inscription("tấm biển lạ")])
    result = runner.invoke(main, ["import", str(source), "--sites", str(empty_catalogue)])
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if ": rejected" in line]
    assert "in.csv row 2" in line and "'tấm biển lạ'" in line and ", ".join(IDS) in line


def test_check_warns_of_a_note_in_one_text_for_every_language(make_catalogue):
    sources = [
        {"url": "https://www.openstreetmap.org/node/6652529905", "supports": "coordinate"},
        {"url": "https://nhandan.vn/dinh-chem", "supports": "history of the village festival"},
        {"url": "https://vnexpress.net/dinh-chem", "supports": {"vi": "lễ hội", "en": "festival"}},
    ]
    root = make_catalogue(site_facts(sources=sources))
    noted = [p for p in problems(root) if p.field.startswith("sources[")]
    assert [(p.field, p.level) for p in noted] == [("sources[1].supports", "warning")]
    assert "'history of the village festival' is one text for every language" in noted[0].message
    assert "coordinate" in noted[0].message  # the words the pages translate are named


def test_the_shipped_catalogue_has_no_note_in_one_text():
    catalogue = load_catalogue(DEFAULT_SITES)
    assert not [p for p in check_catalogue(catalogue) if p.kind == "sources.note_language"]
    single = [
        (site.slug, source.supports)
        for site in catalogue
        for source in site.sources
        if not source.notes
    ]
    assert single == []
