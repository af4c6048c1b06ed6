"""``guide plaques check``: open every issued code as a phone would and name the dead ones."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guide import settings
from guide.catalogue.config import CatalogueError
from guide.catalogue.index import load_catalogue
from guide.cli.common import sites_option


@click.group(name="plaques")
def plaques() -> None:
    """The plaques printed for sites' codes and the check that they still lead there."""


@plaques.command(name="check")
@sites_option
@click.option(
    "--base-url",
    metavar="URL",
    help="Public address the codes hold (default: GUIDE_BASE_URL); any host, a static one too.",
)
@click.option(
    "--all", "every_code", is_flag=True, help="Every code of the catalogue, not only plaques'."
)
def check(sites_dir: Path | None, base_url: str | None, every_code: bool) -> None:
    """Request every issued code through the public address; exit 1 when one is dead or wrong.

    Prints one line per dead or wrong code. Exit status: 0 all good, 1 some code
    fails, 2 the base URL or the catalogue cannot be used. The requests carry
    X-Guide-Check, so the guide does not count them as scans.
    """
    from guide.listening import models  # noqa: F401  (the register's tables)
    from guide.listening.plaques import (
        CheckBaseUrlError,
        check_base_url,
        check_code,
        issued_codes,
        record_checks,
    )
    from guide.workspace.db import database_context, utcnow

    config = settings.resolve()
    raw = (base_url or config["GUIDE_BASE_URL"] or "").strip()
    if not raw:
        raise click.UsageError(
            "no address to check: pass --base-url https://your-guide.example.vn "
            "or set GUIDE_BASE_URL"
        )
    try:
        base = check_base_url(raw)
    except CheckBaseUrlError as error:
        raise click.UsageError(
            f"{'--base-url' if base_url else 'GUIDE_BASE_URL'}: {error}"
        ) from error
    try:
        catalogue = load_catalogue(Path(sites_dir or config["GUIDE_SITES"]))
    except CatalogueError as error:
        raise click.UsageError(str(error)) from error
    with database_context():
        codes = issued_codes(catalogue, every_code)
        if not codes:
            click.echo(
                "no plaque in the register: print signs with guide qr, or pass --all", err=True
            )
            return
        started = utcnow()
        results = [check_code(base, code, site) for code, site in codes]
        record_checks(base, results, started)
    failed = [r for r in results if not r.ok]
    for result in failed:
        click.echo(f"{result.code} {result.slug or '-'}: {result.problem} ({result.final_url})")
    click.echo(f"checked {len(results)} codes at {base}: {len(failed)} dead or wrong", err=True)
    sys.exit(1 if failed else 0)


def default_printer() -> str:
    """Return the name of the person at this computer (the OS user name), or ""."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def register_printed(sites: list, size: str, by: str) -> None:
    """Record a plaque (state "ordered") for each sign just printed; warn when it cannot."""
    from sqlalchemy.exc import SQLAlchemyError

    from guide.listening import models  # noqa: F401  (the register's tables)
    from guide.listening.plaques import record_printed
    from guide.listening.scans import time_zone
    from guide.workspace.db import DatabaseSettingError, database_context

    if not sites:
        return
    try:
        with database_context() as app:
            from datetime import datetime

            today = datetime.now(time_zone(app.config)).date()
            record_printed(sites, size, by, today)
    except (SQLAlchemyError, DatabaseSettingError, ValueError) as error:
        click.echo(f"warning: the plaques were not recorded in the register: {error}", err=True)
        return
    click.echo(f"recorded {len(sites)} plaques ({size}) printed by {by or '?'}", err=True)
