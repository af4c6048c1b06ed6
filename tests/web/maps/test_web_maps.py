"""The /map page as the server renders it: addresses, filters, legend, languages, escaping."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from builders import site_facts

from guide import create_app
from guide.catalogue.index import load_catalogue

CENTRE = re.compile(r"center:\s*(\[[^\]]*\])")
FIT = re.compile(r"\.fitBounds\(\s*(\[\[.*?\]\])")


def page(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def inline_script(soup: BeautifulSoup) -> str:
    """Return the text of the page's inline scripts (not its JSON data elements)."""
    return "\n".join(
        tag.string or ""
        for tag in soup.find_all("script", src=False)
        if tag.get("type") in (None, "text/javascript", "module")
    )


def map_config(soup: BeautifulSoup) -> dict:
    """Return the map script's configuration: the JSON element the page starts it with."""
    assert "GuideMap.start" in inline_script(soup), "the page does not start the map script"
    element = soup.find("script", id="guide-map-config", type="application/json")
    assert element, "the page has no map configuration"
    return json.loads(element.string)


def test_the_map_page_loads_leaflet_from_the_guide(client):
    soup = page(client, "/map")
    sources = [tag["src"] for tag in soup.find_all("script", src=True)]
    styles = [tag["href"] for tag in soup.find_all("link", rel="stylesheet")]
    assert any("leaflet/leaflet." in src for src in sources)
    assert any("markercluster/leaflet.markercluster." in src for src in sources)
    assert any("markercluster/MarkerCluster.Default." in href for href in styles)
    for url in sources + styles:
        assert url.startswith("/static/"), url
        with client.get(url) as response:
            assert response.status_code == 200, url
            assert response.cache_control.max_age == 365 * 24 * 3600
    assert soup.select_one("div.guide-map")


def test_the_map_pages_scripts_do_not_hold_up_its_layout(client):
    soup = page(client, "/map")
    scripts = soup.find_all("script", src=True)
    assert scripts and all(tag.has_attr("defer") for tag in scripts)
    # The map's own script waits for them: it runs once the page is parsed.
    inline = [tag.string for tag in soup.find_all("script", src=False) if tag.get("nonce")]
    assert any("DOMContentLoaded" in text and "GuideMap.start" in text for text in inline)


def test_sites_come_as_data_not_as_one_marker_each(client, app):
    soup = page(client, "/map")
    config = map_config(soup)
    assert config["data"] == "/api/sites.geojson"
    assert config["areas"] == "/api/areas.geojson"
    script = inline_script(soup)
    assert "L.marker(" not in script
    with app.app_context():
        from guide.web import get_catalogue

        names = [site.name["vi"] for site in get_catalogue().published()]
    html = str(soup)
    assert not [name for name in names if name in html]


def test_site_address_centres_on_the_site(client, app):
    soup = page(client, "/map?site=z2hn")
    config = map_config(soup)
    assert config["site"] == "Z2HN"
    assert json.loads(CENTRE.search(inline_script(soup)).group(1)) == [21.094072, 105.774237]
    assert "Đình Chèm" in soup.title.get_text()


def test_area_address_fits_and_selects_the_area(client):
    soup = page(client, "/map?area=002")
    assert map_config(soup)["area"] == "002"
    south_west, north_east = json.loads(FIT.search(inline_script(soup)).group(1))
    catalogue = load_catalogue(client.application.config["GUIDE_SITES"])
    south, west, north, east = catalogue.areas.get("002").bounds
    assert south_west == pytest.approx([south, west]) and north_east == pytest.approx([north, east])
    selected = soup.select_one("#map-area option[selected]")
    assert selected["value"] == "002"
    assert selected.get_text().startswith("Quận Hoàn Kiếm")


@pytest.mark.parametrize(
    ("url", "words"),
    [("/en/map?site=QQQQ", "QQQQ"), ("/en/map?area=999", "999")],
)
def test_unknown_site_or_area_says_so_and_still_shows_the_map(client, url, words):
    soup = page(client, url, status=404)
    alert = soup.select_one("[role=alert]")
    assert alert and words in alert.get_text()
    assert soup.select_one("div.guide-map")


def test_embed_drops_the_page_chrome(client):
    full = page(client, "/map")
    assert full.select_one("header.top")
    embedded = page(client, "/map?embed=1")
    assert not embedded.select_one("header.top")
    assert not embedded.select_one("footer")
    assert map_config(embedded)["embed"] is True
    assert embedded.select_one("#map-filters input[name=embed]")["value"] == "1"
    assert embedded.select_one("div.guide-map")


def test_filters_list_kinds_ranks_and_areas_with_counts(client, app):
    soup = page(client, "/en/map")
    catalogue = load_catalogue(app.config["GUIDE_SITES"])
    published = catalogue.published()
    kinds = soup.select("#map-kind option[value!='']")
    assert sum(int(re.search(r"\((\d+)\)$", o.get_text()).group(1)) for o in kinds) == len(
        published
    )
    labels = {o["value"]: o.get_text() for o in kinds}
    assert labels["pagoda"].startswith("Pagoda")
    chem_group = catalogue.by_code("Z2HN").kind
    assert chem_group in labels
    assert len(soup.select("#map-area option[value!='']")) == len(catalogue.areas)
    assert soup.select("#map-rank option[value='special-national']")
    search = soup.select_one("#map-filters input[type=search][name=q]")
    assert soup.select_one(f"label[for={search['id']}]")


def test_preset_filters_come_from_the_address(client):
    soup = page(client, "/map?kind=pagoda&rank=special-national&q=tay phuong")
    assert soup.select_one("#map-kind option[selected]")["value"] == "pagoda"
    assert soup.select_one("#map-rank option[selected]")["value"] == "special-national"
    assert soup.select_one("#map-q")["value"] == "tay phuong"
    nonsense = page(client, "/map?kind=<b>&rank=nope")
    assert not nonsense.select("#map-kind option[selected]")


def test_legend_shows_each_kind_with_its_marker_style(client, app):
    soup = page(client, "/map")
    items = soup.select("#map-legend li")
    kinds = load_catalogue(app.config["GUIDE_SITES"]).config.vocabulary.kinds
    groups = {g.id: g for g in kinds}
    labels = {}
    for item in items:
        marker = item.select_one(".site-marker")
        if marker is None:
            continue
        group_id = next(c.removeprefix("kind-") for c in marker["class"] if c.startswith("kind-"))
        assert f"shape-{groups[group_id].shape}" in marker["class"]
        labels[group_id] = item.get_text(strip=True)
    translated = map_config(soup)["groups"]
    assert len(labels) >= 6
    for group_id, label in labels.items():
        # The legend names each marker style as the markers' popups and filters do.
        assert label == translated[group_id]["label"]
    assert "Chùa" in labels.values()
    # Each kind's colour reaches the page as one CSS rule, under the page's nonce.
    rules = soup.find("style", string=lambda text: text and ".kind-pagoda" in text)
    assert rules is not None and rules.get("nonce")
    for group in kinds:
        assert f".site-marker.kind-{group.id} > span {{ background-color: {group.colour}; }}" in (
            rules.string
        )
    assert soup.select_one("#map-legend .sources li")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("vi", {"zoomIn": "Phóng to", "story": "Đọc câu chuyện", "locate": "Hiện vị trí của tôi"}),
        ("en", {"zoomIn": "Zoom in", "story": "Read the story", "locate": "Show my location"}),
    ],
)
def test_interface_in_vietnamese_and_english(client, lang, expected):
    soup = page(client, "/map" if lang == "vi" else f"/{lang}/map")
    assert soup.html["lang"] == lang
    config = map_config(soup)
    assert config["language"] == lang
    for key, text in expected.items():
        assert config["labels"][key] == text
    summary = soup.select_one(".map-more summary").get_text()
    assert summary == {"vi": "Bộ lọc", "en": "Filters"}[lang]


def test_vietnamese_is_the_default(client):
    soup = page(client, "/map")
    assert soup.html["lang"] == "vi"
    assert map_config(soup)["fallback"] == "vi"


def test_tiles_come_from_the_settings(make_catalogue):
    root = make_catalogue(site_facts())
    app = create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(root),
            "GUIDE_TILE_URL": "https://tiles.example.vn/{z}/{x}/{y}.png",
            "GUIDE_TILE_ATTRIBUTION": "© Bản đồ thử",
        }
    )
    tiles = map_config(page(app.test_client(), "/map"))["tiles"]
    assert tiles["url"] == "https://tiles.example.vn/{z}/{x}/{y}.png"
    assert tiles["attribution"] == "© Bản đồ thử"


def test_a_site_name_with_html_is_escaped_in_the_page(make_catalogue):
    root = make_catalogue(site_facts(name={"vi": "<script>alert(1)</script>Đình"}))
    client = create_app({"TESTING": True, "GUIDE_SITES": str(root)}).test_client()
    response = client.get("/map?site=7K2Q")
    html = response.get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.get_text().startswith("Bản đồ: <script>alert(1)</script>Đình")
    assert "<script>alert(1)" not in html
