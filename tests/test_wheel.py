"""The built wheel installs a guide that starts and serves its pages, outside the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browsing import free_port
from bs4 import BeautifulSoup

from guide import PROJECT_ROOT

pytestmark = pytest.mark.server


def outside_env(tmp_path: Path) -> dict[str, str]:
    """Return an environment without the source tree on the path, with its own instance."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GUIDE_")}
    env.pop("PYTHONPATH", None)
    env["GUIDE_INSTANCE"] = str(tmp_path / "instance")
    return env


def get(url: str) -> tuple[int, str]:
    """Return the status and body of a GET request."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_wheel_serves_story_map_planner_and_sign_in(installed: Path, tmp_path: Path) -> None:
    sites = tmp_path / "catalogue"
    shutil.copytree(PROJECT_ROOT / "sites", sites, ignore=shutil.ignore_patterns(".cache"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(installed / "bin" / "guide"), "serve", "--sites", str(sites), "--port", str(port)],
            cwd=elsewhere,
            env=outside_env(tmp_path),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                get(base + "/map")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"guide serve did not start: {log.read_text(errors='replace')}")
                time.sleep(0.3)
        pages = {
            "/sites/dinh-chem?lang=vi": "Đình Chèm",
            "/map?lang=en": "Map of the red addresses",
            "/tours/plan?lang=en": "Plan a tour",
            "/admin/login?lang=en": "Sign in",
        }
        for path, heading in pages.items():
            status, body = get(base + path)
            assert status == 200, (path, body[:300])
            h1 = BeautifulSoup(body, "html.parser").find("h1")
            assert h1 is not None and heading in h1.get_text(), (path, h1)
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.parametrize("command", [["check"], ["serve", "--port", "1"]])
def test_wheel_without_a_catalogue_says_so(installed: Path, tmp_path: Path, command) -> None:
    result = subprocess.run(
        [str(installed / "bin" / "guide"), *command],
        cwd=tmp_path,
        env=outside_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "sites/catalogue.toml: not found" in result.stderr
    assert "--sites DIR" in result.stderr
