"""The map's kept answers follow a reloaded catalogue and let the old one go.

Staff edits reload the catalogue; at 40,000 sites each loaded catalogue holds
tens of megabytes, so the map's answers (kept once per catalogue) must neither
outlive a reload in what they say nor keep the replaced catalogue in memory.
"""

from __future__ import annotations

import gc
import gzip
import json
import tomllib
import weakref

import tomli_w
from bs4 import BeautifulSoup

from guide.web.loaded import get_catalogue, reload_catalogue

ANSWERS = (
    "/api/sites.geojson",
    "/api/areas.geojson",
    "/api/sites.positions.json",
    "/api/sites.clusters.json",
    "/api/sites.details.json",
)


def ask_everything(client) -> dict[str, object]:
    """Ask the map page and each of its answers, as browsers do; return the answers' JSON."""
    page = client.get("/map")
    assert page.status_code == 200
    config = BeautifulSoup(page.data, "html.parser").find(id="guide-map-config")
    answers = {"config": json.loads(config.get_text())}
    for path in ANSWERS:
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, path
        body = response.data
        if response.content_encoding == "gzip":
            body = gzip.decompress(body)
        answers[path] = json.loads(body)
    return answers


def rename(root, slug: str, name: str) -> None:
    """Give the site of folder ``slug`` a new Vietnamese name, as a staff edit saves it."""
    path = root / slug / "site.toml"
    facts = tomllib.loads(path.read_text(encoding="utf-8"))
    facts["name"]["vi"] = name
    path.write_text(tomli_w.dumps(facts), encoding="utf-8")


def geojson_names(answers: dict[str, object]) -> set[str]:
    features = answers["/api/sites.geojson"]["features"]  # type: ignore[index]
    return {feature["properties"]["name"]["vi"] for feature in features}


def test_after_each_reload_the_map_says_the_new_names_and_drops_the_old_catalogue(
    api_catalogue, api
):
    app = api.application
    with app.app_context():
        replaced = [weakref.ref(get_catalogue())]
    first = ask_everything(api)
    assert "Chùa Trấn Quốc" in geojson_names(first)
    for round_ in range(1, 4):
        new_name = f"Chùa Trấn Quốc lần {round_}"
        rename(api_catalogue, "chua-tran-quoc", new_name)
        replaced.append(weakref.ref(reload_catalogue(app)))
        answers = ask_everything(api)
        assert new_name in geojson_names(answers)
        assert new_name in json.dumps(answers["/api/sites.details.json"], ensure_ascii=False)
        assert "Chùa Trấn Quốc" not in geojson_names(answers)
    gc.collect()
    # Only the catalogue now served is still in memory.
    assert [ref() is not None for ref in replaced] == [False, False, False, True]
