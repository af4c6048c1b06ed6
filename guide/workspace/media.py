"""Check uploaded photos and recordings by their content, and prepare them for the web.

A photo is accepted only when Pillow decodes it as JPEG, PNG or WebP within the
size and pixel limits (decompression bombs are refused before decoding). Its
GPS position is read, then every piece of metadata (EXIF, XMP, comments) is
dropped by re-encoding the pixels alone, and smaller copies for phones are
made. A recording is accepted only when it parses as MP3, M4A (AAC/ALAC) or
Ogg (Vorbis/Opus). The name of the uploaded file is never trusted.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from guide.messages import N_, MessageError

# Pillow is imported where a photo is handled: a server starts without it.
if TYPE_CHECKING:
    from PIL import Image

PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
# The stored photo's longest side; larger photos are scaled down.
MAX_EDGE = 2400
# Widths of the smaller copies, stored as web/<stem>.<width>.<ext> beside the photo.
WEB_WIDTHS = (480, 960)
WEB_FOLDER = "web"


class UploadError(MessageError):
    """An uploaded file is refused; the message says why and what to upload instead."""


@dataclass
class Photo:
    """A photo accepted for the catalogue, without metadata, with its smaller copies."""

    format: str
    width: int
    height: int
    data: bytes
    gps: tuple[float, float] | None = None
    web: dict[int, bytes] = field(default_factory=dict)

    @property
    def suffix(self) -> str:
        """Return the file name suffix of the photo's format."""
        return PHOTO_FORMATS[self.format]


@dataclass
class Recording:
    """An audio narration accepted for the catalogue."""

    suffix: str
    codec: str
    seconds: float


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def gps_point(exif: Image.Exif) -> tuple[float, float] | None:
    """Return (lat, lon) from a photo's EXIF GPS tags, or None when absent or broken."""
    from PIL import ExifTags

    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except (KeyError, ValueError, TypeError):
        return None
    try:
        values = []
        for value_tag, ref_tag, negative in ((2, 1, "S"), (4, 3, "W")):
            degrees, minutes, seconds = (float(part) for part in gps[value_tag])
            number = degrees + minutes / 60 + seconds / 3600
            reference = gps.get(ref_tag, "")
            if isinstance(reference, bytes):
                reference = reference.decode("ascii", "replace")
            if str(reference).strip().upper() == negative:
                number = -number
            values.append(number)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    lat, lon = values
    if not all(math.isfinite(v) for v in values) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if lat == 0 and lon == 0:
        return None
    return round(lat, 6), round(lon, 6)


def _pixels_only(image: Image.Image, image_format: str) -> Image.Image:
    """Return a new image holding the pixels and nothing else (no EXIF, XMP, ICC, text)."""
    from PIL import Image

    if image_format == "JPEG":
        mode = "L" if image.mode in ("L", "1") else "RGB"
    else:
        mode = image.mode if image.mode in ("RGB", "RGBA", "L", "LA") else "RGBA"
    if image.mode != mode:
        image = image.convert(mode)
    return Image.frombytes(mode, image.size, image.tobytes())


def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    options: dict = {"JPEG": {"quality": 85, "optimize": True, "progressive": True},
                     "PNG": {"optimize": True},
                     "WEBP": {"quality": 85, "method": 4}}[image_format]  # fmt: skip
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def accept_photo(data: bytes, max_bytes: int, max_pixels: int) -> Photo:
    """Return the photo cleaned and resized; raise UploadError when it is refused."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise UploadError(N_("the file is empty: choose a photo (JPEG, PNG or WebP)"))
    if len(data) > max_bytes:
        raise UploadError(
            N_(
                "the photo is %(size)s, more than the limit of %(limit)s: "
                "export it smaller and upload it again"
            ),
            size=_megabytes(len(data)),
            limit=_megabytes(max_bytes),
        )
    bomb = UploadError(
        N_(
            "the image claims more than %(pixels)s pixels: it is refused as a possible "
            "decompression bomb; upload a normal photo"
        ),
        pixels=f"{max_pixels:,}",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(PHOTO_FORMATS))
            if image.width * image.height > max_pixels:
                raise bomb
            image_format = image.format or ""
            gps = gps_point(image.getexif())
            image.load()
    except UploadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise bomb from error
    except UnidentifiedImageError as error:
        raise UploadError(
            N_(
                "the file is not a JPEG, PNG or WebP image, whatever its name says: "
                "upload a photo in one of these formats"
            )
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise UploadError(
            N_("the image is damaged or cut short (%(error)s): upload the original file again"),
            error=error,
        ) from error
    if image_format not in PHOTO_FORMATS:
        raise UploadError(N_("only JPEG, PNG and WebP photos are accepted"))
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    clean = _pixels_only(image, image_format)
    web = {}
    for width in WEB_WIDTHS:
        if width < clean.width:
            height = max(1, round(clean.height * width / clean.width))
            web[width] = _encode(
                clean.resize((width, height), Image.Resampling.LANCZOS), image_format
            )
    return Photo(image_format, clean.width, clean.height, _encode(clean, image_format), gps, web)


def web_copy_name(file: str, width: int) -> str:
    """Return the relative path of a photo's smaller copy.

    >>> web_copy_name("photos/gate.jpg", 480)
    'web/gate.480.jpg'
    """
    path = PurePosixPath(file)
    return f"{WEB_FOLDER}/{path.stem}.{width}{path.suffix}"


def accept_audio(data: bytes, max_bytes: int) -> Recording:
    """Return what the recording is; raise UploadError unless it is MP3, M4A or Ogg audio."""
    from mutagen import MutagenError
    from mutagen.mp3 import MP3
    from mutagen.mp4 import MP4
    from mutagen.oggopus import OggOpus
    from mutagen.oggvorbis import OggVorbis

    if not data:
        raise UploadError(N_("the file is empty: choose a recording (MP3, M4A or OGG)"))
    if len(data) > max_bytes:
        raise UploadError(
            N_(
                "the recording is %(size)s, more than the limit of %(limit)s: "
                "export it at a lower bit rate and upload it again"
            ),
            size=_megabytes(len(data)),
            limit=_megabytes(max_bytes),
        )
    # Parsers of untrusted files fail in many ways; every failure means "not audio".
    broken = (MutagenError, ValueError, EOFError, OSError, IndexError, KeyError, TypeError,
              ZeroDivisionError, struct.error)  # fmt: skip
    refused = UploadError(
        N_(
            "the file is not MP3, M4A or OGG audio, whatever its name says: "
            "upload a recording in one of these formats"
        )
    )
    try:
        if data.startswith(b"OggS"):
            for kind, codec in ((OggVorbis, "vorbis"), (OggOpus, "opus")):
                try:
                    parsed = kind(io.BytesIO(data))
                except broken:
                    continue
                return Recording(".ogg", codec, float(parsed.info.length))
            raise refused
        if data[4:8] == b"ftyp":
            parsed = MP4(io.BytesIO(data))
            codec = str(getattr(parsed.info, "codec", ""))
            if not codec.startswith(("mp4a", "alac")):
                raise UploadError(
                    N_("the M4A file holds %(codec)s audio: use AAC or ALAC"), codec=codec or "no"
                )
            return Recording(".m4a", codec, float(parsed.info.length))
        parsed = MP3(io.BytesIO(data))
        if getattr(parsed.info, "sketchy", True) or parsed.info.length <= 0:
            raise refused
        return Recording(".mp3", "mp3", float(parsed.info.length))
    except UploadError:
        raise
    except broken as error:
        raise refused from error
