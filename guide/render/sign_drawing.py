"""Drawing signs on a reportlab canvas: the QR code as vector shapes, names and call to action.

Text is fitted to the width by shrinking the font down to a floor, then
wrapping; the branding sits above the names and never reaches the code or its
quiet zone. Sticker sheets get crop marks between the stickers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from guide.messages import translate
from guide.render import qr
from guide.render.sign_fonts import BOLD, REGULAR, SEMIBOLD
from guide.render.sign_layout import (
    CALL_TO_ACTION,
    PRINTED,
    STICKER_COLUMNS,
    STICKER_MM,
    STICKER_ROWS,
    Branding,
    SignError,
    SignSize,
    SignText,
    sticker_positions,
)


def sign_canvas(buffer: io.BytesIO, sign_size: SignSize, title: str, branding: Branding) -> Canvas:
    """Open a canvas for signs of ``sign_size`` that gives the same bytes for the same pages."""
    canvas = Canvas(
        buffer,
        pagesize=sign_size.page,
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,
        initialFontSize=10,
        lang="vi",
    )
    canvas.setTitle(title)
    canvas.setAuthor(branding.programme or (branding.title[0] if branding.title else ""))
    canvas.setCreator("Red Addresses Guide")
    return canvas


RED = Color(0.66, 0.09, 0.09)


GREY = Color(0.25, 0.25, 0.25)


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


def draw_plaque(canvas: Canvas, size: SignSize, text: SignText, branding: Branding) -> None:
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


def draw_sticker_sheet(canvas: Canvas, size: SignSize, text: SignText) -> None:
    sticker = STICKER_MM * mm
    symbol = size.symbol_mm * mm
    box = code_box(text.code, symbol)
    inner = sticker - 4 * mm
    name = _Lines(BOLD, *_fit(text.name_vi, BOLD, 8, 5.5, inner, 1))
    url = _Lines(SEMIBOLD, *_fit(text.url, SEMIBOLD, 8.5, 5.5, inner, 1))
    # The code is drawn once as a form and placed on every sticker; one form a page,
    # as a batch's sheets share one document.
    form = f"code{canvas.getPageNumber()}"
    canvas.beginForm(form, 0, 0, box, box)
    draw_code(canvas, text.code, 0, 0, symbol)
    canvas.endForm()
    for x, y in sticker_positions():
        center = x + sticker / 2
        box_top = y + sticker - 1.5 * mm
        canvas.saveState()
        canvas.translate(center - box / 2, box_top - box)
        canvas.doForm(form)
        canvas.restoreState()
        below = _draw_centered(canvas, name, center, box_top - box)
        _draw_centered(canvas, url, center, below)
    draw_crop_marks(canvas)
    canvas.setFont(REGULAR, 7.5)
    canvas.setFillColor(GREY)
    caption = (
        f"{text.name_vi} — {text.url} — {STICKER_COLUMNS * STICKER_ROWS} nhãn "
        f"{STICKER_MM} × {STICKER_MM} mm, cắt theo dấu cắt / stickers, cut along the marks"
    )
    size_pt, lines = _fit(caption, REGULAR, 7.5, 5, A4[0] - 20 * mm, 1)
    canvas.setFont(REGULAR, size_pt)
    canvas.drawCentredString(A4[0] / 2, 7 * mm, lines[0])


def draw_crop_marks(canvas: Canvas) -> None:
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
