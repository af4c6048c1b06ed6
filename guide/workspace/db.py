"""The guide's database: staff accounts, revisions and the audit log.

The catalogue itself stays in files; the database holds only operational data.
It is SQLite in the instance folder by default and any SQLAlchemy URL through
the ``GUIDE_DATABASE_URL`` setting. PostgreSQL goes through psycopg 3 (the
``postgres`` extra): a plain ``postgresql://`` URL is read as
``postgresql+psycopg://``.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    inspect,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from guide import settings


class Base(DeclarativeBase):
    """Declarative base of the guide's tables."""


LATER = "guide.database.later"
"""Key of ``app.extensions`` set by ``guide.workspace.database.init_app``: connect on first use."""
# Modules whose tables live in the guide's database besides this one's: whatever
# connects first (a request, a command such as ``guide user add``) creates them all.
TABLE_MODULES = ("guide.listening.models",)

_CONNECTED = "guide.database.connected"
_CONNECTING = "guide.database.connecting"
_connecting = threading.RLock()


class Database(SQLAlchemy):
    """Flask-SQLAlchemy, connecting an app that asked for it later the first time it is used."""

    @property
    def engines(self) -> Any:
        """Return the current app's engines, connecting the app first if it waits for that."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if LATER in app.extensions and _CONNECTED not in app.extensions:
            connect(app)
        return super().engines


db = Database(model_class=Base)


def utcnow() -> datetime:
    """Return the current time in UTC without a time zone (SQLite keeps none)."""
    return datetime.now(UTC).replace(tzinfo=None)


class User(UserMixin, db.Model):
    """A member of staff who signs in to the workspace."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    # Area ids separated by spaces; only editors' areas matter.
    area_ids: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A random key carried in every session cookie of this account. Signing out,
    # a new password or removing the account changes or deletes it, so that a
    # copied or replayed cookie no longer opens the workspace.
    session_key: Mapped[str] = mapped_column(String(64), default="", server_default="")

    @property
    def areas(self) -> list[str]:
        """Return the ids of the areas this person may edit in (for editors)."""
        return self.area_ids.split()

    def get_id(self) -> str:
        """Return the session id: the row id and the account's current session key."""
        if not self.session_key:
            self.new_session_key()
        return f"{self.id}:{self.session_key}"

    def new_session_key(self) -> None:
        """Replace the session key, ending every session signed in with the old one."""
        self.session_key = secrets.token_hex(16)


class AuditEntry(db.Model):
    """Who did what to which site or account, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(200), default="", index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class Revision(db.Model):
    """The text files of one site as one save left them."""

    __tablename__ = "revisions"
    # Saves are numbered under the catalogue's lock; the database refuses a number twice too.
    __table_args__ = (UniqueConstraint("slug", "number", name="revisions_slug_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), index=True)
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_name: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, default="")
    digest: Mapped[str] = mapped_column(String(64))
    files_json: Mapped[str] = mapped_column(Text)
    restored_from: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"), nullable=True)

    @property
    def files(self) -> dict[str, str]:
        """Return {file name: text} of the site's text files at this revision."""
        return json.loads(self.files_json)


def audit(user_name: str, action: str, target: str = "", detail: str = "") -> None:
    """Add a line to the audit log and commit it."""
    db.session.add(AuditEntry(user_name=user_name, action=action, target=target, detail=detail))
    db.session.commit()


class DatabaseSettingError(RuntimeError):
    """``GUIDE_DATABASE_URL`` cannot be used; the message says why and what to do."""


def normalize_url(url: str) -> str:
    """Return a database URL with the driver the guide installs for its kind of database.

    >>> normalize_url("postgresql://guide:secret@localhost/guide")
    'postgresql+psycopg://guide:secret@localhost/guide'
    >>> normalize_url("postgres://guide@db.example.vn:5433/guide")
    'postgresql+psycopg://guide@db.example.vn:5433/guide'
    >>> normalize_url("sqlite:////srv/guide/guide.sqlite3")
    'sqlite:////srv/guide/guide.sqlite3'
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def check_driver(url: str) -> None:
    """Raise DatabaseSettingError when the URL is unreadable or its driver is missing."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise DatabaseSettingError(
            f"GUIDE_DATABASE_URL: {error}; write it like "
            "postgresql://USER:PASSWORD@HOST:5432/DATABASE or sqlite:////path/guide.sqlite3"
        ) from error
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() == "psycopg":
        try:
            import psycopg  # noqa: F401
        except ImportError as error:
            raise DatabaseSettingError(
                "GUIDE_DATABASE_URL names a PostgreSQL database, but its driver psycopg is not "
                "installed: pip install 'red-addresses-guide[postgres]' (or psycopg[binary])"
            ) from error


def database_url(app: Flask) -> str:
    """Return the database URL: the setting, else SQLite in the instance folder."""
    url = normalize_url(app.config.get("GUIDE_DATABASE_URL") or "")
    if url:
        check_driver(url)
        return url
    if app.testing:
        return "sqlite://"
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'guide.sqlite3'}"


# Columns added after the first release, as (table, column, SQL type and default). Tables
# are made by ``create_all``, which never changes an existing table: these are added
# to databases made before them, on SQLite and PostgreSQL alike.
ADDED_COLUMNS = (
    ("users", "session_key", "VARCHAR(64) NOT NULL DEFAULT ''"),
    ("plaques", "area", "VARCHAR(64) NOT NULL DEFAULT ''"),
)
# Tables no longer used; dropped because they held what the guide no longer keeps
# (login_failures: visitors' network addresses).
DROPPED_TABLES = ("login_failures",)


def upgrade_schema(engine: Engine) -> None:
    """Add missing columns and drop retired tables in a database made by an older guide."""
    for table, column, definition in ADDED_COLUMNS:
        present = {c["name"] for c in inspect(engine).get_columns(table)}
        if column in present:
            continue
        try:
            with engine.begin() as connection:
                connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {definition}"))
        except DatabaseError:
            # Another process starting at the same time may have added it first.
            if column not in {c["name"] for c in inspect(engine).get_columns(table)}:
                raise
    with engine.begin() as connection:
        for table in DROPPED_TABLES:
            connection.execute(text(f"DROP TABLE IF EXISTS {table}"))


def make_private(url: str) -> None:
    """Create a SQLite database file readable by its owner only (0600), or make it so.

    The file holds password hashes: it is created with mode 0600 before SQLAlchemy
    opens it, and an existing one is set to 0600.
    """
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return
    if database.startswith("file:"):
        return  # a URI filename: SQLite's own syntax, left to the person who wrote it
    path = Path(database)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)


def init_app(app: Flask) -> None:
    """Connect ``app`` to the database, create missing tables and add missing columns."""
    register(app)
    make_tables(app)


def register(app: Flask) -> None:
    """Give ``app`` its engine (Flask-SQLAlchemy's ``init_app``); nothing is opened yet."""
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app)
    make_private(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)


def make_tables(app: Flask) -> None:
    """Create the missing tables of ``app``'s database and add the missing columns."""
    # Every table, whichever command or request connects first: a command such as
    # ``guide user add`` imports none of the listening modules itself.
    for name in TABLE_MODULES:
        importlib.import_module(name)
    with app.app_context():
        db.create_all()
        upgrade_schema(db.engine)


def connect(app: Flask) -> None:
    """Connect an app that waits for its first use: what ``init_app`` does, once, under a lock.

    Flask refuses new teardown and shell functions once an app has handled a
    request; Flask-SQLAlchemy's ``init_app`` adds one of each. They are added to
    the app's lists directly here, which is what those methods do after the check.
    Other threads wait until the tables are made; the connecting thread's own
    use of the engine meanwhile (``create_all``) goes through. When the database
    cannot be reached, the request that asked fails and the next one tries again.
    """
    with _connecting:
        if _CONNECTED in app.extensions or app.extensions.get(_CONNECTING):
            return
        app.extensions[_CONNECTING] = True
        try:
            if "sqlalchemy" not in app.extensions:  # else registered by an attempt that failed
                app.teardown_appcontext = app.teardown_appcontext_funcs.append  # type: ignore[method-assign]
                app.shell_context_processor = app.shell_context_processors.append  # type: ignore[method-assign]
                try:
                    register(app)
                finally:
                    del app.teardown_appcontext, app.shell_context_processor
            make_tables(app)
        finally:
            del app.extensions[_CONNECTING]
        app.extensions[_CONNECTED] = True


def standalone_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Return a Flask app holding only the database, for commands that need no catalogue.

    It reads the same settings and instance ``config.py`` as the guide itself, so
    ``guide user add`` writes to the database the web workspace signs in against.
    """
    app = Flask(
        "guide", instance_path=str(settings.instance_folder()), instance_relative_config=True
    )
    app.config.from_mapping(settings.resolve(overrides))
    init_app(app)
    return app


@contextmanager
def database_context(overrides: dict[str, Any] | None = None) -> Iterator[Flask]:
    """Run a command against the guide's database; close its connections when it ends."""
    app = standalone_app(overrides)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()
