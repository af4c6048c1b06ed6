"""Serve a built export with Debian's nginx on loopback: the repo's config or a bare one."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import free_port

from guide import PROJECT_ROOT

NGINX = Path(os.environ.get("GUIDE_NGINX", "/usr/sbin/nginx"))
REPO_CONF = PROJECT_ROOT / "deploy" / "nginx" / "guide-static.conf"
# The placeholders of deploy/nginx/guide-static.conf, as its header documents them.
ROOT_PLACEHOLDER = "/srv/red-addresses/site"
LISTEN_PLACEHOLDER = "listen 80;"

# A host with no rules at all: files by name, a folder's index.html.
MINIMAL_SERVER = """server {
    listen @LISTEN@;
    root @ROOT@;
    index index.html;
}
"""

MAIN = """worker_processes 1;
{user}
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
{server}
}}
"""


def server_block(kind: str, root: Path, port: int) -> str:
    """Return the http-level text serving ``root`` on ``port``: the repo's config or the minimal."""
    listen = f"127.0.0.1:{port}"
    if kind == "minimal":
        return MINIMAL_SERVER.replace("@LISTEN@", listen).replace("@ROOT@", str(root))
    text = REPO_CONF.read_text(encoding="utf-8")
    assert LISTEN_PLACEHOLDER in text and ROOT_PLACEHOLDER in text, "placeholders changed"
    return text.replace(LISTEN_PLACEHOLDER, f"listen {listen};").replace(
        ROOT_PLACEHOLDER, str(root)
    )


class NginxHost:
    """Debian's nginx as a child process serving one folder on 127.0.0.1."""

    def __init__(self, kind: str, root: Path, prefix: Path, port: int) -> None:
        self.kind, self.root, self.prefix, self.port = kind, root, prefix, port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> NginxHost:
        (self.prefix / "tmp").mkdir(parents=True, exist_ok=True)
        # A root master hands requests to workers of `user`: keep them able to read the folder.
        user = "user root;" if os.geteuid() == 0 else ""
        conf = self.prefix / "nginx.conf"
        conf.write_text(
            MAIN.format(
                user=user,
                prefix=self.prefix,
                server=server_block(self.kind, self.root, self.port),
            ),
            encoding="utf-8",
        )
        directives = f"daemon off; pid {self.prefix}/nginx.pid; error_log stderr;"
        command = [str(NGINX), "-p", str(self.prefix), "-c", str(conf), "-g", directives]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused {conf}:\n{checked.stderr}")
        # nginx logs each missing file: a file, not a pipe nobody empties.
        self.log = self.prefix / "error.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stderr=log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx stopped: {self.log.read_text(errors='replace')}")
            try:
                urllib.request.urlopen(self.url + "/robots.txt", timeout=1).close()
                return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise RuntimeError("nginx did not answer within 10 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def unavailable_reason() -> str | None:
    """Return why nginx cannot run here, or None."""
    if not NGINX.exists() and not shutil.which("nginx"):
        return f"no nginx at {NGINX} (apt-get install nginx-light, or set GUIDE_NGINX)"
    return None


def running_host(kind: str, built: Path, tmp_path_factory) -> Iterator[NginxHost]:
    """Yield nginx serving ``built`` with the ``kind`` config; skip (fail in CI) without nginx."""
    reason = unavailable_reason()
    if reason:
        if os.environ.get("GUIDE_REQUIRE_BROWSER"):
            pytest.fail(f"nginx is required here but cannot run: {reason}")
        pytest.skip(reason)
    host = NginxHost(kind, built, tmp_path_factory.mktemp(f"nginx-{kind}"), free_port()).start()
    yield host
    host.stop()
