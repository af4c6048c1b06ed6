"""The export's outputs that show what every page shows: lists, map, tours, codes, rules, index.

None of them depends on a site's neighbours, so they are known, and can be
rendered, before the story pages' digests are: ``guide.export.build`` renders
them in a process of their own while it finds those.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Flask, url_for

from guide.catalogue.index import Catalogue
from guide.export.codes import code_page, netlify_redirects, nginx_map
from guide.export.search import search_index
from guide.export.sitemap import robots_txt, sitemap_xml
from guide.web.maps.views import large_map_files

if TYPE_CHECKING:
    from guide.export.build import Builder

# (file of the export, digest of its inputs, what renders it, whether to look for its refs)
Output = tuple[str, str, Callable[[], tuple[bytes, str]], bool]
Rules = list[tuple[str, dict[str, str]]]
_PAGES = (
    "public.home",
    "public.search",
    "public.passport",
    "maps.map_page",
    "tour_pages.index",
    "tour_pages.planner",
    "offline.offline_page",
    "offline.manifest",
)
_TOUR_PAGES = (
    "tour_pages.tour",
    "tour_pages.tour_print",
    "tour_pages.tour_gpx",
    "tour_pages.tour_geojson",
)


def shared_addresses(catalogue: Catalogue) -> list[str]:
    """Return the addresses of the pages and files other than story pages; call in a request."""
    work = ["/sw.js", "/api/sites.geojson", "/api/areas.geojson"]
    work += large_map_files(catalogue)
    for language in catalogue.config.interface_languages:
        work += [url_for(endpoint, lang=language) for endpoint in _PAGES]
        for tour in sorted(catalogue.tours):
            work += [url_for(endpoint, tour=tour, lang=language) for endpoint in _TOUR_PAGES]
    return work


def story_addresses(catalogue: Catalogue) -> dict[str, dict[str, str]]:
    """Return each public site's story page in every language; call in a request."""
    languages = catalogue.config.interface_languages
    return {
        site.slug: {
            language: url_for("public.story", slug=site.slug, lang=language)
            for language in languages
        }
        for site in catalogue.sites
        if site.is_public
    }


def code_rules(catalogue: Catalogue, stories: dict[str, dict[str, str]]) -> Rules:
    """Return (code, language → story page) of every public site, in the order of codes."""
    public = (site for site in catalogue.sites if site.is_public)
    return [(site.code, stories[site.slug]) for site in sorted(public, key=lambda s: s.code)]


def code_outputs(catalogue: Catalogue, rules: Rules, api: str, every: str) -> list[Output]:
    """Return the code pages of every public site, for a host without redirect rules."""
    title = catalogue.config.title.get(catalogue.config.interface_languages[0], "")
    outputs: list[Output] = []
    for code, targets in rules:
        name = next(iter(catalogue.by_code(code).name.values()))
        # /S/<CODE>/Q is what plaques print (a scan), /S/<CODE> a typed or shared link.
        for marker, via in (("", "link"), ("Q", "plaque")):
            count = f"{api}/api/count/{code}?via={via}" if api else ""
            data = code_page(code, targets, title, name, count).encode("utf-8")
            folders = [f"S/{code}", f"s/{code.lower()}"]
            if marker:
                folders = [f"{folder}/{m}" for folder in folders for m in ("Q", "q")]
            outputs += [
                (f"{folder}/index.html", every, lambda d=data: (d, "text/html"), False)
                for folder in folders
            ]
    return outputs


def extra_outputs(builder: Builder, catalogue: Catalogue, rules: Rules, every: str) -> list[Output]:
    """Return the 404 page, redirect rules, search index, sitemap and robots.txt."""
    app: Flask = builder.app
    languages = catalogue.config.interface_languages
    base_url = builder.base_url

    def index() -> tuple[bytes, str]:
        with app.test_request_context():
            found = search_index(catalogue)
        return json.dumps(found, ensure_ascii=False, sort_keys=True).encode(), "text/plain"

    outputs: list[Output] = [
        ("404.html", every, builder.not_found, True),
        ("_redirects", every, lambda: (netlify_redirects(rules).encode(), "text/plain"), True),
        (
            "nginx-codes.conf",
            every,
            lambda: (nginx_map(rules, languages).encode(), "text/plain"),
            False,
        ),
        ("api/search-index.json", every, index, False),
        ("robots.txt", every, lambda: (robots_txt(base_url).encode(), "text/plain"), False),
    ]
    if base_url:
        sitemap = lambda: (sitemap_xml(app, catalogue, base_url), "text/xml")  # noqa: E731
        outputs.append(("sitemap.xml", every, sitemap, False))
    return outputs
