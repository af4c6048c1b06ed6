"""Sessions end for real: signing out, a new password or a removed account stop a copied cookie."""

from __future__ import annotations

import tomllib

from browsing import form_fields, sign_in
from bs4 import BeautifulSoup
from builders import make_staff_app
from sqlalchemy import create_engine, inspect, text

from guide.cli import main
from guide.workspace.db import User, db

SLUG = "dinh-chem"


def copy_of(sessions_app, client):
    """Return a second client holding the same cookies, as a stolen or replayed cookie jar."""
    other = sessions_app.test_client()
    for cookie in client._cookies.values():
        other.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return other


def signed_in_with_form(sessions_app, name: str):
    """Return a signed-in client, a copy of its cookies and the edit form that copy sees."""
    client = sessions_app.test_client()
    assert sign_in(client, name).status_code == 302
    stolen = copy_of(sessions_app, client)
    page = stolen.get(f"/admin/sites/{SLUG}")
    assert page.status_code == 200
    return client, stolen, form_fields(page.data)


def assert_replay_refused(stolen, form: dict, sites) -> None:
    """Check the copied cookie neither opens the workspace nor saves an edit."""
    before = (sites / SLUG / "site.toml").read_bytes()
    opened = stolen.get("/admin/")
    assert opened.status_code == 302
    assert opened.headers["Location"].startswith("/admin/login")
    form.update({"name_en": "Replayed edit", "action": "save"})
    saved = stolen.post(f"/admin/sites/{SLUG}", data=form)
    assert saved.status_code in (302, 401)
    assert (sites / SLUG / "site.toml").read_bytes() == before
    facts = tomllib.loads(before.decode())
    assert facts["name"]["en"] != "Replayed edit"


def test_a_cookie_replayed_after_signing_out_opens_nothing(sessions_app, staff_sites):
    client, stolen, form = signed_in_with_form(sessions_app, "admin")
    token = BeautifulSoup(client.get("/admin/").data, "html.parser").find(
        "meta", {"name": "csrf-token"}
    )["content"]
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert_replay_refused(stolen, form, staff_sites)
    # Signing in again works, with a new session that the old cookie does not share.
    assert sign_in(client, "admin").status_code == 302
    assert client.get("/admin/").status_code == 200
    assert stolen.get("/admin/").status_code == 302


def test_a_new_password_from_the_command_line_ends_every_session(sessions_app, staff_sites, runner):
    _client, stolen, form = signed_in_with_form(sessions_app, "editor-here")
    result = runner.invoke(
        main, ["user", "password", "editor-here", "--password-stdin"], input="a new long secret\n"
    )
    assert result.exit_code == 0, result.output
    assert "sessions are ended" in result.output
    assert_replay_refused(stolen, form, staff_sites)
    assert sign_in(sessions_app.test_client(), "editor-here").status_code == 401
    assert (
        sign_in(sessions_app.test_client(), "editor-here", "a new long secret").status_code == 302
    )


def test_a_new_password_must_be_long_enough_and_the_account_must_exist(sessions_app, runner):
    short = runner.invoke(main, ["user", "password", "admin", "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "too short" in short.output
    missing = runner.invoke(
        main, ["user", "password", "nobody", "--password-stdin"], input="long enough pass\n"
    )
    assert missing.exit_code == 1 and "no account named 'nobody'" in missing.output


def test_removing_the_account_from_the_command_line_ends_its_sessions(
    sessions_app, staff_sites, runner
):
    _client, stolen, form = signed_in_with_form(sessions_app, "editor-here")
    assert runner.invoke(main, ["user", "remove", "editor-here"]).exit_code == 0
    assert_replay_refused(stolen, form, staff_sites)


def test_a_database_from_before_session_keys_gets_the_column(staff_sites, tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(64) UNIQUE, "
                "password_hash VARCHAR(255), role VARCHAR(16), area_ids TEXT, created_at DATETIME)"
            )
        )
        connection.execute(
            text("CREATE TABLE login_failures (id INTEGER PRIMARY KEY, address VARCHAR(64))")
        )
        connection.execute(text("INSERT INTO login_failures (address) VALUES ('203.0.113.7')"))
    engine.dispose()
    sessions_app = make_staff_app(staff_sites, tmp_path, GUIDE_DATABASE_URL=f"sqlite:///{path}")
    with sessions_app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
        assert "session_key" in columns
        assert "login_failures" not in inspect(db.engine).get_table_names()
        # Accounts made before the column have no key until they sign in.
        db.session.execute(text("UPDATE users SET session_key = ''"))
        db.session.commit()
    client = sessions_app.test_client()
    assert sign_in(client, "admin").status_code == 302
    assert client.get("/admin/").status_code == 200
    with sessions_app.app_context():
        assert len(db.session.query(User).filter_by(name="admin").one().session_key) == 32
