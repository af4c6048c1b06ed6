"""Staff accounts from the command line: guide user add / list / remove."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from browsing import sign_in
from builders import DEFAULT_SITES
from sqlalchemy import select

from guide import PROJECT_ROOT, create_app
from guide.cli import main
from guide.workspace.db import AuditEntry, User, db, standalone_app


def guide(runner, *args, stdin: str | None = None):
    return runner.invoke(main, list(args), input=stdin, catch_exceptions=False)


def test_add_list_and_remove_accounts(runner, database):
    added = guide(
        runner, "user", "add", "Lan", "--role", "editor", "--area", "021",
        "--area", "Quận Hoàn Kiếm", "--sites", str(DEFAULT_SITES), "--password-stdin",
        stdin="a long enough password\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "added lan (editor: Quận Bắc Từ Liêm (021), Quận Hoàn Kiếm (002))" in added.output
    guide(runner, "user", "add", "minh", "--role", "viewer", "--sites", str(DEFAULT_SITES),
          "--password-stdin", stdin="another long password\n")  # fmt: skip
    listed = guide(runner, "user", "list", "--sites", str(DEFAULT_SITES))
    assert listed.stdout.splitlines() == [
        "lan\teditor\tQuận Bắc Từ Liêm, Quận Hoàn Kiếm",
        "minh\tviewer\t",
    ]
    removed = guide(runner, "user", "remove", "minh")
    assert removed.exit_code == 0
    assert guide(runner, "user", "list").stdout.splitlines()[0].startswith("lan\t")
    assert len(guide(runner, "user", "list").stdout.splitlines()) == 1
    with standalone_app().app_context():
        actions = [(e.action, e.target) for e in db.session.scalars(select(AuditEntry))]
    assert ("user.add", "lan") in actions and ("user.remove", "minh") in actions


def test_the_password_is_asked_twice_and_stored_as_scrypt(runner, database):
    result = guide(
        runner, "user", "add", "an", "--role", "admin", "--sites", str(DEFAULT_SITES),
        stdin="first secret words\nfirst secret words\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with standalone_app().app_context():
        user = db.session.scalar(select(User).where(User.name == "an"))
        assert user.password_hash.startswith("scrypt:")
        assert "first secret words" not in user.password_hash


def test_the_web_signs_in_against_the_same_database(runner, database, staff_sites, tmp_path):
    guide(runner, "user", "add", "an", "--role", "admin", "--sites", str(DEFAULT_SITES),
          "--password-stdin", stdin="first secret words\n")  # fmt: skip
    app = create_app(
        {"TESTING": True, "GUIDE_SITES": str(staff_sites), "GUIDE_DATABASE_URL": database}
    )
    client = app.test_client()
    assert sign_in(client, "an", "first secret words").status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["Bad Name!", "--role", "admin"], "long enough pass\n", "lower-case letters"),
        (["lan", "--role", "editor"], "long enough pass\n", "needs at least one --area"),
        (["lan", "--role", "editor", "--area", "Atlantis"], "long enough pass\n", "not an area"),
        (["lan", "--role", "admin"], "short\n", "too short"),
    ],
)
def test_bad_account_input_is_explained(runner, database, args, stdin, words):
    result = runner.invoke(
        main, ["user", "add", *args, "--sites", str(DEFAULT_SITES), "--password-stdin"], input=stdin
    )
    assert result.exit_code != 0
    assert words in result.output


def test_an_account_cannot_be_added_twice_or_removed_when_missing(runner, database):
    for _attempt in range(2):
        result = runner.invoke(
            main,
            ["user", "add", "lan", "--role", "viewer", "--sites", str(DEFAULT_SITES),
             "--password-stdin"],
            input="long enough pass\n",
        )  # fmt: skip
    assert result.exit_code == 1 and "exists already" in result.output
    missing = runner.invoke(main, ["user", "remove", "nobody"])
    assert missing.exit_code == 1 and "no account named 'nobody'" in missing.output


def test_the_database_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    from flask import Flask

    from guide.workspace.db import database_url

    app = Flask("guide", instance_path=str(tmp_path / "instance"))
    app.config["GUIDE_DATABASE_URL"] = ""
    assert database_url(app) == f"sqlite:///{tmp_path / 'instance' / 'guide.sqlite3'}"
    assert (tmp_path / "instance").is_dir()
    app.config["GUIDE_DATABASE_URL"] = "postgresql+psycopg://guide@db.example/guide"
    assert database_url(app) == "postgresql+psycopg://guide@db.example/guide"


def test_a_first_command_on_a_new_instance_makes_every_table(tmp_path):
    # A fresh process, as a person runs it: nothing else has imported the listening tables.
    env = {
        **os.environ,
        "GUIDE_INSTANCE": str(tmp_path / "instance"),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    env.pop("GUIDE_DATABASE_URL", None)
    command = [sys.executable, "-c", "from guide.cli import main; main()", "user"]
    added = subprocess.run(
        [*command, "add", "lan", "--role", "admin", "--password-stdin"],
        input="a long enough password\n", capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "added lan" in added.stderr
    listed = subprocess.run(
        [*command, "list"], capture_output=True, text=True, env=env, timeout=120
    )
    assert listed.stdout.splitlines()[0].split("\t")[:2] == ["lan", "admin"]
    database = sqlite3.connect(tmp_path / "instance" / "guide.sqlite3")
    tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master")}
    database.close()
    assert {"users", "plaques", "scan_counts", "feedback"} <= tables
