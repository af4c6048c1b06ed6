"""Public pages that visitors read: the home page for now."""

from __future__ import annotations

from flask import Blueprint, render_template

from guide.web import get_catalogue

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> str:
    """Show the published sites grouped by area."""
    catalogue = get_catalogue()
    by_area: dict[str, list] = {}
    for site in sorted(catalogue.published(), key=lambda s: s.name["vi"]):
        by_area.setdefault(catalogue.areas.name_of(site.area), []).append(site)
    return render_template(
        "public/home.html", catalogue=catalogue, by_area=sorted(by_area.items())
    )
