"""The signs' font: Source Sans Pro, embedded as a subset, and the text it can print.

Source Sans Pro (SIL Open Font License 1.1) is installed from the
``font-source-sans-pro`` package with its licence file (``FONT_LICENCE_FILE``).
It covers Vietnamese; a name with a letter it lacks is refused before printing.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_FAMILY = "Source Sans Pro"


REGULAR = "SourceSansPro"


SEMIBOLD = "SourceSansPro-Semibold"


BOLD = "SourceSansPro-Bold"


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


def missing_glyphs(text: str) -> list[str]:
    """Return the characters of ``text`` that the sign font has no glyph for."""
    register_fonts()
    face = pdfmetrics.getFont(REGULAR).face
    return sorted(
        {char for char in text if not char.isspace() and ord(char) not in face.charToGlyph}
    )


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
