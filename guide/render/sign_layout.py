"""What a sign is: its printed sizes, its words and the programme's branding.

A plaque is A4, A5 or A6 with one code; the sticker sheet is an A4 page of
square stickers. The sizes fix how wide the QR symbol prints, and so how far
away it can be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, A5, A6
from reportlab.lib.units import mm

from guide.messages import N_
from guide.render import qr

# A plaque speaks the catalogue's first two languages: Vietnamese, then English.
PRINTED = ("vi", "en")


# A message id, translated through the guide's catalogues.
CALL_TO_ACTION = N_("Scan to discover the story")


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


@dataclass(frozen=True)
class SignText:
    """The words and the code of one site's sign, checked against the font."""

    name_vi: str
    name_en: str
    kind_and_rank: str
    url: str
    code: qr.Code


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
