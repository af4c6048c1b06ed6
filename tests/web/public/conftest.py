"""Fixtures of the tests in tests/web/public/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import LiveServer
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, edit_site
from story_data import PHOTO_MEDIA, build, make_photo

from guide import create_app
from guide.catalogue.index import Catalogue, load_catalogue
from guide.catalogue.model import Site


@pytest.fixture
def photo_app(tmp_path: Path):
    """Return the guide on a copy of the shipped catalogue, with two test photos on Đình Chèm."""
    root = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, root)
    edit_site(root / "dinh-chem", media=PHOTO_MEDIA)
    make_photo(root / "dinh-chem" / "photos" / "test-1.jpg")
    make_photo(root / "dinh-chem" / "photos" / "test-2.jpg")
    return create_app(
        {"TESTING": True, "GUIDE_SITES": str(root), "GUIDE_PHOTO_CACHE": str(tmp_path / "cache")}
    )


@pytest.fixture
def unsafe_server(tmp_path: Path, empty_catalogue: Path):
    photo_app = create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(build(empty_catalogue)),
            "GUIDE_PHOTO_CACHE": str(tmp_path / "cache"),
        }
    )
    server = LiveServer(photo_app).start()
    yield server
    server.stop()


@pytest.fixture
def photo_server(photo_app) -> Iterator[LiveServer]:
    """Serve the catalogue copy with test photos on loopback for the length of a test."""
    server = LiveServer(photo_app).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(DEFAULT_SITES)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Return a function giving the parsed story page of a site in a language."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("GUIDE_INSTANCE", str(tmp_path_factory.mktemp("instance")))
    client = create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES)}).test_client()

    def page(site: Site, language: str) -> BeautifulSoup:
        # Other languages than Vietnamese live under their own path (/en/sites/...).
        response = client.get(f"/sites/{site.slug}?lang={language}", follow_redirects=True)
        assert response.status_code == 200, (site.slug, language)
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    yield page
    monkeypatch.undo()


@pytest.fixture
def story_root(empty_catalogue: Path) -> Path:
    return build(empty_catalogue)


@pytest.fixture
def story_app(story_root: Path, tmp_path: Path):
    return create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(story_root),
            "GUIDE_PHOTO_CACHE": str(tmp_path / "photo-cache"),
            "GUIDE_BASE_URL": "https://ditich.example.vn",
        }
    )


@pytest.fixture
def story_client(story_app):
    return story_app.test_client()
