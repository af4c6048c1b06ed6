"""`guide build`: the public guide written as plain files for any static host."""

from __future__ import annotations

from pathlib import Path

import click

from guide.cli.common import sites_option, sites_root


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@sites_option
@click.option("--base-url", default="", help="Public address (sitemap, canonical links).")
@click.option("--api-url", default="", help="Guide server for planning (GUIDE_API_URL).")
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: build again whenever the catalogue changes (Ctrl-C stops).",
)
@click.option(
    "--every",
    type=click.FloatRange(min=0.1),
    default=1.0,
    show_default=True,
    help="With --watch: seconds between two looks at the catalogue.",
)
def build(
    out: Path, sites_dir: Path | None, base_url: str, api_url: str, watch: bool, every: float
) -> None:
    """Write the public guide as plain files for any static host (only what changed).

    With --watch the command keeps its modules loaded and follows the catalogue:
    an edit is published in about the time of its rebuild. A build that fails says
    why on standard error and leaves the folder as the last good build left it.
    """
    sites = sites_root(sites_dir)
    if watch:
        from guide.export.watch import watch as follow

        follow(out, sites, base_url, api_url, every)
        return
    from guide.export.inputs import check

    # Asked first, without the web app: with nothing changed there is nothing to load.
    inputs = check(out, sites, base_url, api_url)
    report = inputs.report
    if report is None:
        from guide.catalogue.config import CatalogueError
        from guide.export.build import BuildError
        from guide.export.build import build as build_export

        try:
            report = build_export(out, sites, base_url, api_url, inputs)
        except (BuildError, CatalogueError) as error:
            raise click.ClickException(str(error)) from error
    click.echo(
        f"{out}: {len(report.written)} written, {report.kept} unchanged, "
        f"{len(report.removed)} removed; {report.files} files, {report.bytes} bytes "
        f"in {report.seconds:.2f} s"
    )
