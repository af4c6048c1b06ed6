"""Import and export carry every source (publisher, notes per language) and every inscription."""

from __future__ import annotations

import csv
import io
import json

import pytest
from builders import DEFAULT_SITES, site_facts

from guide.catalogue.index import load_catalogue
from guide.catalogue.interchange import COLUMNS
from guide.cli import main

SOURCES = [
    {
        "url": "https://vi.wikipedia.org/wiki/%C4%90%C3%ACnh_Ch%C3%A8m",
        "publisher": "Wikipedia tiếng Việt",
        "supports": {"vi": "lịch sử, câu đối", "en": "history, parallel sentences"},
    },
    {"url": "https://www.openstreetmap.org/node/6652529905", "supports": "coordinate"},
]
INSCRIPTIONS = [
    {
        "kind": "horizontal-board",
        "location": {"vi": "Tòa đại bái", "en": "Main hall"},
        "original": "大越國 \U00021a38",
        "reading": "Đại Việt quốc",
        "translation": {"vi": "Nước Đại Việt", "en": "The land of Đại Việt"},
        "sources": [1],
    },
    {"kind": "parallel-sentences", "reading": "Vạn cổ anh linh", "sources": [1, 2]},
]


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args])


def carried(root) -> dict[str, tuple]:
    return {
        site.slug: (site.sources, site.inscriptions) for site in load_catalogue(root).published()
    }


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_export_then_import_keeps_sources_and_inscriptions_exactly(
    runner, make_catalogue, tmp_path, fmt
):
    root = make_catalogue(site_facts(sources=SOURCES, inscriptions=INSCRIPTIONS))
    out = tmp_path / f"export.{fmt}"
    assert run(runner, "export", "--format", fmt, "--out", out, "--sites", root).exit_code == 0
    target = tmp_path / "copy"
    assert run(runner, "init", target, "--sites", root).exit_code == 0
    imported = run(runner, "import", out, "--sites", target)
    assert imported.exit_code == 0, imported.output
    assert carried(target) == carried(root)
    site = load_catalogue(target).by_slug("dinh-chem")
    assert site.sources[0].publisher == "Wikipedia tiếng Việt"
    assert site.sources[0].note("en") == "history, parallel sentences"
    assert site.inscriptions[0].original == "大越國 \U00021a38"


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_the_shipped_inscriptions_survive_a_round_trip(runner, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    run(runner, "export", "--format", fmt, "--out", out, "--sites", DEFAULT_SITES)
    target = tmp_path / "copy"
    run(runner, "init", target, "--sites", DEFAULT_SITES)
    assert run(runner, "import", out, "--sites", target).exit_code == 0
    before, after = carried(DEFAULT_SITES), carried(target)
    assert sum(1 for _, inscriptions in before.values() if inscriptions) >= 10
    assert after == before


def test_geojson_carries_them_as_lists_of_objects(runner, make_catalogue):
    root = make_catalogue(site_facts(sources=SOURCES, inscriptions=INSCRIPTIONS))
    data = json.loads(run(runner, "export", "--sites", root).output)
    properties = data["features"][0]["properties"]
    assert properties["sources"] == SOURCES
    assert properties["inscriptions"] == INSCRIPTIONS


def csv_with(tmp_path, **columns):
    fields = [*COLUMNS, *columns]
    row = {
        "slug": "dinh-chem",
        "name_vi": "Đình Chèm",
        "lat": "21.094072",
        "lon": "105.774237",
        "kind": "đình",
        "source_url": "https://www.openstreetmap.org/node/6652529905",
        **columns,
    }
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=fields)
        writer.writeheader()
        writer.writerow(row)
    return path


def rejected_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if ": rejected" in line]


def test_bad_json_in_the_inscriptions_column_is_refused_naming_row_and_column(
    runner, empty_catalogue, tmp_path
):
    source = csv_with(tmp_path, inscriptions='[{"kind": "stele", "reading": "x"')
    result = run(runner, "import", source, "--sites", empty_catalogue)
    assert result.exit_code == 1
    (line,) = rejected_lines(result)
    assert "in.csv row 2" in line and "inscriptions: is not valid JSON" in line
    assert load_catalogue(empty_catalogue).by_slug("dinh-chem") is None


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("sources_json", '{"url": "https://a.vn"}', "sources_json: must be a list of objects"),
        ("inscriptions", '[{"kind": "stele", "reading": "x", "sources": [3]}]', "sources, from 1"),
        ("inscriptions", '[{"kind": "stele"}]', "give the original text"),
    ],
)
def test_json_columns_go_through_the_reader_rules(
    runner, empty_catalogue, tmp_path, column, value, expected
):
    result = run(
        runner, "import", csv_with(tmp_path, **{column: value}), "--sites", empty_catalogue
    )
    assert result.exit_code == 1
    (line,) = rejected_lines(result)
    assert "in.csv row 2" in line and expected in line, line


def test_a_geojson_inscriptions_property_that_is_not_a_list_is_refused(
    runner, empty_catalogue, tmp_path
):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [105.774237, 21.094072]},
        "properties": {
            "slug": "dinh-chem",
            "name_vi": "Đình Chèm",
            "kind": "đình",
            "inscriptions": "大越國",
        },
    }
    path = tmp_path / "in.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    result = run(runner, "import", path, "--sites", empty_catalogue)
    assert result.exit_code == 1
    assert "inscriptions: must be a list of objects, as [[inscriptions]]" in result.output


def test_csv_export_writes_the_json_columns(runner, make_catalogue):
    root = make_catalogue(site_facts(sources=SOURCES, inscriptions=INSCRIPTIONS))
    output = run(runner, "export", "--format", "csv", "--sites", root).output
    (row,) = csv.DictReader(io.StringIO(output))
    assert json.loads(row["sources_json"]) == SOURCES
    assert json.loads(row["inscriptions"]) == INSCRIPTIONS
