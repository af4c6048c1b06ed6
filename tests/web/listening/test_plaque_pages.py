"""The plaque register's workspace pages: scoped lists, the edit form, reprints, the last check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browsing import LiveServer, form_fields, sign_in
from bs4 import BeautifulSoup
from sqlalchemy import select

from guide import create_app
from guide.cli import main
from guide.listening.models import Plaque
from guide.web import reload_catalogue
from guide.workspace.db import AuditEntry, db

# Printed by the register fixture: Đình Chèm (7K2Q, area 021) and 48 Hàng Ngang (59PK, 002).
HERE, ELSEWHERE = "7K2Q", "59PK"


def client_of(app, name: str):
    client = app.test_client()
    assert sign_in(client, name).status_code == 302
    return client


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def plaque_id(app, code: str) -> int:
    with app.app_context():
        return db.session.execute(select(Plaque.id).where(Plaque.code == code)).scalar_one()


def listed_codes(client, query: str = "") -> list[str]:
    page = client.get("/admin/plaques/" + query)
    assert page.status_code == 200
    return [cell.a.text for cell in soup(page).select("table.plaques-table tr.plaque td.code")]


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("admin", [ELSEWHERE, HERE]),
        ("viewer", [ELSEWHERE, HERE]),
        ("editor-here", [HERE]),
        ("editor-other", [ELSEWHERE]),
    ],
)
def test_each_role_sees_the_plaques_of_its_areas(staff, name, codes):
    client = client_of(staff, name)
    assert listed_codes(client) == codes
    row = soup(client.get("/admin/plaques/")).select_one("tr.plaque")
    cells = {td["class"][0]: td.get_text(" ", strip=True) for td in row.select("td")}
    assert cells["size"] == "A6"
    assert "Nguyễn Thị Lan" in cells["printed"]
    assert cells["state"] == "ordered"
    assert cells["check"] == "never checked"


def test_the_list_filters_by_area_state_and_site(staff):
    client = client_of(staff, "admin")
    assert listed_codes(client, "?area=021") == [HERE]
    assert listed_codes(client, "?site=nha-48-hang-ngang") == [ELSEWHERE]
    assert listed_codes(client, "?site=7k2q") == [HERE]
    assert listed_codes(client, "?state=installed") == []
    assert listed_codes(client, "?state=ordered") == [ELSEWHERE, HERE]


def test_the_menu_links_to_plaques(staff):
    page = soup(client_of(staff, "viewer").get("/admin/plaques/"))
    assert page.select_one("nav.menu a[href='/admin/plaques/']").text == "Plaques"


def test_a_plaque_is_edited_by_an_editor_of_its_area_and_audited(staff):
    client = client_of(staff, "editor-here")
    url = f"/admin/plaques/{plaque_id(staff, HERE)}"
    data = form_fields(client.get(url).data, "form.plaque-form")
    data.update(
        state="installed", where="Bên trái cổng đình, cao 1,6 m", lat="21,0941", lon="105.7742"
    )
    saved = client.post(url, data=data)
    assert saved.status_code == 303
    page = soup(client.get(url))
    assert page.select_one("dd.state").text == "installed"
    with staff.app_context():
        plaque = db.session.get(Plaque, plaque_id(staff, HERE))
        assert (plaque.state, plaque.where, plaque.lat, plaque.lon) == (
            "installed",
            "Bên trái cổng đình, cao 1,6 m",
            21.0941,
            105.7742,
        )
        [entry] = db.session.execute(
            select(AuditEntry).where(AuditEntry.action == "plaque.edit")
        ).scalars()
        assert (entry.user_name, entry.target) == ("editor-here", HERE)
        assert "'ordered' → 'installed'" in entry.detail


@pytest.mark.parametrize("name", ["viewer", "editor-other"])
def test_others_cannot_change_a_plaque(staff, name):
    client = client_of(staff, name)
    plaque = plaque_id(staff, HERE)
    page = client.get(f"/admin/plaques/{plaque}")
    if name == "viewer":
        assert page.status_code == 200
        assert soup(page).select_one("form.plaque-form") is None
        assert soup(page).select_one(".read-only") is not None
    else:
        assert page.status_code == 403
    token = soup(client.get("/admin/plaques/")).find("meta", {"name": "csrf-token"})["content"]
    refused = client.post(
        f"/admin/plaques/{plaque}", data={"csrf_token": token, "state": "removed"}
    )
    assert refused.status_code == 403
    with staff.app_context():
        assert db.session.get(Plaque, plaque).state == "ordered"


@pytest.mark.parametrize(
    ("lat", "lon", "field"),
    [
        ("nan", "105.77", "lat"),
        ("21.09", "inf", "lon"),
        ("21.09", "1e3", "lon"),
        ("21.09", "200", "lon"),
        ("95", "105.77", "lat"),
        ("21.09", "", "lon"),
    ],
)
def test_a_bad_point_is_refused_naming_the_field(staff, lat, lon, field):
    client = client_of(staff, "admin")
    url = f"/admin/plaques/{plaque_id(staff, HERE)}"
    data = form_fields(client.get(url).data, "form.plaque-form")
    data.update(state="installed", lat=lat, lon=lon)
    refused = client.post(url, data=data)
    assert refused.status_code == 400
    page = soup(refused)
    assert page.select_one(f"#field-{field} .error") is not None
    other = "lon" if field == "lat" else "lat"
    assert page.select_one(f"#field-{other} .error") is None
    label = {"lat": "Latitude", "lon": "Longitude"}[field]
    assert label in page.select_one(".flash.error").text
    with staff.app_context():
        plaque = db.session.get(Plaque, plaque_id(staff, HERE))
        assert (plaque.state, plaque.lat) == ("ordered", None)


def test_a_damaged_plaque_is_reprinted_with_the_same_code_and_marked_replaced(staff):
    client = client_of(staff, "editor-here")
    old = plaque_id(staff, HERE)
    url = f"/admin/plaques/{old}"
    assert soup(client.get(url)).select_one(".reprint") is None
    data = form_fields(client.get(url).data, "form.plaque-form")
    data.update(state="damaged")
    assert client.post(url, data=data).status_code == 303
    link = soup(client.get(url)).select_one(".reprint a")["href"]
    assert link.startswith("/sites/dinh-chem/sign.pdf")
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    with staff.app_context():
        rows = (
            db.session.execute(select(Plaque).where(Plaque.code == HERE).order_by(Plaque.id))
            .scalars()
            .all()
        )
        assert [(r.id == old, r.state, r.size, r.printed_by) for r in rows] == [
            (True, "replaced", "a6", "Nguyễn Thị Lan"),
            (False, "ordered", "a6", "editor-here"),
        ]
        replaced = db.session.execute(
            select(AuditEntry).where(AuditEntry.action == "plaque.replace")
        ).scalar_one()
        assert replaced.target == HERE and replaced.user_name == "editor-here"
    assert soup(client.get(url)).select_one(".reprint") is None


def test_the_last_check_page_shows_a_dead_code_to_its_areas_staff(staff, tmp_path, runner):
    sites = Path(staff.config["GUIDE_SITES"])
    served = create_app(
        {
            "GUIDE_SITES": str(sites),
            "TESTING": True,
            "GUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
        }
    )
    live = LiveServer(served).start()
    try:
        shutil.rmtree(sites / "dinh-chem")
        reload_catalogue(served)
        result = runner.invoke(
            main, ["plaques", "check", "--sites", str(sites), "--base-url", live.url]
        )
    finally:
        live.stop()
    assert result.exit_code == 1, result.output
    reload_catalogue(staff)

    page = soup(client_of(staff, "editor-here").get("/admin/plaques/checks"))
    assert live.url.upper().split("//")[1] in page.select_one("p.run").text.upper()
    [dead] = page.select("tr.failed")
    assert dead["data-code"] == HERE
    assert dead.select_one("td.problem").text == "HTTP 404"
    assert "not in the catalogue" in dead.select_one("td.site").text

    other = soup(client_of(staff, "editor-other").get("/admin/plaques/checks"))
    assert other.select("tr.failed") == []
    assert other.select_one("td.ok") is not None
    admin = client_of(staff, "admin")
    assert [
        row["data-code"] for row in soup(admin.get("/admin/plaques/checks")).select("tr.failed")
    ] == [HERE]
    # The register shows each plaque's last result too.
    row = soup(admin.get("/admin/plaques/?site=7k2q")).select_one("tr.plaque td.check")
    assert "HTTP 404" in row.text


def test_the_last_check_page_says_when_no_check_ran(staff):
    page = soup(client_of(staff, "viewer").get("/admin/plaques/checks"))
    assert "No check has run yet" in page.select_one("main").text


def test_the_pages_are_in_vietnamese(staff):
    client = staff.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    sign_in(client, "admin")
    page = soup(client.get("/admin/plaques/"))
    assert page.select_one("h1").text == "Biển mã"
    assert page.select_one("tr.plaque td.state").text == "đã đặt in"
    checks = soup(client.get("/admin/plaques/checks"))
    assert checks.select_one("h1").text == "Lần kiểm tra mã gần nhất"
