"""Shared fixtures: temporary catalogues, the app, the CLI runner, a live server and a browser.

Only fixtures live here; what they build from data comes from ``builders`` and
``browsing``, which tests import directly.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import CHROMIUM, CHROMIUM_FLAGS, LiveServer
from builders import (
    DEFAULT_SITES,
    HANG_NGANG,
    NO_SERVER,
    PUBLIC_BASE,
    Server,
    encoded_audio,
    make_staff_app,
    site_facts,
    write_site,
)
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from guide import PROJECT_ROOT, create_app
from guide.cli import main
from guide.workspace.db import db, normalize_url

# The folders' conftest.py files all share one module name; pytest loads them as
# plugins, and --doctest-modules must not import them again as modules.
collect_ignore_glob = ["conftest.py", "*/conftest.py", "*/*/conftest.py"]


@pytest.fixture(autouse=True)
def private_instance(tmp_path_factory, monkeypatch) -> Path:
    """Give every test an instance folder of its own, never the checkout's ``instance/``."""
    folder = tmp_path_factory.mktemp("instance")
    monkeypatch.setenv("GUIDE_INSTANCE", str(folder))
    return folder


@pytest.fixture
def empty_catalogue(tmp_path: Path) -> Path:
    """Return a catalogue folder with the shipped config and areas and no site."""
    root = tmp_path / "sites"
    root.mkdir()
    shutil.copyfile(DEFAULT_SITES / "catalogue.toml", root / "catalogue.toml")
    shutil.copyfile(DEFAULT_SITES / "areas.geojson", root / "areas.geojson")
    return root


@pytest.fixture
def make_catalogue(empty_catalogue: Path) -> Callable[..., Path]:
    """Return a function that writes sites (facts dicts) into an empty catalogue."""

    def make(*sites: dict[str, Any]) -> Path:
        for facts in sites:
            write_site(empty_catalogue, facts)
        return empty_catalogue

    return make


@pytest.fixture
def app():
    """Return the guide on the shipped catalogue."""
    return create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES)})


@pytest.fixture
def client(app):
    """Return a Flask test client of the guide on the shipped catalogue."""
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    """Return a click runner for the ``guide`` command."""
    return CliRunner()


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """Serve the guide on loopback with waitress for the length of a test."""
    server = LiveServer(app).start()
    yield server
    server.stop()


def _browser_unavailable_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set GUIDE_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Return headless Debian Chromium driven by Playwright; skip (or fail in CI) without it."""
    reason = _browser_unavailable_reason()
    if reason:
        if os.environ.get("GUIDE_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests are required here but cannot run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright gives each launch a fresh, empty user-data folder of its own.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[Any]:
    """Return a phone-sized page in a fresh context; requests may go only to loopback."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    outside: list[str] = []

    def only_loopback(route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", only_loopback)
    page.outside_requests = outside
    yield page
    context.close()


# --- Staff workspace: a writable copy of the catalogue, a database and one account per role ---


@pytest.fixture
def staff_sites(tmp_path: Path) -> Path:
    """Return a copy of the shipped catalogue that tests may write into."""
    target = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, target, ignore=shutil.ignore_patterns(".guide-edit.lock"))
    return target


@pytest.fixture
def staff_app(staff_sites: Path, tmp_path: Path):
    """Return the guide on a writable catalogue copy, with one account per role."""
    return make_staff_app(staff_sites, tmp_path)


@pytest.fixture(scope="session")
def mp3_bytes() -> bytes:
    """Return one second of MP3."""
    return encoded_audio("mp3", "libmp3lame", 44100)


# --- Fixtures that several test modules share ---


@pytest.fixture
def register(tmp_path, monkeypatch, make_catalogue, runner):
    """Return the catalogue after printing the signs of its two sites (register in tmp_path)."""
    sites = make_catalogue(site_facts(), HANG_NGANG)
    monkeypatch.setenv("GUIDE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("GUIDE_DATABASE_URL", raising=False)
    monkeypatch.delenv("GUIDE_BASE_URL", raising=False)
    result = runner.invoke(
        main,
        [
            "qr",
            "--sites",
            str(sites),
            "--all",
            "--base-url",
            "https://ditich.example.vn",
            "--size",
            "a6",
            "--by",
            "Nguyễn Thị Lan",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "recorded 2 plaques (a6) printed by Nguyễn Thị Lan" in result.stderr
    return sites


@pytest.fixture
def postgres(monkeypatch) -> Iterator[Server]:
    """Return a fresh schema on the PostgreSQL test server; skip (or fail in CI) without one."""
    url = os.environ.get("GUIDE_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("GUIDE_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL tests are required here but cannot run: {NO_SERVER}")
        pytest.skip(NO_SERVER)
    engine = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
    schema = "guide_test_" + secrets.token_hex(6)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        engine.dispose()
        pytest.fail(f"GUIDE_TEST_POSTGRES_URL is set but the server cannot be used: {error}")
    server = Server(url, engine, schema)
    monkeypatch.setenv("GUIDE_DATABASE_URL", server.url)
    yield server
    for app in server.apps:
        with app.app_context():
            db.engine.dispose()
    with engine.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name AND pid <> pg_backend_pid()"
            ),
            {"name": schema},
        )
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


# --- Checks of the whole package: instance configuration, file modes, the built wheel ---


@pytest.fixture
def instance(tmp_path: Path, monkeypatch) -> Path:
    """Return an instance folder with a config.py, named by GUIDE_INSTANCE."""
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "config.py").write_text(
        f'GUIDE_SITES = "{DEFAULT_SITES}"\n'
        f'GUIDE_BASE_URL = "{PUBLIC_BASE}"\n'
        "GUIDE_HTTPS = True\n"
        "GUIDE_NEARBY_RADIUS_M = 800\n"
        'SECRET_KEY = "from the instance file, long enough to sign cookies"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("GUIDE_INSTANCE", str(folder))
    for name in ("GUIDE_BASE_URL", "GUIDE_HTTPS", "GUIDE_NEARBY_RADIUS_M", "GUIDE_SITES"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture(params=[0o022, 0o027])
def umask(request):
    """Run the test under a given umask; restore the previous one afterwards."""
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Build the wheel from a copy of the source tree and install it into a fresh venv."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(
        PROJECT_ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "build", "*.egg-info", "__pycache__", "sites", "tests", "bench", "qr", ".*"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "-w", str(work / "dist"), "--no-deps",
         "-q"],
        check=True,
    )  # fmt: skip
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    wheel = next((work / "dist").glob("*.whl"))
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps",
         "--no-index", "--force-reinstall", str(wheel)],
        check=True,
    )  # fmt: skip
    return venv
