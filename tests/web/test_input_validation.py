"""Bad input through every door (import, editor, API, guide check): refused and named, no 500."""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
import tomli_w
from browsing import csrf_token, form_fields
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, site_facts, write_site

from guide import create_app
from guide.cli import main

HEADER = "slug,name_vi,name_en,lat,lon,kind,opening_hours\n"
GOOD_ROW = {"slug": "nha-moi", "name_vi": "Nhà mới", "lat": "21.0705", "lon": "105.7705"}


def csv_text(**changes: str) -> str:
    """Return a one-row import CSV of a good site, changed by ``changes``."""
    row = {**GOOD_ROW, "name_en": "", "kind": "other", "opening_hours": "", **changes}
    buffer = io.StringIO()
    import csv

    writer = csv.DictWriter(buffer, fieldnames=HEADER.strip().split(","), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue()


def collection(*features: object) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


POINT = {"type": "Point", "coordinates": [105.7705, 21.0705]}
PROPS = {"slug": "nha-moi", "name_vi": "Nhà mới", "kind": "other"}
DEEP = '{"type":"FeatureCollection","features":' + "[" * 100_000 + "]" * 100_000 + "}"

# (file name, content, the column a rejection names)
BAD_ROWS = [
    ("nan.csv", csv_text(lat="nan"), "lat"),
    ("huge.csv", csv_text(lat="1e999"), "lat"),
    ("minus-inf.csv", csv_text(lon="-inf"), "lon"),
    ("string.geojson", collection("a string"), "feature"),
    ("geometry-list.geojson", collection({"geometry": [1, 2], "properties": PROPS}), "geometry"),
    ("properties-list.geojson", collection({"geometry": POINT, "properties": [1]}), "properties"),
    (
        "coordinates-number.geojson",
        collection({"geometry": {"type": "Point", "coordinates": 5}, "properties": PROPS}),
        "geometry",
    ),
    (
        "nan-coordinates.geojson",
        collection(
            {
                "geometry": {"type": "Point", "coordinates": [float("nan"), 21.07]},
                "properties": PROPS,
            }
        ),
        "lon",
    ),
    ("zero-width-name.csv", csv_text(name_vi="\u200b\u200b"), "name_vi"),
    ("bidi-name.csv", csv_text(name_vi="Nhà\u202emới"), "name_vi"),
    ("bell-name.csv", csv_text(name_vi="Nhà\x07mới"), "name_vi"),
    ("escape-name.csv", csv_text(name_vi="Nhà\x1b[31mmới"), "name_vi"),
    ("nul-name.csv", csv_text(name_vi="Nhà\x00mới"), "name_vi"),
    ("overnight.csv", csv_text(opening_hours="17:00-08:00"), "opening_hours"),
    ("hour-24.csv", csv_text(opening_hours="08:00-24:30"), "opening_hours"),
    (
        "zero-width-name.geojson",
        collection({"geometry": POINT, "properties": {**PROPS, "name_vi": "\u200b"}}),
        "name_vi",
    ),
]


def catalogue_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


@pytest.mark.parametrize(("name", "content", "column"), BAD_ROWS, ids=[r[0] for r in BAD_ROWS])
def test_the_import_command_rejects_the_row_naming_the_column(
    runner, empty_catalogue, tmp_path, name, content, column
):
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    before = catalogue_files(empty_catalogue)
    result = runner.invoke(main, ["import", str(source), "--sites", str(empty_catalogue)])
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    (line,) = [line for line in result.output.splitlines() if "rejected:" in line]
    assert f"rejected: {column}: " in line or f"; {column}: " in line, line
    assert "Traceback" not in result.output
    assert catalogue_files(empty_catalogue) == before


def test_the_import_command_refuses_a_file_nested_too_deeply(runner, empty_catalogue, tmp_path):
    source = tmp_path / "deep.geojson"
    source.write_text(DEEP, encoding="utf-8")
    result = runner.invoke(main, ["import", str(source), "--sites", str(empty_catalogue)])
    assert result.exit_code == 2
    assert "deep.geojson: nested too deeply" in result.output
    assert not (empty_catalogue / "codes.txt").exists()


def upload(client, name: str, content: str):
    return client.post(
        "/admin/import",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(content.encode()), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(("name", "content", "column"), BAD_ROWS, ids=[r[0] for r in BAD_ROWS])
def test_the_web_import_reports_the_rejected_row_and_imports_nothing(
    validation_admin, staff_sites, name, content, column
):
    before = catalogue_files(staff_sites)
    response = upload(validation_admin, name, content)
    assert response.status_code == 200
    (row,) = BeautifulSoup(response.data, "html.parser").select("table.import-report tbody tr")
    assert row["class"][0] == "rejected"
    assert f"{column}:" in row.select("td")[3].text
    assert (
        BeautifulSoup(response.data, "html.parser").select_one("form[action$='/confirm']") is None
    )
    assert catalogue_files(staff_sites) == before


def test_the_web_import_refuses_a_file_nested_too_deeply(validation_admin, staff_sites):
    response = upload(validation_admin, "deep.geojson", DEEP)
    assert response.status_code == 422
    help_text = BeautifulSoup(response.data, "html.parser").select_one("#help-file").text
    assert "deep.geojson: nested too deeply" in help_text


def test_a_revision_number_too_large_for_the_database_is_not_found(validation_admin):
    assert (
        validation_admin.get("/admin/sites/dinh-chem/history/99999999999999999999").status_code
        == 404
    )
    token = csrf_token(validation_admin)
    restore = validation_admin.post(
        "/admin/sites/dinh-chem/history/99999999999999999999/restore", data={"csrf_token": token}
    )
    assert restore.status_code == 404


def test_the_plan_api_refuses_json_nested_too_deeply():
    app = create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES)})
    response = app.test_client().post(
        "/api/tours/plan", data="[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["field"] == "body" and "nested too deeply" in answer["messages"]["en"]


@pytest.mark.parametrize("start", ["[NaN, 105.8]", "[21.03, Infinity]", "[-Infinity, 105.8]"])
def test_the_plan_api_refuses_a_start_point_that_is_not_finite(start):
    app = create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES)})
    body = '{"stops": ["Z2HN", "YKW7"], "start": ' + start + "}"
    response = app.test_client().post("/api/tours/plan", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["field"] == "start"


# --- The editor ---------------------------------------------------------------------------


def editor_post(client, staff_sites, **changes: str):
    page = client.get("/admin/sites/dinh-chem")
    data = form_fields(page.data)
    data.update(changes, action="save")
    return client.post("/admin/sites/dinh-chem", data=data)


def messages(response, field: str) -> list[str]:
    page = BeautifulSoup(response.data, "html.parser")
    holder = page.select_one("#point-feedback" if field == "point" else f"#help-{field}")
    assert holder is not None, field
    return [p.get_text(" ", strip=True) for p in holder.select("p.error")]


EDITOR_CASES = [
    ({"lat": "nan", "lon": "105.77"}, "point"),
    ({"lat": "inf", "lon": "105.77"}, "point"),
    ({"lat": "21.09", "lon": "-inf"}, "point"),
    ({"point_text": "9" * 400 + ", 105.77"}, "point_text"),
    ({"name_vi": "\u200b\u200b"}, "name_vi"),
    ({"name_vi": "\u00a0\ufeff "}, "name_vi"),
    ({"name_vi": "Đình\u202eChèm"}, "name_vi"),
    ({"name_vi": "Đình\u2066Chèm"}, "name_vi"),
    ({"name_vi": "Đình\x07Chèm"}, "name_vi"),
    ({"name_vi": "Đình\x1bChèm"}, "name_vi"),
    ({"name_en": "Chem\x00"}, "name_en"),
    ({"story_vi": "Câu chuyện\x00 bị cắt."}, "story_vi"),
    ({"opening_hours": "17:00-08:00"}, "opening_hours"),
    ({"opening_hours": "08:00-24:00"}, "opening_hours"),
    ({"opening_hours": "07:30-11:30, 11:00-17:00"}, "opening_hours"),
    ({"tags": "đình, \u200b"}, "tags"),
]


@pytest.mark.parametrize(("changes", "field"), EDITOR_CASES)
def test_the_editor_refuses_junk_naming_the_field(validation_admin, staff_sites, changes, field):
    before = catalogue_files(staff_sites / "dinh-chem")
    response = editor_post(validation_admin, staff_sites, **changes)
    assert response.status_code == 422
    assert messages(response, field), BeautifulSoup(response.data, "html.parser").select(".error")
    assert catalogue_files(staff_sites / "dinh-chem") == before


def test_the_editor_refuses_form_input_that_was_not_utf8(validation_admin, staff_sites):
    before = catalogue_files(staff_sites / "dinh-chem")
    data = form_fields(validation_admin.get("/admin/sites/dinh-chem").data)
    data.update(action="save", name_vi="@@")
    body = urlencode(data).replace("%40%40", "%FF%FE")
    response = validation_admin.post(
        "/admin/sites/dinh-chem", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 422
    assert any("valid UTF-8" in m for m in messages(response, "name_vi"))
    assert catalogue_files(staff_sites / "dinh-chem") == before


def test_the_editor_shows_the_refusal_in_vietnamese(validation_admin, staff_sites):
    data = form_fields(validation_admin.get("/admin/sites/dinh-chem").data)
    data.update(action="save", opening_hours="17:00-08:00")
    response = validation_admin.post(
        "/admin/sites/dinh-chem", data=data, headers={"Accept-Language": "vi"}
    )
    assert response.status_code == 422
    (message,) = messages(response, "opening_hours")
    assert "qua đêm" in message


@pytest.mark.parametrize(
    "query", ["lat=nan&lon=105.77", "lat=21.09&lon=inf", "text=" + "9" * 400 + ",105"]
)
def test_the_point_helper_refuses_points_that_are_not_finite(validation_admin, query):
    response = validation_admin.get(f"/admin/api/point?{query}")
    assert response.status_code == 400
    assert response.get_json()["ok"] is False


# --- guide check ---------------------------------------------------------------------------

CHECK_CASES = [
    ({"name": {"vi": "\u200b"}}, "name.vi"),
    ({"name": {"vi": "Đình\u202eChèm"}}, "name.vi"),
    ({"name": {"vi": "Đình\x07Chèm"}}, "name.vi"),
    ({"name": {"vi": "Đình\x1bChèm"}}, "name.vi"),
    ({"name": {"vi": "Đình\x00Chèm"}}, "name.vi"),
    ({"opening_hours": "17:00-08:00"}, "opening_hours"),
    ({"opening_hours": "24:00-25:00"}, "opening_hours"),
    ({"address": "Làng\x07Chèm"}, "address"),
    ({"lat": float("nan")}, "lat"),
    ({"lon": float("inf")}, "lon"),
]


@pytest.mark.parametrize(("changes", "field"), CHECK_CASES)
def test_guide_check_refuses_junk_naming_the_file_and_field(
    runner, empty_catalogue, changes, field
):
    folder = write_site(empty_catalogue, site_facts(**changes))
    result = runner.invoke(main, ["check", "--sites", str(empty_catalogue)])
    assert result.exit_code == 1
    assert f"error: {folder / 'site.toml'}: {field}: " in result.output, result.output


def test_guide_check_refuses_a_narrative_with_a_nul(runner, empty_catalogue):
    folder = write_site(empty_catalogue, site_facts(), {"vi": "Câu chuyện\x00."})
    result = runner.invoke(main, ["check", "--sites", str(empty_catalogue)])
    assert result.exit_code == 1
    assert "story.vi.md: contains the control character U+0000" in result.output
    assert str(folder / "site.toml") in result.output


def test_guide_check_names_a_narrative_that_is_not_utf8(runner, empty_catalogue):
    folder = write_site(empty_catalogue, site_facts())
    (folder / "story.vi.md").write_bytes(b"C\xe2u chuy\xean.\n")
    result = runner.invoke(main, ["check", "--sites", str(empty_catalogue)])
    assert result.exit_code == 1
    assert "story.vi.md: is not UTF-8 text" in result.output


def test_multiline_text_keeps_its_line_breaks_and_tabs(runner, empty_catalogue):
    # A short story, declared so: the check passes with warnings.
    write_site(
        empty_catalogue, site_facts(needs_story=True), {"vi": "Dòng một.\n\n\tDòng hai.\r\n"}
    )
    result = runner.invoke(main, ["check", "--sites", str(empty_catalogue)])
    assert result.exit_code == 0, result.output


def test_a_site_toml_with_nan_is_readable_toml(tmp_path):
    # TOML itself allows nan and inf, so the validator (not the parser) must refuse them.
    import tomllib

    assert str(tomllib.loads(tomli_w.dumps({"lat": float("nan")}))["lat"]) == "nan"
