"""Nothing a visitor does leaves their network address or browser string in the guide's keeping."""

from __future__ import annotations

import logging

from builders import DEFAULT_SITES
from sqlalchemy import inspect, text

from guide import create_app
from guide.listening.scans import counter
from guide.workspace.db import db

ADDRESS = "203.0.113.7"
BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Secret-Device-77) Chrome/126.0 Mobile"


def everything_stored(app) -> str:
    """Return every row of every table of the database as one text."""
    lines = []
    with app.app_context():
        engine = db.engine
        with engine.connect() as connection:
            for table in inspect(engine).get_table_names():
                for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                    lines.append(f"{table}: {tuple(row)!r}")
    return "\n".join(lines)


def test_scans_store_no_address_no_user_agent_and_set_no_cookie(tmp_path, caplog):
    app = create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(DEFAULT_SITES),
            "GUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'guide.sqlite3'}",
        }
    )
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ADDRESS
    headers = {"User-Agent": BROWSER, "Accept": "text/html,*/*;q=0.8", "Accept-Language": "vi"}
    with caplog.at_level(logging.DEBUG):
        for path in ("/S/Z2HN/Q", "/s/z2hn", "/S/ZZZZ/Q", "/S/Z2HN/X"):
            response = client.get(path, headers=headers)
            assert "Set-Cookie" not in response.headers, path
        story = client.get("/sites/dinh-chem", headers=headers)
        assert story.status_code == 200
        assert "Set-Cookie" not in story.headers
        assert counter(app).flush() == 3  # two arrivals and one story page view
    stored = everything_stored(app)
    assert "scan_counts: " in stored  # the scans were stored, as counts
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.__dict__!r}" for record in caplog.records
    )
    for secret in (ADDRESS, BROWSER, "Secret-Device-77"):
        assert secret not in stored
        assert secret not in logged
    db_file = (tmp_path / "guide.sqlite3").read_bytes()
    assert ADDRESS.encode() not in db_file and b"Secret-Device-77" not in db_file
