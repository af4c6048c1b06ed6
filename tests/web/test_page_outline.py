"""Every page a visitor or member of staff can open has one main heading and says its language."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

TOUR = "hanh-trinh-dia-chi-do-bac-tu-liem"
STOPS = "stops=Z2HN&stops=GKQH&stops=T7BR"
PAGES = [
    "/",
    "/search",
    "/search?q=chem",
    "/search?q=khong-co-dia-chi-nao",
    "/sites/dinh-chem",
    "/passport",
    "/map",
    "/map?embed=1",
    "/map?site=Z2HN",
    "/tours",
    "/tours/plan",
    f"/tours/plan?{STOPS}",
    f"/tours/plan/print?{STOPS}",
    f"/tours/{TOUR}",
    "/offline",
    "/admin/login",
]
MISSING = ["/sites/khong-co", "/tours/khong-co", "/map?site=XXXX"]


def outline(response) -> tuple[str | None, int]:
    """Return the page's <html lang> and its number of <h1> elements."""
    page = BeautifulSoup(response.data, "html.parser")
    return page.html.get("lang"), len(page.find_all("h1"))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES + MISSING)
def test_one_main_heading_and_the_asked_language(client, path, language):
    if path.startswith("/admin"):
        # Staff pages keep ?lang=; public pages carry their language in the path.
        joined = "&" if "?" in path else "?"
        address = f"{path}{joined}lang={language}"
    else:
        address = path if language == "vi" else f"/{language}{path}"
    response = client.get(address)
    assert response.status_code == (404 if path in MISSING else 200)
    assert response.mimetype == "text/html"
    assert outline(response) == (language, 1)


STAFF_PAGES = [
    "/admin/",
    "/admin/sites/new",
    "/admin/sites/dinh-chem",
    "/admin/sites/dinh-chem/preview",
    "/admin/sites/dinh-chem/history",
    "/admin/import",
    "/admin/audit",
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_have_one_main_heading_and_the_asked_language(admin_client, path, language):
    joined = "&" if "?" in path else "?"
    response = admin_client.get(f"{path}{joined}lang={language}")
    assert response.status_code == 200
    assert outline(response) == (language, 1)
