"""Photos and recordings are checked by decoding them, with real files made here."""

from __future__ import annotations

import io

import pytest
from builders import encoded_audio
from PIL import ExifTags, Image

from guide.workspace.media import UploadError, accept_audio, accept_photo, gps_point, web_copy_name

LIMIT = 15_000_000
PIXELS = 40_000_000


def photo_bytes(fmt: str, size=(1200, 900), mode="RGB", exif: Image.Exif | None = None) -> bytes:
    """Return a real image file of ``fmt``, with EXIF tags when given."""
    buffer = io.BytesIO()
    options = {"exif": exif.tobytes()} if exif is not None else {}
    Image.new(mode, size, 128).save(buffer, fmt, **options)
    return buffer.getvalue()


def gps_exif(
    lat=(21.0, 5.0, 38.7), lat_ref="N", lon=(105.0, 46.0, 27.3), lon_ref="E"
) -> Image.Exif:
    """Return EXIF data with a camera name, a date and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Secret Camera Co"
    exif[ExifTags.Base.DateTime] = "2024:05:01 09:30:00"
    exif[ExifTags.IFD.GPSInfo] = {1: lat_ref, 2: lat, 3: lon_ref, 4: lon}
    return exif


@pytest.mark.parametrize(("fmt", "suffix"), [("JPEG", ".jpg"), ("PNG", ".png"), ("WEBP", ".webp")])
def test_photos_are_decoded_stripped_and_resized(fmt, suffix):
    photo = accept_photo(photo_bytes(fmt, exif=gps_exif()), LIMIT, PIXELS)
    assert photo.format == fmt and photo.suffix == suffix
    assert photo.gps == (21.094083, 105.77425)
    assert b"Secret Camera Co" not in photo.data
    with Image.open(io.BytesIO(photo.data)) as stored:
        assert stored.format == fmt
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
    assert sorted(photo.web) == [480, 960]
    with Image.open(io.BytesIO(photo.web[480])) as small:
        assert small.size == (480, 360)


def test_southern_and_western_positions_are_negative():
    exif = gps_exif(lat=(33.0, 52.0, 8.0), lat_ref="S", lon=(70.0, 0.0, 0.0), lon_ref="W")
    assert accept_photo(photo_bytes("JPEG", exif=exif), LIMIT, PIXELS).gps == (-33.868889, -70.0)


def test_photos_without_or_with_broken_gps_give_no_point():
    assert accept_photo(photo_bytes("JPEG"), LIMIT, PIXELS).gps is None
    broken = Image.Exif()
    broken[ExifTags.IFD.GPSInfo] = {1: "N", 2: (21.0, 5.0), 3: "E"}
    assert gps_point(Image.open(io.BytesIO(photo_bytes("JPEG", exif=broken))).getexif()) is None


def test_a_rotated_photo_is_turned_upright_before_its_tags_go():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was held on its side
    photo = accept_photo(photo_bytes("JPEG", size=(800, 600), exif=exif), LIMIT, PIXELS)
    assert (photo.width, photo.height) == (600, 800)


def test_a_large_photo_is_scaled_to_the_stored_size():
    photo = accept_photo(photo_bytes("JPEG", size=(4000, 3000)), LIMIT, PIXELS)
    assert (photo.width, photo.height) == (2400, 1800)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"This is a text file named photo.jpg\n" * 20, "not a JPEG, PNG or WebP"),
        (b"GIF89a" + b"\0" * 200, "not a JPEG, PNG or WebP"),
    ],
)
def test_files_that_are_not_photos_are_refused(data, words):
    with pytest.raises(UploadError, match=words):
        accept_photo(data, LIMIT, PIXELS)


def test_a_gif_is_refused_even_though_pillow_reads_it():
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    with pytest.raises(UploadError, match="not a JPEG, PNG or WebP"):
        accept_photo(buffer.getvalue(), LIMIT, PIXELS)


def test_a_png_bomb_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(buffer, "PNG")  # 900 megapixels in ~100 kB
    assert len(buffer.getvalue()) < 500_000
    with pytest.raises(UploadError, match="decompression bomb"):
        accept_photo(buffer.getvalue(), LIMIT, PIXELS)


def test_the_pixel_limit_is_a_setting():
    with pytest.raises(UploadError, match="more than 1,000,000 pixels"):
        accept_photo(photo_bytes("PNG", size=(1200, 900)), LIMIT, 1_000_000)


def test_the_size_limit_is_a_setting():
    data = photo_bytes("PNG")
    with pytest.raises(UploadError, match="more than the limit"):
        accept_photo(data, len(data) - 1, PIXELS)


def test_a_truncated_photo_is_refused():
    data = photo_bytes("JPEG", size=(1200, 900))
    with pytest.raises(UploadError, match="damaged or cut short"):
        accept_photo(data[: len(data) // 2], LIMIT, PIXELS)


def test_web_copies_are_named_beside_the_photo():
    assert web_copy_name("photos/cong-den-1a2b.jpg", 960) == "web/cong-den-1a2b.960.jpg"


@pytest.mark.parametrize(
    ("container", "codec", "rate", "suffix"),
    [
        ("mp3", "libmp3lame", 44100, ".mp3"),
        ("ipod", "aac", 44100, ".m4a"),
        ("ogg", "libopus", 48000, ".ogg"),
    ],
)
def test_recordings_are_recognised_by_content(container, codec, rate, suffix):
    recording = accept_audio(encoded_audio(container, codec, rate), LIMIT)
    assert recording.suffix == suffix
    assert 0.9 < recording.seconds < 1.5


@pytest.mark.parametrize(
    "data",
    [
        b"This is a text file named story.mp3\n" * 50,
        b"ID3" + b"\0" * 400,
        b"OggS" + b"\0" * 400,
        b"\0\0\0\x18ftypM4A " + b"\0" * 400,
    ],
)
def test_files_that_are_not_recordings_are_refused(data):
    with pytest.raises(UploadError, match="not MP3, M4A or OGG"):
        accept_audio(data, LIMIT)


def test_a_photo_is_not_a_recording():
    with pytest.raises(UploadError, match="not MP3, M4A or OGG"):
        accept_audio(photo_bytes("JPEG"), LIMIT)


def test_recordings_over_the_limit_are_refused(mp3_bytes):
    with pytest.raises(UploadError, match="more than the limit"):
        accept_audio(mp3_bytes, len(mp3_bytes) - 1)
