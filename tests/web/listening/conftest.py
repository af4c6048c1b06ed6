"""Fixtures of the tests in tests/web/listening/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from browsing import LiveServer, free_port
from builders import REACH_SITES, make_staff_app, site_facts

from guide.catalogue.codes import ALPHABET
from guide.listening.models import VIA_LINK, VIA_PLAQUE, Feedback, Plaque, ScanCount
from guide.listening.periods import local_today
from guide.workspace.db import db


@pytest.fixture
def reach_app(make_catalogue, tmp_path):
    return make_staff_app(make_catalogue(*REACH_SITES), tmp_path)


@pytest.fixture
def smtp_server():
    """Start a real SMTP server on loopback that keeps what it receives."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self) -> None:
            self.messages: list[tuple[str, list[str], bytes]] = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
            return "250 OK"

    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def server(staff_app):
    live = LiveServer(staff_app).start()
    yield live
    live.stop()


@pytest.fixture
def staff(register, tmp_path):
    """Return the workspace on the register's catalogue and database."""
    return make_staff_app(
        register,
        tmp_path,
        GUIDE_DATABASE_URL=f"sqlite:///{tmp_path / 'instance' / 'guide.sqlite3'}",
        GUIDE_BASE_URL="https://ditich.example.vn",
    )


@pytest.fixture
def report_server(make_catalogue, tmp_path):
    """Serve a catalogue of 14 sites with a month of scans, plaques and feedback."""
    sites = [site_facts()] + [
        site_facts(code=f"RR{ALPHABET[n]}Z", slug=f"dia-diem-{n}", name={"vi": f"Địa điểm số {n}"})
        for n in range(2, 15)
    ]
    app = make_staff_app(make_catalogue(*sites), tmp_path)
    today = local_today("Asia/Ho_Chi_Minh")
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    with app.app_context():
        for offset in range(28):
            day = month + timedelta(days=offset)
            db.session.add(ScanCount(day=day, code="7K2Q", language="vi", via=VIA_PLAQUE, count=3))
            db.session.add(ScanCount(day=day, code="RR4Z", language="en", via=VIA_LINK, count=1))
        db.session.add(
            Plaque(
                code="RR5Z",
                slug="dia-diem-3",
                size="a5",
                printed_on=month - timedelta(days=90),
                state="installed",
                where="cổng đình",
            )
        )
        db.session.add(
            Feedback(slug="dinh-chem", area="021", received_on=month, language="vi", useful=True)
        )
        db.session.commit()
    server = LiveServer(app).start()
    yield server, month.strftime("%Y-%m")
    server.stop()
