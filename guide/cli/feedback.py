"""The ``guide feedback`` command: list visitors' feedback as a table or CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from guide.listening.models import FEEDBACK_STATUSES

COLUMNS = ("id", "received_on", "slug", "area", "status", "language", "useful", "topic")
TEXTS = ("comment", "report", "contact", "handled_by", "answered_via")


def spreadsheet_safe(text: str) -> str:
    """Return text that a spreadsheet will not run as a formula.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("Đình")
    ("'=HYPERLINK(1)", 'Đình')
    """
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@click.command(name="feedback")
@click.option("--area", default="", help="Area id or name (diacritics optional).")
@click.option("--status", type=click.Choice(FEEDBACK_STATUSES), default=None)
@click.option("--site", "slug", default="", help="Slug of one site.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table")
@click.option(
    "--sites",
    "sites_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Catalogue folder, to read --area by name (default: the GUIDE_SITES setting).",
)
def feedback(area: str, status: str | None, slug: str, fmt: str, sites_dir: Path | None) -> None:
    """List what visitors sent about the sites, newest first."""
    from guide.cli.common import open_catalogue, resolve_area
    from guide.listening import feedback as library
    from guide.listening import models  # noqa: F401  (its tables, created with the database)
    from guide.workspace.db import database_context

    area_id = resolve_area(open_catalogue(sites_dir), area).id if area else ""
    with database_context():
        rows = library.query(status=status or "", area=area_id, slug=slug)
        records = [
            [
                str(row.id),
                row.received_on.isoformat(),
                row.slug,
                row.area,
                row.status,
                row.language,
                {True: "yes", False: "no", None: ""}[row.useful],
                row.topic,
                *(getattr(row, name) or "" for name in TEXTS),
            ]
            for row in rows
        ]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*COLUMNS, *TEXTS])
        writer.writerows([[spreadsheet_safe(cell) for cell in record] for record in records])
        click.echo(out.getvalue(), nl=False)
        return
    if not records:
        click.echo("no feedback", err=True)
        return
    header = [*COLUMNS, "comment", "report", "contact"]
    shown = [
        [*record[: len(COLUMNS)], *(one_line(text, 40) for text in record[len(COLUMNS) :][:3])]
        for record in records
    ]
    widths = [max(len(line[i]) for line in [header, *shown]) for i in range(len(header))]
    for line in [header, *shown]:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )


def one_line(text: str, width: int) -> str:
    """Return text on one line, cut to ``width`` characters with an ellipsis.

    >>> one_line("Sai giờ\\nmở cửa", 40)
    'Sai giờ mở cửa'
    >>> one_line("x" * 50, 10)
    'xxxxxxxxx…'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
