"""Many sites' signs as one multi-page PDF: the file a print shop wants, its fonts embedded once.

One canvas draws every page, so each font's subsets are made and embedded once
for the whole batch instead of once a file. What a page says (the names, the
QR symbol: most of a sign's time) is prepared by worker processes while this
process draws the pages in the order of the sites.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from guide.catalogue.model import Site
from guide.catalogue.store import atomic_write_bytes
from guide.catalogue.vocabulary import Vocabulary
from guide.render import qr
from guide.render.sign_drawing import draw_plaque, draw_sticker_sheet, sign_canvas
from guide.render.sign_fonts import register_fonts
from guide.render.sign_layout import DEFAULT_SIZE, SIZES, Branding, SignError, SignSize, SignText

# Sites whose text a worker prepares at a time.
CHUNK = 64


def _texts(
    sites: Sequence[Site], base_url: str, ec: str, vocabulary: Vocabulary | None
) -> list[tuple[str, SignText | None, str]]:
    """Return (slug, text, failure) for each site: its text, or why it cannot be printed."""
    from guide.render.signs import sign_text

    prepared: list[tuple[str, SignText | None, str]] = []
    for site in sites:
        try:
            prepared.append((site.slug, sign_text(site, base_url, ec, vocabulary), ""))
        except SignError as error:
            prepared.append((site.slug, None, str(error)))
    return prepared


def _prepared(
    sites: Sequence[Site], base_url: str, ec: str, jobs: int, vocabulary: Vocabulary | None
) -> Iterator[tuple[str, SignText | None, str]]:
    """Yield each site's prepared text in order, made on ``jobs`` worker processes."""
    chunks = [sites[at : at + CHUNK] for at in range(0, len(sites), CHUNK)]
    if jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield from _texts(chunk, base_url, ec, vocabulary)
        return
    # fork: the workers start at once with the loaded code and the catalogue's sites.
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_texts, chunk, base_url, ec, vocabulary) for chunk in chunks]
        for future in futures:
            yield from future.result()


def signs_book(
    sites: Sequence[Site],
    base_url: str,
    *,
    size: str = DEFAULT_SIZE,
    ec: str = qr.DEFAULT_EC,
    branding: Branding | None = None,
    vocabulary: Vocabulary | None = None,
    jobs: int = 1,
    done: Callable[[Site], None] = lambda site: None,
) -> tuple[bytes, list[Site], list[str]]:
    """Return one PDF with a page per site's sign, the sites on it and the failures' reasons.

    A site that cannot be printed is left out and does not stop the others.
    The same sites and options always give the same bytes.
    """
    if size not in SIZES:
        raise SignError(f"size {size!r}: choose one of {', '.join(SIZES)}")
    sign_size = SIZES[size]
    branding = branding or Branding()
    sites = list(sites)
    register_fonts()
    buffer = io.BytesIO()
    canvas = sign_canvas(
        buffer, sign_size, f"{len(sites)} biển / signs — {sign_size.label}", branding
    )
    printed: list[Site] = []
    failures: list[str] = []
    for site, (_, text, failure) in zip(
        sites, _prepared(sites, base_url, ec, jobs, vocabulary), strict=True
    ):
        if text is None:
            failures.append(failure)
        else:
            try:
                _draw_page(canvas, sign_size, text, branding)
                printed.append(site)
            except SignError as error:
                failures.append(f"{site.slug}: {error}")
        done(site)
    if printed:
        canvas.save()
        return buffer.getvalue(), printed, failures
    return b"", printed, failures


def _draw_page(canvas: Canvas, sign_size: SignSize, text: SignText, branding: Branding) -> None:
    """Draw one sign on a page of its own; a sign that does not fit leaves no page behind."""
    if sign_size.is_sticker_sheet:
        draw_sticker_sheet(canvas, sign_size, text)
    else:
        draw_plaque(canvas, sign_size, text, branding)
    canvas.showPage()


def write_signs_book(
    sites: Sequence[Site],
    path: Path,
    base_url: str,
    **options: object,
) -> tuple[list[Site], list[str]]:
    """Write the one-file PDF of ``sites`` to ``path`` atomically; return its sites and failures.

    Nothing is written when no site could be printed.
    """
    data, printed, failures = signs_book(sites, base_url, **options)  # type: ignore[arg-type]
    if printed:
        atomic_write_bytes(Path(path), data)
    return printed, failures
