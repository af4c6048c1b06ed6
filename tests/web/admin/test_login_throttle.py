"""Password guessing is slowed per address and per account, without locking the real person out."""

from __future__ import annotations

import time

from browsing import sign_in
from bs4 import BeautifulSoup
from builders import make_staff_app

from guide.workspace.db import AuditEntry, db


def client_from(app, address: str, forwarded: str | None = None):
    """Return a client whose requests come from ``address`` (and carry X-Forwarded-For)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if forwarded:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded
    return client


def refusal(response) -> str:
    """Return the message of the sign-in page."""
    return BeautifulSoup(response.data, "html.parser").select_one("form.login p.error").text


def test_guessing_from_one_address_does_not_lock_the_staff_member_out(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path)
    attacker = client_from(app, "203.0.113.7")
    for _attempt in range(5):
        assert sign_in(attacker, "admin", "wrong password!").status_code == 401
    refused = sign_in(attacker, "admin")  # even the right password, from this address
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many sign-in attempts" in refusal(refused)
    # The real person, elsewhere, signs in at once.
    staff = client_from(app, "198.51.100.9")
    assert sign_in(staff, "admin").status_code == 302
    assert staff.get("/admin/").status_code == 200
    # Nothing about the addresses is kept in the database.
    with app.app_context():
        details = " ".join(e.detail + e.target for e in db.session.query(AuditEntry))
    assert "203.0.113.7" not in details and "198.51.100.9" not in details


def test_failures_of_one_account_do_not_refuse_another_from_the_same_address(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path)
    shared = client_from(app, "192.0.2.10")
    for _attempt in range(5):
        sign_in(shared, "viewer", "wrong password!")
    assert sign_in(shared, "viewer").status_code == 429
    assert sign_in(client_from(app, "192.0.2.10"), "admin").status_code == 302


def test_one_address_may_try_only_so_often(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path, GUIDE_LOGIN_ADDRESS_LIMIT="3/minute")
    busy = client_from(app, "203.0.113.8")
    for number in range(3):
        assert sign_in(busy, f"nobody-{number}", "wrong password!").status_code == 401
    refused = sign_in(busy, "admin")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert sign_in(client_from(app, "203.0.113.9"), "admin").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_counted(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path, GUIDE_PROXY_HOPS=1)
    # Both come through the same proxy at 10.0.0.1.
    attacker = client_from(app, "10.0.0.1", forwarded="203.0.113.7")
    for _attempt in range(5):
        sign_in(attacker, "admin", "wrong password!")
    assert sign_in(attacker, "admin").status_code == 429
    staff = client_from(app, "10.0.0.1", forwarded="198.51.100.9")
    assert sign_in(staff, "admin").status_code == 302


def test_without_trusted_proxies_a_forged_header_changes_nothing(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path)
    for number in range(5):
        sign_in(client_from(app, "203.0.113.7", f"198.51.100.{number}"), "admin", "wrong!!!!!")
    assert sign_in(client_from(app, "203.0.113.7", "198.51.100.99"), "admin").status_code == 429


def test_many_failures_from_everywhere_slow_the_account_but_never_refuse_it(staff_sites, tmp_path):
    app = make_staff_app(
        staff_sites, tmp_path, GUIDE_LOGIN_ACCOUNT_LIMIT="4/hour", GUIDE_LOGIN_SLOW_S=2.0
    )
    for number in range(4):
        assert sign_in(client_from(app, f"203.0.113.{number}"), "admin", "nope!").status_code == 401
    started = time.monotonic()
    assert sign_in(client_from(app, "198.51.100.9"), "admin").status_code == 302
    slowed = time.monotonic() - started
    assert slowed >= 2.0
    started = time.monotonic()
    assert sign_in(client_from(app, "198.51.100.9"), "viewer").status_code == 302
    assert time.monotonic() - started < slowed - 1.0  # other accounts are not slowed


def test_the_refusal_speaks_vietnamese_first(staff_sites, tmp_path):
    app = make_staff_app(staff_sites, tmp_path, GUIDE_LOGIN_MAX_FAILURES=1)
    client = client_from(app, "203.0.113.7")
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    sign_in(client, "admin", "sai mật khẩu rồi")
    refused = sign_in(client, "admin")
    assert refused.status_code == 429
    assert refusal(refused).startswith("Đăng nhập quá nhiều lần từ mạng này")
