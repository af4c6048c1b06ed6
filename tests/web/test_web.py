"""The application as a whole: loading the catalogue when it starts."""

from __future__ import annotations

import logging

from builders import site_facts

from guide import create_app


def test_a_broken_site_is_logged_and_skipped_while_the_others_are_served(make_catalogue, caplog):
    root = make_catalogue(site_facts())
    broken = root / "hong"
    broken.mkdir()
    (broken / "site.toml").write_text('slug = "hong"\nlat = "north"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        app = create_app({"TESTING": True, "GUIDE_SITES": str(root)})
    assert any("hong/site.toml" in record.getMessage() for record in caplog.records)
    client = app.test_client()
    assert client.get("/sites/dinh-chem").status_code == 200
    assert client.get("/sites/hong").status_code == 404
    assert client.get("/S/7k2q").location.endswith("/sites/dinh-chem")
