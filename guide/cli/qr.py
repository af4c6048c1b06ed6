"""`guide qr`: the plaques' QR codes and printable signs, for one site or many."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click._termui_impl import ProgressBar

from guide import settings
from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site
from guide.catalogue.vocabulary import Vocabulary
from guide.cli import plaques as plaques_cli
from guide.cli.common import open_catalogue, plural, resolve_area, sites_option
from guide.render.sign_layout import Branding


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


@click.command(name="qr")
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
@click.option(
    "--one-file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.pdf",
    help="Write every sign as a page of one PDF (fonts embedded once) instead of a file each.",
)
@click.option("--by", "printed_by", metavar="NAME", help="Who prints (default: the OS user).")
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="N",
    help="Processes that make the signs; 0: one for each core.",
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
    printed_by: str | None,
    jobs: int,
    one_file: Path | None,
) -> None:
    """Make print-ready QR signs (PDF) or bare codes (SVG, PNG) of sites.

    Each code holds <BASE-URL>/S/<CODE>, which opens the site's story page.
    The same input gives byte-identical files, so a reprint can be compared.
    """
    from guide.render import batch, qr, signs

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

    if one_file is not None:
        if fmt != "pdf":
            raise click.UsageError("--one-file makes a PDF: leave out --format or use --format pdf")
        words = catalogue.config.vocabulary
        _one_file(chosen, one_file, base, size, ec.upper(), branding, words, jobs, printed_by)
        return
    with _progress(chosen, f"{fmt.upper()} {size}") as progress:
        written, failures = batch.write_signs(
            chosen,
            out,
            base,
            fmt=fmt,
            size=size,
            ec=ec.upper(),
            branding=branding,
            vocabulary=catalogue.config.vocabulary,
            jobs=jobs,
            done=lambda site: progress.update(1, site),
        )
    for path in written:
        click.echo(str(path))
    done = {path.name for path in written}
    printed = [site for site in chosen if signs.file_name(site, size, fmt) in done]
    plaques_cli.register_printed(printed, size, printed_by or plaques_cli.default_printer())
    for failure in failures:
        click.echo(f"error: {failure}", err=True)
    click.echo(f"wrote {plural(len(written), 'file', 'files')} to {out}", err=True)
    sys.exit(1 if failures else 0)


def _progress(chosen: list[Site], label: str) -> ProgressBar[Site]:
    """Open a progress bar on stderr that names each site as its sign is done."""
    return click.progressbar(
        length=len(chosen),
        label=label,
        file=sys.stderr,
        item_show_func=lambda site: site.slug if site else None,
    )


def _one_file(
    chosen: list[Site],
    path: Path,
    base: str,
    size: str,
    ec: str,
    branding: Branding,
    vocabulary: Vocabulary,
    jobs: int,
    by: str | None,
) -> None:
    """Write the chosen sites' signs as the pages of one PDF, then register them as printed."""
    from guide.render import batch, sign_book

    with _progress(chosen, f"PDF {size}") as progress:
        printed, failures = sign_book.write_signs_book(
            chosen,
            path,
            base,
            size=size,
            ec=ec,
            branding=branding,
            vocabulary=vocabulary,
            jobs=jobs or batch.default_jobs(),
            done=lambda site: progress.update(1, site),
        )
    if printed:
        click.echo(str(path))
        plaques_cli.register_printed(printed, size, by or plaques_cli.default_printer())
    for failure in failures:
        click.echo(f"error: {failure}", err=True)
    pages = plural(len(printed), "page", "pages")
    click.echo(f"wrote {pages} to {path}" if printed else "wrote nothing", err=True)
    sys.exit(1 if failures else 0)
