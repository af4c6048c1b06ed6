"""Act as visitors and staff do: servers on loopback, forms, sign-in, the map in a browser."""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import threading
import time
import tomllib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from builders import STAFF_PASSWORD

# Where the map asks for tiles: the one host a page may name, and the browser tests block.
TILE_PREFIX = "https://tile.openstreetmap.org/"
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


class RoutingServer:
    """An OSRM-shaped /table responder on loopback, answering with ``reply(path)``."""

    def __init__(self, reply: Callable[[str], tuple[int, Any]], delay_s: float = 0.0) -> None:
        self.paths: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.paths.append(self.path)
                if delay_s:
                    time.sleep(delay_s)
                status, body = reply(self.path)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                with contextlib.suppress(OSError):  # the guide may have given up waiting
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> RoutingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def closed_port() -> int:
    """Return a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


MARKERS = ".leaflet-marker-pane .site-marker"


CLUSTERS = ".leaflet-marker-pane .marker-cluster"


def settle(page) -> None:
    """Wait until the map has stopped panning, zooming and moving its clusters."""
    page.evaluate(
        """() => new Promise(resolve => {
          const pane = document.querySelector('.leaflet-map-pane');
          let last = null, same = 0;
          const look = () => {
            const moving = document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim');
            const now = pane.style.transform;
            same = !moving && now === last ? same + 1 : 0;
            last = now;
            if (same >= 3) resolve(); else setTimeout(look, 80);
          };
          look();
        })"""
    )


def client_as(app, role: str):
    """Return a test client signed in as ``role`` (or anonymous)."""
    client = app.test_client()
    if role != "anonymous":
        response = sign_in(client, role)
        assert response.status_code == 302, response.data
    return client


def soup(response) -> BeautifulSoup:
    """Parse a response's HTML."""
    return BeautifulSoup(response.data, "html.parser")


def field_messages(response, name: str) -> list[str]:
    """Return the messages shown next to a form field (or the point section for 'point')."""
    page = soup(response)
    holder = page.select_one("#point-feedback" if name == "point" else f"#help-{name}")
    assert holder is not None, f"no messages area for {name}"
    return [p.get_text(" ", strip=True) for p in holder.select("p.error, p.warning")]


def wait_until_kept(page, path: str, timeout_s: float = 15) -> None:
    """Wait until the service worker has kept ``path`` in its cache."""
    deadline = time.monotonic() + timeout_s
    script = """async (path) => {
      const cache = await caches.open('guide-pages-v1');
      return !!(await cache.match(new URL(path, location.origin).href, {ignoreVary: true}));
    }"""
    while time.monotonic() < deadline:
        if page.evaluate(script, path):
            return
        time.sleep(0.2)
    raise AssertionError(f"the service worker did not keep {path}")


class Nominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim; '/search?q=fail' answers 500."""

    requests: ClassVar[list[dict]] = []

    def do_GET(self):
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        type(self).requests.append(
            {"path": parts.path, "query": query, "agent": self.headers["User-Agent"]}
        )
        if query.get("q") == ["fail"]:
            self.send_response(500)
            self.end_headers()
            return
        body = json.dumps(ANSWER if "Chèm" in query.get("q", [""])[0] else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ANSWER = [
    {
        "lat": "21.0940720",
        "lon": "105.7742370",
        "display_name": "Đình Chèm, Thụy Phương, Bắc Từ Liêm, Hà Nội, Việt Nam",
    }
]


def stored(sites: Path, slug: str = "dinh-chem") -> dict:
    """Return a site's facts as stored on disk."""
    return tomllib.loads((sites / slug / "site.toml").read_text(encoding="utf-8"))


def media_files(sites: Path, slug: str = "dinh-chem") -> list[str]:
    """Return the files a site lists, in order."""
    return [entry["file"] for entry in stored(sites, slug).get("media", [])]


def upload(client, data: bytes, name: str, kind: str = "photo", slug: str = "dinh-chem", **fields):
    """Upload a file through the editor's upload form; return the response."""
    form = {
        "media-csrf_token": csrf_token(client),
        "media-file": (io.BytesIO(data), name),
        "media-kind": kind,
        "media-language": fields.pop("language", "vi"),
    }
    form.update({f"media-{key}": value for key, value in fields.items()})
    return client.post(f"/admin/sites/{slug}/media", data=form, content_type="multipart/form-data")
