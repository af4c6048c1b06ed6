"""Public pages that visitors read: the home page for now."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from guide.web import get_catalogue

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> str:
    """Show the published sites grouped by area."""
    catalogue = get_catalogue()
    by_area: dict[str, list] = {}
    for site in sorted(catalogue.published(), key=lambda s: s.name["vi"]):
        by_area.setdefault(catalogue.areas.name_of(site.area), []).append(site)
    return render_template("public/home.html", catalogue=catalogue, by_area=sorted(by_area.items()))


@bp.get("/S/<code>")
@bp.get("/s/<code>")
def short_code(code: str):
    """Send a scanned plaque code, in any letter case, to the site's story page."""
    site = get_catalogue().by_code(code)
    if site is None or not site.is_public:
        abort(404)
    return redirect(url_for("public.story", slug=site.slug), code=302)


@bp.get("/sites/<slug>")
def story(slug: str) -> str:
    """Show a site's story page."""
    site = get_catalogue().by_slug(slug)
    if site is None or not site.is_public:
        abort(404)
    return render_story(site)


def render_story(site) -> str:
    """Render a site's story page; the staff preview of drafts uses it too."""
    return render_template("public/story.html", site=site)
