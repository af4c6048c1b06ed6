"""The story page's "where am I" locator: neighbouring areas, other sites, and the page's weight."""

from __future__ import annotations

import gzip

from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, language_path
from shapely.geometry import Point

from guide.catalogue.index import load_catalogue

CATALOGUE = load_catalogue(DEFAULT_SITES)
PAGE_BUDGET = 12 * 1024


def locator_of(client, slug: str, language: str = "vi"):
    response = client.get(language_path(language, f"/sites/{slug}"))
    assert response.status_code == 200
    return BeautifulSoup(response.data, "html.parser").find("svg", class_="locator")


def test_the_neighbouring_areas_are_outlined_and_named_from_the_areas_file(client):
    site = CATALOGUE.by_slug("bao-tang-ho-chi-minh")
    own = CATALOGUE.areas.get(site.area)
    svg = locator_of(client, site.slug)
    outlined = {path.title.get_text() for path in svg.select("path.neighbour")}
    touching = {
        a.name for a in CATALOGUE.areas if a.id != own.id and a.geometry.touches(own.geometry)
    }
    assert touching and touching <= outlined, touching - outlined
    assert outlined <= {a.name for a in CATALOGUE.areas} - {own.name}
    named = {text.get_text() for text in svg.select("text.area-name")}
    assert named and named <= outlined
    # Names stay inside the drawing.
    width = float(svg["viewbox"].split()[2])
    for text in svg.select("text.area-name"):
        half = len(text.get_text()) * 3
        assert half <= float(text["x"]) <= width - half


def test_other_published_sites_in_view_are_dots_named_in_their_title(client):
    site = CATALOGUE.by_slug("bao-tang-ho-chi-minh")
    svg = locator_of(client, site.slug, "en")
    dots = [circle.title.get_text() for circle in svg.select("circle.other")]
    published = {s.display_name("en") for s in CATALOGUE.published()}
    drafts = {s.display_name("en") for s in CATALOGUE if s.status == "draft"}
    assert len(dots) >= 5
    assert set(dots) <= published - {site.display_name("en")}
    assert not set(dots) & (drafts - published)
    # The numbered neighbours are not drawn twice.
    numbered = {g.title.get_text() for g in svg.select("g.near")}
    assert not numbered & set(dots)
    # Every dot lies near the site's own area: inside the drawn box around it.
    own = CATALOGUE.areas.get(site.area).geometry
    names = {s.display_name("en"): s for s in CATALOGUE.published()}
    west, south, east, north = own.bounds
    span = max(east - west, north - south)
    for name in dots:
        other = names[name]
        assert own.buffer(span).contains(Point(other.lon, other.lat)), name


def test_no_river_or_lake_is_drawn_only_what_the_data_has(client):
    svg = locator_of(client, "dinh-chem")
    classes = {c for element in svg.find_all(True) for c in element.get("class", [])}
    assert classes <= {"locator", "area", "neighbour", "area-name", "other", "near", "here", "dot"}


def test_every_published_story_page_stays_under_12_kb_compressed(client):
    for site in CATALOGUE.published():
        page = client.get(f"/sites/{site.slug}").data
        size = len(gzip.compress(page))
        assert size <= PAGE_BUDGET, f"/sites/{site.slug}: {size} bytes compressed"


def test_a_locator_drawn_again_is_the_same_and_its_outlines_are_simplified_once():
    from guide.render.locator import Mark, Outline, locator_svg

    site = CATALOGUE.by_slug("bao-tang-ho-chi-minh")
    own = CATALOGUE.areas.get(site.area)
    districts = [Outline(a.name, a.geometry) for a in CATALOGUE.areas if a.id != own.id]
    mark = Mark(site.lat, site.lon, "", "Bảo tàng Hồ Chí Minh")

    kept: dict = {}

    def draw(title: str) -> str:
        return locator_svg(mark, area=own.geometry, title=title, districts=districts, kept=kept)

    def outlines_cut() -> int:
        return sum(1 for key in kept if key[0] == "drawn")

    first = draw("Bảo tàng Hồ Chí Minh")
    assert outlines_cut() == 1
    again = draw("Ho Chi Minh Museum")  # the same box in another language: drawn from the store
    assert outlines_cut() == 1
    assert again == first.replace("Bảo tàng Hồ Chí Minh</title>", "Ho Chi Minh Museum</title>", 1)
    kept.clear()
    assert draw("Bảo tàng Hồ Chí Minh") == first
    # Without a store nothing is kept, and the drawing is the same.
    assert (
        locator_svg(mark, area=own.geometry, title="Bảo tàng Hồ Chí Minh", districts=districts)
        == first
    )


def test_a_dense_catalogue_shows_the_nearest_other_sites_and_keeps_the_page_light(tmp_path):
    import math
    import shutil

    from builders import generated, write_site

    from guide import create_app
    from guide.web.public.story import OTHER_DOTS

    root = tmp_path / "sites"
    root.mkdir()
    for name in ("catalogue.toml", "areas.geojson"):
        shutil.copyfile(DEFAULT_SITES / name, root / name)
    for facts in generated(400):
        write_site(root, {**facts, "needs_story": True})
    dense = load_catalogue(root)
    site = dense.by_slug("di-tich-000")
    client = create_app({"TESTING": True, "GUIDE_SITES": str(root)}).test_client()
    page = client.get(language_path("en", f"/sites/{site.slug}")).data
    assert len(gzip.compress(page)) <= PAGE_BUDGET
    svg = BeautifulSoup(page, "html.parser").find("svg", class_="locator")
    dots = {circle.title.get_text() for circle in svg.select("circle.other")}
    assert len(dots) == OTHER_DOTS
    numbered = {g.title.get_text() for g in svg.select("g.near")}

    def apart(other) -> float:
        scale = math.cos(math.radians(site.lat))
        return math.hypot(other.lat - site.lat, (other.lon - site.lon) * scale)

    others = [s for s in dense.published() if s.slug != site.slug]
    shown = [s for s in others if s.display_name("en") in dots]
    hidden = [
        s for s in others if s.display_name("en") not in dots | numbered | {site.display_name("en")}
    ]
    assert len(shown) == OTHER_DOTS
    assert max(map(apart, shown)) <= min(map(apart, hidden))


def test_a_sites_locator_in_each_language_has_the_same_drawing_and_that_languages_names(client):
    site = CATALOGUE.by_slug("bao-tang-ho-chi-minh")
    drawings = {}
    for language in ("vi", "en", "vi"):
        svg = locator_of(client, site.slug, language)
        names = [title.get_text() for title in svg.select("g title, circle title")]
        assert site.display_name(language) in names
        assert svg.find("title", id="locator-title").get_text().count(site.display_name(language))
        for text in svg.find_all(["title", "desc"]):
            text.decompose()
        drawing = str(svg)
        numbers = [text.get_text() for text in svg.select("g.near text")]
        drawings.setdefault(language, []).append((drawing, numbers, names))
    (vi_drawing, vi_numbers, vi_names), again = drawings["vi"]
    en_drawing, en_numbers, en_names = drawings["en"][0]
    # Drawn once per site, named per language: the shapes and dots are the same...
    assert en_drawing == vi_drawing
    assert en_numbers == vi_numbers and len(vi_numbers) >= 2
    # ...and the names are the page's language, not the first page drawn.
    assert en_names != vi_names
    assert site.display_name("en") in en_names and site.display_name("en") not in vi_names
    assert again == (vi_drawing, vi_numbers, vi_names)
