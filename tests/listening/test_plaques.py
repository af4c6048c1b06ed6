"""Printed signs go into the plaque register, and the check names every dead or wrong code."""

from __future__ import annotations

import shutil

import pytest
from builders import edit_site
from sqlalchemy import select

from guide.cli import main
from guide.listening.models import Plaque, PlaqueCheck
from guide.listening.scans import counter
from guide.web import reload_catalogue
from guide.workspace.db import database_context, db


def test_printing_records_each_plaque_with_its_size_day_and_printer(register):
    with database_context():
        plaques = db.session.execute(select(Plaque).order_by(Plaque.code)).scalars().all()
        assert [(p.code, p.slug, p.size, p.state, p.printed_by) for p in plaques] == [
            ("59PK", "nha-48-hang-ngang", "a6", "ordered", "Nguyễn Thị Lan"),
            ("7K2Q", "dinh-chem", "a6", "ordered", "Nguyễn Thị Lan"),
        ]


def test_the_check_passes_breaks_when_a_site_goes_and_is_never_counted(register, server, runner):
    live, app = server
    good = runner.invoke(
        main, ["plaques", "check", "--sites", str(register), "--base-url", live.url]
    )
    assert good.exit_code == 0, good.output
    assert good.stdout == ""
    assert "checked 2 codes" in good.stderr and "0 dead or wrong" in good.stderr

    shutil.rmtree(register / "dinh-chem")
    reload_catalogue(app)
    broken = runner.invoke(
        main, ["plaques", "check", "--sites", str(register), "--base-url", live.url + "/"]
    )
    assert broken.exit_code == 1
    [line] = broken.stdout.splitlines()
    assert line.startswith("7K2Q -: HTTP 404")
    assert counter(app).pending() == 0  # the checks were not counted as scans
    with database_context():
        checks = db.session.execute(select(PlaqueCheck).order_by(PlaqueCheck.id)).scalars().all()
        assert [(c.code, c.ok) for c in checks] == [
            ("59PK", True),
            ("7K2Q", True),
            ("59PK", True),
            ("7K2Q", False),
        ]
        assert checks[-1].status == 404


def test_an_archived_site_is_alive_and_a_removed_plaque_is_not_checked(register, server, runner):
    live, app = server
    edit_site(register / "dinh-chem", status="archived")
    reload_catalogue(app)
    with database_context():
        db.session.query(Plaque).filter_by(code="59PK").update({"state": "removed"})
        db.session.commit()
    result = runner.invoke(
        main, ["plaques", "check", "--sites", str(register), "--base-url", live.url]
    )
    assert result.exit_code == 0, result.output
    assert "checked 1 codes" in result.stderr
    every = runner.invoke(
        main, ["plaques", "check", "--sites", str(register), "--base-url", live.url, "--all"]
    )
    assert "checked 2 codes" in every.stderr and every.exit_code == 0


@pytest.mark.parametrize(
    "url", ["ftp://ditich.example.vn", "ditich.example.vn", "https://x.vn/?a=1"]
)
def test_a_bad_base_url_exits_2_with_the_reason(register, runner, url):
    result = runner.invoke(main, ["plaques", "check", "--sites", str(register), "--base-url", url])
    assert result.exit_code == 2
    assert "--base-url" in result.stderr and "Traceback" not in result.output


def test_a_host_that_does_not_answer_names_every_code(register, runner):
    from browsing import free_port

    url = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(main, ["plaques", "check", "--sites", str(register), "--base-url", url])
    assert result.exit_code == 1
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["59PK", "7K2Q"]
    assert "no answer" in result.stdout


def test_a_sign_pdf_a_staff_member_downloads_is_recorded_with_their_name(staff_sites, tmp_path):
    from browsing import sign_in
    from builders import STAFF, make_staff_app

    app = make_staff_app(staff_sites, tmp_path, GUIDE_BASE_URL="https://ditich.example.vn")
    visitor = app.test_client()
    assert visitor.get("/sites/dinh-chem/sign.pdf?size=a4").status_code == 200
    staff = app.test_client()
    name = next(iter(STAFF))
    sign_in(staff, name)
    assert staff.get("/sites/dinh-chem/sign.pdf?size=a4").status_code == 200
    with app.app_context():
        rows = db.session.execute(select(Plaque)).scalars().all()
        assert [(p.slug, p.size, p.printed_by) for p in rows] == [("dinh-chem", "a4", name)]


def test_the_marker_of_printed_codes_is_the_one_the_counter_knows():
    from guide.listening.scans import PLAQUE_MARKER
    from guide.render import qr

    assert qr.PLAQUE_MARKER == PLAQUE_MARKER
