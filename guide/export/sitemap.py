"""Write what search engines read: robots.txt and sitemap.xml with hreflang alternates."""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape

from flask import Flask, url_for

from guide.catalogue.index import Catalogue
from guide.web.language_paths import path_segment


def robots_txt(base_url: str) -> str:
    """Return robots.txt: the workspace and the API are not for crawlers."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/"]
    if base_url:
        lines.append(f"Sitemap: {base_url}/sitemap.xml")
    return "\n".join(lines) + "\n"


def sitemap_xml(app: Flask, catalogue: Catalogue, base_url: str) -> bytes:
    """Return sitemap.xml: each public page once per language, with hreflang alternates."""
    languages = catalogue.config.interface_languages

    groups: list[dict[str, str]] = []
    with app.test_request_context():
        for endpoint in ("public.home", "maps.map_page", "tour_pages.index"):
            groups.append({lang: url_for(endpoint, lang=lang) for lang in languages})
        for tour in sorted(catalogue.tours):
            groups.append(
                {lang: url_for("tour_pages.tour", tour=tour, lang=lang) for lang in languages}
            )
        for site in sorted(catalogue.sites, key=lambda s: s.slug):
            if site.is_public:
                groups.append(
                    {lang: url_for("public.story", slug=site.slug, lang=lang) for lang in languages}
                )
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for group in groups:
        for path in group.values():
            out.append(f"<url><loc>{xml_escape(base_url + path)}</loc>")
            for lang, other in group.items():
                out.append(
                    f'<xhtml:link rel="alternate" hreflang="{path_segment(lang)}" '
                    f'href="{xml_escape(base_url + other)}"/>'
                )
            out.append("</url>")
    out.append("</urlset>")
    return ("\n".join(out) + "\n").encode("utf-8")
