"""``guide import`` and ``guide export``: rows, duplicates, dry runs, atomic writes, round trips."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import DEFAULT_SITES, beside_minimums

from guide.catalogue.checks import check_catalogue
from guide.catalogue.index import load_catalogue
from guide.catalogue.interchange import COLUMNS, EXTRA_COLUMNS
from guide.cli import main

SHARED_CSV = DEFAULT_SITES.parent.parent / "shared" / "data" / "hanoi_sites.csv"
CHEM_ROW = {
    "slug": "dinh-chem",
    "name_vi": "Đình Chèm",
    "name_en": "Chem Communal House",
    "lat": "21.094072",
    "lon": "105.774237",
    "address": "Làng Chèm",
    "ward": "Thụy Phương",
    "district": "Quận Bắc Từ Liêm",
    "kind": "communal-house",
    "rank": "special-national",
    "source_url": "https://www.openstreetmap.org/node/6652529905",
    "description_vi_or_en": "Thờ Lý Ông Trọng.",
}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return path


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args])


def snapshot(root: Path) -> dict[str, bytes]:
    """Return the catalogue's files and contents, leaving out the cache folder."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(root).parts
    }


def test_good_rows_are_imported_with_codes_and_stories(runner, empty_catalogue, tmp_path):
    source = write_csv(tmp_path / "in.csv", [CHEM_ROW])
    result = run(runner, "import", source, "--sites", empty_catalogue)
    assert result.exit_code == 0, result.output
    assert "in.csv row 2: dinh-chem: imported" in result.output
    catalogue = load_catalogue(empty_catalogue)
    site = catalogue.by_slug("dinh-chem")
    assert site.status == "published" and site.area == "021"
    assert site.story("vi").strip() == "Thờ Lý Ông Trọng."
    assert f"{site.code} dinh-chem" in (empty_catalogue / "codes.txt").read_text()
    # The imported story is one line: only the story minimums may complain.
    assert beside_minimums(check_catalogue(catalogue)) == []


def test_row_without_coordinates_becomes_a_draft_that_needs_location(
    runner, empty_catalogue, tmp_path
):
    row = {
        **CHEM_ROW,
        "lat": "",
        "lon": "",
        "slug": "den-ngoc-son",
        "name_vi": "Đền Ngọc Sơn",
        "district": "Quận Hoàn Kiếm",
    }
    result = run(
        runner, "import", write_csv(tmp_path / "in.csv", [row]), "--sites", empty_catalogue
    )
    assert result.exit_code == 0, result.output
    site = load_catalogue(empty_catalogue).by_slug("den-ngoc-son")
    assert site.status == "draft" and site.needs_location and site.area == "002"


def test_bad_rows_are_reported_by_row_and_reason_and_good_rows_still_import(
    runner, empty_catalogue, tmp_path
):
    rows = [
        {**CHEM_ROW, "slug": "hoan-doi", "lat": "105.774237", "lon": "21.094072"},
        {**CHEM_ROW, "slug": "sai-quan", "district": "Quận Ba Đình", "name_vi": "Sai quận"},
        {**CHEM_ROW, "slug": "khong-ten", "name_vi": ""},
        {**CHEM_ROW, "slug": "../thoat", "name_vi": "Thoát"},
        {**CHEM_ROW, "slug": "chu", "lat": "hai mốt", "name_vi": "Chữ"},
        CHEM_ROW,
    ]
    result = run(runner, "import", write_csv(tmp_path / "in.csv", rows), "--sites", empty_catalogue)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.startswith("in.csv row 2: hoan-doi: rejected") and "swap" in line for line in lines
    )
    assert any(
        line.startswith("in.csv row 3: sai-quan: rejected")
        and "district:" in line
        and "Quận Bắc Từ Liêm" in line
        for line in lines
    )
    assert any(line.startswith("in.csv row 4: khong-ten: rejected") for line in lines)
    assert any(
        line.startswith("in.csv row 5: ../thoat: rejected") and "safe slug" in line
        for line in lines
    )
    assert any(
        line.startswith("in.csv row 6: chu: rejected") and "must be a number" in line
        for line in lines
    )
    assert "in.csv row 7: dinh-chem: imported" in lines
    assert [s.slug for s in load_catalogue(empty_catalogue)] == ["dinh-chem"]
    assert not (empty_catalogue.parent / "thoat").exists()


def test_duplicates_are_reported_not_added(runner, empty_catalogue, tmp_path):
    run(runner, "import", write_csv(tmp_path / "a.csv", [CHEM_ROW]), "--sites", empty_catalogue)
    near = {**CHEM_ROW, "slug": "den-chem", "name_vi": "Đình Chèm (Đền Chèm)", "lat": "21.09415"}
    result = run(
        runner, "import", write_csv(tmp_path / "b.csv", [near]), "--sites", empty_catalogue
    )
    assert result.exit_code == 0
    assert "b.csv row 2: den-chem: present: duplicate of dinh-chem (within 30 m" in result.output
    assert [s.slug for s in load_catalogue(empty_catalogue)] == ["dinh-chem"]


def test_duplicate_rows_within_one_file(runner, empty_catalogue, tmp_path):
    result = run(
        runner,
        "import",
        write_csv(tmp_path / "a.csv", [CHEM_ROW, CHEM_ROW]),
        "--sites",
        empty_catalogue,
    )
    assert result.exit_code == 0
    assert "a.csv row 3: dinh-chem: present: duplicate of dinh-chem (same slug)" in result.output


@pytest.mark.skipif(
    not SHARED_CSV.exists(), reason="the shared data folder is not beside the project"
)
def test_second_import_of_the_same_file_changes_nothing(runner, empty_catalogue):
    first = run(runner, "import", SHARED_CSV, "--sites", empty_catalogue)
    assert first.exit_code == 0, first.output
    assert "imported 79, already present 0, rejected 0 of 79 rows" in first.output
    before = snapshot(empty_catalogue)
    second = run(runner, "import", SHARED_CSV, "--sites", empty_catalogue)
    assert second.exit_code == 0
    assert "imported 0, already present 79, rejected 0 of 79 rows" in second.output
    assert snapshot(empty_catalogue) == before


def test_dry_run_writes_nothing(runner, empty_catalogue, tmp_path):
    before = snapshot(empty_catalogue)
    source = write_csv(tmp_path / "in.csv", [CHEM_ROW])
    result = run(runner, "import", source, "--sites", empty_catalogue, "--dry-run")
    assert result.exit_code == 0
    assert "would import 1" in result.output
    assert snapshot(empty_catalogue) == before
    row_lines = [line for line in result.stdout.splitlines() if "dinh-chem" in line]
    assert [line.rsplit(": ", 1)[-1] for line in row_lines] == ["would import"]


def test_import_help_lists_the_columns_and_properties(runner):
    result = runner.invoke(main, ["import", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for column in (*COLUMNS, *EXTRA_COLUMNS):
        assert column in text
    assert "GeoJSON" in text and "properties" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot be read"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"name;other\n1;2\n", "lacks the column(s) slug, name_vi, kind"),
        (b'{"type": "Feature"', "not valid JSON"),
    ],
)
def test_unreadable_files_exit_2(runner, empty_catalogue, tmp_path, content, message):
    path = tmp_path / ("in.geojson" if content and content.startswith(b"{") else "in.csv")
    if content is not None:
        path.write_bytes(content)
    result = run(runner, "import", path, "--sites", empty_catalogue)
    assert result.exit_code == 2
    assert message in result.output


def test_geojson_point_features_import(runner, empty_catalogue, tmp_path):
    properties = {k: v for k, v in CHEM_ROW.items() if k not in ("lat", "lon")}
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [105.774237, 21.094072]},
                "properties": properties,
            },
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
                "properties": {**properties, "slug": "duong"},
            },
        ],
    }
    path = tmp_path / "in.geojson"
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    result = run(runner, "import", path, "--sites", empty_catalogue)
    assert result.exit_code == 1
    assert "in.geojson feature 1: dinh-chem: imported" in result.output
    assert "in.geojson feature 2: duong: rejected: geometry: must be a Point" in result.output
    site = load_catalogue(empty_catalogue).by_slug("dinh-chem")
    assert (site.lat, site.lon) == (21.094072, 105.774237)


def published_facts(root: Path) -> dict[str, tuple]:
    return {
        site.code: (
            site.slug,
            site.name,
            site.kind,
            site.rank,
            site.area,
            site.status,
            site.lat,
            site.lon,
            site.address,
            site.ward,
        )
        for site in load_catalogue(root).published()
    }


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_export_then_import_reproduces_the_published_sites(runner, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    result = run(runner, "export", "--format", fmt, "--out", out, "--sites", DEFAULT_SITES)
    assert result.exit_code == 0, result.output
    target = tmp_path / "copy"
    assert run(runner, "init", target, "--sites", DEFAULT_SITES).exit_code == 0
    imported = run(runner, "import", out, "--sites", target)
    assert imported.exit_code == 0, imported.output
    assert published_facts(target) == published_facts(DEFAULT_SITES)
    assert len(published_facts(target)) == 67


def test_geojson_export_is_lon_lat_with_story_paths(runner):
    result = run(runner, "export", "--sites", DEFAULT_SITES)
    data = json.loads(result.output)
    chem = next(f for f in data["features"] if f["properties"]["slug"] == "dinh-chem")
    assert chem["geometry"]["coordinates"] == [105.774237, 21.094072]
    assert chem["properties"]["url"] == "/sites/dinh-chem"
    assert chem["properties"]["names"]["vi"].startswith("Đình Chèm")
    assert chem["properties"]["status"] == "published"
    assert all(f["properties"]["status"] == "published" for f in data["features"])


def test_csv_export_has_the_import_columns(runner):
    result = run(runner, "export", "--format", "csv", "--sites", DEFAULT_SITES)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 67
    assert set(COLUMNS) <= set(rows[0])


def test_a_killed_import_leaves_a_catalogue_that_passes_check(empty_catalogue, tmp_path):
    rows = [
        {
            **CHEM_ROW,
            "slug": f"site-{n}",
            "name_vi": f"Di tích số {n}",
            "lat": f"{21.03 + (n % 40) * 0.001:.6f}",
            "lon": f"{105.83 + (n // 40) * 0.001:.6f}",
            "district": "",
        }
        for n in range(1500)
    ]
    source = write_csv(tmp_path / "big.csv", rows)
    process = subprocess.Popen(
        [sys.executable, "-m", "guide.cli", "import", str(source), "--sites", str(empty_catalogue)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        written = sum(1 for p in empty_catalogue.iterdir() if p.name.startswith("site-"))
        if written >= 20:
            break
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    written = [p for p in empty_catalogue.iterdir() if p.name.startswith("site-")]
    assert 0 < len(written) < 1500, "the import was not caught halfway"
    catalogue = load_catalogue(empty_catalogue)
    problems = beside_minimums(check_catalogue(catalogue))
    assert [p for p in problems if p.level == "error"] == []
    assert len(catalogue) == len(written)
    for folder in written:
        assert (folder / "site.toml").read_text(encoding="utf-8").startswith('code = "')
