"""The reach page, the monthly report and its CSV, through HTTP on rows put in the tables."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from browsing import sign_in
from bs4 import BeautifulSoup
from builders import REACH_SITES, make_staff_app, site_facts

from guide.listening.models import (
    EVENT_ARRIVAL,
    EVENT_VIEW,
    VIA_LINK,
    VIA_PLAQUE,
    Feedback,
    Plaque,
    ScanCount,
)
from guide.listening.periods import local_today
from guide.workspace.db import db

ZONE = "Asia/Ho_Chi_Minh"


def today() -> date:
    return local_today(ZONE)


def ago(days: int) -> date:
    return today() - timedelta(days=days)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def scans(reach_app, *rows: tuple) -> None:
    """Store (day, code, language, via, count[, event]) rows of daily counts."""
    with reach_app.app_context():
        for day, code, language, via, count, *event in rows:
            db.session.add(
                ScanCount(
                    day=day,
                    code=code,
                    language=language,
                    via=via,
                    event=event[0] if event else EVENT_ARRIVAL,
                    count=count,
                )
            )
        db.session.commit()


def plaque(
    reach_app, code: str, slug: str, printed_days_ago: int, state: str = "installed"
) -> None:
    with reach_app.app_context():
        db.session.add(
            Plaque(
                code=code,
                slug=slug,
                size="a5",
                printed_on=ago(printed_days_ago),
                state=state,
                where=f"cổng chính của {slug}",
            )
        )
        db.session.commit()


def feedback(reach_app, slug: str, useful: bool | None, status: str = "new", **more) -> None:
    with reach_app.app_context():
        db.session.add(
            Feedback(
                slug=slug,
                area="021",
                received_on=more.pop("received_on", ago(1)),
                language="vi",
                useful=useful,
                status=status,
                **more,
            )
        )
        db.session.commit()


def client_as(reach_app, role: str):
    client = reach_app.test_client()
    assert sign_in(client, role).status_code == 302
    return client


def table_rows(page: BeautifulSoup, selector: str) -> list[list[str]]:
    table = page.select_one(selector)
    assert table is not None, selector
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.select("tbody tr")
    ]


# --- Arrivals per day ------------------------------------------------------------------


def test_the_day_chart_has_a_bar_per_day_and_the_table_the_same_numbers(reach_app):
    since, until = ago(9), ago(0)
    scans(
        reach_app,
        (ago(9), "7K2Q", "vi", VIA_PLAQUE, 4),
        (ago(9), "7K2Q", "en", VIA_LINK, 1),
        (ago(3), "A2B3", "vi", VIA_PLAQUE, 2),
        (ago(0), "7K2Q", "en", VIA_PLAQUE, 7),
        # Not counted: a view of the story page, another area's code, a day before the period.
        (ago(3), "7K2Q", "vi", VIA_PLAQUE, 50, EVENT_VIEW),
        (ago(3), "J2K3", "vi", VIA_PLAQUE, 30),
        (ago(10), "7K2Q", "vi", VIA_PLAQUE, 90),
    )
    response = client_as(reach_app, "admin").get(
        f"/admin/reach?area=021&since={since.isoformat()}&until={until.isoformat()}"
    )
    assert response.status_code == 200
    page = soup(response)
    svg = page.select_one("svg.day-chart")
    assert svg["role"] == "img" and svg.find("title").get_text()
    bars = svg.select("rect.bar")
    assert len(bars) == 10
    chart = {bar["data-day"]: int(bar["data-value"]) for bar in bars}
    rows = table_rows(page, "table.per-day-table")
    assert page.select_one("table.per-day-table caption").get_text(strip=True)
    table = {day: int(total) for day, _scanned, _typed, total in rows}
    assert chart == table
    assert table[ago(9).isoformat()] == 5
    assert table[ago(3).isoformat()] == 2
    assert table[ago(0).isoformat()] == 7
    assert sum(table.values()) == 14
    # The tallest bar is the busiest day.
    heights = {bar["data-day"]: float(bar["height"]) for bar in bars}
    assert max(heights, key=heights.get) == ago(0).isoformat()
    assert page.select_one(".total-arrivals").get_text(strip=True) == "14"
    assert page.select_one(".total-scans").get_text(strip=True) == "13"
    assert page.select_one(".total-typed").get_text(strip=True) == "1"
    # The view is shown apart, never added to the arrivals.
    assert page.select_one(".total-views").get_text(strip=True) == "50"
    assert dict(r for r in table_rows(page, "table.languages-table")) == {"VI": "6", "EN": "8"}


def test_the_default_period_is_the_last_30_days(reach_app):
    scans(
        reach_app, (ago(29), "7K2Q", "vi", VIA_PLAQUE, 3), (ago(30), "7K2Q", "vi", VIA_PLAQUE, 100)
    )
    page = soup(client_as(reach_app, "admin").get("/admin/reach?area=021"))
    bars = page.select("svg.day-chart rect.bar")
    assert len(bars) == 30
    assert bars[0]["data-day"] == ago(29).isoformat()
    assert bars[-1]["data-day"] == today().isoformat()
    assert page.select_one(".total-arrivals").get_text(strip=True) == "3"


def test_top_and_bottom_codes_name_their_sites_and_include_codes_never_scanned(reach_app):
    scans(
        reach_app,
        (ago(1), "7K2Q", "vi", VIA_PLAQUE, 9),
        (ago(1), "E6F7", "vi", VIA_LINK, 2),
        (ago(1), "7K2Q", "vi", VIA_LINK, 12, EVENT_VIEW),
        (ago(2), "7K2Q", "en", VIA_LINK, 3, EVENT_VIEW),
        (ago(1), "G8H9", "vi", VIA_LINK, 4, EVENT_VIEW),  # read, never reached by its code
        (ago(1), "J2K3", "vi", VIA_LINK, 40, EVENT_VIEW),  # another area's
    )
    page = soup(client_as(reach_app, "viewer").get("/admin/reach?area=021&lang=vi"))
    heads = page.select("table.top-table thead th")
    assert [th.get_text(strip=True) for th in heads] == [
        "Mã",
        "Địa điểm",
        "Lượt vào",
        "Lượt xem trang",
    ]
    top = table_rows(page, "table.top-table")
    assert top[0] == ["7K2Q", "Đình Chèm", "9", "15"]
    assert top[1] == ["E6F7", "Vừa quét", "2", "0"]
    assert ["G8H9", "4"] in [[row[0], row[3]] for row in top]
    assert page.select_one(".total-views").get_text(strip=True) == "19"
    bottom = table_rows(page, "table.bottom-table")
    assert [row[2] for row in bottom[:3]] == ["0", "0", "0"]
    assert {row[0] for row in bottom} == {"7K2Q", "A2B3", "C4D5", "E6F7", "G8H9"}
    assert "J2K3" not in {row[0] for row in top + bottom}


def test_a_period_that_cannot_be_read_is_refused_naming_the_field(reach_app):
    client = client_as(reach_app, "admin")
    for query, field in (
        ("since=2026-02-30", "since=2026-02-30"),
        ("until=yesterday", "until=yesterday"),
        ("month=2026-13", "month=2026-13"),
        ("since=2026-03-10&until=2026-03-01", "since=2026-03-10"),
        ("since=2020-01-01&until=2026-01-01", "366"),
    ):
        response = client.get(f"/admin/reach?area=021&{query}")
        assert response.status_code == 400, query
        assert field in soup(response).select_one("p.message").get_text(), query


# --- Silent plaques --------------------------------------------------------------------


def test_silent_plaques_follow_the_printed_date_the_last_scan_and_the_state(reach_app):
    plaque(reach_app, "A2B3", "silent-old", 40)  # no scan ever: silent
    plaque(reach_app, "C4D5", "printed-lately", 10)  # too new to tell
    plaque(reach_app, "E6F7", "scanned-lately", 40)
    scans(reach_app, (ago(5), "E6F7", "vi", VIA_PLAQUE, 1))  # scanned 5 days ago: alive
    plaque(reach_app, "G8H9", "taken-down", 40, state="removed")  # removed: not silent
    plaque(reach_app, "7K2Q", "dinh-chem", 60)
    scans(reach_app, (ago(45), "7K2Q", "vi", VIA_PLAQUE, 3))  # last scan 45 days ago: silent
    page = soup(client_as(reach_app, "editor-here").get("/admin/reach?area=021"))
    rows = {row.get("data-code"): row for row in page.select("table.silent-table tbody tr")}
    assert set(rows) == {"A2B3", "7K2Q"}
    cells = [cell.get_text(strip=True) for cell in rows["A2B3"].find_all("td")]
    assert cells[:4] == ["A2B3", "Nhà cũ im lặng", ago(40).isoformat(), "cổng chính của silent-old"]
    assert cells[5] in ("never", "chưa bao giờ")
    assert rows["7K2Q"].find_all("td")[5].get_text(strip=True) == ago(45).isoformat()


def test_a_site_without_any_plaque_is_listed_as_such(reach_app):
    for code, slug in (("7K2Q", "dinh-chem"), ("A2B3", "silent-old"), ("C4D5", "printed-lately")):
        plaque(reach_app, code, slug, 5)
    page = soup(client_as(reach_app, "admin").get("/admin/reach?area=021&lang=en"))
    rows = page.select("table.silent-table tbody tr.no-plaque")
    assert {row["data-code"] for row in rows} == {"E6F7", "G8H9"}
    assert all("no plaque printed" in row.get_text() for row in rows)
    page = soup(client_as(reach_app, "admin").get("/admin/reach?area=021&lang=vi"))
    assert "chưa in biển" in page.select_one("tr.no-plaque").get_text()


def test_the_silent_days_are_a_setting(make_catalogue, tmp_path):
    reach_app = make_staff_app(make_catalogue(*REACH_SITES), tmp_path, GUIDE_SILENT_DAYS=7)
    plaque(reach_app, "C4D5", "printed-lately", 10)
    page = soup(client_as(reach_app, "admin").get("/admin/reach?area=021"))
    assert [r["data-code"] for r in page.select("table.silent-table tbody tr:not(.no-plaque)")] == [
        "C4D5"
    ]


# --- Feedback ---------------------------------------------------------------------------


def test_feedback_figures_and_the_link_to_the_queue(reach_app):
    feedback(reach_app, "dinh-chem", True)
    feedback(reach_app, "dinh-chem", True, status="resolved", handled_at=datetime.utcnow())
    feedback(reach_app, "silent-old", False)
    feedback(reach_app, "silent-old", None, status="answered", handled_at=datetime.utcnow())
    feedback(reach_app, "ho-guom", False)  # another area
    feedback(reach_app, "dinh-chem", False, received_on=ago(40))  # before the period, still open
    page = soup(client_as(reach_app, "admin").get("/admin/reach?area=021&lang=en"))
    assert page.select_one(".useful-ratio").get_text(" ", strip=True).startswith("67 %")
    assert page.select_one(".feedback-received").get_text(strip=True) == "4"
    assert page.select_one(".feedback-handled").get_text(strip=True) == "2"
    assert page.select_one(".feedback-open").get_text(strip=True) == "3"
    link = page.select_one("a.feedback-queue")
    assert link["href"] == "/admin/feedback?area=021"
    assert "3" in link.get_text()


# --- Who sees what ----------------------------------------------------------------------


def test_editors_see_their_own_areas_only(reach_app):
    assert client_as(reach_app, "editor-other").get("/admin/reach?area=021").status_code == 403
    assert (
        client_as(reach_app, "editor-other").get("/admin/reach/report?area=021").status_code == 403
    )
    assert (
        client_as(reach_app, "editor-other").get("/admin/reach/report.csv?area=021").status_code
        == 403
    )
    assert client_as(reach_app, "editor-here").get("/admin/reach?area=021").status_code == 200
    # Without an area an editor gets their own, never the whole city.
    page = soup(client_as(reach_app, "editor-here").get("/admin/reach"))
    options = [o["value"] for o in page.select("select[name=area] option")]
    assert options == ["021"]
    assert client_as(reach_app, "viewer").get("/admin/reach?area=002").status_code == 200
    assert client_as(reach_app, "admin").get("/admin/reach?area=999").status_code == 404
    anonymous = reach_app.test_client().get("/admin/reach?area=021")
    assert anonymous.status_code == 302 and "/admin/login" in anonymous.headers["Location"]


def test_the_workspace_menu_leads_to_the_reach_page(reach_app):
    page = soup(client_as(reach_app, "viewer").get("/admin/?lang=vi"))
    link = page.select_one("header.top nav.menu a[href='/admin/reach']")
    assert link is not None and link.get_text(strip=True) == "Lượt tiếp cận"


def test_the_whole_city_adds_every_area(reach_app):
    scans(reach_app, (ago(1), "7K2Q", "vi", VIA_PLAQUE, 2), (ago(1), "J2K3", "en", VIA_PLAQUE, 3))
    page = soup(client_as(reach_app, "admin").get("/admin/reach"))
    assert page.select_one(".total-arrivals").get_text(strip=True) == "5"
    assert page.select_one("select[name=area] option[selected]")["value"] == ""


# --- Escaping ---------------------------------------------------------------------------


def test_a_site_name_with_markup_is_shown_as_text_in_page_and_svg(make_catalogue, tmp_path):
    name = '<script>alert("x")</script><b>Đình</b>'
    sites = make_catalogue(site_facts(name={"vi": name}))
    reach_app = make_staff_app(sites, tmp_path)
    scans(reach_app, (ago(1), "7K2Q", "vi", VIA_PLAQUE, 4))
    response = client_as(reach_app, "admin").get("/admin/reach?area=021")
    assert b"<script>alert" not in response.data
    page = soup(response)
    assert not [s for s in page.find_all("script") if "alert" in s.get_text()]
    assert page.find("b", string="Đình") is None
    assert table_rows(page, "table.top-table")[0][1] == name
    svg = page.select_one("svg.bar-chart")
    assert svg.select_one("rect.bar")["data-label"] == name
    assert any(name in t.get_text() for t in svg.find_all("title"))


# --- Monthly report and CSV ---------------------------------------------------------------


def month_rows(reach_app) -> str:
    """Store a month of figures in the month before this one; return it as YYYY-MM."""
    first = today().replace(day=1) - timedelta(days=1)
    month = first.replace(day=1)
    scans(
        reach_app,
        (month, "7K2Q", "vi", VIA_PLAQUE, 12),
        (month + timedelta(days=3), "7K2Q", "en", VIA_LINK, 5),
        (month + timedelta(days=3), "A2B3", "vi", VIA_PLAQUE, 2),
        (month - timedelta(days=1), "7K2Q", "vi", VIA_PLAQUE, 1000),  # the month before
        (month + timedelta(days=3), "7K2Q", "vi", VIA_LINK, 6, EVENT_VIEW),
        (month - timedelta(days=1), "7K2Q", "vi", VIA_LINK, 600, EVENT_VIEW),  # the month before
    )
    feedback(reach_app, "dinh-chem", True, received_on=month + timedelta(days=2))
    feedback(reach_app, "dinh-chem", False, received_on=month + timedelta(days=4))
    return month.strftime("%Y-%m")


def test_the_csv_report_parses_and_matches_the_page(reach_app):
    month = month_rows(reach_app)
    client = client_as(reach_app, "admin")
    response = client.get(f"/admin/reach/report.csv?area=021&month={month}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f"reach-021-{month}.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["section", "item", "value", "detail"]
    values = {(section, item): value for section, item, value, _detail in rows[1:]}
    assert values[("arrivals", "total")] == "19"
    assert values[("views", "total")] == "6"
    assert values[("views", "7K2Q")] == "6"
    assert values[("views", "A2B3")] == "0"
    assert values[("via", "plaque")] == "14"
    assert values[("via", "link")] == "5"
    assert values[("language", "vi")] == "14"
    assert values[("language", "en")] == "5"
    assert values[("top", "7K2Q")] == "17"
    assert values[("feedback", "received")] == "2"
    assert values[("feedback", "useful ratio")] == "0.500"
    page = soup(client.get(f"/admin/reach/report?area=021&month={month}"))
    assert page.select_one(".total-arrivals").get_text(strip=True) == values[("arrivals", "total")]
    assert page.select_one(".total-scans").get_text(strip=True) == values[("via", "plaque")]
    assert page.select_one(".total-views").get_text(strip=True) == values[("views", "total")]
    top = table_rows(page, "table.top-table")
    assert [(row[0], row[2]) for row in top if row[2] != "0"] == [("7K2Q", "17"), ("A2B3", "2")]
    assert page.select_one("a.csv")["href"].endswith(f"report.csv?area=021&month={month}")


def test_a_formula_in_a_site_name_stays_text_in_the_csv(make_catalogue, tmp_path):
    reach_app = make_staff_app(make_catalogue(site_facts(name={"vi": "=HYPERLINK(1)"})), tmp_path)
    scans(reach_app, (ago(1), "7K2Q", "vi", VIA_PLAQUE, 1))
    response = client_as(reach_app, "admin").get(
        f"/admin/reach/report.csv?area=021&since={ago(1).isoformat()}"
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    top = next(row for row in rows if row[0] == "top")
    assert top[3] == "'=HYPERLINK(1)"


# --- The same figures on PostgreSQL -------------------------------------------------------


def _scenario(reach_app) -> list[list[str]]:
    """Store one of everything and return the CSV of the last 30 days of area 021."""
    scans(
        reach_app,
        (ago(2), "7K2Q", "vi", VIA_PLAQUE, 6),
        (ago(2), "7K2Q", "en", VIA_LINK, 2),
        (ago(20), "A2B3", "vi", VIA_PLAQUE, 1),
        (ago(45), "A2B3", "vi", VIA_PLAQUE, 9),
        (ago(1), "J2K3", "vi", VIA_PLAQUE, 4),
    )
    plaque(reach_app, "A2B3", "silent-old", 60)
    plaque(reach_app, "C4D5", "printed-lately", 35)
    plaque(reach_app, "G8H9", "taken-down", 60, state="removed")
    feedback(reach_app, "dinh-chem", True)
    feedback(reach_app, "dinh-chem", False, status="dismissed", handled_at=datetime.utcnow())
    response = client_as(reach_app, "admin").get(
        f"/admin/reach/report.csv?area=021&since={ago(29).isoformat()}"
    )
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_figures_are_the_same_on_postgresql(postgres, make_catalogue, tmp_path):
    sites = make_catalogue(*REACH_SITES)
    for folder in ("pg", "sqlite"):
        (tmp_path / folder).mkdir()
    on_postgres = _scenario(postgres.staff_app(sites, tmp_path / "pg"))
    on_sqlite = _scenario(make_staff_app(sites, tmp_path / "sqlite"))
    assert on_postgres == on_sqlite
    values = {(row[0], row[1]): row[2] for row in on_postgres[1:]}
    assert values[("arrivals", "total")] == "9"
    assert values[("via", "plaque")] == "7"
    assert {row[1] for row in on_postgres if row[0] == "silent"} == {"C4D5"}
    assert postgres.rows("SELECT sum(count) FROM scan_counts") == [(22,)]
