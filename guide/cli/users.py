"""`guide user`: the staff workspace's accounts: add, list, change a password, remove."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guide.catalogue.config import CatalogueError
from guide.catalogue.index import Catalogue, load_catalogue
from guide.cli.common import open_catalogue, resolve_area, sites_option, sites_root


@click.group()
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
