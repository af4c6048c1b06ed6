"""Accounts, sign-in, revisions and the audit log on a real PostgreSQL server.

The server is named by ``GUIDE_TEST_POSTGRES_URL`` (``.ci/postgres`` starts one
and sets it). Each test gets a schema of its own in that database, dropped at
the end. Without the variable these tests are skipped, and they fail instead
when ``GUIDE_REQUIRE_POSTGRES`` is set, as in CI.
"""

from __future__ import annotations

import io
import tomllib

import pytest
from browsing import csrf_token, form_fields, sign_in
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES
from PIL import Image
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from guide.cli import main
from guide.workspace.db import DatabaseSettingError, Revision, db, normalize_url, standalone_app

SLUG = "dinh-chem"


def soup(response) -> BeautifulSoup:
    """Parse a response's HTML."""
    return BeautifulSoup(response.data, "html.parser")


def client_as(app, role: str):
    """Return a client signed in as ``role``."""
    client = app.test_client()
    assert sign_in(client, role).status_code == 302
    return client


# --- Accounts ---------------------------------------------------------------------------


def test_the_database_is_postgresql_in_its_own_schema(postgres, staff_sites, tmp_path):
    app = postgres.staff_app(staff_sites, tmp_path)
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        assert db.engine.dialect.driver == "psycopg"
        assert db.session.execute(text("SELECT current_schema()")).scalar() == postgres.schema
    tables = {row[0] for row in postgres.rows(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    )}  # fmt: skip
    assert {"users", "audit_log", "revisions"} <= tables


def test_accounts_from_the_command_line(postgres, runner):
    def guide(*args: str, stdin: str | None = None):
        result = runner.invoke(main, list(args), input=stdin, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    guide("user", "add", "Lan", "--role", "editor", "--area", "021", "--sites",
          str(DEFAULT_SITES), "--password-stdin", stdin="a long enough password\n")  # fmt: skip
    guide("user", "add", "minh", "--role", "viewer", "--sites", str(DEFAULT_SITES),
          "--password-stdin", stdin="another long password\n")  # fmt: skip
    listed = guide("user", "list", "--sites", str(DEFAULT_SITES)).stdout.splitlines()
    assert listed == ["lan\teditor\tQuận Bắc Từ Liêm", "minh\tviewer\t"]
    stored = postgres.rows("SELECT name, role, area_ids, password_hash FROM users ORDER BY name")
    assert [row[:3] for row in stored] == [("lan", "editor", "021"), ("minh", "viewer", "")]
    assert all(row[3].startswith("scrypt:") for row in stored)
    guide("user", "remove", "minh")
    assert postgres.rows("SELECT name FROM users") == [("lan",)]
    assert ("user.remove", "minh") in postgres.rows("SELECT action, target FROM audit_log")
    # The account signs in to the workspace served from the same database.
    from guide import create_app

    app = create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES)})
    postgres.apps.append(app)
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert sign_in(app.test_client(), "lan", "a long enough password").status_code == 302


def test_sessions_end_on_sign_out_and_old_databases_get_the_session_key(
    postgres, staff_sites, tmp_path
):
    # A database made by a guide from before session keys: no column, a login_failures table.
    with postgres.engine.begin() as connection:
        connection.execute(text(f'SET search_path TO "{postgres.schema}"'))
        connection.execute(
            text(
                "CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(64) UNIQUE, "
                "password_hash VARCHAR(255), role VARCHAR(16), area_ids TEXT, "
                "created_at TIMESTAMP)"
            )
        )
        connection.execute(text("CREATE TABLE login_failures (id SERIAL, address VARCHAR(64))"))
    app = postgres.staff_app(staff_sites, tmp_path)
    columns = {row[0] for row in postgres.rows(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'users'"
    )}  # fmt: skip
    assert "session_key" in columns
    tables = {row[0] for row in postgres.rows(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    )}  # fmt: skip
    assert "login_failures" not in tables
    assert sign_in(app.test_client(), "admin", "wrong password!").status_code == 401
    admin = client_as(app, "admin")
    stolen = app.test_client()
    for cookie in admin._cookies.values():
        stolen.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    assert stolen.get("/admin/").status_code == 200
    # The audit log, read in the workspace, comes from PostgreSQL; it holds no address.
    rows = soup(admin.get("/admin/audit")).select("table.audit tbody tr")
    entries = [[td.text for td in row.select("td")[1:3]] for row in rows]
    assert ["admin", "login.failed"] in entries and ["admin", "login"] in entries
    assert "127.0.0.1" not in soup(admin.get("/admin/audit")).text
    admin.post("/admin/logout", data={"csrf_token": csrf_token(admin)})
    assert stolen.get("/admin/").status_code == 302


# --- Revisions --------------------------------------------------------------------------


def test_saves_conflicts_history_and_restore(postgres, staff_sites, tmp_path):
    app = postgres.staff_app(staff_sites, tmp_path)
    first, second = client_as(app, "admin"), client_as(app, "editor-here")
    first_form = form_fields(first.get(f"/admin/sites/{SLUG}").data)
    second_form = form_fields(second.get(f"/admin/sites/{SLUG}").data)
    first_form.update({"rank": "national", "action": "save"})
    assert first.post(f"/admin/sites/{SLUG}", data=first_form).status_code == 302
    second_form.update({"story_en": "My own English narrative.", "action": "save"})
    assert second.post(f"/admin/sites/{SLUG}", data=second_form).status_code == 409
    stored = postgres.rows(
        f"SELECT number, user_name, summary FROM revisions WHERE slug = '{SLUG}' ORDER BY number"
    )
    assert [row[:2] for row in stored] == [(1, "(files)"), (2, "admin")]
    assert "rank" in stored[1][2]
    history = soup(first.get(f"/admin/sites/{SLUG}/history")).select("table.history tbody tr")
    assert [row.select("td")[2].text for row in history] == ["admin", "(files)"]
    diff = soup(first.get(f"/admin/sites/{SLUG}/history/2"))
    assert '+rank = "national"' in [s.text for s in diff.select("span.add")]
    restored = first.post(
        f"/admin/sites/{SLUG}/history/1/restore", data={"csrf_token": csrf_token(first)}
    )
    assert restored.status_code == 302
    facts = tomllib.loads((staff_sites / SLUG / "site.toml").read_text(encoding="utf-8"))
    assert facts["rank"] == "special-national"
    assert postgres.rows(
        "SELECT r.number, o.number FROM revisions r JOIN revisions o ON r.restored_from = o.id"
    ) == [(3, 1)]
    assert ("site.conflict", SLUG) in postgres.rows("SELECT action, target FROM audit_log")


def test_media_changes_and_restores_are_revisions_in_postgresql(postgres, staff_sites, tmp_path):
    app = postgres.staff_app(staff_sites, tmp_path)
    client = client_as(app, "editor-here")
    image = io.BytesIO()
    Image.new("RGB", (320, 240), (160, 30, 30)).save(image, "PNG")
    upload = client.post(
        f"/admin/sites/{SLUG}/media",
        data={
            "media-csrf_token": csrf_token(client),
            "media-file": (io.BytesIO(image.getvalue()), "cong.png"),
            "media-kind": "photo",
            "media-caption_vi": "Cổng đình",
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    form = form_fields(client.get(f"/admin/sites/{SLUG}").data, "form#media-list")
    file = form["item-0-file"]
    form["action"] = "remove-0"
    assert client.post(f"/admin/sites/{SLUG}/media/list", data=form).status_code == 302
    summaries = [row[0] for row in postgres.rows("SELECT summary FROM revisions ORDER BY number")]
    assert summaries[-2:] == [f"photo {file} added", f"{file} removed from the site (file kept)"]
    client.post(f"/admin/sites/{SLUG}/history/2/restore", data={"csrf_token": csrf_token(client)})
    facts = tomllib.loads((staff_sites / SLUG / "site.toml").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in facts["media"]] == [file]
    assert facts["media"][0]["caption"] == {"vi": "Cổng đình"}


def test_a_revision_number_is_never_stored_twice(postgres, staff_sites, tmp_path):
    app = postgres.staff_app(staff_sites, tmp_path)
    with app.app_context():
        for _copy in range(2):
            db.session.add(
                Revision(slug=SLUG, number=1, user_name="x", digest="0", files_json="{}")
            )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


# --- The setting itself (no server needed) ----------------------------------------------


def test_a_plain_postgresql_url_uses_psycopg():
    assert normalize_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert normalize_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"


def test_a_bad_database_url_is_explained(monkeypatch):
    monkeypatch.setenv("GUIDE_DATABASE_URL", "not a url at all")
    with pytest.raises(DatabaseSettingError, match=r"GUIDE_DATABASE_URL: .*postgresql://USER"):
        standalone_app()


def test_a_missing_driver_is_explained(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    monkeypatch.setenv("GUIDE_DATABASE_URL", "postgresql://guide@localhost/guide")
    missing = r"pip install 'red-addresses-guide\[postgres\]'"
    with pytest.raises(DatabaseSettingError, match=missing):
        standalone_app()
