"""Story pages keep their locators per loaded catalogue: a reload lets the old one go.

Each story page draws a small map of its area. The simplified outlines are kept
between pages, but only as long as the catalogue whose areas they were cut from:
a long-running guide (the server, or `guide build --watch`) reloads after every
edit and must not pile up the outlines of every catalogue it ever loaded.
"""

from __future__ import annotations

import gc
import shutil
import weakref

from bs4 import BeautifulSoup
from builders import DEFAULT_SITES

from guide import create_app
from guide.web.loaded import get_catalogue, reload_catalogue

PAGES = ("/sites/dinh-chem", "/en/sites/dinh-chem", "/sites/chua-tran-quoc")


def locator_paths(client, path: str) -> list[str]:
    """Return the outlines (``d`` attributes) of the page's locator, checking the page is whole."""
    response = client.get(path)
    assert response.status_code == 200, path
    soup = BeautifulSoup(response.data, "html.parser")
    svg = soup.select_one("svg.locator")
    assert svg is not None, path
    return [p["d"] for p in svg.find_all("path")]


def test_reloads_keep_the_locators_right_and_free_the_old_areas(tmp_path):
    root = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, root, ignore=shutil.ignore_patterns(".cache"))
    app = create_app({"TESTING": True, "GUIDE_SITES": str(root)})
    client = app.test_client()
    first = {path: locator_paths(client, path) for path in PAGES}
    assert all(first.values())
    with app.app_context():
        area = get_catalogue().by_slug("dinh-chem").area
        old_outline = weakref.ref(get_catalogue().areas.get(area).geometry)
    story = root / "dinh-chem" / "story.vi.md"
    for round_ in range(3):
        story.write_text(story.read_text(encoding="utf-8") + f"\nLần sửa {round_}.\n", "utf-8")
        reload_catalogue(app)
        # The same areas draw the same locators from the new catalogue's own outlines.
        assert {path: locator_paths(client, path) for path in PAGES} == first
    page = BeautifulSoup(client.get("/sites/dinh-chem").data, "html.parser")
    assert "Lần sửa 2." in page.get_text()
    gc.collect()
    assert old_outline() is None
