"""A restarted server reuses the templates it compiled: same pages, no compiling again."""

from __future__ import annotations

import re

from builders import DEFAULT_SITES

from guide import create_app

NONCE = re.compile(r' nonce="[^"]*"')


def story(app) -> str:
    response = app.test_client().get("/sites/dinh-chem")
    assert response.status_code == 200
    return NONCE.sub("", response.get_data(as_text=True))


def compiled(instance) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in (instance / "template-cache").iterdir()}


def test_a_second_start_serves_the_same_page_from_the_compiled_templates(instance):
    first = story(create_app())
    kept = compiled(instance)
    assert kept, "the first start keeps what it compiled"
    assert (instance / "template-cache").stat().st_mode & 0o077 == 0  # the owner's only
    assert story(create_app()) == first
    # Nothing compiled again: the second start found every template it used, unchanged.
    assert compiled(instance) == kept


def test_tests_and_exports_leave_no_compiled_templates(instance):
    story(create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES)}))
    assert not (instance / "template-cache").exists()
