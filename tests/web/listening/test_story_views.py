"""A story page's view is counted once on the guide's server: by the server itself when it has
no GUIDE_API_URL, else by the page (a beacon to the address it carries), so the server's page
and a static export's are the same bytes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from browsing import client_as
from bs4 import BeautifulSoup
from builders import PHONE, PUBLIC_API, PUBLIC_BASE, make_app, make_staff_app
from sqlalchemy import select

from guide.listening.models import ScanCount
from guide.listening.scans import counter
from guide.web.addresses import origin_of
from guide.workspace.db import db

WITH_SERVER = {"GUIDE_BASE_URL": PUBLIC_BASE, "GUIDE_API_URL": PUBLIC_API}


def stored(app) -> dict[tuple[str, str, str, str], int]:
    """Flush the counter and return {(code, language, via, event): count} of the database."""
    counter(app).flush()
    with app.app_context():
        rows = db.session.execute(select(ScanCount)).scalars().all()
        return {(r.code, r.language, r.via, r.event): r.count for r in rows}


def views_address(html: bytes) -> str | None:
    """Return the address the story page's article counts its view at, or None."""
    article = BeautifulSoup(html, "html.parser").select_one("article[data-story]")
    assert article is not None
    return article.get("data-views")


def beacon(client, address: str):
    """Send what guide.js sends for ``address``: a POST without a body, from the public page."""
    parts = urlsplit(address)
    return client.post(
        f"{parts.path}?{parts.query}",
        headers={"Origin": PUBLIC_BASE, "User-Agent": PHONE["User-Agent"]},
    )


def test_with_a_server_named_the_page_carries_its_counting_address(tmp_path):
    app = make_app(tmp_path, **WITH_SERVER)
    client = app.test_client()
    for path, language in (("/sites/dinh-chem", "vi"), ("/zh-hans/sites/dinh-chem", "zh_Hans")):
        address = views_address(client.get(path, headers=PHONE).data)
        parts = urlsplit(address)
        assert f"{parts.scheme}://{parts.netloc}" == PUBLIC_API
        assert parts.path == "/api/count/Z2HN"
        assert parse_qs(parts.query) == {"event": ["view"], "lang": [language]}


def test_with_a_server_named_a_view_counts_once_through_the_beacon(tmp_path):
    app = make_app(tmp_path, **WITH_SERVER)
    client = app.test_client()
    page = client.get("/en/sites/dinh-chem", headers=PHONE)
    assert stored(app) == {}  # the page itself is not a count: the page counts itself
    answer = beacon(client, views_address(page.data))
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == PUBLIC_BASE
    assert stored(app) == {("Z2HN", "en", "link", "view"): 1}


def test_the_pages_policy_lets_it_reach_its_counting_address(tmp_path):
    app = make_app(tmp_path, **WITH_SERVER)
    page = app.test_client().get("/en/sites/dinh-chem", headers=PHONE)
    policy = dict(
        part.strip().split(" ", 1) for part in page.headers["Content-Security-Policy"].split(";")
    )
    assert origin_of(views_address(page.data)) in policy["connect-src"].split()


def test_a_tour_variant_counts_its_view_the_same_way(tmp_path):
    app = make_app(tmp_path, **WITH_SERVER)
    client = app.test_client()
    page = client.get("/en/sites/dinh-chem?tour=hoang-thanh-ba-dinh", headers=PHONE)
    beacon(client, views_address(page.data))
    assert stored(app) == {("Z2HN", "en", "link", "view"): 1}


def test_a_bots_beacon_is_not_counted(tmp_path):
    app = make_app(tmp_path, **WITH_SERVER)
    client = app.test_client()
    address = views_address(client.get("/sites/dinh-chem", headers=PHONE).data)
    parts = urlsplit(address)
    client.post(f"{parts.path}?{parts.query}", headers={"User-Agent": "Zalo link preview"})
    assert stored(app) == {}


def test_without_a_server_named_the_server_counts_and_the_page_sends_nothing(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    page = client.get("/en/sites/dinh-chem", headers=PHONE)
    assert views_address(page.data) is None
    assert stored(app) == {("Z2HN", "en", "link", "view"): 1}


def test_a_static_export_without_a_server_carries_no_counting_address(tmp_path):
    app = make_app(tmp_path, GUIDE_STATIC_EXPORT=True, GUIDE_BASE_URL=PUBLIC_BASE)
    page = app.test_client().get("/en/sites/dinh-chem", headers=PHONE)
    assert views_address(page.data) is None


def test_the_staff_preview_of_a_published_page_is_not_counted(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path, **WITH_SERVER)
    client = client_as(app, "admin")
    preview = client.get("/admin/sites/dinh-chem/preview")
    assert preview.status_code == 200
    assert views_address(preview.data) is None
    assert stored(app) == {}
