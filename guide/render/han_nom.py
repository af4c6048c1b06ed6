"""A Hán-Nôm font cut down to the characters the catalogue's inscriptions use.

Full CJK fonts such as Hanazono (HanaMinA for the basic plane, HanaMinB for
Extension B and beyond, where many Nôm characters are) weigh tens of
megabytes, so visitors get WOFF2 subsets holding only the characters that
published inscriptions write in their ``original`` text. Each character is
taken from the first font file that has it; a subset's name carries a hash of
its font file and characters, so it can be cached for a year and is rebuilt
only when either changes. Nothing here imports Flask.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Re-exported: the pages and tests ask this module which characters and fonts there are.
from guide.catalogue.han import available_fonts, font_paths, has_han, is_han  # noqa: F401
from guide.catalogue.model import Site
from guide.catalogue.store import atomic_write_bytes

FAMILY = "Han Nom"


def inscription_characters(sites: Iterable[Site]) -> str:
    """Return, sorted, every character of the original text of the sites' inscriptions.

    Spaces are left out: the browser's other fonts draw them.
    """
    found = {
        character
        for site in sites
        for item in site.inscriptions
        for character in item.original
        if not character.isspace()
    }
    return "".join(sorted(found))


@dataclass(frozen=True)
class FontFace:
    """One WOFF2 subset: the characters it holds, taken from one font file."""

    source: Path
    characters: str
    key: str

    @property
    def file_name(self) -> str:
        """Return the subset's file name, hashed by its font file and characters."""
        return f"han-nom.{self.key}.woff2"

    @property
    def unicode_range(self) -> str:
        """Return the CSS ``unicode-range`` of the characters, as runs of code points.

        >>> FontFace(Path("x.ttf"), "大越國", "k").unicode_range
        'U+570B, U+5927, U+8D8A'
        """
        points = sorted(ord(character) for character in self.characters)
        runs: list[list[int]] = []
        for point in points:
            if runs and point == runs[-1][1] + 1:
                runs[-1][1] = point
            else:
                runs.append([point, point])
        return ", ".join(
            f"U+{low:04X}" if low == high else f"U+{low:04X}-{high:04X}" for low, high in runs
        )


@lru_cache(maxsize=8)
def _coverage(path: Path, mtime_ns: int, size: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        # Only the code points are wanted, not the glyphs' names: numbered names spare
        # fontTools deriving tens of thousands of them from the cmap (most of a second).
        font.setGlyphOrder([f"glyph{number}" for number in range(font["maxp"].numGlyphs)])
        return frozenset(font.getBestCmap() or {})


@lru_cache(maxsize=8)
def _kept_coverage(path: Path, mtime_ns: int, size: int, folder: Path) -> frozenset[int]:
    # Read from the font's cmap once, then kept as this machine's unsigned ints: a
    # new process (a build) reads them in a millisecond instead of the cmap's 0.1 s.
    identity = f"{path}\0{size}\0{mtime_ns}\0{sys.byteorder}\0{array('I').itemsize}"
    kept = folder / f"coverage-{hashlib.sha256(identity.encode()).hexdigest()[:16]}.bin"
    try:
        points = array("I")
        points.frombytes(kept.read_bytes())
        return frozenset(points)
    except (OSError, ValueError):
        pass
    found = _coverage(path, mtime_ns, size)
    with contextlib.suppress(OSError):
        atomic_write_bytes(kept, array("I", sorted(found)).tobytes())
    return found


def coverage(path: Path, cache_folder: Path | None = None) -> frozenset[int]:
    """Return the code points a font file has glyphs for (kept while the file is unchanged).

    With ``cache_folder`` they are also kept there for the next process.
    """
    stat = path.stat()
    if cache_folder is not None:
        return _kept_coverage(path.resolve(), stat.st_mtime_ns, stat.st_size, cache_folder)
    return _coverage(path.resolve(), stat.st_mtime_ns, stat.st_size)


def plan_faces(
    fonts: Sequence[Path], characters: str, cache_folder: Path | None = None
) -> list[FontFace]:
    """Return the subsets that draw ``characters``: each from the first font that has it.

    Characters no font has are left to the browser's other fonts; the fonts'
    coverage is kept in ``cache_folder``, if given.
    """
    remaining = list(characters)
    faces = []
    for path in fonts:
        if not remaining:
            break
        stat = path.stat()
        covered = coverage(path, cache_folder)
        taken = "".join(c for c in remaining if ord(c) in covered)
        if not taken:
            continue
        remaining = [c for c in remaining if ord(c) not in covered]
        identity = f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0{taken}"
        key = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]
        faces.append(FontFace(path, taken, key))
    return faces


def build_subset(face: FontFace, cache_folder: Path) -> Path:
    """Return the WOFF2 subset of ``face`` in ``cache_folder``, made on first use."""
    target = cache_folder / face.file_name
    if target.is_file():
        return target
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    # FontForge's timestamp table is not needed to draw and the subsetter cannot cut it.
    options.drop_tables += ["FFTM"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # The subsetter logs what it drops; the guide's log is for problems.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    font = subset.load_font(str(face.source), options)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(character) for character in face.characters])
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    finally:
        font.close()
    cache_folder.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so a reader never sees half a file.
    atomic_write_bytes(target, buffer.getvalue())
    return target
