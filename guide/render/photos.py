"""Responsive photo sizes, generated with Pillow from the originals in a site's folder.

A phone on a weak signal should not download a 4000-pixel original to show it
360 pixels wide. Each photo is offered in a few widths (never wider than the
original); a size is made once, on first request, and kept in a cache folder
outside the catalogue (the catalogue folder holds only what staff put there).
A size's file name carries a version made from the original's modification time
and length, so a replaced photo gets new URLs and old sizes are never shown.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageOps

from guide.catalogue.store import normal_mode

# Widths offered in srcset, in pixels: a 360-px phone at 1x, 2x and 3x, and a desktop column.
WIDTHS: tuple[int, ...] = (360, 720, 1080)
JPEG_QUALITY = 78
WEBP_QUALITY = 78
_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


@dataclass(frozen=True)
class PhotoInfo:
    """What a page needs to know about an original photo: its size and version."""

    width: int
    height: int
    version: str

    def widths(self, wanted: tuple[int, ...] = WIDTHS) -> list[int]:
        """Return the widths to offer: those narrower than the original, plus the original's."""
        offered = [w for w in wanted if w < self.width]
        if not offered or self.width <= max(wanted):
            offered.append(self.width)
        return sorted(set(offered))

    def height_at(self, width: int) -> int:
        """Return the height of the photo scaled to ``width``."""
        return max(1, round(self.height * width / self.width))


def file_version(path: Path) -> str:
    """Return a short version of a file made from its modification time and length."""
    stat = path.stat()
    return hashlib.sha256(f"{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()[:10]


@lru_cache(maxsize=2048)
def _info(path: Path, mtime_ns: int, size: int) -> PhotoInfo:
    with Image.open(path) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    if orientation in (5, 6, 7, 8):  # rotated a quarter turn: width and height swap
        width, height = height, width
    return PhotoInfo(width, height, file_version(path))


def photo_info(path: Path) -> PhotoInfo:
    """Return the displayed size and version of an original photo (read from its header)."""
    stat = path.stat()
    return _info(path, stat.st_mtime_ns, stat.st_size)


def sized_photo(original: Path, width: int, cache_folder: Path, key: str) -> Path:
    """Return the path of ``original`` scaled to ``width`` pixels, making it on first use.

    ``key`` names the photo in the cache (for example ``dinh-chem/gate.jpg``). The
    photo is turned upright from its EXIF orientation and stripped of metadata
    (which can hold the camera's GPS position). A width above the original's is
    refused with ValueError: sizes are only ever made smaller.
    """
    info = photo_info(original)
    if width not in info.widths():
        raise ValueError(f"{key}: width {width} is not offered (offered: {info.widths()})")
    suffix = original.suffix.lower()
    fmt = _FORMATS.get(suffix)
    if fmt is None:
        raise ValueError(f"{key}: {suffix!r} is not a photo format ({', '.join(_FORMATS)})")
    target = cache_folder / key / f"{info.version}-{width}{suffix}"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(original) as image:
        upright = ImageOps.exif_transpose(image)
        if upright.width != width:
            upright = upright.resize((width, info.height_at(width)), Image.Resampling.LANCZOS)
        if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        options: dict[str, object] = {}
        if fmt == "JPEG":
            options = {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}
        elif fmt == "WEBP":
            options = {"quality": WEBP_QUALITY}
        elif fmt == "PNG":
            options = {"optimize": True}
        # Write beside the target and rename, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=suffix)
        try:
            os.fchmod(handle, normal_mode())  # mkstemp's 0600 would hide the photo from the server
            with os.fdopen(handle, "wb") as stream:
                upright.save(stream, fmt, **options)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return target
