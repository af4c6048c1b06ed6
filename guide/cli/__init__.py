"""The `guide` command: a thin layer of click over the catalogue library.

Each group of commands has its module: the catalogue's (``guide.cli.catalogue``),
``serve``, ``build``, ``qr`` and ``user``; the listening half's commands live beside the code
they report on. ``guide.cli:main`` is the entry point.
"""

from __future__ import annotations

import click

from guide.cli.build import build
from guide.cli.catalogue import check, export, import_command, init, list_command
from guide.cli.common import open_catalogue, resolve_area, sites_option, sites_root
from guide.cli.qr import qr_command
from guide.cli.serve import serve
from guide.cli.users import user
from guide.listening import plaques_cli, scans_cli
from guide.listening.feedback_cli import feedback

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
    scans_cli.scans,
    plaques_cli.plaques,
    feedback,
):
    main.add_command(command)
