"""Arrivals through plaque codes are counted per code, day, language and way, tracking nobody."""

from __future__ import annotations

import http.client
import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from browsing import LiveServer
from builders import PHONE, make_app
from sqlalchemy import inspect, select, text

from guide.listening.models import ScanCount
from guide.listening.scans import counter
from guide.render import qr
from guide.workspace.db import db


def codes_of(app, count: int) -> list[str]:
    """Return the codes of ``count`` public sites of the app's catalogue."""
    catalogue = app.extensions["guide.catalogue"]
    return [site.code for site in catalogue.sites if site.is_public][:count]


def stored(app) -> dict[tuple[str, str, str, str], int]:
    """Flush the counter and return {(code, language, via, event): count} for today."""
    counter(app).flush()
    with app.app_context():
        rows = db.session.execute(select(ScanCount)).scalars().all()
        today = counter(app).today()
        assert all(row.day == today for row in rows)
        return {(r.code, r.language, r.via, r.event): r.count for r in rows}


def test_the_plaque_address_counts_as_a_plaque_scan_in_any_letter_case(scan_app):
    client = scan_app.test_client()
    for path in ("/S/Z2HN/Q", "/s/z2hn/q", "/S/z2hn/Q"):
        response = client.get(path, headers=PHONE)
        assert response.status_code == 302
        assert response.headers["Location"] == "/sites/dinh-chem"
    assert stored(scan_app) == {("Z2HN", "vi", "plaque", "arrival"): 3}


def test_a_typed_link_counts_as_a_link_in_the_language_the_visitor_is_sent_to(scan_app):
    client = scan_app.test_client()
    client.get("/S/Z2HN", headers=PHONE)
    client.get("/s/z2hn", headers={**PHONE, "Accept-Language": "en-GB,en;q=0.9"})
    client.get("/S/Z2HN?lang=en", headers=PHONE)
    assert stored(scan_app) == {
        ("Z2HN", "vi", "link", "arrival"): 1,
        ("Z2HN", "en", "link", "arrival"): 2,
    }


def test_the_plaque_url_is_the_site_url_with_the_marker_and_stays_alphanumeric():
    url = qr.plaque_url("https://ditich.example.vn", "z2hn")
    assert url == "HTTPS://DITICH.EXAMPLE.VN/S/Z2HN/Q"
    code = qr.make_code(url)
    assert code.is_alphanumeric and code.version == 3


def test_another_last_segment_or_an_unknown_code_is_not_found_and_not_counted(scan_app):
    client = scan_app.test_client()
    assert client.get("/S/Z2HN/X", headers=PHONE).status_code == 404
    assert client.get("/S/ZZZZ/Q", headers=PHONE).status_code == 404
    assert stored(scan_app) == {}


@pytest.mark.parametrize(
    "method, headers",
    [
        ("HEAD", PHONE),
        ("GET", {**PHONE, "Accept": "*/*"}),
        ("GET", {**PHONE, "User-Agent": "facebookexternalhit/1.1"}),
        ("GET", {**PHONE, "User-Agent": "Zalo link preview"}),
        ("GET", {**PHONE, "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"}),
        ("GET", {**PHONE, "User-Agent": "curl/8.5.0"}),
        ("GET", {**PHONE, "Sec-Purpose": "prefetch"}),
        ("GET", {**PHONE, "Sec-Purpose": "prefetch;prerender"}),
        ("GET", {**PHONE, "Purpose": "prefetch"}),
        ("GET", {**PHONE, "X-Moz": "prefetch"}),
        ("GET", {**PHONE, "X-Guide-Check": "1"}),
    ],
)
def test_bots_previews_prefetches_and_checks_still_get_the_page_but_are_not_counted(
    scan_app, method, headers
):
    response = scan_app.test_client().open("/S/Z2HN/Q", method=method, headers=headers)
    assert response.status_code == 302
    assert stored(scan_app) == {}


def test_a_prefetch_then_the_real_visit_counts_once(scan_app):
    client = scan_app.test_client()
    client.get("/S/Z2HN/Q", headers={**PHONE, "Sec-Purpose": "prefetch"})
    client.get("/S/Z2HN/Q", headers=PHONE)
    assert stored(scan_app) == {("Z2HN", "vi", "plaque", "arrival"): 1}


def test_counting_can_be_turned_off(tmp_path):
    app = make_app(tmp_path, GUIDE_COUNT_SCANS=False)
    assert app.test_client().get("/S/Z2HN/Q", headers=PHONE).status_code == 302
    assert counter(app) is None
    with app.app_context():
        assert db.session.execute(select(ScanCount)).first() is None


def test_a_broken_database_loses_the_counts_never_the_visitors_page(scan_app, caplog):
    with scan_app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DROP TABLE scan_counts"))
    client = scan_app.test_client()
    response = client.get("/S/Z2HN/Q", headers=PHONE)
    assert response.status_code == 302
    with caplog.at_level(logging.WARNING, logger="guide.listening.scans"):
        assert counter(scan_app).flush() == 0
    [line] = [r.getMessage() for r in caplog.records if r.name == "guide.listening.scans"]
    assert "scan counts lost: 1 arrivals not written" in line
    assert counter(scan_app).pending() == 0
    assert client.get("/S/Z2HN/Q", headers=PHONE).status_code == 302


def test_counts_add_up_across_flushes_and_days_older_than_the_retention_go(tmp_path):
    app = make_app(tmp_path, GUIDE_SCAN_RETENTION_DAYS=30)
    today = counter(app).today()
    with app.app_context():
        db.session.add_all(
            [
                ScanCount(
                    day=today - timedelta(days=31),
                    code="Z2HN",
                    language="vi",
                    via="link",
                    event="arrival",
                    count=4,
                ),
                ScanCount(
                    day=today - timedelta(days=29),
                    code="Z2HN",
                    language="vi",
                    via="link",
                    event="arrival",
                    count=5,
                ),
            ]
        )
        db.session.commit()
    client = app.test_client()
    client.get("/S/Z2HN", headers=PHONE)
    counter(app).flush()
    client.get("/S/Z2HN", headers=PHONE)
    counter(app).flush()
    with app.app_context():
        rows = {row.day: row.count for row in db.session.execute(select(ScanCount)).scalars()}
    assert rows == {today - timedelta(days=29): 5, today: 2}


def test_the_day_is_the_day_in_the_catalogue_time_zone(tmp_path):
    app = make_app(tmp_path, GUIDE_TIME_ZONE="Pacific/Kiritimati")
    assert counter(app).today() == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    with pytest.raises(ValueError, match="GUIDE_TIME_ZONE: 'Mars/Olympus'"):
        make_app(tmp_path, GUIDE_TIME_ZONE="Mars/Olympus")


def scan_over_http(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=PHONE)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_two_thousand_concurrent_scans_of_eight_codes_are_counted_exactly(scan_app):
    codes = codes_of(scan_app, 8)
    assert len(codes) == 8
    paths = [f"/S/{codes[i % 8]}/Q" if i % 3 else f"/s/{codes[i % 8].lower()}" for i in range(2000)]
    expected: Counter = Counter()
    for path in paths:
        code = path.split("/")[2].upper()
        expected[(code, "vi", "plaque" if path.endswith("/Q") else "link", "arrival")] += 1
    server = LiveServer(scan_app).start()
    try:
        with ThreadPoolExecutor(max_workers=32) as pool:
            statuses = list(pool.map(lambda p: scan_over_http(server.port, p), paths))
    finally:
        server.stop()
    assert statuses == [302] * 2000
    assert stored(scan_app) == dict(expected)


def test_counts_are_stored_in_postgresql(postgres, tmp_path):
    app = make_app(tmp_path, GUIDE_DATABASE_URL=postgres.url)
    postgres.apps.append(app)
    client = app.test_client()
    for _ in range(3):
        client.get("/S/Z2HN/Q", headers=PHONE)
    client.get("/S/Z2HN", headers=PHONE)
    counter(app).flush()
    client.get("/S/Z2HN/Q", headers=PHONE)
    counter(app).flush()
    rows = postgres.rows("SELECT code, language, via, event, count FROM scan_counts ORDER BY via")
    assert rows == [("Z2HN", "vi", "link", "arrival", 1), ("Z2HN", "vi", "plaque", "arrival", 4)]


def test_the_scan_table_has_no_column_for_anything_about_a_visitor(scan_app):
    with scan_app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("scan_counts")}
    assert columns == {"day", "code", "language", "via", "event", "count"}
    assert isinstance(counter(scan_app).today(), date)


def test_a_story_page_view_counts_once_even_after_a_plaque_redirect(scan_app):
    client = scan_app.test_client()
    client.get("/S/Z2HN/Q", headers=PHONE, follow_redirects=True)
    client.get("/en/sites/dinh-chem", headers=PHONE)
    client.get("/sites/dinh-chem", headers={**PHONE, "Sec-Purpose": "prefetch"})
    client.get("/sites/dinh-chem", headers={**PHONE, "User-Agent": "Zalo link preview"})
    client.head("/sites/dinh-chem", headers=PHONE)
    client.get("/sites/dinh-chem", headers={**PHONE, "Accept": "*/*"})
    client.get("/sites/no-such-site", headers=PHONE)
    assert stored(scan_app) == {
        ("Z2HN", "vi", "plaque", "arrival"): 1,
        ("Z2HN", "vi", "link", "view"): 1,
        ("Z2HN", "en", "link", "view"): 1,
    }


def test_views_are_not_counted_when_guide_count_views_is_off(tmp_path):
    app = make_app(tmp_path, GUIDE_COUNT_VIEWS=False)
    client = app.test_client()
    client.get("/S/Z2HN", headers=PHONE, follow_redirects=True)
    assert stored(app) == {("Z2HN", "vi", "link", "arrival"): 1}
