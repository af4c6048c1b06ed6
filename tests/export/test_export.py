"""The static export: the same pages as the server, plaque codes without rewrite rules, rebuilt
only where the catalogue changed."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, PUBLIC_API, PUBLIC_BASE

from guide import create_app
from guide.catalogue.text import fold
from guide.export.build import MANIFEST, build

NONCE = re.compile(r' nonce="[^"]*"')


@pytest.mark.parametrize(
    ("address", "file"),
    [
        ("/sites/dinh-chem", "sites/dinh-chem/index.html"),
        ("/en/sites/dinh-chem", "en/sites/dinh-chem/index.html"),
        ("/", "index.html"),
        ("/en/map", "en/map/index.html"),
        ("/tours", "tours/index.html"),
        ("/en/tours/hoang-thanh-ba-dinh", "en/tours/hoang-thanh-ba-dinh/index.html"),
        ("/tours/hoang-thanh-ba-dinh/print", "tours/hoang-thanh-ba-dinh/print/index.html"),
        ("/en/tours/plan", "en/tours/plan/index.html"),
        ("/en/passport", "en/passport/index.html"),
        ("/api/sites.geojson", "api/sites.geojson"),
        ("/sw.js", "sw.js"),
    ],
)
def test_a_page_in_the_export_is_the_page_the_server_sends(export, api_app, address, file):
    response = api_app.test_client().get(address)
    assert response.status_code == 200
    sent = NONCE.sub("", response.get_data(as_text=True))
    assert (export / file).read_text(encoding="utf-8") == sent


def test_every_file_a_page_uses_is_in_the_export(export):
    page = (export / "en/sites/dinh-chem/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    used = [tag.get("src") or tag.get("href") for tag in soup.select("script[src], link[href]")]
    local = [url for url in used if url.startswith("/") and not url.startswith("//")]
    assert local
    for url in local:
        path = url.lstrip("/")
        assert (export / path).is_file() or (export / path / "index.html").is_file(), url


def test_every_link_of_every_page_resolves_to_a_file_of_the_export(export):
    pages = sorted(export.rglob("*.html"))
    checked = 0
    for page in pages:
        if page.name == "404.html":
            continue  # its language links lead back to a missing address, answered by itself
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        tags = soup.select("a[href], link[href], script[src], img[src], source[src]")
        for tag in tags:
            url = tag.get("href") or tag.get("src") or ""
            if not url.startswith("/") or url.startswith("//"):
                continue
            path = url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
            found = (export / path).is_file() or (export / path / "index.html").is_file()
            assert found, f"{page.relative_to(export)} links to {url}"
            checked += 1
    assert checked > 1000


def test_a_curated_tour_page_offers_its_files_and_the_planner_on_the_api_server(export):
    from guide.catalogue.index import load_catalogue

    tour = load_catalogue(DEFAULT_SITES).tours["hoang-thanh-ba-dinh"]
    page = export / "en/tours/hoang-thanh-ba-dinh/index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    gpx = soup.select_one('a[data-link="gpx"]')["href"]
    geojson = soup.select_one('a[data-link="geojson"]')["href"]
    assert gpx == "/en/tours/hoang-thanh-ba-dinh.gpx"
    assert geojson == "/en/tours/hoang-thanh-ba-dinh.geojson"
    planner = soup.find("a", string="Change it in the planner")["href"]
    assert planner.startswith(f"{PUBLIC_API}/en/tours/plan?")
    import gpxpy

    track = gpxpy.parse((export / gpx.lstrip("/")).read_text(encoding="utf-8"))
    assert track.name == tour.display_name("en")
    sites = {site.slug: site for site in load_catalogue(DEFAULT_SITES).sites}
    stops = [sites[slug] for slug in tour.stops]
    expected = [f"{n}. {site.name['en']}" for n, site in enumerate(stops, start=1)]
    assert [point.name for point in track.waypoints] == expected
    import json

    data = json.loads((export / geojson.lstrip("/")).read_text(encoding="utf-8"))
    points = [f["properties"]["name"] for f in data["features"] if f["geometry"]["type"] == "Point"]
    assert points == [site.name["en"] for site in stops]


def test_without_a_server_a_static_tour_page_leaves_the_planner_out():
    from guide.web.addresses import STATIC_EXPORT

    app = create_app({"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES), STATIC_EXPORT: True})
    soup = BeautifulSoup(app.test_client().get("/tours/hoang-thanh-ba-dinh").data, "html.parser")
    assert soup.select_one('a[data-link="gpx"]')["href"] == "/tours/hoang-thanh-ba-dinh.gpx"
    assert not soup.select('a[href*="/tours/plan?"]')
    assert soup.find("a", string="Chỉnh sửa trong công cụ lập hành trình") is None


def test_the_server_names_a_curated_tours_download_after_its_title(api_app):
    response = api_app.test_client().get("/en/tours/hoang-thanh-ba-dinh.gpx")
    assert response.status_code == 200
    assert response.mimetype == "application/gpx+xml"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert api_app.test_client().get("/tours/no-such-tour.gpx").status_code == 404


@pytest.mark.parametrize("folder", ["S/Z2HN", "s/z2hn"])
def test_a_plaque_code_has_a_page_that_sends_the_visitor_on(export, folder):
    soup = BeautifulSoup(
        (export / folder / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert soup.select_one("link[rel=canonical]")["href"] == "/sites/dinh-chem"
    assert soup.select_one("meta[http-equiv=refresh]")["content"].endswith("url=/sites/dinh-chem")
    assert soup.select_one("body a")["href"] == "/sites/dinh-chem"
    script = soup.script.get_text()
    assert "location.replace" in script and "navigator.languages" in script
    assert '"en": "/en/sites/dinh-chem"' in script


def test_hosts_with_rules_get_real_redirects(export):
    rules = (export / "_redirects").read_text(encoding="utf-8").splitlines()
    assert "/S/Z2HN /sites/dinh-chem 302" in rules
    assert "/s/z2hn /sites/dinh-chem 302" in rules
    assert "/S/Z2HN /en/sites/dinh-chem 302 Language=en" in rules
    nginx = (export / "nginx-codes.conf").read_text(encoding="utf-8")
    assert "    /S/Z2HN /sites/dinh-chem;" in nginx


def test_unknown_addresses_get_the_guides_404_page(export):
    soup = BeautifulSoup((export / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert [s["lang"] for s in soup.select("section.not-found")] == ["vi", "en"]


def test_drafts_have_neither_pages_nor_codes(export):
    from guide.catalogue.index import load_catalogue

    drafts = [site for site in load_catalogue(DEFAULT_SITES).sites if site.status == "draft"]
    assert drafts
    for site in drafts:
        assert not (export / "sites" / site.slug).exists()
        assert not (export / "S" / site.code).exists()


def test_the_sitemap_lists_each_page_with_its_languages(export):
    from xml.etree import ElementTree

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.parse(export / "sitemap.xml").getroot()
    locs = {url.find("s:loc", ns).text: url for url in root.findall("s:url", ns)}
    entry = locs[f"{PUBLIC_BASE}/en/sites/dinh-chem"]
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
    assert alternates["vi"] == f"{PUBLIC_BASE}/sites/dinh-chem"
    assert alternates["en"] == f"{PUBLIC_BASE}/en/sites/dinh-chem"
    # Every interface language has its pages (the story falls back to English there).
    assert set(alternates) == {"vi", "en", "zh-hans", "ko", "ja", "fr"}
    robots = (export / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {PUBLIC_BASE}/sitemap.xml" in robots and "Disallow: /admin/" in robots


@pytest.mark.parametrize("query", ["dinh chem", "Đình Chèm", "chua", "den", "hoa lo", "zzz"])
def test_the_search_index_finds_what_the_servers_search_finds(export, api_app, query):
    import json

    index = json.loads((export / "api/search-index.json").read_text(encoding="utf-8"))
    words = fold(query).split()
    found = {site["slug"] for site in index["sites"] if all(w in site["text"] for w in words)}
    soup = BeautifulSoup(api_app.test_client().get(f"/search?q={query}").data, "html.parser")
    listed = {a["href"].rsplit("/", 1)[-1] for a in soup.select("ol.results a, ul.results a")}
    assert found == listed
    if query == "dinh chem":
        assert "dinh-chem" in found


def test_a_second_build_is_byte_identical_and_an_edit_rebuilds_only_its_pages(tmp_path):
    sites = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, sites)
    first, second = tmp_path / "one", tmp_path / "two"
    build(first, sites)
    build(second, sites)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / MANIFEST).is_file()

    story = sites / "dinh-chem" / "story.en.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")
    report = build(first, sites)
    prefixes = ["", "en/", "fr/", "ja/", "ko/", "zh-hans/"]
    assert sorted(report.written) == sorted(f"{p}sites/dinh-chem/index.html" for p in prefixes)
    assert "A line added." in (first / "en/sites/dinh-chem/index.html").read_text(encoding="utf-8")


def test_a_rebuild_after_a_rename_is_the_build_from_scratch(tmp_path):
    # The renamed site shows on other sites' pages too: numbered among their nearby
    # sites, or a dot of their locator. Every page that shows it is written again.
    sites = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, sites, ignore=shutil.ignore_patterns(".cache"))
    again, scratch = tmp_path / "again", tmp_path / "scratch"
    build(again, sites)
    facts = sites / "dinh-chem" / "site.toml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace('vi = "Đình Chèm', 'vi = "Đình Chèm Mới', 1), "utf-8")
    report = build(again, sites)
    build(scratch, sites)
    files = sorted(str(p.relative_to(scratch)) for p in scratch.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(again)) for p in again.rglob("*") if p.is_file())
    differ = [
        name
        for name in files
        if name != MANIFEST and (again / name).read_bytes() != (scratch / name).read_bytes()
    ]
    assert differ == []
    dotted = [
        name
        for name in files
        if name.endswith("index.html")
        and "/sites/" in f"/{name}"
        and "dinh-chem" not in name
        and any(
            "Đình Chèm Mới" in title.get_text()
            for title in BeautifulSoup(
                (scratch / name).read_text(encoding="utf-8"), "html.parser"
            ).select("svg.locator circle.other title")
        )
    ]
    assert dotted and set(dotted) <= set(report.written)
