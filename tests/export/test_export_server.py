"""What needs the guide's server on exported pages: the planner, feedback and counting go to
GUIDE_API_URL when there is one (CORS for the public pages' origin only) and are left out when
there is none; each curated tour's printable itinerary has its own address."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from builders import PUBLIC_API, PUBLIC_BASE

TOUR = "hoang-thanh-ba-dinh"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def planner_config(soup: BeautifulSoup) -> dict:
    for script in soup.find_all("script"):
        text = script.get_text()
        if '"planner"' in text:
            start = text.index("{")
            return json.JSONDecoder().raw_decode(text[start:])[0]
    raise AssertionError("no planner configuration on the page")


@pytest.mark.parametrize(
    ("file", "line"),
    [
        ("tours/plan/index.html", "Lập hành trình riêng cần máy chủ"),
        ("en/tours/plan/index.html", "Planning your own tour needs the guide's server"),
    ],
)
def test_without_a_server_the_planner_shows_the_curated_tours_and_says_why(builds, file, line):
    soup = soup_of(builds["bare"] / file)
    assert line in soup.select_one("#planner-needs-server").get_text()
    links = [a["href"] for a in soup.select(".tour-list a")]
    prefix = "/en" if file.startswith("en/") else ""
    assert f"{prefix}/tours/{TOUR}" in links
    assert not soup.select("#plan-form")


def test_with_a_server_the_planner_calls_its_api(builds):
    soup = soup_of(builds["api"] / "en/tours/plan/index.html")
    assert planner_config(soup)["planner"]["api"] == f"{PUBLIC_API}/api/tours/plan"
    assert soup.select_one("#plan-form")["action"] == f"{PUBLIC_API}/en/tours/plan"


def test_feedback_goes_to_the_server_or_is_left_out(builds):
    form = soup_of(builds["api"] / "en/sites/dinh-chem/index.html").select_one(
        "form[data-feedback]"
    )
    assert form["action"] == f"{PUBLIC_API}/sites/dinh-chem/feedback"
    bare = soup_of(builds["bare"] / "en/sites/dinh-chem/index.html")
    assert bare.select("form[data-feedback]") == []
    assert bare.select_one("#feedback") is None


@pytest.mark.parametrize(
    ("file", "language"),
    [("sites/dinh-chem/index.html", "vi"), ("en/sites/dinh-chem/index.html", "en")],
)
def test_story_pages_count_their_views_on_the_server_or_not_at_all(builds, file, language):
    article = soup_of(builds["api"] / file).select_one("article[data-story]")
    assert article["data-views"] == f"{PUBLIC_API}/api/count/Z2HN?event=view&lang={language}"
    bare = soup_of(builds["bare"] / file).select_one("article[data-story]")
    assert bare.get("data-views") is None


@pytest.mark.parametrize("folder", ["S/Z2HN/Q", "s/z2hn/q", "S/Z2HN"])
def test_plaque_codes_count_on_the_server_or_not_at_all(builds, folder):
    via = "plaque" if folder.lower().endswith("/q") else "link"
    script = soup_of(builds["api"] / folder / "index.html").script.get_text()
    assert f'var count = "{PUBLIC_API}/api/count/Z2HN?via={via}";' in script
    bare = soup_of(builds["bare"] / folder / "index.html")
    assert 'var count = "";' in bare.script.get_text()
    assert bare.select_one("body a")["href"] == "/sites/dinh-chem"


def test_the_server_answers_the_public_origin_only(api_server):
    client = api_server.test_client()
    body = {"stops": ["Z2HN", "9XT4"], "lang": "en"}
    allowed = client.post("/api/tours/plan", json=body, headers={"Origin": PUBLIC_BASE})
    assert allowed.headers.get("Access-Control-Allow-Origin") == PUBLIC_BASE
    other = client.post("/api/tours/plan", json=body, headers={"Origin": "https://other.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = client.options(
        "/api/tours/plan",
        headers={"Origin": PUBLIC_BASE, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.headers.get("Access-Control-Allow-Origin") == PUBLIC_BASE
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    # The pages' own policy lets them reach the server, and only it.
    policy = client.get("/en/sites/dinh-chem").headers["Content-Security-Policy"]
    assert (
        f"connect-src 'self' {PUBLIC_API}" in policy
        and f"form-action 'self' {PUBLIC_API}" in policy
    )


def test_the_counting_beacon_counts_known_codes_only(api_server):
    client = api_server.test_client()
    answer = client.post("/api/count/Z2HN?via=plaque&lang=en", headers={"Origin": PUBLIC_BASE})
    assert answer.status_code == 204
    assert answer.headers.get("Access-Control-Allow-Origin") == PUBLIC_BASE
    assert client.post("/api/count/NOPE?via=plaque").status_code == 404


def test_a_curated_tour_has_a_printable_itinerary_of_its_own(builds, api_server):
    client = api_server.test_client()
    for address, lang in ((f"/tours/{TOUR}/print", "vi"), (f"/en/tours/{TOUR}/print", "en")):
        response = client.get(address)
        assert response.status_code == 200
        assert BeautifulSoup(response.data, "html.parser").html["lang"] == lang
    tour_page = soup_of(builds["bare"] / "en/tours" / TOUR / "index.html")
    assert tour_page.select_one("a[data-link=print]")["href"] == f"/en/tours/{TOUR}/print"
    printed = soup_of(builds["bare"] / "en/tours" / TOUR / "print/index.html")
    assert printed.select("ol li, table tr")
    assert client.get("/tours/no-such-tour/print").status_code == 404
