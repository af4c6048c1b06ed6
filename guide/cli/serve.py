"""`guide serve`: the guide's pages on a local port, served by waitress."""

from __future__ import annotations

import errno
import logging
import socket
import sys
from pathlib import Path

import click

from guide.catalogue.config import CatalogueError
from guide.cli.common import sites_option


def port_in_use(host: str, port: int) -> bool:
    """Return whether another program listens on ``host:port`` (a bind there fails)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As the server does, so a port left in TIME_WAIT by a stopped server counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


@click.command()
@sites_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(sites_dir: Path | None, host: str, port: int) -> None:
    """Serve the guide with a production WSGI server (waitress)."""
    busy = (
        f"error: {host}:{port} is already in use by another program: "
        "stop it, or choose another port with --port"
    )
    if port_in_use(host, port):
        click.echo(busy, err=True)
        sys.exit(2)
    from waitress.server import create_server

    from guide import create_app

    # Only the flags given override the settings (instance config.py, environment).
    try:
        app = create_app({"GUIDE_SITES": str(sites_dir)} if sites_dir else {})
    except CatalogueError as error:
        raise click.ClickException(str(error)) from error
    logging.basicConfig()  # as waitress.serve does: its warnings reach standard error
    try:
        server = create_server(app, host=host, port=port, threads=8)
    except OSError as error:
        # Another program may take the port between the check above and here.
        if error.errno != errno.EADDRINUSE:
            raise
        click.echo(busy, err=True)
        sys.exit(2)
    click.echo(f"Red Addresses Guide on http://{host}:{port}/", err=True)
    server.run()
