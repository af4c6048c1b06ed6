"""``guide scans``: arrivals through plaque codes and story page views per day, code, area,
language or way."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import click
from sqlalchemy import select

from guide import settings
from guide.catalogue.config import CatalogueError
from guide.catalogue.index import load_catalogue

GROUPINGS = ("day", "code", "area", "language", "via")


def parse_day(value: str | None, option: str) -> date | None:
    """Return the day written as YYYY-MM-DD, or stop with a message naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise click.BadParameter(
            f"{value!r} is not a day: write it as YYYY-MM-DD, such as 2025-09-02",
            param_hint=option,
        ) from error


@click.command(name="scans")
@click.option(
    "--sites",
    "sites_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Catalogue folder (default: the GUIDE_SITES setting, else ./sites).",
)
@click.option("--area", metavar="AREA", help="Only the codes of an area (id or name).")
@click.option("--since", metavar="YYYY-MM-DD", help="First day counted (included).")
@click.option("--until", metavar="YYYY-MM-DD", help="Last day counted (included).")
@click.option("--by", "grouping", type=click.Choice(GROUPINGS), default="code", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
def scans(
    sites_dir: Path | None,
    area: str | None,
    since: str | None,
    until: str | None,
    grouping: str,
    fmt: str,
) -> None:
    """Report arrivals through plaque codes, split into plaque scans and links, and page views.

    A view is one showing of a site's story page, however the visitor came to it.
    """
    from guide.listening.models import EVENT_ARRIVAL, EVENT_VIEW, VIA_PLAQUE, ScanCount
    from guide.workspace.db import database_context, db

    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if first and last and first > last:
        raise click.BadParameter(f"--since {first} is after --until {last}", param_hint="--since")
    try:
        catalogue = load_catalogue(Path(sites_dir or settings.resolve()["GUIDE_SITES"]))
    except CatalogueError as error:
        raise click.ClickException(str(error)) from error
    area_id = None
    if area:
        found = catalogue.areas.get(area) or catalogue.areas.find_by_name(area)
        if found is None:
            raise click.BadParameter(
                f"{area!r} is not an area id or name of {catalogue.config.areas_file}",
                param_hint="--area",
            )
        area_id = found.id

    query = select(ScanCount).where(ScanCount.event.in_((EVENT_ARRIVAL, EVENT_VIEW)))
    if first:
        query = query.where(ScanCount.day >= first)
    if last:
        query = query.where(ScanCount.day <= last)
    with database_context():
        rows = db.session.execute(query).scalars().all()

    plaque: Counter[str] = Counter()
    link: Counter[str] = Counter()
    views: Counter[str] = Counter()
    for row in rows:
        site = catalogue.by_code(row.code)
        site_area = site.area if site else ""
        if area_id and site_area != area_id:
            continue
        key = {
            "day": row.day.isoformat(),
            "code": row.code,
            "area": catalogue.areas.name_of(site_area) if site_area else "?",
            "language": row.language,
            "via": row.via,
        }[grouping]
        if row.event == EVENT_VIEW:
            views[key] += row.count
        else:
            (plaque if row.via == VIA_PLAQUE else link)[key] += row.count
    keys = sorted(set(plaque) | set(link) | set(views))
    if grouping != "day":
        keys.sort(key=lambda k: (-(plaque[k] + link[k]), -views[k]))
    table = [(k, plaque[k], link[k], plaque[k] + link[k], views[k]) for k in keys]
    header = (grouping, "plaque", "link", "total", "views")
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(table)
        return
    if not table:
        click.echo("no arrivals or views counted in this period", err=True)
        return
    width = max(len(grouping), *(len(str(k)) for k in keys))
    click.echo(f"{grouping:<{width}}  {'plaque':>7}  {'link':>7}  {'total':>7}  {'views':>7}")
    for key, p, lk, total, seen in table:
        click.echo(f"{key:<{width}}  {p:>7}  {lk:>7}  {total:>7}  {seen:>7}")
    sums = [sum(row[column] for row in table) for column in (1, 2, 3, 4)]
    click.echo(f"{'total':<{width}}" + "".join(f"  {value:>7}" for value in sums))
