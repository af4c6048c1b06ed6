"""A restarted server, or a new build, reuses the templates compiled before: no compiling again."""

from __future__ import annotations

import os
import re

import pytest
from builders import DEFAULT_SITES
from jinja2 import FileSystemLoader

from guide import create_app
from guide.export.inputs import export_settings
from guide.web.template_cache import init_build_cache

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


def test_tests_leave_no_compiled_templates(instance):
    story(create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES)}))
    assert not (instance / "template-cache").exists()


def export_app(templates, key: str):
    """Return a build's app (as a new process makes it) reading templates from ``templates``."""
    app = create_app(export_settings(DEFAULT_SITES))
    init_build_cache(app, key)
    app.jinja_env.loader = FileSystemLoader(str(templates))
    return app


def rendered(app) -> str:
    with app.app_context():
        return app.jinja_env.get_template("page.html").render()


def test_a_build_compiles_a_changed_template_again(instance, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ 'một' }}</p>", encoding="utf-8")
    assert rendered(export_app(templates, "a" * 16)) == "<p>một</p>"
    kept = compiled(instance)
    assert len(kept) == 1 and next(iter(kept)).startswith("build-aaaa")
    assert rendered(export_app(templates, "a" * 16)) == "<p>một</p>"
    assert compiled(instance) == kept  # loaded, not compiled
    (templates / "page.html").write_text("<p>{{ 'hai' }}</p>", encoding="utf-8")
    assert rendered(export_app(templates, "a" * 16)) == "<p>hai</p>"
    assert compiled(instance).keys() == kept.keys() and compiled(instance) != kept
    # Other code or settings: compiled anew, and the other key's entries removed.
    assert rendered(export_app(templates, "b" * 16)) == "<p>hai</p>"
    assert [name[:10] for name in compiled(instance)] == ["build-bbbb"]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_not_used(instance, tmp_path):
    folder = instance / "template-cache"
    folder.mkdir(mode=0o700, parents=True)
    os.chown(folder, 65534, 65534)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<p>ba</p>", encoding="utf-8")
    app = export_app(templates, "c" * 16)
    assert app.jinja_env.bytecode_cache is None
    assert rendered(app) == "<p>ba</p>"
    assert list(folder.iterdir()) == []
