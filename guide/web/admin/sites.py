"""The workspace's list of sites, those needing attention first, with filters."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from guide.catalogue.checks import check_catalogue
from guide.catalogue.filters import SiteFilter
from guide.catalogue.layout import SITE_FILE
from guide.catalogue.model import Problem, Site
from guide.catalogue.text import fold
from guide.web.admin.common import bp, catalogue, languages
from guide.workspace.accounts import may_edit_area, may_edit_somewhere


@dataclass
class Row:
    """One line of the site list."""

    site: Site
    flags: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    editable: bool = False


@bp.get("/")
def sites():
    """List the sites, those needing attention first, with filters."""
    cat = catalogue()
    radius = float(current_app.config["GUIDE_DUPLICATE_RADIUS_M"])
    problems = check_catalogue(cat, radius)
    by_path: dict[str, list[Problem]] = {}
    for problem in problems:
        by_path.setdefault(problem.path, []).append(problem)
    rows = []
    for site in cat:
        row = Row(site, editable=may_edit_area(current_user, site.area))
        if site.status == "draft":
            row.flags.append(_("draft"))
        if site.needs_location:
            row.flags.append(_("needs location"))
        for language in languages()[1:]:
            if language not in site.story_languages:
                row.flags.append(_("no %(language)s narrative", language=language.upper()))
        if site.needs_story:
            row.flags.append(_("needs story"))
        if not site.photos():
            row.flags.append(_("no photo"))
        row.warnings = by_path.get(str(cat.root / site.slug / SITE_FILE), [])
        rows.append(row)
    loaded = {str(cat.root / site.slug / SITE_FILE) for site in cat}
    broken = [p for p in problems if p.level == "error" and p.path not in loaded]
    query = request.args.get("q", "").strip()
    area = request.args.get("area", "")
    attention = request.args.get("attention", "")
    mine = request.args.get("mine", "")
    chosen = SiteFilter.from_mapping(request.args)
    rows = [row for row in rows if chosen.matches(row.site, cat.config.vocabulary)]
    if attention:
        rows = [row for row in rows if row.flags or row.warnings]
    if mine:
        rows = [row for row in rows if row.editable]
    rows.sort(key=lambda row: (not (row.flags or row.warnings), fold(row.site.display_name("vi"))))
    return render_template(
        "admin/sites.html",
        rows=rows,
        broken=broken,
        areas=sorted(cat.areas, key=lambda a: fold(a.name)),
        query=query,
        area=area,
        attention=attention,
        mine=mine,
        may_create=may_edit_somewhere(current_user),
    )
