"""A staff edit in the workspace reaches every public page, however they keep rendered answers."""

from __future__ import annotations

import json

from browsing import csrf_token, form_fields, sign_in
from bs4 import BeautifulSoup

SLUG = "dinh-chem"  # in area 021, where editor-here may edit
CODE = "Z2HN"
TOUR = "hanh-trinh-dia-chi-do-bac-tu-liem"  # a curated tour whose first stop is Đình Chèm
NEW_NAME = "Đình Chèm Thụy Phương mới"
NEW_STORY = "## Lịch sử\n\nĐình thờ Lý Ông Trọng, viết lại bởi biên tập viên."


def page_of(client, path: str) -> BeautifulSoup:
    """Return the parsed page a visitor gets at ``path``."""
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.data, "html.parser")


def sites_feature(client, code: str = CODE) -> dict | None:
    """Return the GeoJSON feature of the site with ``code``, or None when it is not listed."""
    response = client.get("/api/sites.geojson")
    assert response.status_code == 200
    features = json.loads(response.data)["features"]
    return next((f for f in features if f["properties"].get("code") == code), None)


def what_visitors_see(client) -> dict[str, str]:
    """Return the text of every public place that shows Đình Chèm's name or story."""
    story = page_of(client, f"/sites/{SLUG}")
    search = page_of(client, "/search?q=chem")
    tour = page_of(client, f"/tours/{TOUR}")
    # An explicit choice: the bare root sends a browser that chose English to /en/.
    home = page_of(client, "/?lang=vi")
    feature = sites_feature(client)
    return {
        "story title": story.h1.get_text(strip=True),
        "story text": story.select_one("main").get_text(" ", strip=True),
        "search": search.select_one("main").get_text(" ", strip=True),
        "tour": tour.select_one("main").get_text(" ", strip=True),
        "home": home.select_one("main").get_text(" ", strip=True),
        "map data": json.dumps(feature["properties"], ensure_ascii=False) if feature else "",
    }


def editor(app):
    """Return a test client signed in as an editor of Đình Chèm's area."""
    client = app.test_client()
    assert sign_in(client, "editor-here").status_code == 302
    return client


def test_a_saved_name_and_story_show_on_every_public_page(staff_app):
    visitor = staff_app.test_client()
    before = what_visitors_see(visitor)  # every page rendered and kept once
    assert all(NEW_NAME not in text for text in before.values())

    client = editor(staff_app)
    data = form_fields(client.get(f"/admin/sites/{SLUG}").data)
    data.update({"name_vi": NEW_NAME, "story_vi": NEW_STORY, "action": "save"})
    assert client.post(f"/admin/sites/{SLUG}", data=data).status_code == 302

    after = what_visitors_see(visitor)
    assert after["story title"] == NEW_NAME
    assert "viết lại bởi biên tập viên" in after["story text"]
    for place in ("search", "tour", "home", "map data"):
        assert NEW_NAME in after[place], place


def test_an_archived_site_leaves_the_map_data_but_keeps_its_code(staff_app):
    visitor = staff_app.test_client()
    assert sites_feature(visitor) is not None
    assert visitor.get(f"/S/{CODE}").status_code == 302
    page_of(visitor, f"/en/sites/{SLUG}")

    client = editor(staff_app)
    response = client.post(
        f"/admin/sites/{SLUG}/status", data={"csrf_token": csrf_token(client), "status": "archive"}
    )
    assert response.status_code == 302

    assert sites_feature(visitor) is None
    redirect = visitor.get(f"/S/{CODE}")
    # The staff clients' browsers ask for English first.
    assert redirect.status_code == 302 and redirect.headers["Location"] == f"/en/sites/{SLUG}"
    story = page_of(visitor, f"/en/sites/{SLUG}")
    notice = story.select_one("p.notice")
    assert notice is not None and "archived" in notice.get_text()
    search = page_of(visitor, "/en/search?q=chem")
    assert search.select_one(f'main a[href="/en/sites/{SLUG}"]') is None


def test_a_tour_whose_stop_is_withdrawn_leads_nowhere_from_story_pages(staff_app):
    visitor = staff_app.test_client()
    on_tour = f"/en/sites/{SLUG}?tour={TOUR}"
    step = page_of(visitor, on_tour).select_one("nav.tour-step")
    assert step is not None
    assert step.select_one(".next-stop a")["href"].startswith(
        "/en/sites/nha-luu-niem-van-tien-dung"
    )

    client = editor(staff_app)
    response = client.post(
        "/admin/sites/nha-luu-niem-van-tien-dung/status",
        data={"csrf_token": csrf_token(client), "status": "draft"},
    )
    assert response.status_code == 302
    assert visitor.get("/sites/nha-luu-niem-van-tien-dung").status_code == 404
    assert visitor.get(f"/tours/{TOUR}").status_code == 404

    page = page_of(visitor, on_tour)
    # No "stop 1 of 4" box pointing at a tour page and a next stop that are gone.
    assert page.select_one("nav.tour-step") is None
    for link in page.select("main a[href]"):
        href = link["href"]
        if href.startswith("/") and not href.startswith("//"):
            assert visitor.get(href).status_code in (200, 302), href
