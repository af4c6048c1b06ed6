"""PDF signs: scanned back from the rendered page, text that extracts, fonts that are embedded."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from builders import site_facts
from PIL import Image
from scanning import (
    MM_PER_INCH,
    open_url,
    pdf_pages,
    pdf_text,
    quiet_zone_is_blank,
    scan,
    scan_one,
)

from guide import PROJECT_ROOT, create_app
from guide.catalogue.index import load_catalogue
from guide.render import signs
from guide.render.signs import SIZES, Branding, SignError, sign_pdf

BASE = "https://ditich.example.vn"
PLAQUES = ["a4", "a5", "a6"]
TITLE = ("Địa chỉ đỏ Hà Nội", "Red Addresses of Hà Nội")


@pytest.mark.parametrize("size", PLAQUES)
def test_a_plaque_scans_to_the_story_page_of_its_site(client, chem, size):
    dpi = 150
    [page] = pdf_pages(sign_pdf(chem, BASE, size, branding=Branding(title=TITLE)), dpi)
    found = scan_one(page)
    assert found.text == f"HTTPS://DITICH.EXAMPLE.VN/S/{chem.code}/Q"
    assert (found.version, found.ec) == (3, "Q")
    visit = open_url(client, found.text)
    assert (visit.status, visit.path, visit.redirects) == (200, "/sites/dinh-chem", 1)
    assert visit.heading == chem.name["vi"]
    assert quiet_zone_is_blank(page, found), "text or drawing inside the 4-module quiet zone"
    printed_mm = found.width / dpi * MM_PER_INCH
    assert printed_mm == pytest.approx(SIZES[size].symbol_mm, rel=0.02)


def test_the_sticker_sheet_has_twelve_codes_of_the_site_each_with_its_quiet_zone(client, chem):
    [page] = pdf_pages(sign_pdf(chem, BASE, "sticker"), 200)
    found = scan(page)
    assert len(found) == signs.STICKER_COLUMNS * signs.STICKER_ROWS
    assert {code.text for code in found} == {f"HTTPS://DITICH.EXAMPLE.VN/S/{chem.code}/Q"}
    assert all(quiet_zone_is_blank(page, code) for code in found)
    assert open_url(client, found[0].text).path == "/sites/dinh-chem"


def test_crop_marks_lie_in_the_margins_on_the_lines_of_the_sticker_edges(chem):
    dpi = 100
    [page] = pdf_pages(sign_pdf(chem, BASE, "sticker"), dpi)
    to_px = dpi / 72
    positions = signs.sticker_positions()
    left = min(x for x, _ in positions) * to_px
    top_edge = page.height - max(y for _, y in positions) * to_px - 60 / MM_PER_INCH * dpi
    for x, _ in positions:
        column = round(x * to_px)
        # A dark mark a few millimetres above the grid, on the sticker's left edge...
        mark = page.crop(
            (column - 1, round(top_edge - 6 * dpi / 25.4), column + 2, round(top_edge))
        )
        assert mark.getextrema()[0] < 128
    # ...and nothing drawn on the stickers' own edge inside the grid.
    inside = page.crop(
        (round(left) - 1, round(top_edge) + 5, round(left) + 2, round(top_edge) + 60)
    )
    assert inside.getextrema()[0] > 200


def test_the_sign_text_extracts_as_unicode_with_the_names_intact(app, chem):
    words = app.extensions["guide.catalogue"].config.vocabulary
    data = sign_pdf(chem, BASE, "a5", branding=Branding(title=TITLE), vocabulary=words)
    text = pdf_text(data)
    lines = [line.strip() for line in text.splitlines()]
    assert "Đình Chèm" in text
    assert chem.name["vi"] in lines
    assert chem.name["en"] in lines
    assert "Quét mã để khám phá câu chuyện di tích" in lines
    assert "Scan to discover the story" in lines
    assert f"ditich.example.vn/S/{chem.code}" in lines
    assert "Đình · Di tích quốc gia đặc biệt (Đợt 8)" in lines
    assert "Địa chỉ đỏ Hà Nội" in lines
    # Without the catalogue's vocabulary a sign would print the ids.
    assert "special-national" not in text


def test_poppler_extracts_the_same_vietnamese_text(chem, tmp_path):
    path = tmp_path / "sign.pdf"
    path.write_bytes(sign_pdf(chem, BASE, "a6"))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Đình Chèm (Đền Chèm, đền Lý Hiệu Úy)" in text
    assert "Quét mã để khám phá câu chuyện di tích" in text


def test_a_name_in_decomposed_unicode_prints_and_extracts_composed(make_catalogue):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Đình Chèm")
    root = make_catalogue(site_facts(name={"vi": decomposed, "en": "Chem Communal House"}))
    site = load_catalogue(root).by_slug("dinh-chem")
    lines = pdf_text(sign_pdf(site, BASE, "a6")).splitlines()
    assert "Đình Chèm" in [line.strip() for line in lines]


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_font_is_embedded_and_no_standard_font_is_declared(chem, tmp_path, size):
    path = tmp_path / "sign.pdf"
    path.write_bytes(sign_pdf(chem, BASE, size, branding=Branding(programme="Công dân số")))
    report = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout
    rows = report.splitlines()[2:]
    assert rows, "the sign declares no font at all"
    for row in rows:
        name, embedded = row.split()[0], row.split()[-5]
        assert embedded == "yes", f"{name} is not embedded: {report}"
        assert "SourceSansPro" in name
    assert "Helvetica" not in report


def test_the_code_is_vector_shapes_and_the_page_holds_no_bitmap(chem):
    import pypdfium2

    document = pypdfium2.PdfDocument(sign_pdf(chem, BASE, "a5"))
    kinds = {obj.type for obj in document[0].get_objects()}
    document.close()
    assert pypdfium2.raw.FPDF_PAGEOBJ_PATH in kinds
    assert pypdfium2.raw.FPDF_PAGEOBJ_IMAGE not in kinds


def test_the_same_input_gives_byte_identical_pdf_even_in_another_process(chem):
    first = sign_pdf(chem, BASE, "a5", branding=Branding(title=TITLE))
    assert sign_pdf(chem, BASE, "a5", branding=Branding(title=TITLE)) == first
    program = (
        "import hashlib, sys\n"
        "from guide.catalogue.index import load_catalogue\n"
        "from guide.render.signs import Branding, sign_pdf\n"
        f"site = load_catalogue({str(PROJECT_ROOT / 'sites')!r}).by_slug('dinh-chem')\n"
        f"data = sign_pdf(site, {BASE!r}, 'a5', branding=Branding(title={TITLE!r}))\n"
        "sys.stdout.write(hashlib.sha256(data).hexdigest())\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        check=True,
        text=True,
        cwd=PROJECT_ROOT,
    ).stdout
    assert other == hashlib.sha256(first).hexdigest()
    assert b"/CreationDate (D:20000101000000" in first


def test_level_h_is_printed_when_asked(chem):
    [page] = pdf_pages(sign_pdf(chem, BASE, "a5", ec="H"))
    assert scan_one(page).ec == "H"


def _logo(path: Path) -> Path:
    logo = Image.new("RGB", (300, 120), (200, 20, 20))
    logo.paste((255, 220, 0), (100, 20, 200, 100))
    logo.save(path)
    return path


def test_the_programme_and_logo_print_above_and_never_touch_the_code(chem, tmp_path):
    plain = sign_pdf(chem, BASE, "a5")
    branding = signs.branding_from_settings(
        {
            "GUIDE_SIGN_PROGRAMME": "Công dân số Bắc Từ Liêm",
            "GUIDE_SIGN_LOGO": _logo(tmp_path / "l.png"),
        },
        {"vi": TITLE[0], "en": TITLE[1]},
    )
    branded = sign_pdf(chem, BASE, "a5", branding=branding)
    assert "Công dân số Bắc Từ Liêm" in pdf_text(branded).splitlines()
    [plain_page], [branded_page] = pdf_pages(plain), pdf_pages(branded)
    found = scan_one(branded_page)
    assert found.text.endswith(f"/S/{chem.code}/Q")
    assert quiet_zone_is_blank(branded_page, found)
    # The code and its quiet zone are pixel for pixel the same as without branding.
    quiet = 4 * found.module()
    region = tuple(
        round(v)
        for v in (found.left - quiet, found.top - quiet, found.right + quiet, found.bottom + quiet)
    )
    assert plain_page.crop(region).tobytes() == branded_page.crop(region).tobytes()
    # The logo is there: red pixels in the top band of the page.
    [colour] = pdf_pages_rgb(branded)
    top_band = colour.crop((0, 0, colour.width, round(found.top - quiet)))
    pixels = top_band.tobytes()
    assert any(
        pixels[i] > 150 and pixels[i + 1] < 60 and pixels[i + 2] < 60
        for i in range(0, len(pixels), 3)
    )


def pdf_pages_rgb(data: bytes) -> list[Image.Image]:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    pages = [page.render(scale=100 / 72).to_pil().convert("RGB") for page in document]
    document.close()
    return pages


def test_a_missing_logo_names_the_setting(tmp_path):
    with pytest.raises(SignError, match=r"GUIDE_SIGN_LOGO: .*not a file"):
        signs.branding_from_settings({"GUIDE_SIGN_LOGO": str(tmp_path / "nope.png")}, {})
    (tmp_path / "notes.txt").write_text("not a picture")
    with pytest.raises(SignError, match=r"GUIDE_SIGN_LOGO: .*not an image"):
        signs.branding_from_settings({"GUIDE_SIGN_LOGO": str(tmp_path / "notes.txt")}, {})


def test_a_name_the_font_cannot_print_is_refused_naming_the_field(make_catalogue):
    root = make_catalogue(site_facts(name={"vi": "Đình Chèm 亭", "en": "Chem"}))
    site = load_catalogue(root).by_slug("dinh-chem")
    with pytest.raises(SignError, match=r"site\.toml: name\.vi: .*亭 \(U\+4EAD\)"):
        sign_pdf(site, BASE, "a5")


def test_a_long_name_shrinks_to_fit_an_a6_plaque_and_still_scans(make_catalogue):
    long_name = "Khu di tích lịch sử và kiến trúc nghệ thuật Đình, Chùa và Miếu làng Chèm cổ"
    root = make_catalogue(site_facts(name={"vi": long_name, "en": long_name}))
    site = load_catalogue(root).by_slug("dinh-chem")
    data = sign_pdf(site, BASE, "a6")
    [page] = pdf_pages(data, 200)
    found = scan_one(page)
    assert quiet_zone_is_blank(page, found)
    app = create_app({"TESTING": True, "GUIDE_SITES": str(root)})
    assert open_url(app.test_client(), found.text).path == "/sites/dinh-chem"
    assert " ".join(pdf_text(data).split()).count(long_name) == 2


def test_the_docs_state_the_reading_distance_of_every_size():
    readme = (PROJECT_ROOT / "qr" / "README.md").read_text(encoding="utf-8")
    rows = {}
    for line in readme.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`") and not cells[0].startswith("`-"):
            rows[cells[0].strip("`")] = cells
    assert set(rows) == set(SIZES)
    for name, size in SIZES.items():
        stated = " ".join(rows[name])
        assert f"{size.symbol_mm:g} mm" in stated
        distance = re.search(r"(\d+(?:[.,]\d+)?) m\b", stated)
        assert distance, f"no reading distance stated for {name}"
        assert float(distance.group(1).replace(",", ".")) == pytest.approx(size.reading_distance_m)
