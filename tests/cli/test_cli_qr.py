"""The ``guide qr`` command: which signs it makes, where it writes them, and when it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import HANG_NGANG, site_facts
from scanning import open_url, pdf_pages, png_image, scan_one, svg_image

from guide import create_app
from guide.cli import main

# The module's own setting of the environment, for every test in it.
pytestmark = pytest.mark.usefixtures("no_base_url_from_the_environment")

BASE = "https://ditich.example.vn"


def run(runner, catalogue: Path, out: Path, *args: str):
    return runner.invoke(main, ["qr", "--sites", str(catalogue), "--out", str(out), *args])


def scanned_slug(catalogue: Path, image) -> str:
    """Scan the one code in ``image`` and return the slug of the story page it opens."""
    client = create_app({"TESTING": True, "GUIDE_SITES": str(catalogue)}).test_client()
    visit = open_url(client, scan_one(image).text)
    assert visit.status == 200
    return visit.path.removeprefix("/sites/")


def test_without_a_base_url_it_says_what_to_set_and_exits_non_zero(runner, catalogue, tmp_path):
    result = run(runner, catalogue, tmp_path / "out", "--all")
    assert result.exit_code == 1
    assert "GUIDE_BASE_URL" in result.output
    assert "--base-url" in result.output
    assert not (tmp_path / "out").exists()


def test_a_localhost_base_url_is_refused(runner, catalogue, tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDE_BASE_URL", "http://localhost:5000")
    result = run(runner, catalogue, tmp_path / "out", "--all")
    assert result.exit_code == 1
    assert "GUIDE_BASE_URL: 'http://localhost:5000' points at the computer" in result.output
    assert not (tmp_path / "out").exists()


def test_all_makes_one_sign_per_published_site_and_none_for_drafts(runner, catalogue, tmp_path):
    out = tmp_path / "out"
    result = run(runner, catalogue, out, "--all", "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "dinh-chem-a5.pdf",
        "nha-48-hang-ngang-a5.pdf",
    ]
    for path in out.iterdir():
        [page] = pdf_pages(path.read_bytes())
        assert scanned_slug(catalogue, page) == path.name.removesuffix("-a5.pdf")
    assert "skipped 1 sites that are not published: den-ngoc-son (draft)" in result.stderr
    assert result.stdout.split() == [
        str(out / "dinh-chem-a5.pdf"),
        str(out / "nha-48-hang-ngang-a5.pdf"),
    ]


def test_signs_print_the_kind_and_rank_by_their_vietnamese_labels(runner, catalogue, tmp_path):
    from scanning import pdf_text

    out = tmp_path / "out"
    for options in ((), ("--one-file", str(tmp_path / "all.pdf"))):
        result = run(runner, catalogue, out, "--all", "--base-url", BASE, *options)
        assert result.exit_code == 0, result.output
    for data in (
        (out / "nha-48-hang-ngang-a5.pdf").read_bytes(),
        (tmp_path / "all.pdf").read_bytes(),
    ):
        lines = [line.strip() for line in pdf_text(data).splitlines()]
        assert "Di tích cách mạng · Di tích quốc gia" in lines
        assert not any("revolutionary" in line or "national" in line for line in lines)


def test_the_base_url_setting_is_used_without_the_option(runner, catalogue, tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDE_BASE_URL", "https://red.example.org")
    out = tmp_path / "out"
    assert run(runner, catalogue, out, "--site", "dinh-chem").exit_code == 0
    [page] = pdf_pages((out / "dinh-chem-a5.pdf").read_bytes())
    assert scan_one(page).text == "HTTPS://RED.EXAMPLE.ORG/S/7K2Q/Q"


def test_signs_go_to_qr_in_the_current_folder_by_default(runner, catalogue, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        main, ["qr", "--sites", str(catalogue), "--site", "7k2q", "--base-url", BASE]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "qr" / "dinh-chem-a5.pdf").is_file()


def test_area_makes_the_published_sites_of_that_area(runner, catalogue, tmp_path):
    out = tmp_path / "out"
    result = run(runner, catalogue, out, "--area", "quan hoan kiem", "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["nha-48-hang-ngang-a5.pdf"]


def test_tour_makes_the_published_stops_of_a_curated_tour(runner, catalogue, tmp_path):
    out = tmp_path / "out"
    result = run(
        runner, catalogue, out, "--tour", "ven-song-hong", "--size", "a6", "--base-url", BASE
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["dinh-chem-a6.pdf", "nha-48-hang-ngang-a6.pdf"]
    assert "den-ngoc-son (draft)" in result.stderr


def test_an_unknown_tour_lists_the_tours_there_are(runner, catalogue, tmp_path):
    result = run(runner, catalogue, tmp_path / "out", "--tour", "pho-co", "--base-url", BASE)
    assert result.exit_code == 2
    assert "'pho-co' is not a curated tour (tours: ven-song-hong)" in result.output


def test_a_named_draft_is_refused_before_anything_is_written(runner, catalogue, tmp_path):
    out = tmp_path / "out"
    result = run(
        runner, catalogue, out, "--site", "dinh-chem", "--site", "den-ngoc-son", "--base-url", BASE
    )
    assert result.exit_code == 2
    assert "den-ngoc-son is a draft" in result.output
    assert not out.exists()


def test_an_unknown_site_is_named(runner, catalogue, tmp_path):
    result = run(runner, catalogue, tmp_path / "out", "--site", "chua-mot-cot", "--base-url", BASE)
    assert result.exit_code == 2
    assert "'chua-mot-cot' is not a site slug or code" in result.output


def test_nothing_selected_says_how_to_select(runner, catalogue, tmp_path):
    result = run(runner, catalogue, tmp_path / "out", "--base-url", BASE)
    assert result.exit_code == 2
    assert "--site" in result.output and "--all" in result.output


@pytest.mark.parametrize(("fmt", "load"), [("svg", svg_image), ("png", png_image)])
def test_bare_codes_scan_to_the_story_page(runner, catalogue, tmp_path, fmt, load):
    out = tmp_path / "out"
    result = run(
        runner,
        catalogue,
        out,
        "--site",
        "59PK",
        "--format",
        fmt,
        "--size",
        "a6",
        "--base-url",
        BASE,
    )
    assert result.exit_code == 0, result.output
    image = load((out / f"nha-48-hang-ngang-a6.{fmt}").read_bytes())
    assert scanned_slug(catalogue, image) == "nha-48-hang-ngang"


def test_ec_h_prints_level_h(runner, catalogue, tmp_path):
    out = tmp_path / "out"
    assert (
        run(
            runner, catalogue, out, "--site", "dinh-chem", "--ec", "h", "--base-url", BASE
        ).exit_code
        == 0
    )
    [page] = pdf_pages((out / "dinh-chem-a5.pdf").read_bytes())
    assert scan_one(page).ec == "H"


def test_the_sticker_sheet_is_written_by_slug_and_size(runner, catalogue, tmp_path):
    out = tmp_path / "out"
    assert (
        run(
            runner, catalogue, out, "--site", "dinh-chem", "--size", "sticker", "--base-url", BASE
        ).exit_code
        == 0
    )
    assert (out / "dinh-chem-sticker.pdf").is_file()


@pytest.mark.parametrize("fmt", ["pdf", "svg", "png"])
def test_a_second_run_writes_byte_identical_files(runner, catalogue, tmp_path, fmt):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        result = run(runner, catalogue, out, "--all", "--format", fmt, "--base-url", BASE)
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_the_programme_and_logo_settings_reach_the_sign(runner, catalogue, tmp_path, monkeypatch):
    from PIL import Image
    from scanning import pdf_text

    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 60), (180, 0, 0)).save(logo)
    monkeypatch.setenv("GUIDE_SIGN_PROGRAMME", "Công dân số")
    monkeypatch.setenv("GUIDE_SIGN_LOGO", str(logo))
    out = tmp_path / "out"
    assert run(runner, catalogue, out, "--site", "dinh-chem", "--base-url", BASE).exit_code == 0
    assert "Công dân số" in pdf_text((out / "dinh-chem-a5.pdf").read_bytes())


def test_a_bad_logo_setting_stops_the_command_naming_it(runner, catalogue, tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDE_SIGN_LOGO", str(tmp_path / "missing.png"))
    result = run(runner, catalogue, tmp_path / "out", "--all", "--base-url", BASE)
    assert result.exit_code == 1
    assert "GUIDE_SIGN_LOGO" in result.output


def test_a_site_whose_name_cannot_be_printed_fails_alone(runner, make_catalogue, tmp_path):
    root = make_catalogue(site_facts(name={"vi": "Đình Chèm 亭", "en": "Chem"}), HANG_NGANG)
    out = tmp_path / "out"
    result = run(runner, root, out, "--all", "--base-url", BASE)
    assert result.exit_code == 1
    assert "name.vi" in result.stderr and "U+4EAD" in result.stderr
    assert [p.name for p in out.iterdir()] == ["nha-48-hang-ngang-a5.pdf"]


def test_progress_is_shown_on_standard_error(runner, catalogue, tmp_path):
    result = run(runner, catalogue, tmp_path / "out", "--all", "--base-url", BASE)
    assert "PDF a5" in result.stderr
    assert "wrote 2 files" in result.stderr


def test_one_sign_is_counted_in_the_singular(runner, catalogue, tmp_path):
    out = tmp_path / "signs"
    result = run(runner, catalogue, out, "--site", "dinh-chem", "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert f"wrote 1 file to {out}" in result.stderr
