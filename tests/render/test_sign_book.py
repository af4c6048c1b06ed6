"""One PDF for a batch of signs: a page a site, in order, codes scanning, fonts embedded once."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from builders import generated
from scanning import scan_one

from guide.catalogue.index import load_catalogue
from guide.cli import main
from guide.render import qr, sign_book
from guide.render.signs import Branding, sign_text

# The module's own setting of the environment, for every test in it.
pytestmark = pytest.mark.usefixtures("own_register")

BASE = "https://ditich.example.vn"


def font_files(data: bytes) -> list[str]:
    """Return the name of the font of each embedded font program in the PDF, one per program."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    programs: dict[tuple[int, int], str] = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts") or [font]:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        reference = descriptor.raw_get(key)
                        programs[(reference.idnum, reference.generation)] = str(
                            descriptor["/FontName"]
                        )
    return list(programs.values())


def sample(pages: int) -> list[int]:
    """Return the first, last and a few pages in between."""
    rng = random.Random(pages)
    return sorted({0, pages - 1, *rng.sample(range(pages), min(pages, 6))})


def test_a_batch_is_one_page_a_site_in_order_and_sampled_codes_scan_to_their_sites(many):
    data, printed, failures = sign_book.signs_book(many, BASE, size="a5", jobs=2)
    assert failures == [] and printed == many
    document = pypdfium2.PdfDocument(data)
    try:
        assert len(document) == len(many)
        for number in sample(len(many)):
            page = document[number].render(scale=150 / 72).to_pil().convert("L")
            found = scan_one(page)
            site = many[number]
            assert found.text == qr.plaque_url(BASE, site.code)
            assert found.version == sign_text(site, BASE).code.version
            assert site.name["vi"] in document[number].get_textpage().get_text_range()
    finally:
        document.close()


@pytest.mark.parametrize("size", ["a5", "sticker"])
def test_the_fonts_are_embedded_once_however_many_pages(many, size):
    branding = Branding(programme="Công dân số", title=("Địa chỉ đỏ Hà Nội",))
    three, _, _ = sign_book.signs_book(many[:3], BASE, size=size, branding=branding)
    ninety, _, _ = sign_book.signs_book(many, BASE, size=size, branding=branding, jobs=2)
    programs = font_files(ninety)
    assert programs, "no font is embedded"
    assert all("SourceSansPro" in name for name in programs)
    # Each subset of each font once: no name twice, and no more of them for 90 pages than 3.
    assert len(programs) == len(set(programs))
    assert len(programs) <= len(font_files(three)) + 3


def test_the_same_batch_gives_the_same_bytes_on_one_process_or_two(many):
    one, _, _ = sign_book.signs_book(many[:40], BASE, size="a6", jobs=1)
    two, _, _ = sign_book.signs_book(many[:40], BASE, size="a6", jobs=2)
    assert one == two


def test_a_site_that_cannot_be_printed_is_left_out_and_named(make_catalogue):
    facts = generated(3)
    facts[1]["name"] = {"vi": "Đình 亭", "en": "Pavilion"}
    sites = load_catalogue(make_catalogue(*facts)).published()
    assert len(sites) == 3
    data, printed, failures = sign_book.signs_book(sites, BASE)
    assert [site.slug for site in printed] == ["di-tich-000", "di-tich-002"]
    assert len(failures) == 1 and "name.vi" in failures[0] and "U+4EAD" in failures[0]
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 2


def test_qr_one_file_writes_one_pdf_and_registers_the_plaques(runner, make_catalogue, tmp_path):
    root = make_catalogue(*generated(20))
    book = tmp_path / "print" / "all-a5.pdf"
    book.parent.mkdir()
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        ["qr", "--sites", str(root), "--all", "--base-url", BASE, "--one-file", str(book)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "wrote 20 pages" in result.stderr
    assert not out.exists()
    assert len(pypdf.PdfReader(book).pages) == 20
    assert "recorded 20 plaques (a5)" in result.output


def test_qr_one_file_refuses_another_format(runner, make_catalogue, tmp_path):
    root = make_catalogue(*generated(2))
    result = runner.invoke(
        main,
        [
            *("qr", "--sites", str(root), "--all", "--base-url", BASE),
            *("--format", "svg", "--one-file", str(tmp_path / "x.pdf")),
        ],
    )
    assert result.exit_code == 2
    assert "--one-file" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_an_empty_batch_writes_no_file(tmp_path: Path):
    assert sign_book.write_signs_book([], tmp_path / "none.pdf", BASE) == ([], [])
    assert not (tmp_path / "none.pdf").exists()
