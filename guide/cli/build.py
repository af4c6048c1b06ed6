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
def build(out: Path, sites_dir: Path | None, base_url: str, api_url: str) -> None:
    """Write the public guide as plain files for any static host (only what changed)."""
    from guide.export.inputs import check

    sites = sites_root(sites_dir)
    # Asked first, without the web app: with nothing changed there is nothing to load.
    inputs = check(out, sites, base_url, api_url)
    report = inputs.report
    if report is None:
        from guide.export.build import BuildError
        from guide.export.build import build as build_export

        try:
            report = build_export(out, sites, base_url, api_url, inputs)
        except BuildError as error:
            raise click.ClickException(str(error)) from error
    click.echo(
        f"{out}: {len(report.written)} written, {report.kept} unchanged, "
        f"{len(report.removed)} removed; {report.files} files, {report.bytes} bytes "
        f"in {report.seconds:.2f} s"
    )
