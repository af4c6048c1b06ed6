"""The catalogue's commands: check, import, export, list and init."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from guide import settings
from guide.catalogue.checks import check_catalogue
from guide.catalogue.config import CatalogueError, read_config
from guide.catalogue.index import Catalogue
from guide.catalogue.interchange import (
    COLUMNS,
    EXTRA_COLUMNS,
    REQUIRED_COLUMNS,
    ImportFileError,
    export_csv,
    export_geojson,
    import_file,
    write_export,
)
from guide.catalogue.layout import CONFIG_FILE, SITE_FILE
from guide.cli.common import open_catalogue, resolve_area, sites_option, sites_root


@click.command()
@sites_option
@click.option("--warnings/--no-warnings", default=True, help="Also list warnings.")
@click.option(
    "--fix", is_flag=True, help="Tidy leftovers of interrupted writes (see docs/security.md)."
)
def check(sites_dir: Path | None, warnings: bool, fix: bool) -> None:
    """Validate the catalogue; exit 1 when any error is found.

    Leftovers of interrupted writes (temporary files, sites without a revision,
    uploads nothing lists) are warnings; --fix tidies them.
    """
    catalogue = open_catalogue(sites_dir)
    config = settings.resolve()
    problems = check_catalogue(
        catalogue, config["GUIDE_DUPLICATE_RADIUS_M"], config["GUIDE_HAN_NOM_FONT"]
    )
    problems.extend(_leftover_problems(catalogue, fix))
    errors = [p for p in problems if p.level == "error"]
    for problem in problems:
        if problem.level == "error" or warnings:
            click.echo(str(problem))
    needs_location = sum(1 for site in catalogue if site.needs_location)
    click.echo(
        f"{len(catalogue)} sites ({needs_location} need a location), "
        f"{len(errors)} errors, {len(problems) - len(errors)} warnings",
        err=True,
    )
    sys.exit(1 if errors else 0)


def _leftover_problems(catalogue: Catalogue, fix: bool) -> list:
    """Return the leftovers of interrupted writes as problems; with ``fix``, tidy them first.

    The database is consulted only when one is configured or already exists:
    ``guide check`` never creates it.
    """
    from guide.workspace.leftovers import find_leftovers, fix_leftovers

    if not _database_exists():
        leftovers = find_leftovers(catalogue)
        if fix:
            for line in fix_leftovers(catalogue, leftovers):
                click.echo(f"fixed: {line}", err=True)
            leftovers = find_leftovers(catalogue)
        return [leftover.problem for leftover in leftovers]
    import tomllib

    from guide.workspace.db import Revision, database_context, db
    from guide.workspace.editing import catalogue_lock, record_revision, revisions, snapshot

    def recorded() -> set[str]:
        return set(db.session.scalars(db.select(Revision.slug).distinct()))

    def listed(slug: str) -> set[str]:
        files = set()
        for revision in revisions(slug):
            try:
                facts = tomllib.loads(revision.files.get(SITE_FILE, ""))
            except tomllib.TOMLDecodeError:
                continue
            media = facts.get("media", [])
            files |= {m["file"] for m in media if isinstance(m, dict) and "file" in m}
        return files

    def record(slug: str, folder: Path) -> None:
        files = snapshot(folder, catalogue.config.languages)
        record_revision(slug, files, "(files)", "as found in the catalogue folder")

    with database_context():
        leftovers = find_leftovers(catalogue, recorded, listed)
        if fix and leftovers:
            with catalogue_lock(catalogue.root):
                for line in fix_leftovers(catalogue, leftovers, record):
                    click.echo(f"fixed: {line}", err=True)
            leftovers = find_leftovers(catalogue, recorded, listed)
        return [leftover.problem for leftover in leftovers]


def _database_exists() -> bool:
    """Return whether a database is configured, or the default SQLite file exists."""
    if settings.resolve().get("GUIDE_DATABASE_URL"):
        return True
    return (settings.instance_folder() / "guide.sqlite3").is_file()


IMPORT_HELP = f"""Import sites from a CSV or GeoJSON FILE.

\b
CSV columns (a header row; {", ".join(REQUIRED_COLUMNS)} are required):
  {", ".join(COLUMNS)}
  and optionally {", ".join(EXTRA_COLUMNS)} (tags separated by ';').
GeoJSON: a FeatureCollection of Point features whose properties have the
same names as the CSV columns; lat and lon come from the point.

Exit status: 0 when every row was imported or already present, 1 when some
rows were rejected, 2 when the file cannot be read.
"""


@click.command(name="import", help=IMPORT_HELP)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@sites_option
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
def import_command(file: Path, sites_dir: Path | None, dry_run: bool) -> None:
    """Import sites from a CSV or GeoJSON FILE (see IMPORT_HELP)."""
    catalogue = open_catalogue(sites_dir)
    try:
        report = import_file(
            file,
            catalogue,
            dry_run=dry_run,
            duplicate_radius_m=settings.resolve()["GUIDE_DUPLICATE_RADIUS_M"],
        )
    except ImportFileError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    for row in report.rows:
        click.echo(row.text(report.dry_run))
    click.echo(report.summary(), err=True)
    sys.exit(report.exit_status)


@click.command()
@sites_option
@click.option("--format", "fmt", type=click.Choice(["geojson", "csv"]), default="geojson")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["draft", "published", "archived"]),
    help="Statuses to export (repeatable; default: published).",
)
def export(sites_dir: Path | None, fmt: str, out: Path | None, statuses: tuple[str, ...]) -> None:
    """Export the catalogue as GeoJSON or CSV (to standard output without --out)."""
    catalogue = open_catalogue(sites_dir)
    statuses = statuses or ("published",)
    text = (
        export_geojson(catalogue, statuses) if fmt == "geojson" else export_csv(catalogue, statuses)
    )
    if out is None:
        click.echo(text, nl=False)
    else:
        write_export(text, out)
        click.echo(f"wrote {out}", err=True)


@click.command(name="list")
@sites_option
@click.option("--area", help="Area id or name.")
@click.option("--kind", help="Kind id or label, such as pagoda or chùa (diacritics optional).")
@click.option("--status", type=click.Choice(["draft", "published", "archived"]))
@click.option("--needs-location", is_flag=True, help="Only sites without a point.")
def list_command(
    sites_dir: Path | None,
    area: str | None,
    kind: str | None,
    status: str | None,
    needs_location: bool,
) -> None:
    """List sites: code, status, slug, area and name."""
    catalogue = open_catalogue(sites_dir)
    area_id = resolve_area(catalogue, area).id if area else None
    if kind:
        term = catalogue.config.vocabulary.find_kind(kind)
        if term is None:
            known = ", ".join(k.id for k in catalogue.config.vocabulary.kinds)
            raise click.UsageError(f"--kind: {kind!r} is not a kind; use one of {known}")
        kind = term.id
    for site in catalogue.filter(status=status, kind=kind, area=area_id):
        if needs_location and not site.needs_location:
            continue
        flag = "  [needs location]" if site.needs_location else ""
        area_name = catalogue.areas.name_of(site.area)
        click.echo(f"{site.code}\t{site.status}\t{site.slug}\t{area_name}\t{site.name['vi']}{flag}")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@sites_option
def init(directory: Path, sites_dir: Path | None) -> None:
    """Create an empty catalogue in DIRECTORY with the areas of the current one."""
    source = sites_root(sites_dir)
    try:
        config = read_config(source)
    except CatalogueError as error:
        raise click.ClickException(str(error)) from error
    if (directory / CONFIG_FILE).exists():
        raise click.ClickException(f"{directory / CONFIG_FILE} exists already")
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / CONFIG_FILE, directory / CONFIG_FILE)
    shutil.copyfile(source / config.areas_file, directory / config.areas_file)
    click.echo(f"created an empty catalogue in {directory}", err=True)
