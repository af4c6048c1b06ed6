"""Hán and Nôm characters, and the font files named to draw them.

The catalogue checks with these that an inscription's ``original`` holds Hán or
Nôm ideographs and that a font file is there to draw them; the subsets the
pages get are cut in ``guide.render.han_nom``.
"""

from __future__ import annotations

import os
from pathlib import Path

# Ideographs: CJK Unified (with Extension A), compatibility ideographs, the
# supplementary planes of Extensions B to I, radicals and the ideographic zero.
_HAN_RANGES = (
    (0x2E80, 0x2FDF),
    (0x3005, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)


def is_han(character: str) -> bool:
    """Return whether ``character`` is a Hán or Nôm ideograph.

    >>> is_han("國"), is_han("\U00021a38"), is_han("a"), is_han("ố")
    (True, True, False, False)
    """
    point = ord(character)
    return any(low <= point <= high for low, high in _HAN_RANGES)


def has_han(text: str) -> bool:
    """Return whether ``text`` holds at least one Hán or Nôm ideograph."""
    return any(is_han(character) for character in text)


def font_paths(setting: str) -> list[Path]:
    """Return the font files a ``GUIDE_HAN_NOM_FONT`` value names, in order (os.pathsep list)."""
    return [Path(part).expanduser() for part in setting.split(os.pathsep) if part.strip()]


def available_fonts(setting: str) -> list[Path]:
    """Return the named font files that exist."""
    return [path for path in font_paths(setting) if path.is_file()]
