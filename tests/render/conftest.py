"""Fixtures of the tests in tests/render/."""

from __future__ import annotations

import shutil

import pytest
from builders import DEFAULT_SITES, OTHER, generated, inscribed, site_facts, write_site

from guide import create_app
from guide.catalogue.index import load_catalogue


@pytest.fixture(scope="module")
def font_app(tmp_path_factory):
    """Return the guide on a catalogue of one inscribed published site and one draft."""
    folder = tmp_path_factory.mktemp("han-nom")
    root = folder / "sites"
    root.mkdir()
    for name in ("catalogue.toml", "areas.geojson"):
        shutil.copyfile(DEFAULT_SITES / name, root / name)
    write_site(root, inscribed())
    draft = site_facts(
        code="7K2R",
        slug="den-nhap",
        status="draft",
        name={"vi": "Đền nháp"},
        lat=None,
        lon=None,
        area=None,
        inscriptions=[{"kind": "stele", "original": OTHER, "sources": [1]}],
    )
    write_site(root, draft)
    return create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(root),
            "GUIDE_FONT_CACHE": str(folder / "fonts"),
        }
    )


@pytest.fixture(scope="module")
def areas():
    return load_catalogue(DEFAULT_SITES).areas


@pytest.fixture
def own_register(monkeypatch, tmp_path):
    """Keep the machine's plaque register and settings out of these tests."""
    monkeypatch.setenv("GUIDE_INSTANCE", str(tmp_path / "instance"))
    for name in ("GUIDE_DATABASE_URL", "GUIDE_BASE_URL", "GUIDE_SIGN_LOGO", "GUIDE_SIGN_PROGRAMME"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def many(make_catalogue):
    """Return the published sites of a catalogue of 90 generated sites, in the catalogue's order."""
    sites = load_catalogue(make_catalogue(*generated(90))).published()
    assert len(sites) == 90
    return sites


@pytest.fixture
def chem(app):
    """Return Đình Chèm from the shipped catalogue."""
    return app.extensions["guide.catalogue"].by_slug("dinh-chem")
