"""Inscriptions in Hán-Nôm: the subset font the guide serves, the story page, ``guide check``."""

from __future__ import annotations

import io
from array import array

import pytest
from browsing import LiveServer
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES, NOM, ORIGINAL, inscribed, site_facts

from guide import create_app
from guide.catalogue.index import load_catalogue
from guide.cli import main
from guide.render.han_nom import available_fonts, inscription_characters, is_han, plan_faces
from guide.settings import HAN_NOM_FONTS

FONTS = available_fonts(HAN_NOM_FONTS)
needs_font = pytest.mark.skipif(
    len(FONTS) < 2, reason=f"fonts-hanazono is not installed (looked for {HAN_NOM_FONTS})"
)


def font_urls(client, path: str = "/sites/dinh-chem") -> tuple[str, list[str]]:
    """Return the page's Hán-Nôm stylesheet URL and the font URLs that stylesheet names."""
    soup = BeautifulSoup(client.get(path).data, "html.parser")
    links = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
    font_css = [href for href in links if href.startswith("/fonts/")]
    if not font_css:
        return "", []
    css = client.get(font_css[0]).get_data(as_text=True)
    urls = [part.split('")')[0] for part in css.split('url("')[1:]]
    return font_css[0], urls


def test_ideographs_are_told_from_latin_text():
    assert all(is_han(c) for c in "大越國" + NOM)
    assert not any(is_han(c) for c in "Đại Việt quốc 1-2")


@needs_font
def test_the_subset_holds_exactly_the_characters_of_public_inscriptions(font_app):
    from fontTools.ttLib import TTFont

    client = font_app.test_client()
    css_url, urls = font_urls(client)
    assert css_url and len(urls) == 2, "basic plane from HanaMinA, Extension B from HanaMinB"
    css = client.get(css_url)
    assert css.mimetype == "text/css"
    assert css.cache_control.max_age == 365 * 24 * 3600
    found: set[int] = set()
    for url in urls:
        with client.get(url) as response:
            assert response.status_code == 200 and response.mimetype == "font/woff2"
            assert response.cache_control.max_age == 365 * 24 * 3600
            data = response.data
        font = TTFont(io.BytesIO(data))
        assert font.flavor == "woff2"
        cmap = set(font.getBestCmap())
        assert not cmap & found, "each character comes from one subset"
        found |= cmap
        assert len(data) < 100_000
    # The draft's 南國山河 stays out: only characters visitors can see are sent.
    assert found == {ord(c) for c in ORIGINAL if not c.isspace()}
    assert "U+21A38" in css.get_data(as_text=True)


@needs_font
def test_hanazono_draws_every_character_of_the_shipped_inscriptions():
    sites = [site for site in load_catalogue(DEFAULT_SITES) if site.is_public]
    characters = inscription_characters(sites)
    assert sum(is_han(character) for character in characters) >= 40
    faces = plan_faces(FONTS, characters)
    drawn = "".join(sorted("".join(face.characters for face in faces)))
    # Any character left out would fall back to whatever font the visitor happens to have.
    assert drawn == characters


@needs_font
@needs_font
def test_a_fonts_coverage_is_every_code_point_its_cmap_maps():
    from fontTools.ttLib import TTFont

    from guide.render.han_nom import coverage

    for path in FONTS:
        with TTFont(str(path)) as font:
            mapped = frozenset(font.getBestCmap())
        assert coverage(path) == mapped, path.name


@needs_font
def test_a_fonts_coverage_kept_in_a_folder_is_read_back_by_the_next_process(tmp_path):
    from guide.render import han_nom

    path = FONTS[0]
    mapped = han_nom.coverage(path)
    assert han_nom.coverage(path, tmp_path) == mapped
    [kept] = tmp_path.glob("coverage-*.bin")
    # A new process: nothing in memory, the kept file read instead of the font.
    han_nom._kept_coverage.cache_clear()
    kept.write_bytes(array("I", [0x570B, 0x5927]).tobytes())
    assert han_nom.coverage(path, tmp_path) == {0x570B, 0x5927}
    # A broken file is read from the font again, and kept right.
    han_nom._kept_coverage.cache_clear()
    kept.write_bytes(b"\x00\x01\x02")
    assert han_nom.coverage(path, tmp_path) == mapped
    han_nom._kept_coverage.cache_clear()
    assert han_nom.coverage(path, tmp_path) == mapped


def test_unknown_font_names_are_not_found(font_app):
    client = font_app.test_client()
    assert client.get("/fonts/han-nom.0000000000000000.woff2").status_code == 404
    assert client.get("/fonts/han-nom.x.woff2/../HanaMinA.ttf").status_code == 404


def test_pages_without_original_text_link_no_font(make_catalogue, tmp_path):
    no_original = site_facts(
        inscriptions=[{"kind": "stele", "reading": "Đại Việt", "sources": [1]}]
    )
    app = create_app({"TESTING": True, "GUIDE_SITES": str(make_catalogue(no_original))})
    assert font_urls(app.test_client()) == ("", [])


def test_without_the_font_file_the_page_still_shows_the_inscription(make_catalogue, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "GUIDE_SITES": str(make_catalogue(inscribed())),
            "GUIDE_HAN_NOM_FONT": str(tmp_path / "missing.ttf"),
        }
    )
    client = app.test_client()
    response = client.get("/sites/dinh-chem")
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.select_one("blockquote.han-nom").get_text() == ORIGINAL
    assert font_urls(client) == ("", [])


def test_check_warns_when_original_holds_no_han_characters(runner, make_catalogue):
    facts = inscribed()
    facts["inscriptions"][0]["original"] = "Đại Việt quốc"
    result = runner.invoke(main, ["check", "--sites", str(make_catalogue(facts))])
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert any(
        "inscriptions[0].original" in line and "put the reading in reading" in line
        for line in warnings
    ), warnings


def test_check_says_nothing_of_han_characters_in_original(runner, make_catalogue):
    result = runner.invoke(main, ["check", "--sites", str(make_catalogue(inscribed()))])
    assert "inscriptions[0].original" not in result.output


def test_check_warns_once_when_the_font_file_is_missing(
    runner, make_catalogue, monkeypatch, tmp_path
):
    root = make_catalogue(
        inscribed(),
        inscribed(code="7K2R", slug="den-chem", name={"vi": "Đền Chèm"}, lat=21.0951),
    )
    monkeypatch.setenv("GUIDE_HAN_NOM_FONT", str(tmp_path / "missing.ttf"))
    result = runner.invoke(main, ["check", "--sites", str(root)])
    assert result.exit_code == 0
    font_lines = [line for line in result.output.splitlines() if "GUIDE_HAN_NOM_FONT" in line]
    assert len(font_lines) == 1
    assert font_lines[0].startswith("warning:") and "2 sites" in font_lines[0]


@needs_font
def test_check_is_quiet_about_the_font_when_it_is_installed(runner, make_catalogue, monkeypatch):
    monkeypatch.delenv("GUIDE_HAN_NOM_FONT", raising=False)
    result = runner.invoke(main, ["check", "--sites", str(make_catalogue(inscribed()))])
    assert "GUIDE_HAN_NOM_FONT" not in result.output


@needs_font
@pytest.mark.browser
def test_the_browser_draws_the_inscription_in_the_guides_own_font(font_app, page):
    server = LiveServer(font_app).start()
    try:
        fonts: list[str] = []
        page.on("request", lambda r: fonts.append(r.url) if "/fonts/" in r.url else None)
        page.goto(f"{server.url}/sites/dinh-chem", wait_until="load")
        page.wait_for_function("document.fonts.status === 'loaded'")
        faces = page.evaluate(
            """async () => {
                await document.fonts.ready;
                const block = document.querySelector("blockquote.han-nom");
                await document.fonts.load('16px "Han Nom"', block.textContent);
                return [...document.fonts].filter(f => f.family.replace(/"/g, "") === "Han Nom")
                    .map(f => f.status);
            }"""
        )
        assert faces == ["loaded", "loaded"]
        assert page.evaluate(
            f"""document.fonts.check('16px "Han Nom"', {ORIGINAL.replace(" ", "")!r})"""
        )
        # Both subsets came from the guide itself (the system's own Hanazono would not count).
        assert len([url for url in fonts if url.endswith(".woff2")]) == 2
        assert all(url.startswith(server.url) for url in fonts)
        assert page.outside_requests == []
    finally:
        server.stop()
