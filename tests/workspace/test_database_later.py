"""The database comes up with its first use: nothing lost or refused before it does."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from browsing import sign_in
from builders import DEFAULT_SITES, STAFF_PASSWORD
from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError

from guide import create_app
from guide.listening.models import ScanCount
from guide.listening.scans import counter
from guide.workspace.accounts import add_user
from guide.workspace.db import User, database_context, db


def tables_in(path) -> set[str]:
    if not path.exists():
        return set()
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}


def fresh_app(path):
    return create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(DEFAULT_SITES),
            "GUIDE_DATABASE_URL": f"sqlite:///{path}",
        }
    )


def test_the_tables_are_made_by_the_first_request_that_needs_them(tmp_path):
    path = tmp_path / "guide.sqlite3"
    app = fresh_app(path)
    client = app.test_client()
    page = {"Accept": "text/html"}
    assert client.get("/sites/dinh-chem", headers=page).status_code == 200
    assert "scan_counts" not in tables_in(path)  # a story page needs no database
    assert client.get("/S/Z2HN/Q", headers=page).status_code in (301, 302, 303)
    assert counter(app).flush() == 2  # the view and the plaque's arrival, both kept
    assert {"users", "scan_counts", "feedback", "plaques", "audit_log"} <= tables_in(path)
    with app.app_context():
        assert db.session.scalar(select(func.sum(ScanCount.count))) == 2


def test_a_sign_in_as_the_first_request_of_a_started_guide_works(tmp_path, monkeypatch):
    path = tmp_path / "guide.sqlite3"
    monkeypatch.setenv("GUIDE_DATABASE_URL", f"sqlite:///{path}")
    with database_context():  # as `guide user add` does
        add_user("first-one", STAFF_PASSWORD, "admin")
    client = fresh_app(path).test_client()
    assert sign_in(client, "first-one").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_requests_arriving_together_all_wait_for_the_same_tables(tmp_path):
    app = fresh_app(tmp_path / "guide.sqlite3")
    start = threading.Barrier(8)
    answers: list[object] = []

    def first_use() -> None:
        with app.app_context():
            start.wait()
            try:
                answers.append(db.session.scalar(select(func.count()).select_from(User)))
            except Exception as error:
                answers.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == [0] * 8


def test_a_database_that_cannot_be_used_at_first_is_tried_again(tmp_path):
    path = tmp_path / "guide.sqlite3"
    path.write_bytes(b"not a database, " * 512)  # as a database that is not there yet
    app = fresh_app(path)

    def accounts() -> int:
        with app.app_context():
            try:
                return db.session.scalar(select(func.count()).select_from(User))
            finally:
                db.session.remove()

    with pytest.raises(DatabaseError):
        accounts()
    path.write_bytes(b"")  # the database is back
    assert accounts() == 0
    assert "users" in tables_in(path)
