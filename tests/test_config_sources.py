"""instance/config.py, environment variables and flags reach the guide however it is served."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from browsing import free_port
from bs4 import BeautifulSoup
from builders import PUBLIC_BASE

from guide import PROJECT_ROOT, create_app
from guide.settings import resolve


def test_defaults_then_instance_file_then_environment_then_flags(instance, monkeypatch):
    assert resolve()["GUIDE_BASE_URL"] == PUBLIC_BASE
    assert resolve()["GUIDE_WALK_SPEED_KMH"] == 4.5  # a default the file leaves alone
    monkeypatch.setenv("GUIDE_NEARBY_RADIUS_M", "1200")
    settings = resolve()
    assert settings["GUIDE_NEARBY_RADIUS_M"] == 1200 and settings["GUIDE_HTTPS"] is True
    assert resolve({"GUIDE_NEARBY_RADIUS_M": 300})["GUIDE_NEARBY_RADIUS_M"] == 300
    app = create_app()
    assert app.instance_path == str(instance)
    assert app.config["GUIDE_BASE_URL"] == PUBLIC_BASE
    assert app.config["SECRET_KEY"].startswith("from the instance file")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["GUIDE_NEARBY_RADIUS_M"] == 1200


def test_tests_do_not_read_the_instance_file(instance, empty_catalogue):
    app = create_app({"TESTING": True, "GUIDE_SITES": str(empty_catalogue)})
    assert app.config["GUIDE_BASE_URL"] == ""


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> tuple[bytes, dict]:
    """Return the body and headers of ``url`` once the server answers; fail if it dies."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            pytest.fail(f"the server stopped (status {process.returncode}):\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=15) as response:
                return response.read(), dict(response.headers)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"no answer from {url} within {seconds} s")


SERVERS = {
    "guide serve": lambda port: [
        sys.executable, "-c", "from guide.cli import main; main()", "serve", "--port", str(port)
    ],
    "flask run": lambda port: [
        sys.executable, "-m", "flask", "--app", "guide", "run", "--port", str(port)
    ],
    "gunicorn": lambda port: [
        sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
        "guide:create_app()",
    ],
}  # fmt: skip


@pytest.mark.server
@pytest.mark.parametrize("server", SERVERS)
def test_every_way_of_serving_reads_the_instance_file(instance, tmp_path, server):
    port = free_port()
    environ = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), GUIDE_INSTANCE=str(instance))
    process = subprocess.Popen(
        SERVERS[server](port),
        cwd=tmp_path,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body, headers = wait_for(f"http://127.0.0.1:{port}/sites/dinh-chem", process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
    page = BeautifulSoup(body, "html.parser")
    assert page.find("link", rel="canonical")["href"] == f"{PUBLIC_BASE}/sites/dinh-chem"
    assert headers["Strict-Transport-Security"].startswith("max-age=")  # GUIDE_HTTPS
    assert (instance / "guide.sqlite3").exists()  # the database lives in that instance folder
