"""What pages keep from one render to the next (the menu, addresses) stays right for every page.

The header's menu and footer are rendered once per language, addresses are
built once per page language and translations are looked up without Flask's
proxies: every page must still show its own language, its own links and the
catalogue as it is now.
"""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from builders import DEFAULT_SITES
from flask import url_for

from guide import create_app
from guide.web.language_paths import page_url
from guide.web.loaded import reload_catalogue


def menu(response) -> list[tuple[str, str]]:
    """Return (href, text) of the header's brand and menu links."""
    soup = BeautifulSoup(response.data, "html.parser")
    return [(a["href"], a.get_text()) for a in soup.select("header.top a.brand, nav.menu a")]


def test_the_menu_follows_each_pages_language_and_its_address(client):
    english = [
        ("/en/", "Red Addresses of Hà Nội"),
        ("/en/map", "Map"),
        ("/en/tours/plan", "Plan a tour"),
        ("/en/passport", "Passport"),
        ("/en/search", "Search"),
    ]
    assert menu(client.get("/en/sites/dinh-chem")) == english
    # The same language on a page without a language path (an unknown address asked in
    # English): English words, links to the default language's addresses.
    assert menu(client.get("/no-such-page?lang=en")) == [
        (href.removeprefix("/en"), text) if href != "/en/" else ("/", text)
        for href, text in english
    ]
    client.delete_cookie("lang")
    assert menu(client.get("/sites/dinh-chem")) == [
        ("/", "Địa chỉ đỏ Hà Nội"),
        ("/map", "Bản đồ"),
        ("/tours/plan", "Lập hành trình"),
        ("/passport", "Hộ chiếu"),
        ("/search", "Tìm kiếm"),
    ]
    japanese = menu(client.get("/ja/map"))
    assert japanese[0] == ("/ja/", "ハノイの「赤い住所」")
    assert [href for href, _ in japanese[1:]] == [
        "/ja/map",
        "/ja/tours/plan",
        "/ja/passport",
        "/ja/search",
    ]
    assert not {text for _, text in japanese} & {text for _, text in english}
    assert menu(client.get("/en/map")) == english


def test_the_menu_starts_with_the_applications_root(client):
    assert menu(client.get("/en/map"))[1] == ("/en/map", "Map")
    behind = client.get("/en/map", base_url="http://localhost/guide/")
    assert [href for href, _ in menu(behind)] == [
        "/guide/en/",
        "/guide/en/map",
        "/guide/en/tours/plan",
        "/guide/en/passport",
        "/guide/en/search",
    ]
    assert menu(client.get("/en/map"))[1] == ("/en/map", "Map")


def test_a_reloaded_catalogue_shows_its_new_title_and_sources(tmp_path):
    root = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, root)
    app = create_app({"TESTING": True, "GUIDE_SITES": str(root)})
    client = app.test_client()
    assert menu(client.get("/en/map"))[0] == ("/en/", "Red Addresses of Hà Nội")
    config = root / "catalogue.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('en = "Red Addresses of Hà Nội"', 'en = "Hà Nội\'s Red Addresses"'),
        encoding="utf-8",
    )
    reload_catalogue(app)
    assert menu(client.get("/en/map"))[0] == ("/en/", "Hà Nội's Red Addresses")


@pytest.mark.parametrize("path", ["/en/sites/dinh-chem", "/sites/dinh-chem", "/ko/passport"])
def test_kept_addresses_are_those_url_for_builds(app, path):
    asked = [
        ("public.home", {}),
        ("public.story", {"slug": "dinh-chem"}),
        ("public.story", {"slug": "dinh-chem", "lang": "vi"}),
        ("public.story", {"slug": "dinh-chem", "lang": "zh_Hans"}),
        ("public.search", {"q": "chèm", "area": "dong-anh"}),
        ("public.search", {"area": "dong-anh", "q": "chèm"}),
        ("maps.map_page", {}),
        ("offline.manifest", {}),
        ("admin.audit_log", {}),
        ("admin.audit_log", {"lang": "en"}),
    ]
    with app.test_request_context(path):
        app.preprocess_request()
        for endpoint, values in asked * 2:  # the second time from what was kept
            assert page_url(endpoint, **values) == url_for(endpoint, **values), (endpoint, values)


def test_guides_with_other_languages_keep_their_own_addresses(app, tmp_path):
    root = tmp_path / "sites"
    shutil.copytree(DEFAULT_SITES, root)
    config = root / "catalogue.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            'interface_languages = ["vi", "en", "zh_Hans", "ko", "ja", "fr"]',
            'interface_languages = ["vi", "en"]',
        ),
        encoding="utf-8",
    )
    other = create_app({"TESTING": True, "GUIDE_SITES": str(root)})
    for guide, korean in ((app, "/ko/"), (other, "/"), (app, "/ko/")):
        with guide.test_request_context("/en/map"):
            guide.preprocess_request()
            assert page_url("public.home", lang="ko") == korean


def test_template_translations_format_as_jinja_does(app):
    template = app.jinja_env.from_string(
        '{{ _("Map") }}|{{ _("100%% sure") }}|{{ _("Photo: %(credit)s", credit="<b>") }}'
        '|{% for n in [1] %}{{ _("Map") }}{% endfor %}'
    )
    with app.test_request_context("/en/map"):
        app.preprocess_request()
        assert template.render() == "Map|100% sure|Photo: &lt;b&gt;|Map"
    with app.test_request_context("/map"):
        app.preprocess_request()
        assert template.render().startswith("Bản đồ|100% sure|")
