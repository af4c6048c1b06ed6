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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from guide.catalogue.layout import SITE_FILE
from guide.catalogue.model import Site
from guide.catalogue.store import atomic_write_bytes
from guide.catalogue.vocabulary import UNRANKED, Vocabulary
from guide.messages import N_, Message, translate
from guide.render import qr
from guide.render.sign_drawing import draw_plaque, draw_sticker_sheet, sign_canvas
from guide.render.sign_fonts import (
    FONT_FAMILY,
    FONT_LICENCE_FILE,
    font_licence,
    missing_glyphs,
    nfc,
    register_fonts,
)
from guide.render.sign_layout import (
    CALL_TO_ACTION,
    DEFAULT_SIZE,
    PRINTED,
    SIZES,
    STICKER_COLUMNS,
    STICKER_ROWS,
    Branding,
    SignError,
    SignSize,
    SignText,
    sticker_positions,
)

__all__ = [
    "CALL_TO_ACTION",
    "DEFAULT_SIZE",
    "FONT_LICENCE_FILE",
    "PRINTED",
    "SIZES",
    "STICKER_COLUMNS",
    "STICKER_ROWS",
    "Branding",
    "SignError",
    "SignSize",
    "SignText",
    "branding_from_settings",
    "file_name",
    "font_licence",
    "missing_glyphs",
    "register_fonts",
    "render",
    "sign_pdf",
    "sign_text",
    "sticker_positions",
    "write_signs",
]


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
    titles = tuple(nfc(title[lang]) for lang in PRINTED if title.get(lang))
    return Branding(
        programme=nfc(str(config.get("GUIDE_SIGN_PROGRAMME") or "").strip()),
        logo=logo,
        title=titles,
    )


def kind_and_rank(site: Site, vocabulary: Vocabulary | None) -> tuple[str, str]:
    """Return the Vietnamese kind and rank a sign prints, the rank with its batch and year."""
    if vocabulary is None:
        return site.kind, site.rank
    kind = vocabulary.kind_label(site.kind, "vi")
    if not site.rank or site.rank == UNRANKED:
        return kind, ""
    detail = site.rank_detail
    when = [translate(Message.of(N_("batch %(number)s"), number=detail.batch), "vi")]
    when = [when[0][:1].upper() + when[0][1:]] if detail.batch else []
    when += [str(detail.year)] if detail.year else []
    rank = vocabulary.rank_label(site.rank, "vi")
    return kind, f"{rank} ({', '.join(when)})" if when else rank


def sign_text(
    site: Site, base_url: str, ec: str = qr.DEFAULT_EC, vocabulary: Vocabulary | None = None
) -> SignText:
    """Return what the sign of ``site`` says; raise SignError for a name the font cannot print.

    Kinds and ranks are printed by their Vietnamese labels in ``vocabulary``.
    """
    register_fonts()
    kind, rank = (nfc(part) for part in kind_and_rank(site, vocabulary))
    kind = kind[:1].upper() + kind[1:]
    text = SignText(
        name_vi=nfc(site.name.get("vi") or site.display_name("vi")),
        name_en=nfc(site.name.get("en", "")),
        kind_and_rank=" · ".join(part for part in (kind, rank) if part),
        url=qr.display_url(base_url, site.code),
        code=qr.make_code(qr.plaque_url(base_url, site.code), ec),
    )
    where = str(site.folder / SITE_FILE) if site.folder else site.slug
    for field, value in (
        ("name.vi", text.name_vi),
        ("name.en", text.name_en),
        ("kind", kind),
        ("rank", rank),
    ):
        missing = missing_glyphs(nfc(value))
        if missing:
            raise SignError(
                f"{where}: {field}: the sign font ({FONT_FAMILY}) cannot print "
                f"{' '.join(missing)} (U+{', U+'.join(f'{ord(c):04X}' for c in missing)}): "
                "write the text in Vietnamese or Latin letters"
            )
    return text


def sign_pdf(
    site: Site,
    base_url: str,
    size: str = DEFAULT_SIZE,
    ec: str = qr.DEFAULT_EC,
    branding: Branding | None = None,
    vocabulary: Vocabulary | None = None,
) -> bytes:
    """Return the print-ready PDF sign of ``site`` in ``size`` (a4, a5, a6 or sticker)."""
    if size not in SIZES:
        raise SignError(f"size {size!r}: choose one of {', '.join(SIZES)}")
    sign_size = SIZES[size]
    text = sign_text(site, base_url, ec, vocabulary)
    branding = branding or Branding()
    buffer = io.BytesIO()
    canvas = sign_canvas(buffer, sign_size, f"{text.name_vi} — {sign_size.label}", branding)
    canvas.setSubject(text.code.text)
    if sign_size.is_sticker_sheet:
        draw_sticker_sheet(canvas, sign_size, text)
    else:
        draw_plaque(canvas, sign_size, text, branding)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


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
    vocabulary: Vocabulary | None = None,
) -> bytes:
    """Return the sign (``pdf``) or the bare code (``svg``, ``png``) of ``site``.

    The bare code is drawn at the code width of ``size``.
    """
    if size not in SIZES:
        raise SignError(f"size {size!r}: choose one of {', '.join(SIZES)}")
    if fmt == "pdf":
        return sign_pdf(site, base_url, size, ec, branding, vocabulary)
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
    vocabulary: Vocabulary | None = None,
) -> tuple[list[Path], list[str]]:
    """Write the sign or code of each site into ``out``, each file atomically.

    Return the files written and the reasons of the sites that failed; a site
    that fails does not stop the others.
    """
    written: list[Path] = []
    failures: list[str] = []
    for site in sites:
        try:
            data = render(site, base_url, fmt, size, ec, branding, vocabulary)
        except SignError as error:
            failures.append(str(error))
            continue
        path = Path(out) / file_name(site, size, fmt)
        atomic_write_bytes(path, data)
        written.append(path)
    return written, failures
