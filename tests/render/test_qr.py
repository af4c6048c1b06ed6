"""QR codes: the URL a plaque holds, and bare SVG and PNG codes scanned back by zxing-cpp."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from scanning import MM_PER_INCH, open_url, png_image, quiet_zone_is_blank, scan_one, svg_image

from guide.render import qr
from guide.render.signs import SIZES, render

BASE = "https://ditich.example.vn"


@pytest.mark.parametrize(
    ("given", "printed"),
    [
        ("https://ditich.example.vn", "HTTPS://DITICH.EXAMPLE.VN"),
        ("https://DiTich.Example.vn/", "HTTPS://DITICH.EXAMPLE.VN"),
        ("  http://ditich.example.vn:8080/ ", "HTTP://DITICH.EXAMPLE.VN:8080"),
        ("https://example.vn/dia-chi-do/", "HTTPS://EXAMPLE.VN/dia-chi-do"),
    ],
)
def test_scheme_and_host_are_upper_cased_and_the_path_kept(given, printed):
    assert qr.normalize_base_url(given) == printed


@pytest.mark.parametrize(
    ("given", "complaint"),
    [
        ("", "empty"),
        ("ditich.example.vn", "https://"),
        ("ftp://ditich.example.vn", "https://"),
        ("http://localhost:5000", "cannot reach"),
        ("http://127.0.0.1:5000", "cannot reach"),
        ("http://[::1]/", "cannot reach"),
        ("http://0.0.0.0", "cannot reach"),
        ("https://ditich.example.vn/?lang=vi", "query"),
        ("https://user:secret@ditich.example.vn", "password"),
        ("https://ditich.example.vn:99999", "not a URL"),
    ],
)
def test_a_base_url_a_phone_cannot_open_is_refused_with_the_reason(given, complaint):
    with pytest.raises(qr.BaseUrlError, match=complaint):
        qr.normalize_base_url(given)


def test_a_typical_address_is_alphanumeric_version_3_at_level_q():
    code = qr.make_code(qr.site_url(BASE, "7k2q"))
    assert code.text == "HTTPS://DITICH.EXAMPLE.VN/S/7K2Q"
    assert code.is_alphanumeric
    assert (code.version, code.ec, code.size) == (3, "Q", 29)


def test_upper_case_keeps_the_symbol_smaller_than_the_same_url_in_lower_case():
    url = "HTTPS://RED-ADDRESSES.HANOI.EXAMPLE.VN/S/7K2Q"
    assert qr.make_code(url).version < qr.make_code(url.lower()).version


def test_level_h_makes_a_level_h_symbol_that_the_decoder_reports():
    code = qr.make_code(qr.site_url(BASE, "7K2Q"), "H")
    found = scan_one(png_image(qr.png(code, 30)))
    assert (found.ec, found.version) == ("H", code.version)
    assert found.text == "HTTPS://DITICH.EXAMPLE.VN/S/7K2Q"


def test_a_base_url_with_a_lower_case_path_still_scans_to_that_path():
    code = qr.make_code(qr.site_url("https://example.vn/dia-chi-do", "7K2Q"))
    assert not code.is_alphanumeric
    assert scan_one(png_image(qr.png(code, 40))).text == "HTTPS://EXAMPLE.VN/dia-chi-do/S/7K2Q"


def test_the_short_url_for_people_to_type_is_lower_case_host_and_upper_case_code():
    assert qr.display_url(BASE, "7k2q") == "ditich.example.vn/S/7K2Q"


@pytest.mark.parametrize("size", sorted(SIZES))
def test_bare_png_scans_to_the_story_page_of_its_site(app, client, size):
    site = app.extensions["guide.catalogue"].by_slug("dinh-chem")
    data = render(site, BASE, "png", size)
    image = png_image(data)
    found = scan_one(image)
    assert found.text == f"HTTPS://DITICH.EXAMPLE.VN/S/{site.code}/Q"
    assert quiet_zone_is_blank(image, found)
    visit = open_url(client, found.text)
    assert (visit.status, visit.path, visit.redirects) == (200, "/sites/dinh-chem", 1)
    assert visit.heading == site.name["vi"]
    # Printed at its recorded dpi, the symbol is at least as wide as the size promises.
    dpi = Image.open(io.BytesIO(data)).info["dpi"][0]
    printed_mm = found.width / dpi * MM_PER_INCH
    assert SIZES[size].symbol_mm <= printed_mm < SIZES[size].symbol_mm * 1.1


@pytest.mark.parametrize("size", sorted(SIZES))
def test_bare_svg_scans_to_the_story_page_of_its_site(app, client, size):
    site = app.extensions["guide.catalogue"].by_slug("nha-48-hang-ngang")
    data = render(site, BASE, "svg", size)
    dpi = 150
    image = svg_image(data, dpi)
    found = scan_one(image)
    assert found.text == f"HTTPS://DITICH.EXAMPLE.VN/S/{site.code}/Q"
    assert quiet_zone_is_blank(image, found)
    visit = open_url(client, found.text)
    assert (visit.status, visit.path) == (200, "/sites/nha-48-hang-ngang")
    assert visit.heading == site.name["vi"]
    printed_mm = found.width / dpi * MM_PER_INCH
    assert printed_mm == pytest.approx(SIZES[size].symbol_mm, rel=0.03)


def test_the_svg_is_vector_shapes_sized_in_millimetres():
    code = qr.make_code(qr.site_url(BASE, "7K2Q"))
    text = qr.svg(code, 100)
    assert "<image" not in text
    total_mm = 100 * code.width_with_quiet_zone / code.size
    assert f'width="{total_mm:.2f}mm"' in text


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_the_same_site_gives_the_same_bytes_and_another_site_other_bytes(app, fmt):
    catalogue = app.extensions["guide.catalogue"]
    chem, hang_ngang = catalogue.by_slug("dinh-chem"), catalogue.by_slug("nha-48-hang-ngang")
    first = render(chem, BASE, fmt, "a5")
    assert render(chem, BASE, fmt, "a5") == first
    assert render(hang_ngang, BASE, fmt, "a5") != first


def test_reading_distance_is_ten_times_the_code_width():
    assert qr.reading_distance_m(100) == 1.0
    assert SIZES["a5"].reading_distance_m == 1.0
