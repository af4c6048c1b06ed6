"""The ``guide`` command as staff use it: check, list, init and serve."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from browsing import free_port
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, FULL_STORIES, INDEPENDENT_SOURCES, site_facts, write_site

from guide.cli import main


def test_check_passes_on_a_good_catalogue(runner, empty_catalogue):
    write_site(empty_catalogue, site_facts(sources=INDEPENDENT_SOURCES), FULL_STORIES)
    result = runner.invoke(main, ["check", "--sites", str(empty_catalogue)])
    assert result.exit_code == 0
    assert "1 sites (0 need a location), 0 errors, 0 warnings" in result.output


def test_check_prints_one_line_per_problem_and_fails(runner, make_catalogue):
    root = make_catalogue(site_facts(lat=105.774237, lon=21.094072, visit_minutes=0))
    result = runner.invoke(main, ["check", "--sites", str(root)])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(problems) == 2
    assert all("dinh-chem/site.toml" in line for line in problems)
    assert any("visit_minutes" in line for line in problems)
    assert any("swap" in line for line in problems)


def test_warnings_alone_do_not_fail_check(runner, empty_catalogue):
    twin = {"vi": "Đình Chèm", "en": "Chem Temple"}
    for facts in (
        site_facts(sources=INDEPENDENT_SOURCES),
        site_facts(code="7K2R", slug="den-chem", name=twin, lat=21.094172),
    ):
        write_site(empty_catalogue, {**facts, "sources": INDEPENDENT_SOURCES}, FULL_STORIES)
    result = runner.invoke(main, ["check", "--sites", str(empty_catalogue)])
    assert result.exit_code == 0
    assert "1 warnings" in result.output


def test_check_without_a_catalogue_says_what_to_pass(runner, tmp_path):
    result = runner.invoke(main, ["check", "--sites", str(tmp_path)])
    assert result.exit_code == 1
    assert "catalogue.toml: not found" in result.output and "--sites" in result.output


def test_sites_setting_is_used_without_the_option(runner, make_catalogue, monkeypatch):
    monkeypatch.setenv("GUIDE_SITES", str(make_catalogue(site_facts())))
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 0
    assert result.output.split("\t")[:3] == ["7K2Q", "published", "dinh-chem"]


def test_list_filters_by_area_kind_and_status(runner):
    def slugs(*args):
        result = runner.invoke(main, ["list", "--sites", str(DEFAULT_SITES), *args])
        assert result.exit_code == 0, result.output
        return [line.split("\t")[2] for line in result.output.splitlines()]

    assert slugs("--area", "Quận Bắc Từ Liêm", "--kind", "dinh", "--status", "published") == [
        "dinh-chem"
    ]
    assert slugs("--area", "021", "--kind", "đình", "--status", "published") == ["dinh-chem"]
    assert slugs("--area", "021", "--kind", "communal-house", "--status", "published") == [
        "dinh-chem"
    ]
    drafts = slugs("--status", "draft")
    assert len(drafts) == 12 and "den-ngoc-son" in drafts
    assert slugs("--needs-location") == drafts


def test_list_with_an_unknown_area_names_the_option(runner):
    result = runner.invoke(main, ["list", "--sites", str(DEFAULT_SITES), "--area", "Quận 99"])
    assert result.exit_code == 2
    assert "--area" in result.output and "'Quận 99' is not an area" in result.output
    # The message lists the valid values, id and name.
    assert "021 (Quận Bắc Từ Liêm)" in " ".join(result.output.split())


@pytest.mark.parametrize(
    "area", ["021", "Quận Bắc Từ Liêm", "Bắc Từ Liêm", "bac tu liem", "quan bac tu liem"]
)
def test_an_area_is_given_by_id_or_name_with_or_without_prefix_and_accents(runner, area):
    result = runner.invoke(
        main, ["list", "--sites", str(DEFAULT_SITES), "--area", area, "--status", "published"]
    )
    assert result.exit_code == 0, result.output
    assert "dinh-chem" in [line.split("\t")[2] for line in result.output.splitlines()]


def test_serve_on_a_busy_port_says_so_in_one_line_and_exits_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "guide.cli", "serve", "--sites", str(DEFAULT_SITES),
             "--port", str(port)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: 127.0.0.1:{port} is already in use by another program: "
        "stop it, or choose another port with --port"
    ]
    assert "Traceback" not in result.stderr


def test_serve_answers_on_loopback_with_a_real_server(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "guide.cli",
            "serve",
            "--sites",
            str(DEFAULT_SITES),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = None
        # Generous: on a busy machine the imports alone can take many seconds.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode("utf-8")
                    server = response.headers["Server"]
                break
            except OSError:
                time.sleep(0.05)
        assert body is not None, process.stderr.read1().decode() if process.poll() else "no answer"
        assert server == "waitress"
        soup = BeautifulSoup(body, "html.parser")
        assert soup.html["lang"] == "vi"
        assert "Đình Chèm (Đền Chèm, đền Lý Hiệu Úy)" in [a.get_text() for a in soup.find_all("a")]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()
