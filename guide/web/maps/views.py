"""The map page for tour organizers: every published site, clustered, filtered and searched.

``/map`` shows the whole catalogue; ``?site=CODE`` centres on a site and opens
its popup, ``?area=ID`` fits an area, ``?kind=``, ``?rank=`` and ``?q=`` preset
the filters, and ``?embed=1`` leaves out the page's header for an iframe.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel.numbers import get_group_symbol
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import format_number, get_locale
from flask_babel import gettext as _

from guide.catalogue.geo import Area
from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site
from guide.catalogue.text import fold
from guide.render import maps
from guide.web import get_catalogue
from guide.web.assets import asset_url, register_root
from guide.web.i18n import available_languages, select_language

bp = Blueprint("maps", __name__)


@bp.record_once
def _share_kind_groups(state) -> None:
    # The marker colours live in guide.render.maps only; pages turn them into CSS classes
    # (templates/maps/_kind_styles.html), since the CSP forbids inline style="".
    state.app.jinja_env.globals["kind_groups"] = maps.KIND_GROUPS


TRUE_WORDS = {"1", "true", "yes", "on"}


@bp.record_once
def _serve_leaflet(state: Any) -> None:
    for prefix, folder in maps.ASSET_FOLDERS.items():
        register_root(prefix, folder)


def labels() -> dict[str, str]:
    """Return the map script's interface text in the page's language."""
    return {
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "locate": _("Show my location"),
        "locating": _("Finding your location…"),
        "locateFailed": _("Could not find your location: %(reason)s"),
        "youAreHere": _("You are here"),
        "fullscreen": _("Full screen"),
        "exitFullscreen": _("Leave full screen"),
        "boundaries": _("Area boundaries"),
        "count": _("%(shown)s of %(total)s sites"),
        "loading": _("Loading the sites…"),
        "loadFailed": _("Could not load the map data (%(reason)s). Reload the page to try again."),
        "noSites": _("No site matches these filters."),
        "story": _("Read the story"),
        "kind": _("Kind"),
        "rank": _("Rank"),
        "area": _("Area"),
        "openFullMap": _("Open the full map"),
        "thousands": get_group_symbol(get_locale()),
    }


def _round_bounds(bounds: tuple[float, float, float, float]) -> list[list[float]]:
    return [[round(value, 5) for value in corner] for corner in maps.leaflet_bounds(bounds)]


def map_config(*, site: Site | None, area_id: str, embed: bool) -> dict[str, Any]:
    """Return what ``GuideMap.start`` needs: data addresses, labels, styles, areas."""
    catalogue = get_catalogue()
    return {
        "data": url_for("api.sites"),
        "areas": url_for("api.areas"),
        "home": url_for("maps.map_page"),
        "story": url_for("public.story", slug="SLUG"),
        "language": select_language(),
        "fallback": available_languages()[0],
        "embed": embed,
        "site": site.code if site else None,
        "area": area_id or None,
        "form": "map-filters",
        "status": "map-status",
        "count": "map-count",
        "legend": "map-legend",
        "fullscreen": ".map-app",
        "labels": labels(),
        "groups": {
            group.id: {"label": _(group.label), "shape": group.shape} for group in maps.KIND_GROUPS
        },
        "levels": {level.id: _(level.label) for level in maps.RANK_LEVELS},
        "areaList": {
            area.id: {"name": area.name, "bounds": _round_bounds(area.bounds)}
            for area in catalogue.areas
        },
    }


@dataclass(frozen=True)
class Summary:
    """What the filters list: counts of published sites by kind group, rank level and area."""

    total: int
    groups: list[tuple[maps.KindGroup, int]]
    levels: list[tuple[maps.RankLevel, int]]
    areas: list[tuple[Area, int]]
    bounds: tuple[float, float, float, float]


@lru_cache(maxsize=8)
def summarize(catalogue: Catalogue) -> Summary:
    """Return the counts and extent of a catalogue's published sites, computed once."""
    published = [site for site in catalogue.published() if site.has_location]
    group_counts = Counter(maps.kind_group(s.kind) for s in published)
    level_counts = Counter(maps.rank_level(s.rank) for s in published)
    area_counts = Counter(s.area for s in published)
    return Summary(
        total=len(published),
        groups=[(g, group_counts[g.id]) for g in maps.KIND_GROUPS if group_counts[g.id]],
        levels=[(lv, level_counts[lv.id]) for lv in maps.RANK_LEVELS if level_counts[lv.id]],
        areas=sorted(
            ((a, area_counts[a.id]) for a in catalogue.areas), key=lambda item: fold(item[0].name)
        ),
        bounds=maps.sites_bounds(published) or catalogue.areas.bounds,
    )


@bp.get("/map")
def map_page() -> tuple[str, int]:
    """Show the full-screen map of the published sites."""
    catalogue = get_catalogue()
    summary = summarize(catalogue)
    embed = request.args.get("embed", "").strip().lower() in TRUE_WORDS
    code = request.args.get("site", "").strip()
    area_id = request.args.get("area", "").strip()
    notices: list[str] = []
    status = 200

    site = catalogue.by_code(code) if code else None
    if code and (site is None or site.status != "published" or not site.has_location):
        notices.append(_("No site on the map has the code “%(code)s”.", code=code))
        site, status = None, 404
    area = catalogue.areas.get(area_id) if area_id else None
    if area_id and area is None:
        notices.append(_("No area has the id “%(area)s”.", area=area_id))
        area_id, status = "", 404

    chosen = {
        "q": request.args.get("q", "").strip(),
        "kind": request.args.get("kind", "").strip(),
        "rank": request.args.get("rank", "").strip(),
        "area": area_id,
    }
    if maps.group_of(chosen["kind"]) is None:
        chosen["kind"] = ""
    if maps.level_of(chosen["rank"]) is None:
        chosen["rank"] = ""

    if site is not None:
        location, bounds = (site.lat, site.lon), None
    elif area is not None:
        location, bounds = None, area.bounds
    else:
        location, bounds = None, summary.bounds

    config = current_app.config
    folium_map = maps.site_map(
        asset_url,
        tile_url=config["GUIDE_TILE_URL"],
        tile_attribution=config["GUIDE_TILE_ATTRIBUTION"],
        config=map_config(site=site, area_id=area_id, embed=embed),
        location=location,
        bounds=bounds,
    )
    parts = maps.render_parts(folium_map)

    return (
        render_template(
            "maps/map.html",
            parts=parts,
            embed=embed,
            site=site,
            area=area,
            chosen=chosen,
            notices=notices,
            groups=summary.groups,
            levels=summary.levels,
            areas=summary.areas,
            total=format_number(summary.total),
        ),
        status,
    )
