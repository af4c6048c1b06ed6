"""What every `guide` command shares: the `--sites` option and opening the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from guide import settings

if TYPE_CHECKING:
    from guide.catalogue.geo import Area
    from guide.catalogue.index import Catalogue


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
    # Imported here: commands that need no catalogue (a build with nothing to do,
    # --help) start without numpy and shapely.
    from guide.catalogue.config import CatalogueError
    from guide.catalogue.index import load_catalogue

    try:
        return load_catalogue(sites_root(sites_dir))
    except CatalogueError as error:
        raise click.ClickException(str(error)) from error


def resolve_area(catalogue: Catalogue, area: str) -> Area:
    """Return the area given by id or name (prefix and diacritics optional), else stop.

    On a miss the usage error lists every valid id and name.
    """
    found = catalogue.areas.find(area)
    if found is None:
        valid = "; ".join(f"{a.id} ({a.name})" for a in catalogue.areas)
        raise click.BadParameter(
            f"{area!r} is not an area id or name of {catalogue.config.areas_file}. "
            f"Valid areas: {valid}",
            param_hint="--area",
        )
    return found


def plural(count: int, one: str, many: str) -> str:
    """Return "1 file" or "2 files": the count with the word in its number."""
    return f"{count} {one if count == 1 else many}"
