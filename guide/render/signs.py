"""Print-ready PDF signs: A4, A5 and A6 plaques, and a sheet of square stickers.

A sign carries the site's names, kind and rank, its QR code drawn as vector
shapes, the short URL as text for people who cannot scan, and a call to action
in Vietnamese and English; optionally the programme's name and logo, which are
laid out above the names and never reach the code or its quiet zone.

Text is set in Source Sans Pro (SIL Open Font License 1.1), installed from the
``font-source-sans-pro`` package with its licence file (``FONT_LICENCE``). The
font covers Vietnamese and is embedded as a subset, so the sign prints the same
on any computer and its text extracts as Unicode. No other font is declared:
the canvas starts in this font instead of reportlab's Helvetica, which print
shops' preflight would reject as not embedded.

The same site, base URL, size, level and branding always give the same bytes:
the PDF's dates and document id are fixed (reportlab's invariant mode).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4, A5, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from guide.catalogue.layout import SITE_FILE
from guide.catalogue.model import Site
from guide.catalogue.store import atomic_write_bytes
from guide.messages import N_, translate
from guide.render import qr

FONT_FAMILY = "Source Sans Pro"
REGULAR = "SourceSansPro"
SEMIBOLD = "SourceSansPro-Semibold"
BOLD = "SourceSansPro-Bold"

# A plaque speaks the catalogue's first two languages: Vietnamese, then English.
PRINTED = ("vi", "en")
# A message id, translated through the guide's catalogues.
CALL_TO_ACTION = N_("Scan to discover the story")

RED = Color(0.66, 0.09, 0.09)
GREY = Color(0.25, 0.25, 0.25)


def font_folder() -> Path:
    """Return the folder of the installed Source Sans Pro files and their licence."""
    import font_source_sans_pro

    return Path(font_source_sans_pro.font_directory)


FONT_FILES = {
    REGULAR: "SourceSansPro-Regular.ttf",
    SEMIBOLD: "SourceSansPro-Semibold.ttf",
    BOLD: "SourceSansPro-Bold.ttf",
}
FONT_LICENCE_FILE = "LICENSE.txt"


def font_licence() -> Path:
    """Return the path of the sign font's licence (SIL Open Font License 1.1)."""
    return font_folder() / FONT_LICENCE_FILE


def register_fonts() -> None:
    """Register the sign fonts with reportlab once per process."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file in FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(font_folder() / file)))


@dataclass(frozen=True)
class SignSize:
    """A printed format: its page and the printed width of the QR symbol."""

    name: str
    label: str
    page: tuple[float, float]
    symbol_mm: float

    @property
    def reading_distance_m(self) -> float:
        """Return how far away the code can be read, about ten times its width."""
        return qr.reading_distance_m(self.symbol_mm)

    @property
    def is_sticker_sheet(self) -> bool:
        """Return whether the page is a sheet of stickers rather than one plaque."""
        return self.name == "sticker"


STICKER_MM = 60
STICKER_COLUMNS = 3
STICKER_ROWS = 4
STICKER_GUTTER_MM = 5

SIZES: dict[str, SignSize] = {
    "a4": SignSize("a4", "A4 plaque", A4, 140),
    "a5": SignSize("a5", "A5 plaque", A5, 100),
    "a6": SignSize("a6", "A6 plaque", A6, 70),
    "sticker": SignSize(
        "sticker",
        f"A4 sheet of {STICKER_COLUMNS * STICKER_ROWS} square stickers, "
        f"{STICKER_MM} × {STICKER_MM} mm",
        A4,
        36,
    ),
}
DEFAULT_SIZE = "a5"


class SignError(ValueError):
    """A sign cannot be made; the message names the site, file or setting to fix."""


@dataclass(frozen=True)
class Branding:
    """What a sign says about who put it up: the programme, its logo, the guide's title."""

    programme: str = ""
    logo: Path | None = None
    title: tuple[str, ...] = ()


def branding_from_settings(config: Mapping[str, Any], title: Mapping[str, str]) -> Branding:
    """Return the branding of signs from the settings and the catalogue's title.

    Raise SignError naming ``GUIDE_SIGN_LOGO`` when the logo is missing or is
    not an image.
    """
    logo_setting = str(config.get("GUIDE_SIGN_LOGO") or "").strip()
    logo = None
    if logo_setting:
        logo = Path(logo_setting)
        if not logo.is_file():
            raise SignError(
                f"GUIDE_SIGN_LOGO: {logo} is not a file: set it to a PNG or JPEG logo, "
                "or leave it empty for signs without a logo"
            )
        try:
            from PIL import Image

            with Image.open(logo) as image:
                image.verify()
        except Exception as error:
            raise SignError(
                f"GUIDE_SIGN_LOGO: {logo} is not an image that can be read ({error}): "
                "use a PNG or JPEG file"
            ) from error
    titles = tuple(_nfc(title[lang]) for lang in PRINTED if title.get(lang))
    return Branding(
        programme=_nfc(str(config.get("GUIDE_SIGN_PROGRAMME") or "").strip()),
        logo=logo,
        title=titles,
    )


@dataclass(frozen=True)
class SignText:
    """The words and the code of one site's sign, checked against the font."""

    name_vi: str
    name_en: str
    kind_and_rank: str
    url: str
    code: qr.Code


def sign_text(site: Site, base_url: str, ec: str = qr.DEFAULT_EC) -> SignText:
    """Return what the sign of ``site`` says; raise SignError for a name the font cannot print."""
    register_fonts()
    kind = _nfc(site.kind)
    kind = kind[:1].upper() + kind[1:]
    text = SignText(
        name_vi=_nfc(site.name.get("vi") or site.display_name("vi")),
        name_en=_nfc(site.name.get("en", "")),
        kind_and_rank=" · ".join(part for part in (kind, _nfc(site.rank)) if part),
        url=qr.display_url(base_url, site.code),
        code=qr.make_code(qr.plaque_url(base_url, site.code), ec),
    )
    where = str(site.folder / SITE_FILE) if site.folder else site.slug
    for field, value in (
        ("name.vi", text.name_vi),
        ("name.en", text.name_en),
        ("kind", site.kind),
        ("rank", site.rank),
    ):
        missing = missing_glyphs(_nfc(value))
        if missing:
            raise SignError(
                f"{where}: {field}: the sign font ({FONT_FAMILY}) cannot print "
                f"{' '.join(missing)} (U+{', U+'.join(f'{ord(c):04X}' for c in missing)}): "
                "write the text in Vietnamese or Latin letters"
            )
    return text


def missing_glyphs(text: str) -> list[str]:
    """Return the characters of ``text`` that the sign font has no glyph for."""
    register_fonts()
    face = pdfmetrics.getFont(REGULAR).face
    return sorted(
        {char for char in text if not char.isspace() and ord(char) not in face.charToGlyph}
    )


def sign_pdf(
    site: Site,
    base_url: str,
    size: str = DEFAULT_SIZE,
    ec: str = qr.DEFAULT_EC,
    branding: Branding | None = None,
) -> bytes:
    """Return the print-ready PDF sign of ``site`` in ``size`` (a4, a5, a6 or sticker)."""
    if size not in SIZES:
        raise SignError(f"size {size!r}: choose one of {', '.join(SIZES)}")
    sign_size = SIZES[size]
    text = sign_text(site, base_url, ec)
    branding = branding or Branding()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=sign_size.page,
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,
        initialFontSize=10,
        lang="vi",
    )
    canvas.setTitle(f"{text.name_vi} — {sign_size.label}")
    canvas.setSubject(text.code.text)
    canvas.setAuthor(branding.programme or (branding.title[0] if branding.title else ""))
    canvas.setCreator("Red Addresses Guide")
    if sign_size.is_sticker_sheet:
        _draw_sticker_sheet(canvas, sign_size, text)
    else:
        _draw_plaque(canvas, sign_size, text, branding)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def code_box(code: qr.Code, symbol_pt: float) -> float:
    """Return the width in points of the symbol and its quiet zone."""
    return symbol_pt * code.width_with_quiet_zone / code.size


def draw_code(canvas: Canvas, code: qr.Code, x: float, y: float, symbol_pt: float) -> None:
    """Draw the code as vector shapes with its white quiet zone, lower-left corner at (x, y).

    The modules are written as one filled path in module units under a scaling
    transform: whole numbers keep the page small and quick to write.
    """
    module = symbol_pt / code.size
    box = code_box(code, symbol_pt)
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(x, y, box, box, stroke=0, fill=1)
    # Module units, rows going down from the symbol's top-left corner.
    canvas.transform(
        module, 0, 0, -module, x + qr.QUIET_ZONE * module, y + box - qr.QUIET_ZONE * module
    )
    canvas.addLiteral(code_operators(code))
    canvas.restoreState()


def code_operators(code: qr.Code) -> str:
    """Return the PDF operators that fill the dark modules of ``code`` in black, in module units."""
    runs = "".join(f"{column} {row} {length} 1 re\n" for row, column, length in code.dark_runs())
    return f"0 g\n{runs}f\n"


@dataclass
class _Lines:
    font: str
    size: float
    lines: list[str]
    color: Color = black

    @property
    def leading(self) -> float:
        return self.size * 1.22

    @property
    def height(self) -> float:
        return self.leading * len(self.lines)


def _fit(
    text: str, font: str, size: float, min_size: float, width: float, max_lines: int
) -> tuple[float, list[str]]:
    """Return the largest size from ``size`` down to ``min_size`` that sets ``text`` in lines."""
    if not text:
        return size, []
    current = size
    while True:
        lines = simpleSplit(text, font, current, width)
        widest = max(pdfmetrics.stringWidth(line, font, current) for line in lines)
        if (len(lines) <= max_lines and widest <= width) or current <= min_size:
            return current, lines
        current = max(min_size, current * 0.94)


def _draw_centered(canvas: Canvas, block: _Lines, center_x: float, top: float) -> float:
    """Draw ``block`` centred under ``top``; return the y of its bottom."""
    canvas.setFillColor(block.color)
    canvas.setFont(block.font, block.size)
    y = top
    for line in block.lines:
        y -= block.leading
        canvas.drawCentredString(center_x, y + block.leading - block.size, line)
    return y


def _draw_plaque(canvas: Canvas, size: SignSize, text: SignText, branding: Branding) -> None:
    width, height = size.page
    scale = width / A4[0]
    margin = 14 * mm * scale
    inner = width - 2 * margin
    center = width / 2
    symbol = size.symbol_mm * mm
    box = code_box(text.code, symbol)

    # Bottom up: the call to action, then the short URL right under the code.
    vi, en = (translate(CALL_TO_ACTION, lang) for lang in PRINTED)
    cta_en = _Lines(REGULAR, *_fit(en, REGULAR, 15 * scale, 8, inner, 1), GREY)
    cta_vi = _Lines(BOLD, *_fit(vi, BOLD, 17 * scale, 8, inner, 1))
    url = _Lines(BOLD, *_fit(text.url, BOLD, 20 * scale, 7, inner, 1))
    bottom_block = cta_vi.height + cta_en.height + 5 * mm * scale

    header_top = height - margin
    header_height = 13 * mm * scale
    for factor in (1.0, 0.9, 0.8, 0.7, 0.6):
        f = factor * scale
        blocks = [
            _Lines(BOLD, *_fit(text.name_vi, BOLD, 28 * f, 12 * f, inner, 2)),
            _Lines(REGULAR, *_fit(text.name_en, REGULAR, 17 * f, 9 * f, inner, 2), GREY),
            _Lines(SEMIBOLD, *_fit(text.kind_and_rank, SEMIBOLD, 13 * f, 8 * f, inner, 2), RED),
        ]
        names_top = header_top - header_height - 7 * mm * scale
        blocks = [block for block in blocks if block.lines]
        gap = 1.5 * mm * f
        names_bottom = names_top - sum(b.height + gap for b in blocks) - 1 * mm * scale
        group = box + url.height + 1 * mm * scale
        space = names_bottom - (margin + bottom_block)
        if space >= group:
            break
    else:
        raise SignError(
            f"the names do not fit on an {size.label} with a {size.symbol_mm:g} mm code: "
            "shorten name.vi or name.en, or choose a larger --size"
        )

    _draw_header(canvas, branding, margin, header_top, inner, header_height, scale)
    y = names_top
    for block in blocks:
        y = _draw_centered(canvas, block, center, y) - gap

    box_top = names_bottom - (space - group) / 2
    draw_code(canvas, text.code, center - box / 2, box_top - box, symbol)
    _draw_centered(canvas, url, center, box_top - box - 1 * mm * scale)

    y = margin + bottom_block
    y = _draw_centered(canvas, cta_vi, center, y)
    _draw_centered(canvas, cta_en, center, y)


def _draw_header(
    canvas: Canvas,
    branding: Branding,
    left: float,
    top: float,
    width: float,
    height: float,
    scale: float,
) -> None:
    """Draw the logo and the programme's name in the band at the top, then a red rule."""
    text_left = left
    if branding.logo is not None:
        image = ImageReader(str(branding.logo))
        image_width, image_height = image.getSize()
        logo_height = height
        logo_width = min(width * 0.3, logo_height * image_width / image_height)
        logo_height = logo_width * image_height / image_width
        canvas.drawImage(
            image,
            left,
            top - height + (height - logo_height) / 2,
            logo_width,
            logo_height,
            mask="auto",
        )
        text_left = left + logo_width + 4 * mm * scale
    lines = [branding.programme] if branding.programme else []
    lines += list(branding.title[: 2 - len(lines)])
    fonts = [SEMIBOLD, REGULAR][: len(lines)]
    available = left + width - text_left
    # One line each, shrunk to the band's width rather than wrapped.
    sizes = [
        min(12 * scale, available / max(pdfmetrics.stringWidth(line, font, 1), 1))
        for line, font in zip(lines, fonts, strict=True)
    ]
    total = sum(size * 1.2 for size in sizes)
    y = top - (height - total) / 2
    for line, font, size in zip(lines, fonts, sizes, strict=True):
        y -= size * 1.2
        canvas.setFont(font, size)
        canvas.setFillColor(RED if font == SEMIBOLD else GREY)
        canvas.drawString(text_left, y + 0.25 * size, line)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(1.5 * scale)
    rule = top - height - 3 * mm * scale
    canvas.line(left, rule, left + width, rule)


def sticker_positions() -> list[tuple[float, float]]:
    """Return the lower-left corners (points) of the stickers on the sheet, row by row."""
    page_width, page_height = A4
    step = (STICKER_MM + STICKER_GUTTER_MM) * mm
    grid_width = STICKER_COLUMNS * step - STICKER_GUTTER_MM * mm
    grid_height = STICKER_ROWS * step - STICKER_GUTTER_MM * mm
    left = (page_width - grid_width) / 2
    bottom = (page_height - grid_height) / 2
    return [
        (left + column * step, bottom + (STICKER_ROWS - 1 - row) * step)
        for row in range(STICKER_ROWS)
        for column in range(STICKER_COLUMNS)
    ]


def _draw_sticker_sheet(canvas: Canvas, size: SignSize, text: SignText) -> None:
    sticker = STICKER_MM * mm
    symbol = size.symbol_mm * mm
    box = code_box(text.code, symbol)
    inner = sticker - 4 * mm
    name = _Lines(BOLD, *_fit(text.name_vi, BOLD, 8, 5.5, inner, 1))
    url = _Lines(SEMIBOLD, *_fit(text.url, SEMIBOLD, 8.5, 5.5, inner, 1))
    # The code is drawn once as a form and placed on every sticker.
    canvas.beginForm("code", 0, 0, box, box)
    draw_code(canvas, text.code, 0, 0, symbol)
    canvas.endForm()
    for x, y in sticker_positions():
        center = x + sticker / 2
        box_top = y + sticker - 1.5 * mm
        canvas.saveState()
        canvas.translate(center - box / 2, box_top - box)
        canvas.doForm("code")
        canvas.restoreState()
        below = _draw_centered(canvas, name, center, box_top - box)
        _draw_centered(canvas, url, center, below)
    _draw_crop_marks(canvas)
    canvas.setFont(REGULAR, 7.5)
    canvas.setFillColor(GREY)
    caption = (
        f"{text.name_vi} — {text.url} — {STICKER_COLUMNS * STICKER_ROWS} nhãn "
        f"{STICKER_MM} × {STICKER_MM} mm, cắt theo dấu cắt / stickers, cut along the marks"
    )
    size_pt, lines = _fit(caption, REGULAR, 7.5, 5, A4[0] - 20 * mm, 1)
    canvas.setFont(REGULAR, size_pt)
    canvas.drawCentredString(A4[0] / 2, 7 * mm, lines[0])


def _draw_crop_marks(canvas: Canvas) -> None:
    """Draw crop marks in the sheet's margins on the line of every sticker edge."""
    positions = sticker_positions()
    sticker = STICKER_MM * mm
    xs = sorted({x for x, _ in positions} | {x + sticker for x, _ in positions})
    ys = sorted({y for _, y in positions} | {y + sticker for _, y in positions})
    left, right, bottom, top = xs[0], xs[-1], ys[0], ys[-1]
    gap, length = 2 * mm, 5 * mm
    canvas.saveState()
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.3)
    for x in xs:
        canvas.line(x, top + gap, x, top + gap + length)
        canvas.line(x, bottom - gap, x, bottom - gap - length)
    for y in ys:
        canvas.line(left - gap, y, left - gap - length, y)
        canvas.line(right + gap, y, right + gap + length, y)
    canvas.restoreState()


def file_name(site: Site, size: str, fmt: str) -> str:
    """Return the output file name of a site's sign or code, such as ``dinh-chem-a5.pdf``."""
    return f"{site.slug}-{size}.{fmt}"


def render(
    site: Site,
    base_url: str,
    fmt: str = "pdf",
    size: str = DEFAULT_SIZE,
    ec: str = qr.DEFAULT_EC,
    branding: Branding | None = None,
) -> bytes:
    """Return the sign (``pdf``) or the bare code (``svg``, ``png``) of ``site``.

    The bare code is drawn at the code width of ``size``.
    """
    if size not in SIZES:
        raise SignError(f"size {size!r}: choose one of {', '.join(SIZES)}")
    if fmt == "pdf":
        return sign_pdf(site, base_url, size, ec, branding)
    code = qr.make_code(qr.plaque_url(base_url, site.code), ec)
    if fmt == "svg":
        return qr.svg(code, SIZES[size].symbol_mm).encode("utf-8")
    if fmt == "png":
        return qr.png(code, SIZES[size].symbol_mm)
    raise SignError(f"format {fmt!r}: choose pdf, svg or png")


def write_signs(
    sites: Iterable[Site],
    out: Path,
    base_url: str,
    *,
    fmt: str = "pdf",
    size: str = DEFAULT_SIZE,
    ec: str = qr.DEFAULT_EC,
    branding: Branding | None = None,
) -> tuple[list[Path], list[str]]:
    """Write the sign or code of each site into ``out``, each file atomically.

    Return the files written and the reasons of the sites that failed; a site
    that fails does not stop the others.
    """
    written: list[Path] = []
    failures: list[str] = []
    for site in sites:
        try:
            data = render(site, base_url, fmt, size, ec, branding)
        except SignError as error:
            failures.append(str(error))
            continue
        path = Path(out) / file_name(site, size, fmt)
        atomic_write_bytes(path, data)
        written.append(path)
    return written, failures


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
