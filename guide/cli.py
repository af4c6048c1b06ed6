"""The ``guide`` command: a thin layer of click over the catalogue library."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from guide import settings
from guide.catalogue.checks import check_catalogue
from guide.catalogue.core import (
    CONFIG_FILE,
    Catalogue,
    CatalogueError,
    Site,
    load_catalogue,
    read_config,
)
from guide.catalogue.geo import Area
from guide.catalogue.interchange import (
    ImportFileError,
    export_csv,
    export_geojson,
    import_file,
    write_export,
)


def sites_option(command):
    """Add the ``--sites DIR`` option every command takes."""
    return click.option(
        "--sites",
        "sites_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Catalogue folder (default: the GUIDE_SITES setting, else ./sites).",
    )(command)


def sites_root(sites_dir: Path | None) -> Path:
    """Return the catalogue folder: --sites, else the GUIDE_SITES setting, else ./sites."""
    return Path(sites_dir or settings.resolve()["GUIDE_SITES"])


def open_catalogue(sites_dir: Path | None) -> Catalogue:
    """Load the catalogue or stop with the reason on standard error (exit status 2)."""
    try:
        return load_catalogue(sites_root(sites_dir))
    except CatalogueError as error:
        raise click.ClickException(str(error)) from error


def resolve_area(catalogue: Catalogue, area: str) -> Area:
    """Return the area given by id or name (diacritics optional), or stop with a usage error."""
    found = catalogue.areas.get(area) or catalogue.areas.find_by_name(area)
    if found is None:
        raise click.BadParameter(
            f"{area!r} is not an area id or name of {catalogue.config.areas_file}",
            param_hint="--area",
        )
    return found


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="red-addresses-guide")
def main() -> None:
    """Red Addresses Guide: the catalogue, pages, maps and plaques of heritage sites."""


@main.command()
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
    radius = settings.resolve()["GUIDE_DUPLICATE_RADIUS_M"]
    problems = check_catalogue(catalogue, radius)
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
                facts = tomllib.loads(revision.files.get("site.toml", ""))
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
    from flask import Flask

    return (
        Path(Flask("guide", instance_relative_config=True).instance_path) / "guide.sqlite3"
    ).is_file()


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@sites_option
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
def import_command(file: Path, sites_dir: Path | None, dry_run: bool) -> None:
    """Import sites from a CSV or GeoJSON FILE.

    Exit status: 0 when every row was imported or already present, 1 when some
    rows were rejected, 2 when the file cannot be read.
    """
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
        click.echo(str(row))
    click.echo(report.summary(), err=True)
    sys.exit(report.exit_status)


@main.command()
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


@main.command(name="list")
@sites_option
@click.option("--area", help="Area id or name.")
@click.option("--kind", help="Kind, such as đình (diacritics optional).")
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
    for site in catalogue.filter(status=status, kind=kind, area=area_id):
        if needs_location and not site.needs_location:
            continue
        flag = "  [needs location]" if site.needs_location else ""
        area_name = catalogue.areas.name_of(site.area)
        click.echo(f"{site.code}\t{site.status}\t{site.slug}\t{area_name}\t{site.name['vi']}{flag}")


@main.command()
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


@main.command()
@sites_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(sites_dir: Path | None, host: str, port: int) -> None:
    """Serve the guide with a production WSGI server (waitress)."""
    from waitress import serve as waitress_serve

    from guide import create_app

    # Only the flags given override the settings (instance config.py, environment).
    app = create_app({"GUIDE_SITES": str(sites_dir)} if sites_dir else {})
    click.echo(f"Red Addresses Guide on http://{host}:{port}/", err=True)
    waitress_serve(app, host=host, port=port, threads=8)


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@sites_option
@click.option("--base-url", default="", help="Public address (sitemap, canonical links).")
@click.option("--api-url", default="", help="Guide server for planning (GUIDE_API_URL).")
def build(out: Path, sites_dir: Path | None, base_url: str, api_url: str) -> None:
    """Write the public guide as plain files for any static host (only what changed)."""
    from guide.export.build import BuildError
    from guide.export.build import build as build_export

    try:
        report = build_export(out, sites_root(sites_dir), base_url=base_url, api_url=api_url)
    except BuildError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"{out}: {len(report.written)} written, {report.kept} unchanged, "
        f"{len(report.removed)} removed; {report.files} files, {report.bytes} bytes "
        f"in {report.seconds:.2f} s"
    )


@main.group()
def user() -> None:
    """Manage staff accounts of the web workspace (admin, editor, viewer)."""


@user.command(name="add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["admin", "editor", "viewer"]),
    required=True,
    help="What they may do.",
)
@click.option(
    "--area",
    "areas",
    multiple=True,
    help="Area id or name an editor may edit in (repeatable; editors need one).",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@sites_option
def user_add(
    name: str, role: str, areas: tuple[str, ...], password_stdin: bool, sites_dir: Path | None
) -> None:
    """Create the account NAME; the password is asked for (or read with --password-stdin)."""
    from guide.workspace.accounts import AccountError, add_user
    from guide.workspace.db import database_context

    catalogue = open_catalogue(sites_dir)
    area_ids = [resolve_area(catalogue, area).id for area in areas]
    if role != "editor" and area_ids:
        click.echo(f"note: --area is ignored for the role {role}", err=True)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with database_context():
        try:
            created = add_user(name, password, role, area_ids)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
        where = ", ".join(f"{catalogue.areas.name_of(a)} ({a})" for a in created.areas)
        click.echo(
            f"added {created.name} ({created.role}{': ' + where if where else ''})", err=True
        )


@user.command(name="list")
@sites_option
def user_list(sites_dir: Path | None) -> None:
    """List the accounts: name, role and areas."""
    from guide.workspace.accounts import list_users
    from guide.workspace.db import database_context

    try:
        catalogue: Catalogue | None = load_catalogue(sites_root(sites_dir))
    except CatalogueError:
        catalogue = None
    with database_context():
        for account in list_users():
            names = [catalogue.areas.name_of(a) if catalogue else a for a in account.areas]
            click.echo(f"{account.name}\t{account.role}\t{', '.join(names)}")


@user.command(name="password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_password(name: str, password_stdin: bool) -> None:
    """Give the account NAME a new password; it is signed out everywhere."""
    from guide.workspace.accounts import AccountError, set_password
    from guide.workspace.db import database_context

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with database_context():
        try:
            changed = set_password(name, password)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"new password for {changed.name}; its sessions are ended", err=True)


@user.command(name="remove")
@click.argument("name")
def user_remove(name: str) -> None:
    """Delete the account NAME and end its sessions (its edits stay in the history)."""
    from guide.workspace.accounts import AccountError, remove_user
    from guide.workspace.db import database_context

    with database_context():
        try:
            remove_user(name)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"removed {name}", err=True)


def sites_to_print(
    catalogue: Catalogue,
    keys: tuple[str, ...],
    all_sites: bool,
    area: str | None,
    tour: str | None,
) -> tuple[list[Site], list[str]]:
    """Return the sites whose signs ``guide qr`` makes, and notes about the ones it skips.

    Sites named with ``--site`` must be public (a draft's code leads nowhere
    yet); ``--all``, ``--area`` and ``--tour`` take their published sites and
    note the others.
    """
    chosen: dict[str, Site] = {}
    notes: list[str] = []
    for key in keys:
        site = catalogue.by_slug(key) or catalogue.by_code(key)
        if site is None:
            raise click.BadParameter(f"{key!r} is not a site slug or code", param_hint="--site")
        if not site.is_public:
            raise click.BadParameter(
                f"{site.slug} is a {site.status}: its code leads nowhere until it is published "
                '(set status = "published" in its site.toml)',
                param_hint="--site",
            )
        chosen.setdefault(site.slug, site)
    group: list[Site] = []
    if all_sites:
        group += catalogue.sites
    if area:
        group += catalogue.in_area(resolve_area(catalogue, area).id)
    if tour:
        curated = catalogue.tours.get(tour)
        if curated is None:
            known = ", ".join(sorted(catalogue.tours)) or "none in this catalogue"
            raise click.BadParameter(
                f"{tour!r} is not a curated tour (tours: {known})", param_hint="--tour"
            )
        group += [site for slug in curated.stops if (site := catalogue.by_slug(slug))]
    skipped: dict[str, str] = {}
    for site in group:
        if site.status == "published":
            chosen.setdefault(site.slug, site)
        elif site.slug not in chosen:
            skipped[site.slug] = site.status
    if skipped:
        listed = ", ".join(f"{slug} ({status})" for slug, status in list(skipped.items())[:10])
        more = f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""
        notes.append(f"skipped {len(skipped)} sites that are not published: {listed}{more}")
    return list(chosen.values()), notes


@main.command(name="qr")
@sites_option
@click.option(
    "--site",
    "site_keys",
    multiple=True,
    metavar="SLUG_OR_CODE",
    help="A site to make the sign of (repeatable).",
)
@click.option("--all", "all_sites", is_flag=True, help="Every published site.")
@click.option("--area", metavar="AREA", help="The published sites of an area (id or name).")
@click.option("--tour", metavar="TOUR", help="The published stops of a curated tour (its slug).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "svg", "png"]),
    default="pdf",
    show_default=True,
    help="pdf: the print-ready sign; svg, png: the bare code at the sign's code width.",
)
@click.option(
    "--size",
    type=click.Choice(["a4", "a5", "a6", "sticker"]),
    default="a5",
    show_default=True,
    help="A4, A5 or A6 plaque, or an A4 sheet of square stickers with crop marks.",
)
@click.option(
    "--ec",
    type=click.Choice(["Q", "H"], case_sensitive=False),
    metavar="Q|H",
    default="Q",
    show_default=True,
    help="Error correction: H for plaques that may be damaged or carry a logo.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Public address of the guide printed in the codes (default: GUIDE_BASE_URL).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    default=Path("qr"),
    show_default=True,
    help="Folder to write to, one file per site named by slug and size.",
)
def qr_command(
    sites_dir: Path | None,
    site_keys: tuple[str, ...],
    all_sites: bool,
    area: str | None,
    tour: str | None,
    fmt: str,
    size: str,
    ec: str,
    base_url: str | None,
    out: Path,
) -> None:
    """Make print-ready QR signs (PDF) or bare codes (SVG, PNG) of sites.

    Each code holds <BASE-URL>/S/<CODE>, which opens the site's story page.
    The same input gives byte-identical files, so a reprint can be compared.
    """
    from guide.render import qr, signs

    config = settings.resolve()
    base = (base_url or config["GUIDE_BASE_URL"] or "").strip()
    if not base:
        raise click.ClickException(
            "no base URL to print in the codes: pass --base-url https://your-guide.example.vn "
            "or set GUIDE_BASE_URL to the guide's public address"
        )
    try:
        qr.normalize_base_url(base)
    except qr.BaseUrlError as error:
        source = "--base-url" if base_url else "GUIDE_BASE_URL"
        raise click.ClickException(f"{source}: {error}") from error
    if not (site_keys or all_sites or area or tour):
        raise click.UsageError(
            "say which signs to make: --site SLUG_OR_CODE, --all, --area or --tour"
        )
    catalogue = open_catalogue(sites_dir)
    chosen, notes = sites_to_print(catalogue, site_keys, all_sites, area, tour)
    for note in notes:
        click.echo(note, err=True)
    if not chosen:
        raise click.ClickException("no published site to make a sign for")
    try:
        branding = signs.branding_from_settings(config, catalogue.config.title)
    except signs.SignError as error:
        raise click.ClickException(str(error)) from error

    with click.progressbar(
        chosen,
        label=f"{fmt.upper()} {size}",
        file=sys.stderr,
        item_show_func=lambda site: site.slug if site else None,
    ) as progress:
        written, failures = signs.write_signs(
            progress, out, base, fmt=fmt, size=size, ec=ec.upper(), branding=branding
        )
    for path in written:
        click.echo(str(path))
    for failure in failures:
        click.echo(f"error: {failure}", err=True)
    click.echo(f"wrote {len(written)} files to {out}", err=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
