"""Site names, narratives and tour texts are data on every page: never template, script or markup.

A name such as ``Đình X {{ 7*191 }}`` once reached folium's map script, which
branca renders a second time as a Jinja template: the server printed 1337 (and
its PID for ``{{ lipsum.__globals__.os.getpid() }}``). Each page below is built
from a temporary catalogue whose texts hold template syntax, a ``</script>``
break-out, quotes and U+2028; the tests read the pages as a browser would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from browsing import LiveServer
from bs4 import BeautifulSoup
from hostile_data import EVALUATED, HOSTILE, NAME, OTHER, TOUR


def strings(value: Any) -> Iterator[str]:
    """Yield every string inside parsed JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def check_page(client, url: str) -> tuple[BeautifulSoup, list[Any]]:
    """Fetch a page, check nothing in it was evaluated or escaped its element; return it parsed.

    Returns the soup and the parsed JSON of each ``<script type="application/...json">``.
    """
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.get_data(as_text=True)
    for trace in EVALUATED:
        assert trace not in html, (url, trace)
    soup = BeautifulSoup(html, "html.parser")
    data = []
    for script in soup.find_all("script"):
        kind = script.get("type")
        text = script.string or ""
        if kind in ("application/json", "application/ld+json"):
            for raw in ("<", ">", "&", "\u2028", "\u2029"):
                assert raw not in text, (url, raw)
            data.append(json.loads(text))
        else:
            # No script element of the page was written from a site's text.
            assert "alert(1)" not in text and "Đình X" not in text, (url, text[:200])
    return soup, data


def shows_literally(soup: BeautifulSoup, text: str) -> None:
    """Check ``text`` (as written, template syntax included) is read somewhere on the page."""
    assert text in soup.get_text(), "the text is not shown as written"


def test_the_planner_shows_a_hostile_name_as_written_and_its_plan_json_parses(hostile_app):
    soup, data = check_page(hostile_app.test_client(), "/tours/plan?stops=AAAA,BBBB")
    shows_literally(soup, NAME)
    shows_literally(soup, OTHER)
    (config,) = data
    assert soup.find("script", type="application/json")["id"] == "guide-map-config"
    names = [row["name"] for row in config["planner"]["plan"]["timetable"]]
    assert sorted(names) == sorted([NAME, OTHER])


@pytest.mark.parametrize(
    "url",
    [
        "/tours/plan/print?stops=AAAA,BBBB",
        "/tours/hostile",
        "/tours",
    ],
)
def test_itineraries_and_curated_tours_show_hostile_texts_as_written(hostile_app, url):
    soup, _data = check_page(hostile_app.test_client(), url)
    shows_literally(soup, TOUR if "plan" not in url else NAME)


@pytest.mark.parametrize(
    "url", ["/map", "/map?site=AAAA", "/map?embed=1", "/map?site=AAAA&embed=1"]
)
def test_the_map_pages_keep_a_hostile_name_out_of_their_script(hostile_app, url):
    soup, data = check_page(hostile_app.test_client(), url)
    (config,) = data
    assert config["data"] == "/api/sites.geojson"
    if "site=" in url:
        assert NAME in soup.title.get_text()


def test_the_story_page_shows_a_hostile_name_and_narrative_as_written(hostile_app):
    soup, data = check_page(hostile_app.test_client(), "/sites/site-a")
    assert soup.h1.get_text() == NAME
    story = soup.get_text()
    # Markdown's own syntax still works ("__globals__" is bold); no script element comes of it.
    assert "Câu chuyện {{ 7*191 }} {% print(1) %} {{ lipsum.globals }}" in story
    assert not soup.select(".story script")
    assert "Đoạn hai {{ 7*191 }}." in story
    (ld,) = data
    assert ld["name"] == NAME
    assert ld["address"]["streetAddress"] == HOSTILE
    assert soup.select_one("svg.locator title").get_text() != ""
    # The nearby site's name is drawn in the locator as text.
    assert OTHER in {title.get_text() for title in soup.select("svg.locator title")}


def test_a_story_opened_on_a_hostile_tour_shows_it_as_written(hostile_app):
    soup, _data = check_page(hostile_app.test_client(), "/sites/site-a?tour=hostile")
    shows_literally(soup, TOUR)


def test_the_passport_data_parses_with_hostile_names(hostile_app):
    _soup, data = check_page(hostile_app.test_client(), "/passport")
    assert NAME in set(strings(data))


def test_the_apis_answer_hostile_names_as_json(hostile_app):
    client = hostile_app.test_client()
    sites = client.get("/api/sites.geojson").get_json()
    assert NAME in {f["properties"]["name"]["vi"] for f in sites["features"]}
    plan = client.post("/api/tours/plan", json={"stops": ["AAAA", "BBBB"], "lang": "vi"})
    assert NAME in {row["name"] for row in plan.get_json()["timetable"]}


@pytest.mark.browser
@pytest.mark.server
def test_chromium_runs_no_script_from_a_hostile_name_on_the_planner(hostile_app, page):
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    server = LiveServer(hostile_app).start()
    try:
        page.goto(f"{server.url}/tours/plan?stops=AAAA,BBBB&lang=vi")
        page.wait_for_selector(".guide-map[data-state=ready]", timeout=15_000)
        page.wait_for_function("() => document.querySelectorAll('.plan-stop').length === 2")
        names = page.locator("#plan-result table.timetable tbody tr.stop").all_inner_texts()
        chosen = page.locator("#plan-chosen li").all_inner_texts()
    finally:
        server.stop()
    assert dialogs == []
    assert errors == []
    assert any(NAME.replace("\u2028", "").split("</script>")[0].strip() in row for row in names)
    assert any("{{ 7*191 }}" in item for item in chosen)
    assert not any("1337" in row for row in names + chosen)
