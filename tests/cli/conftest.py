"""Fixtures of the tests in tests/cli/."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import DEFAULT_SITES, HANG_NGANG, PHONE, make_app, site_facts

from guide.listening.scans import counter


@pytest.fixture
def database(tmp_path, monkeypatch):
    """Point the guide at a fresh SQLite file; return its URL."""
    url = f"sqlite:///{tmp_path / 'accounts.sqlite3'}"
    monkeypatch.setenv("GUIDE_DATABASE_URL", url)
    return url


DRAFT = site_facts(
    code="R4WD",
    slug="den-ngoc-son",
    status="draft",
    kind="temple",
    rank="",
    lat=None,
    lon=None,
    area="002",
    name={"vi": "Đền Ngọc Sơn", "en": "Ngoc Son Temple"},
)


@pytest.fixture
def no_base_url_from_the_environment(monkeypatch, tmp_path):
    """Keep a GUIDE_BASE_URL of the machine (and its plaque register) out of these tests."""
    monkeypatch.setenv("GUIDE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("GUIDE_DATABASE_URL", raising=False)
    monkeypatch.delenv("GUIDE_BASE_URL", raising=False)
    monkeypatch.delenv("GUIDE_SIGN_LOGO", raising=False)
    monkeypatch.delenv("GUIDE_SIGN_PROGRAMME", raising=False)


@pytest.fixture
def catalogue(make_catalogue) -> Path:
    """Return a catalogue of two published sites in two areas, a draft and a tour of all three."""
    root = make_catalogue(site_facts(), HANG_NGANG, DRAFT)
    (root / "_tours").mkdir()
    (root / "_tours" / "ven-song-hong.toml").write_text(
        'stops = ["dinh-chem", "den-ngoc-son", "nha-48-hang-ngang"]\nmode = "walk"\n'
        '[name]\nvi = "Ven sông Hồng"\nen = "Along the Red River"\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture
def scanned(tmp_path, monkeypatch):
    """Return the day of scans of three sites in two areas, in two languages.

    Every visitor goes on to the story page the code sends them to (a view each), and
    one more opens P7ZT's story page from elsewhere: 7 arrivals and 8 views.
    """
    app = make_app(tmp_path)
    client = app.test_client()
    landed = []
    for path in ["/S/P7ZT/Q"] * 3 + ["/s/p7zt"] + ["/S/QZ6W/Q"] * 2 + ["/S/X42C?lang=en"]:
        response = client.get(path, headers=PHONE)
        assert response.status_code == 302
        landed.append(response.headers["Location"])
    for path in [*landed, landed[0]]:
        assert client.get(path, headers=PHONE).status_code == 200
    assert counter(app).flush() == 15
    monkeypatch.setenv("GUIDE_DATABASE_URL", app.config["GUIDE_DATABASE_URL"])
    monkeypatch.setenv("GUIDE_SITES", str(DEFAULT_SITES))
    return counter(app).today()
