"""Reach the guide's database without loading SQLAlchemy until something first uses it.

A server starts without importing SQLAlchemy or creating tables: the first
request (or batch of scan counts) that uses the database imports it, connects the
app, creates missing tables and adds missing columns (``guide.workspace.db.connect``,
once per app, other requests waiting meanwhile). Modules a server imports at start
take ``db``, ``audit`` and ``utcnow`` from here; ``guide.workspace.db`` has the tables.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.local import LocalProxy

if TYPE_CHECKING:
    from flask_sqlalchemy import SQLAlchemy

# guide.workspace.db.LATER, spelt out: importing that module is what waits.
LATER = "guide.database.later"


def _database() -> SQLAlchemy:
    from guide.workspace.db import db as database

    return database


db: SQLAlchemy = LocalProxy(_database)  # type: ignore[assignment]
"""``guide.workspace.db.db``, imported the first time one of its attributes is used."""


def init_app(app: Flask) -> None:
    """Make ``app`` connect to its database on first use; check the setting now.

    The default database (SQLite in the instance folder) is made, private, at once:
    one system call, no import. A ``GUIDE_DATABASE_URL`` is checked here (which
    imports SQLAlchemy), so that a wrong one stops the start with its message.
    """
    app.extensions[LATER] = True
    if app.config.get("GUIDE_DATABASE_URL"):
        from guide.workspace.db import database_url

        url = database_url(app)
    elif app.testing:
        url = "sqlite://"
    else:
        # The name, address and mode guide.workspace.db gives it (it holds password hashes).
        path = Path(app.instance_path) / "guide.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
        os.chmod(path, 0o600)
        url = f"sqlite:///{path}"
    # Known from the start, as when the app connected at once.
    app.config["SQLALCHEMY_DATABASE_URI"] = url


def audit(user_name: str, action: str, target: str = "", detail: str = "") -> None:
    """Add a line to the audit log and commit it (``guide.workspace.db.audit``)."""
    from guide.workspace.db import audit as write

    write(user_name, action, target, detail)


def utcnow() -> datetime:
    """Return the current time in UTC without a time zone (``guide.workspace.db.utcnow``)."""
    from guide.workspace.db import utcnow as now

    return now()
