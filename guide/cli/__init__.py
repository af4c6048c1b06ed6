"""The `guide` command: a thin layer of click over the catalogue library.

Each group of commands has its module: the catalogue's (``guide.cli.catalogue``),
``serve``, ``build``, ``qr``, ``user`` and the listening half's ``scans``, ``plaques`` and
``feedback``, each over its library in ``guide.listening``. ``guide.cli:main`` is
the entry point. A command's module is imported only when that command runs (or help
lists it): ``guide serve`` then starts without the libraries of signs, exports and imports.
"""

from __future__ import annotations

import importlib

import click

from guide.cli.common import open_catalogue, resolve_area, sites_option, sites_root

__all__ = ["main", "open_catalogue", "resolve_area", "sites_option", "sites_root"]

# Each command's name, and the module and attribute that define it.
COMMANDS = {
    "build": "guide.cli.build:build",
    "check": "guide.cli.catalogue:check",
    "export": "guide.cli.catalogue:export",
    "feedback": "guide.cli.feedback:feedback",
    "import": "guide.cli.catalogue:import_command",
    "init": "guide.cli.catalogue:init",
    "list": "guide.cli.catalogue:list_command",
    "plaques": "guide.cli.plaques:plaques",
    "qr": "guide.cli.qr:qr_command",
    "scans": "guide.cli.scans:scans",
    "serve": "guide.cli.serve:serve",
    "user": "guide.cli.users:user",
}


class _Commands(click.Group):
    """The group of ``COMMANDS``, each imported when it is first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module, attribute = COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="red-addresses-guide")
def main() -> None:
    """Red Addresses Guide: the catalogue, pages, maps and plaques of heritage sites."""
