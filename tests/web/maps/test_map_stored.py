"""The large map's answers survive a restart of the guide, and never outlive a changed catalogue."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import tomli_w

from guide.catalogue.snapshot import RACY_NS

ROOT = Path(__file__).resolve().parents[3]
ANSWERS = ("positions", "clusters", "details", "summary")

# One start of the guide: load the catalogue, ask the map's three answers as a browser does.
START = """
import gzip, json, sys
from bs4 import BeautifulSoup
from guide import create_app
app = create_app({"TESTING": True, "GUIDE_SITES": sys.argv[1]})
client = app.test_client()
out = {}
for name in ("positions", "clusters", "details"):
    response = client.get(f"/api/sites.{name}.json", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, response.status_code
    body = gzip.decompress(response.data) if response.content_encoding == "gzip" else response.data
    out[name] = {"data": json.loads(body), "etag": response.get_etag()[0]}
page = BeautifulSoup(client.get("/map?lang=vi").data, "html.parser")
out["kinds"] = [option.get_text(strip=True) for option in page.select("select[name=kind] option")]
print(json.dumps(out))
"""


def start_guide(root: Path) -> dict:
    """Start the guide in a process of its own and return the map's answers."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", START, str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def age(root: Path, seconds: float = 60) -> None:
    """Date every file of the catalogue ``seconds`` back, as files written a while ago.

    Their change times cannot be set back: the snapshot trusts files changed longer
    ago than its racy window, so this waits that long.
    """
    when = time.time() - seconds
    for path in root.rglob("*"):
        if ".cache" not in path.parts:
            os.utime(path, (when, when))
    time.sleep(RACY_NS / 1e9 + 0.1)


def stored_files(root: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in (root / ".cache").glob("map-*.answer")}


def test_a_restart_reuses_the_maps_answers_until_a_site_changes(api_catalogue):
    root = api_catalogue
    age(root)
    first = start_guide(root)  # makes the catalogue's snapshot
    second = start_guide(root)  # the snapshot unchanged: the answers are built and kept
    kept = stored_files(root)
    assert sorted(kept) == [f"map-{name}.answer" for name in sorted(ANSWERS)]
    third = start_guide(root)  # read back, not built again
    assert stored_files(root) == kept
    assert first == second == third
    names = third["details"]["data"]["name"]["vi"]
    assert "Chùa Trấn Quốc" in names

    # The map page's filters count the kinds from the kept counts.
    assert len(third["kinds"]) > 1

    # A site renamed and made a temple: the next start shows it so, never the kept answers.
    site_file = root / "chua-tran-quoc" / "site.toml"
    facts = tomllib.loads(site_file.read_text(encoding="utf-8"))
    facts["name"]["vi"] = "Chùa Trấn Quốc (Hồ Tây)"
    facts["kind"] = "temple"
    site_file.write_text(tomli_w.dumps(facts), encoding="utf-8")
    age(root)
    for answers in (start_guide(root), start_guide(root)):
        names = answers["details"]["data"]["name"]["vi"]
        assert "Chùa Trấn Quốc (Hồ Tây)" in names and "Chùa Trấn Quốc" not in names
        assert answers["details"]["etag"] != third["details"]["etag"]
        assert answers["positions"]["data"]["group"] != third["positions"]["data"]["group"]
        assert answers["kinds"] != third["kinds"]


def test_a_damaged_stored_answer_is_built_again(api_catalogue):
    root = api_catalogue
    age(root)
    start_guide(root)
    expected = start_guide(root)
    for path in (root / ".cache").glob("map-*.answer"):
        path.write_bytes(path.read_bytes()[:40])
    assert start_guide(root) == expected
    details = json.loads(gzip.decompress(stored_answer(root, "details")))
    assert details == expected["details"]["data"]


def stored_answer(root: Path, name: str) -> bytes:
    """Return the gzip bytes a stored answer holds (what a browser is sent)."""
    data = (root / ".cache" / f"map-{name}.answer").read_bytes()
    start = data.index(b"\n", data.index(b"\n") + 1) + 1
    size = int.from_bytes(data[start : start + 8], "big")
    return data[start + 8 + size :]
