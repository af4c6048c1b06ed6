"""Shared fixtures: temporary catalogues, the app, the CLI runner, a live server and a browser."""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner

from guide import PROJECT_ROOT, create_app
from guide.catalogue.codes import record

DEFAULT_SITES = PROJECT_ROOT / "sites"
CHROMIUM = Path(os.environ.get("GUIDE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def site_facts(**overrides: Any) -> dict[str, Any]:
    """Return valid facts for a site at Đình Chèm's point, changed by ``overrides``."""
    facts: dict[str, Any] = {
        "code": "7K2Q",
        "slug": "dinh-chem",
        "status": "published",
        "kind": "đình",
        "rank": "Di tích quốc gia đặc biệt",
        "lat": 21.094072,
        "lon": 105.774237,
        "address": "Làng Chèm",
        "ward": "Thụy Phương",
        "area": "021",
        "visit_minutes": 45,
        "opening_hours": "",
        "tags": [],
        "name": {"vi": "Đình Chèm", "en": "Chem Communal House"},
        "sources": [{"url": "https://www.openstreetmap.org/node/6652529905", "supports": "point"}],
        "media": [],
    }
    facts.update(overrides)
    return {key: value for key, value in facts.items() if value is not None}


# Stories and sources that meet ``guide check``'s minimums (150 words in vi and en, two
# independent publishers), for tests about something else that want a clean check.
FULL_STORIES = {
    "vi": " ".join(["Đình làng được dựng bên sông và trùng tu nhiều lần."] * 14) + " [2][3]",
    "en": " ".join(["The communal house was built by the river and restored often."] * 14)
    + " [2][3]",
}
INDEPENDENT_SOURCES = [
    {"url": "https://www.openstreetmap.org/node/6652529905", "supports": "coordinate"},
    {"url": "https://nhandan.vn/dinh-chem", "supports": "history"},
    {"url": "https://vnexpress.net/dinh-chem", "supports": "festival"},
]
MINIMUM_KINDS = ("story.short", "sources.independent")


def beside_minimums(problems: list[Any]) -> list[Any]:
    """Return the problems other than the story minimums, for tests about other checks."""
    return [p for p in problems if p.kind not in MINIMUM_KINDS]


def write_site(
    root: Path,
    facts: dict[str, Any],
    stories: dict[str, str] | None = None,
    folder_name: str | None = None,
) -> Path:
    """Write one site folder into a test catalogue and record its code in the ledger."""
    folder = root / (folder_name or facts.get("slug", "unnamed"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text(tomli_w.dumps(facts), encoding="utf-8")
    for language, text in (stories if stories is not None else {"vi": "Câu chuyện."}).items():
        (folder / f"story.{language}.md").write_text(text, encoding="utf-8")
    if isinstance(facts.get("code"), str):
        record(root, [(facts["code"], facts.get("slug", ""))])
    return folder


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


def free_port() -> int:
    """Return a free TCP port on the loopback address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """A real WSGI server (waitress) serving an app on 127.0.0.1 in a thread."""

    def __init__(self, wsgi_app) -> None:
        from waitress.server import create_server

        self.port = free_port()
        self.server = create_server(wsgi_app, host="127.0.0.1", port=self.port, threads=4)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop as a server that went away: no new connections, open ones dropped.

        Closing only the listening socket would leave a browser's keep-alive
        connections served. The sockets are closed in the server's own thread
        (through its trigger), which then finds nothing left to serve and ends.
        """
        if not self.thread.is_alive():
            return

        def close_everything() -> None:
            for channel in list(self.server._map.values()):
                channel.close()

        self.server.trigger.pull_trigger(close_everything)
        self.thread.join(timeout=5)
        self.server.task_dispatcher.shutdown(timeout=5)


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

STAFF_PASSWORD = "correct horse battery staple"
# Account name: (role, areas). Đình Chèm lies in 021 (Bắc Từ Liêm); 002 is Hoàn Kiếm.
STAFF = {
    "admin": ("admin", []),
    "viewer": ("viewer", []),
    "editor-here": ("editor", ["021"]),
    "editor-other": ("editor", ["002"]),
}
_staff_hash: list[str] = []


@pytest.fixture
def staff_sites(tmp_path: Path) -> Path:
    """Return a copy of the shipped catalogue that tests may write into."""
    target = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, target, ignore=shutil.ignore_patterns(".guide-edit.lock"))
    return target


def _english_client_class():
    from flask.testing import FlaskClient

    class EnglishClient(FlaskClient):
        """A test client whose browser asks for English (the staff tests read English text)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    return EnglishClient


def make_staff_app(sites: Path, tmp_path: Path, **config: Any):
    """Return the guide on ``sites`` with its own SQLite file, instance folder and accounts."""
    from werkzeug.security import generate_password_hash

    from guide.workspace.db import User, db

    settings = {
        "TESTING": True,
        "GUIDE_SITES": str(sites),
        "GUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'guide.sqlite3'}",
        "GUIDE_TILE_URL": "/tiles/{z}/{x}/{y}.png",
    }
    settings.update(config)
    app = create_app(settings)
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = _english_client_class()
    if not _staff_hash:
        _staff_hash.append(generate_password_hash(STAFF_PASSWORD, method="scrypt"))
    with app.app_context():
        for name, (role, areas) in STAFF.items():
            if db.session.query(User).filter_by(name=name).first() is None:
                db.session.add(
                    User(
                        name=name, password_hash=_staff_hash[0], role=role, area_ids=" ".join(areas)
                    )
                )
        db.session.commit()
    return app


@pytest.fixture
def staff_app(staff_sites: Path, tmp_path: Path):
    """Return the guide on a writable catalogue copy, with one account per role."""
    return make_staff_app(staff_sites, tmp_path)


def add_near_twin(sites: Path) -> Path:
    """Copy Đình Chèm as ``dinh-chem-2``, 4 m away with the same name: a likely duplicate."""
    facts = tomllib.loads((sites / "dinh-chem" / "site.toml").read_text(encoding="utf-8"))
    facts.update(slug="dinh-chem-2", code="Z2HM", lat=facts["lat"] + 0.000038)
    twin = sites / "dinh-chem-2"
    twin.mkdir()
    (twin / "site.toml").write_text(tomli_w.dumps(facts), encoding="utf-8")
    return twin


def csrf_token(client) -> str:
    """Return the CSRF token of the client's session, as a page of the workspace shows it."""
    from bs4 import BeautifulSoup

    page = client.get("/admin/login", follow_redirects=True)
    return BeautifulSoup(page.data, "html.parser").find("meta", {"name": "csrf-token"})["content"]


def sign_in(client, name: str, password: str = STAFF_PASSWORD):
    """Sign ``client`` in through the login form; return the response."""
    return client.post(
        "/admin/login",
        data={"csrf_token": csrf_token(client), "name": name, "password": password},
    )


def form_fields(html: bytes | str, selector: str = "form.site-form") -> dict[str, Any]:
    """Return what a browser would submit for a form: inputs, checked boxes, textareas, selects."""
    from bs4 import BeautifulSoup

    form = BeautifulSoup(html, "html.parser").select_one(selector)
    assert form is not None, f"no {selector} on the page"
    data: dict[str, Any] = {}
    for element in form.select("input[name], textarea[name], select[name]"):
        name = element["name"]
        if element.name == "textarea":
            # Browsers drop the one line break that follows <textarea>.
            text = element.text
            data[name] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
        elif element.name == "select":
            chosen = element.select_one("option[selected]") or element.select_one("option")
            data[name] = chosen["value"] if chosen else ""
        elif element.get("type") in ("submit", "button", "file"):
            continue
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                data[name] = element.get("value", "y")
        else:
            data[name] = element.get("value", "")
    return data


def encoded_audio(container: str, codec: str, rate: int, seconds: float = 1.0) -> bytes:
    """Return a real recording (a 440 Hz tone) encoded with FFmpeg's libraries (PyAV)."""
    import math

    import av
    import numpy

    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as output:
        stream = output.add_stream(codec, rate=rate)
        stream.layout = "mono"
        size = stream.codec_context.frame_size or 1024
        done = 0
        while done < rate * seconds:
            samples = numpy.arange(done, done + size) / rate
            tone = (0.2 * numpy.sin(2 * math.pi * 440 * samples)).astype("float32")
            frame = av.AudioFrame.from_ndarray(tone.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate, frame.pts = rate, done
            done += size
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def mp3_bytes() -> bytes:
    """Return one second of MP3."""
    return encoded_audio("mp3", "libmp3lame", 44100)
