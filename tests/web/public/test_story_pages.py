"""Story pages as a phone gets them: addresses, languages, safety, sharing data, nearby."""

from __future__ import annotations

import gzip
import json
import os
import re
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from builders import edit_site, read_site
from geopy.distance import geodesic
from PIL import Image
from story_data import CHEM

from guide import create_app
from guide.catalogue.codes import record

BUDGET_BYTES = 40 * 1024


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


# Addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/S/7K2Q", "/s/7k2q", "/S/7k2Q", "/s/7K2Q"])
def test_a_plaque_code_in_any_case_leads_to_the_story(story_client, path):
    response = story_client.get(path)
    assert response.status_code in (301, 302)
    assert response.headers["Location"].endswith("/sites/dinh-chem")
    page = soup_of(story_client.get(path, follow_redirects=True))
    assert page.h1.get_text(strip=True) == "Đình Chèm"


def test_the_shipped_plaque_code_of_dinh_chem_works(client):
    response = client.get("/s/z2hn", follow_redirects=True)
    assert response.status_code == 200
    assert "Đình Chèm" in soup_of(response).h1.get_text()


@pytest.mark.parametrize("path", ["/S/ZZZZ", "/s/zzzz", "/sites/khong-co", "/nowhere"])
def test_an_unknown_address_gets_a_friendly_404_in_both_languages(story_client, path):
    response = story_client.get(path)
    assert response.status_code == 404
    page = soup_of(response)
    assert len(page.find_all("h1")) == 1
    sections = page.select("section.not-found")
    assert [s["lang"] for s in sections] == ["vi", "en"]
    assert sections[0].h1.get_text() == "Không tìm thấy trang"
    assert sections[1].h2.get_text() == "Page not found"
    for section, prefix in zip(sections, ["", "/en"], strict=True):
        form = section.find("form")
        assert form["action"] == f"{prefix}/search" and form.find("input", attrs={"name": "q"})
        assert section.find("a", href=f"{prefix}/map")


def test_the_404_page_puts_the_visitors_language_first(story_client):
    page = soup_of(story_client.get("/S/ZZZZ", headers={"Accept-Language": "en"}))
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "Page not found"


def test_a_draft_is_not_public(story_client):
    assert story_client.get("/sites/nhap").status_code == 404
    assert story_client.get("/S/N2AP").status_code == 404
    assert story_client.get("/s/n2ap").status_code == 404
    search = soup_of(story_client.get("/search?q=mieu+nhap"))
    assert not search.find("a", href="/sites/nhap")
    assert not soup_of(story_client.get("/")).find("a", href="/sites/nhap")


def test_an_archived_site_keeps_its_code_and_shows_its_story_with_a_notice(story_client):
    response = story_client.get("/s/q2ut", follow_redirects=True)
    assert response.status_code == 200
    page = soup_of(story_client.get("/en/sites/luu-tru"))
    assert page.h1.get_text() == "Nhà Lưu Trữ (EN)"
    notices = [p.get_text() for p in page.select("p.notice")]
    assert any("archived" in text for text in notices)
    assert page.find(id="narrative").get_text(strip=True) == "An old story."
    assert page.find("article")["data-status"] == "archived"


def test_archived_and_draft_sites_are_not_offered_as_nearby(story_client):
    page = soup_of(story_client.get("/sites/dinh-chem"))
    linked = {a["href"] for a in page.select("ol.nearby a")}
    assert "/sites/luu-tru" not in linked and "/sites/nhap" not in linked


def test_a_renamed_site_keeps_its_old_link_and_its_code(story_root, tmp_path):
    old = story_root / "xa-hon"
    new = story_root / "chua-xa"
    old.rename(new)
    edit_site(new, slug="chua-xa")
    record(story_root, [("X2AH", "chua-xa")])
    app = create_app({"TESTING": True, "GUIDE_SITES": str(story_root)})
    client = app.test_client()
    assert client.get("/S/X2AH").headers["Location"].endswith("/sites/chua-xa")
    moved = client.get("/sites/xa-hon")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/sites/chua-xa")


# Language --------------------------------------------------------------------------------


def test_vietnamese_is_the_default_language(story_client):
    page = soup_of(story_client.get("/sites/dinh-chem"))
    assert page.html["lang"] == "vi"
    assert page.h1.get_text() == "Đình Chèm"
    assert page.find(id="narrative")["lang"] == "vi"
    assert page.find(id="narrative").h2.get_text() == "Lịch sử"


def test_lang_parameter_chooses_english_and_is_remembered(story_client):
    old = story_client.get("/sites/dinh-chem?lang=en")
    assert old.status_code == 301 and old.headers["Location"] == "/en/sites/dinh-chem"
    page = soup_of(story_client.get("/en/sites/dinh-chem"))
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "Chem Communal House"
    assert page.find(id="narrative").h2.get_text() == "History"
    # The explicit choice outweighs the browser's list where the guide chooses.
    later = story_client.get("/", headers={"Accept-Language": "vi"})
    assert later.status_code == 302 and later.headers["Location"] == "/en/"


def test_accept_language_chooses_english_at_the_root_only(story_client):
    root = story_client.get("/", headers={"Accept-Language": "de-DE, de;q=0.9, en-US;q=0.8"})
    assert root.status_code == 302 and root.headers["Location"] == "/en/"
    assert "Accept-Language" in root.headers["Vary"]
    page = soup_of(story_client.get("/en/", headers={"Accept-Language": "en-US"}))
    assert page.html["lang"] == "en"
    # A page whose address names its language is that language for everyone.
    story = soup_of(story_client.get("/sites/dinh-chem", headers={"Accept-Language": "en-US"}))
    assert story.html["lang"] == "vi"


def test_choosing_vietnamese_at_the_root_is_kept(story_client):
    english = soup_of(story_client.get("/en/", headers={"Accept-Language": "en"}))
    to_vietnamese = english.find("a", hreflang="vi")["href"]
    page = story_client.get(to_vietnamese, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and soup_of(page).html["lang"] == "vi"
    assert story_client.get("/", headers={"Accept-Language": "en"}).status_code == 200


def test_a_missing_translation_falls_back_to_vietnamese_with_a_notice(story_client):
    page = soup_of(story_client.get("/en/sites/gan"))
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "Đình Gần (EN)"
    narrative = page.find(id="narrative")
    assert narrative["lang"] == "vi"
    assert narrative.get_text(strip=True) == "Chỉ có bản tiếng Việt."
    notice = " ".join(p.get_text() for p in page.select("p.notice"))
    assert "English" in notice and "Vietnamese" in notice
    # The speech button reads the narrative in the narrative's language.
    assert page.find("button", attrs={"data-listen": True})["data-lang"] == "vi"


def test_the_vietnamese_page_of_a_fully_translated_site_has_no_notice(story_client):
    assert not soup_of(story_client.get("/sites/dinh-chem")).select("p.notice")


# Safety ----------------------------------------------------------------------------------


def test_a_narrative_with_script_and_event_handlers_renders_inert(story_client):
    page = soup_of(story_client.get("/sites/doc-hai"))
    narrative = page.find(id="narrative")
    assert narrative.find("script") is None
    assert narrative.find("iframe") is None
    for element in narrative.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element
        assert not element.get("href", "").lower().startswith("javascript:")
    assert "Đoạn có sự kiện." in narrative.get_text()
    # The only scripts on the page are the guide's own file and inert data blocks.
    for script in page.find_all("script"):
        if script.get("src"):
            assert script["src"].startswith("/static/guide.")
        else:
            assert script["type"] in ("application/ld+json", "application/json")
    assert "hacked" not in page.find("script", type="application/ld+json").get_text()


def test_no_event_handler_attribute_anywhere_on_public_pages(story_client):
    for path in ("/", "/sites/doc-hai", "/search?q=dinh", "/passport", "/S/ZZZZ"):
        page = soup_of(story_client.get(path))
        for element in page.find_all(True):
            assert not [n for n in element.attrs if n.lower().startswith("on")], (path, element)


# Sharing data ----------------------------------------------------------------------------


def json_ld(page: BeautifulSoup) -> dict:
    return json.loads(page.find("script", type="application/ld+json").string)


def test_json_ld_describes_the_site_with_its_coordinates(story_client):
    data = json_ld(soup_of(story_client.get("/sites/dinh-chem")))
    assert data["@context"] == "https://schema.org"
    assert set(data["@type"]) == {"LandmarksOrHistoricalBuildings", "TouristAttraction"}
    assert data["name"] == "Đình Chèm"
    assert data["description"] == "Đình Chèm thờ Lý Ông Trọng."
    assert data["geo"]["@type"] == "GeoCoordinates"
    assert (data["geo"]["latitude"], data["geo"]["longitude"]) == CHEM
    assert data["address"]["streetAddress"] == "Làng Chèm"
    assert data["address"]["addressCountry"] == "VN"
    assert data["url"] == "https://ditich.example.vn/sites/dinh-chem"
    assert data["image"][0].startswith("https://ditich.example.vn/photos/dinh-chem/")


def test_json_ld_stays_one_json_value_when_a_name_holds_markup(story_root, tmp_path):
    names = read_site(story_root / "gan")["name"]
    edit_site(story_root / "gan", name={**names, "vi": "Đình </script><b>Gần"})
    client = create_app({"TESTING": True, "GUIDE_SITES": str(story_root)}).test_client()
    page = soup_of(client.get("/sites/gan"))
    assert json_ld(page)["name"] == "Đình </script><b>Gần"
    assert page.h1.get_text() == "Đình </script><b>Gần"


def test_open_graph_and_twitter_tags_show_name_summary_and_photo(story_client):
    page = soup_of(story_client.get("/en/sites/dinh-chem"))

    def meta(key: str) -> str:
        tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
        return tag["content"]

    assert meta("og:title") == "Chem Communal House"
    assert meta("og:description") == "The Chèm house."
    assert meta("og:url") == "https://ditich.example.vn/en/sites/dinh-chem"
    assert meta("og:image").startswith("https://ditich.example.vn/photos/dinh-chem/")
    assert meta("twitter:card") == "summary_large_image"
    assert meta("twitter:title") == "Chem Communal House"


def test_share_and_directions_links(story_client):
    page = soup_of(story_client.get("/sites/dinh-chem"))
    assert page.find(id="share-link")["value"] == "https://ditich.example.vn/sites/dinh-chem"
    assert page.find("button", attrs={"data-share": True})
    hrefs = [a["href"] for a in page.select("#get-there ~ ul a, section a.button")]
    geo = next(h for h in hrefs if h.startswith("geo:"))
    assert geo.startswith("geo:21.094072,105.774237")
    osm = next(h for h in hrefs if "openstreetmap.org/directions" in h)
    assert "21.094072%2C105.774237" in osm


# Nearby ----------------------------------------------------------------------------------


def test_nearby_distances_and_walking_times_match_geopy(story_client, story_app):
    page = soup_of(story_client.get("/en/sites/dinh-chem"))
    items = page.select("ol.nearby li")
    slugs = [li.a["href"].rsplit("/", 1)[1] for li in items]
    # Published and within 1500 m, nearest first: not the 2.6 km site, the draft or the archived.
    assert slugs == ["gan", "xa-hon", "doc-hai"]
    radius = story_app.config["GUIDE_NEARBY_RADIUS_M"]
    speed = story_app.config["GUIDE_WALK_SPEED_KMH"]
    # The walk is the straight line times the detour factor, as the planner estimates it.
    detour = story_app.config["GUIDE_WALK_DETOUR"]
    with story_app.app_context():
        from guide.web import get_catalogue

        catalogue = get_catalogue()
        for li, slug in zip(items, slugs, strict=True):
            site = catalogue.by_slug(slug)
            expected = geodesic(CHEM, (site.lat, site.lon)).meters
            assert expected <= radius
            text = li.select_one(".distance").get_text()
            metres, minutes = (
                int(n.replace("\u202f", "")) for n in re.findall(r"[\d\u202f]+", text)
            )
            assert abs(metres - expected * detour) <= 0.5
            assert minutes == max(1, round(expected * detour / (speed * 1000 / 60)))


def test_the_locator_map_is_inline_svg_with_the_site_and_numbered_neighbours(story_client):
    response = story_client.get("/sites/dinh-chem")
    page = soup_of(response)
    svg = page.find("svg", class_="locator")
    assert svg["role"] == "img"
    assert page.find(id=svg["aria-labelledby"]).get_text()
    assert svg.find("path", class_="area")["d"].startswith("M")
    assert len(svg.select("g.here")) == 1
    assert [t.get_text() for t in svg.select("g.near text")] == ["1", "2", "3"]
    assert len(str(svg).encode()) < 6000
    # No map library or tiles: nothing but the guide's own script is loaded.
    assert [s["src"] for s in page.find_all("script", src=True)] == [
        page.find("script", src=True)["src"]
    ]


# Photos and sound ------------------------------------------------------------------------


def test_photos_have_captions_credits_sizes_and_lazy_loading(story_client, story_root, tmp_path):
    page = soup_of(story_client.get("/en/sites/dinh-chem"))
    figures = page.select("figure.photo")
    assert len(figures) == 2
    first, second = (f.img for f in figures)
    assert first["alt"] == "The gate"
    assert "The gate" in figures[0].figcaption.get_text()
    assert "Ảnh thử nghiệm" in figures[0].figcaption.get_text()
    assert second["alt"] == "Sân đình"  # no English caption: the Vietnamese one
    assert "loading" not in first.attrs and second["loading"] == "lazy"
    assert first["sizes"] == second["sizes"] == "(min-width: 46rem) 44rem, calc(100vw - 2rem)"
    assert (int(first["width"]), int(first["height"])) == (720, 450)
    widths = [int(part.split()[1][:-1]) for part in first["srcset"].split(", ")]
    assert widths == [360, 720, 1080]
    assert [int(p.split()[1][:-1]) for p in second["srcset"].split(", ")] == [360, 720, 800]
    for candidate in first["srcset"].split(", "):
        url, width = candidate.split()
        response = story_client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert response.cache_control.immutable
        image = Image.open(BytesIO(response.data))
        response.close()
        assert image.width == int(width[:-1])
        assert image.height == round(1000 * image.width / 1600)
    made = [path for path in (tmp_path / "photo-cache").rglob("*") if path.is_file()]
    assert len(made) == 3
    assert not [p for p in story_root.rglob("*.jpg") if "photos" not in p.parts]


def test_a_photo_size_is_made_once_and_then_reused(story_client, tmp_path):
    url = soup_of(story_client.get("/sites/dinh-chem")).find("figure").img["src"]
    story_client.get(url).close()
    (made,) = [path for path in (tmp_path / "photo-cache").rglob("*") if path.is_file()]
    stamp = made.stat().st_mtime_ns
    again = story_client.get(url)
    again.close()
    assert again.status_code == 200
    assert made.stat().st_mtime_ns == stamp


def test_photo_urls_refuse_sizes_not_offered_and_files_not_listed(story_client):
    url = soup_of(story_client.get("/sites/dinh-chem")).find("figure").img["src"]
    assert story_client.get(url.replace("/720/", "/5000/")).status_code == 404
    assert story_client.get(url.replace("photos/cong.jpg", "site.toml")).status_code == 404
    assert story_client.get(url.replace("dinh-chem", "nhap")).status_code == 404


def test_the_photo_cache_may_not_be_inside_the_catalogue(story_root):
    with pytest.raises(RuntimeError, match="GUIDE_PHOTO_CACHE"):
        create_app(
            {
                "TESTING": True,
                "GUIDE_SITES": str(story_root),
                "GUIDE_PHOTO_CACHE": str(story_root / "cache"),
            }
        )


def test_a_recorded_narration_is_offered_without_preloading(story_root, tmp_path):
    edit_site(story_root / "gan", media=[{"file": "story.vi.mp3", "credit": "Test"}])
    (story_root / "gan" / "story.vi.mp3").write_bytes(b"ID3" + bytes(500))
    client = create_app({"TESTING": True, "GUIDE_SITES": str(story_root)}).test_client()
    page = soup_of(client.get("/sites/gan"))
    audio = page.find("audio")
    assert audio["preload"] == "none"
    assert page.find("label", attrs={"for": audio["id"]})
    assert not page.find("button", attrs={"data-listen": True})
    response = client.get(audio["src"])
    response.close()
    assert response.status_code == 200 and response.mimetype == "audio/mpeg"


def test_without_a_recording_the_listen_button_waits_for_a_voice(story_client):
    button = soup_of(story_client.get("/sites/dinh-chem")).find(
        "button", attrs={"data-listen": True}
    )
    # Hidden until the page's script finds a speech voice for the language.
    assert button.has_attr("hidden") and button["data-lang"] == "vi"


# Home and search -------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["dinh chem", "ĐÌNH CHÈM", "Dinh Chem", "chem"])
def test_search_ignores_diacritics_and_case(client, query):
    page = soup_of(client.get("/search", query_string={"q": query}))
    assert page.find("a", href="/sites/dinh-chem")


def test_search_finds_nothing_for_an_unknown_name_and_offers_browsing(client):
    page = soup_of(client.get("/search?q=khongcogica"))
    assert not page.select("ul.results li")
    assert page.select("details.area")


def test_search_by_area_and_kind(client, app):
    with app.app_context():
        from guide.web import get_catalogue

        catalogue = get_catalogue()
        expected_area = {
            f"/sites/{s.slug}" for s in catalogue.filter(status="published", area="021")
        }
        expected_kind = {
            f"/sites/{s.slug}" for s in catalogue.filter(status="published", kind="communal-house")
        }
    by_area = soup_of(client.get("/search?area=021"))
    assert {a["href"] for a in by_area.select("ul.results a")} == expected_area
    by_kind = soup_of(client.get("/search", query_string={"kind": "communal-house"}))
    assert {a["href"] for a in by_kind.select("ul.results a")} == expected_kind
    assert "/sites/dinh-chem" in expected_kind


def test_home_lists_sites_by_area_and_kind_and_links_map_and_passport(client, app):
    page = soup_of(client.get("/"))
    with app.app_context():
        from guide.web import get_catalogue

        published = {f"/sites/{s.slug}" for s in get_catalogue().published()}
    listed = {a["href"] for a in page.select("details.area a")}
    assert listed == published
    assert page.select("ul.chips a[href^='/search?kind=']")
    assert page.find("a", href="/map") and page.find("a", href="/passport")
    assert page.find("form", action="/search")


def test_language_links_keep_the_search(client):
    page = soup_of(client.get("/search?q=chem"))
    english = page.find("a", hreflang="en")["href"]
    assert english == "/en/search?q=chem"


# Passport and offline --------------------------------------------------------------------


def test_passport_page_carries_per_area_totals_of_published_sites(story_client):
    page = soup_of(story_client.get("/en/passport"))
    data = json.loads(page.find("script", id="passport-data").string)
    assert data["areas"] == [{"id": "021", "name": "Bắc Từ Liêm District", "total": 5}]
    assert set(data["sites"]) == {"dinh-chem", "gan", "xa-hon", "ngoai-tam", "doc-hai"}
    assert data["sites"]["dinh-chem"] == {
        "name": "Chem Communal House",
        "area": "021",
        "url": "/en/sites/dinh-chem",
    }
    assert data["text"]["progress"] == "{done} of {total} in {area}"
    row = page.select_one("[data-area='021'] [data-progress-text]").get_text()
    assert row == "0 of 5 in Bắc Từ Liêm District"


def test_manifest_and_service_worker(story_client):
    page = soup_of(story_client.get("/sites/dinh-chem"))
    manifest_url = page.find("link", rel="manifest")["href"]
    manifest = json.loads(story_client.get(manifest_url).data)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert story_client.get(icon["src"]).status_code == 200
    worker = story_client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.cache_control.no_cache
    text = worker.get_data(as_text=True)
    for asset in (
        page.find("link", rel="stylesheet")["href"],
        page.find("script", src=True)["src"],
    ):
        if asset.startswith("/static/"):
            assert f'"{asset}"' in text
    assert story_client.get("/offline").status_code == 200


# Budgets and caching ---------------------------------------------------------------------


def gzip_size(client, path: str) -> int:
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == "gzip", path
    return len(response.data)


def test_story_page_html_css_and_js_fit_the_budget_compressed(client):
    page = soup_of(client.get("/sites/dinh-chem"))
    parts = ["/sites/dinh-chem"]
    parts += [link["href"] for link in page.find_all("link", rel="stylesheet")]
    parts += [script["src"] for script in page.find_all("script", src=True)]
    total = sum(gzip_size(client, path) for path in parts)
    assert total <= BUDGET_BYTES, f"{total} bytes compressed: over the 40 KB budget"


def test_pages_are_compressed_and_decompress_to_the_same_page(client):
    plain = client.get("/sites/dinh-chem").data
    packed = client.get("/sites/dinh-chem", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
@pytest.mark.parametrize("path", ["/", "/sites/dinh-chem", "/search?q=chem", "/passport"])
def test_pages_answer_conditional_requests_with_304(client, path, encoding):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get(path, headers=headers)
    etag = first.headers["ETag"]
    assert first.cache_control.no_cache
    again = client.get(path, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert not again.data


def test_static_assets_are_hashed_and_cached_long(client):
    page = soup_of(client.get("/sites/dinh-chem"))
    for url in [page.find("link", rel="stylesheet")["href"], page.find("script", src=True)["src"]]:
        assert re.fullmatch(r"/static/guide\.[0-9a-f]{10}\.(css|js)", url)
        response = client.get(url)
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.immutable


def test_an_edited_narrative_shows_at_once(story_client, story_root):
    assert "Lý Ông Trọng" in soup_of(story_client.get("/sites/dinh-chem")).find(id="narrative").text
    story = story_root / "dinh-chem" / "story.vi.md"
    story.write_text("Đình Chèm, bản đã sửa.", encoding="utf-8")
    stat = story.stat()
    os.utime(story, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    narrative = soup_of(story_client.get("/sites/dinh-chem")).find(id="narrative")
    assert narrative.get_text(strip=True) == "Đình Chèm, bản đã sửa."


def test_a_photo_pillow_cannot_read_is_left_out_and_the_page_still_works(story_root, tmp_path):
    (story_root / "dinh-chem" / "photos" / "san.jpg").write_bytes(b"not a photo")
    app = create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(story_root),
            "GUIDE_PHOTO_CACHE": str(tmp_path / "cache"),
        }
    )
    client = app.test_client()
    response = client.get("/sites/dinh-chem")
    assert response.status_code == 200
    assert [img["alt"] for img in soup_of(response).select("figure.photo img")] == ["Cổng đình"]


def test_an_archived_site_without_a_point_has_a_page_without_map_or_coordinates(story_root):
    facts = (story_root / "luu-tru" / "site.toml").read_text(encoding="utf-8")
    facts = "\n".join(
        line for line in facts.splitlines() if not line.startswith(("lat =", "lon ="))
    )
    (story_root / "luu-tru" / "site.toml").write_text(facts, encoding="utf-8")
    client = create_app({"TESTING": True, "GUIDE_SITES": str(story_root)}).test_client()
    response = client.get("/sites/luu-tru")
    assert response.status_code == 200
    page = soup_of(response)
    assert "geo" not in json_ld(page)
    assert not page.find("svg") and not page.select('a[href^="geo:"]')
