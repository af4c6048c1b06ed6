"""The `guide` command: a thin layer of click over the catalogue library.

Each group of commands has its module: the catalogue's (``guide.cli.catalogue``),
``serve``, ``build``, ``qr``, ``user`` and the listening half's ``scans``, ``plaques`` and
``feedback``, each over its library in ``guide.listening``. ``guide.cli:main`` is
the entry point.
"""

from __future__ import annotations

import click

from guide.cli import plaques, scans
from guide.cli.build import build
from guide.cli.catalogue import check, export, import_command, init, list_command
from guide.cli.common import open_catalogue, resolve_area, sites_option, sites_root
from guide.cli.feedback import feedback
from guide.cli.qr import qr_command
from guide.cli.serve import serve
from guide.cli.users import user

__all__ = ["main", "open_catalogue", "resolve_area", "sites_option", "sites_root"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="red-addresses-guide")
def main() -> None:
    """Red Addresses Guide: the catalogue, pages, maps and plaques of heritage sites."""


for command in (
    check,
    import_command,
    export,
    list_command,
    init,
    serve,
    build,
    user,
    qr_command,
    scans.scans,
    plaques.plaques,
    feedback,
):
    main.add_command(command)
