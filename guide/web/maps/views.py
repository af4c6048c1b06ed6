"""The map page for tour organizers: every published site, clustered, filtered and searched.

``/map`` shows the whole catalogue; ``?site=CODE`` centres on a site and opens
its popup, ``?area=ID`` fits an area, ``?kind=``, ``?rank=`` and ``?q=`` preset
the filters, and ``?embed=1`` leaves out the page's header for an iframe.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _

from guide.catalogue.geo import Area
from guide.catalogue.index import Catalogue
from guide.catalogue.kept import per_catalogue
from guide.catalogue.model import Site
from guide.catalogue.text import fold
from guide.catalogue.vocabulary import Term
from guide.messages import N_
from guide.render import maps
from guide.web.assets import asset_url, register_root
from guide.web.i18n import available_languages, script_labels, select_language
from guide.web.loaded import get_catalogue
from guide.web.maps import stored
from guide.web.vocabulary import kind_label, rank_label

bp = Blueprint("maps", __name__)


TRUE_WORDS = {"1", "true", "yes", "on"}


@bp.record_once
def _serve_leaflet(state: Any) -> None:
    for prefix, folder in maps.ASSET_FOLDERS.items():
        register_root(prefix, folder)


# Message ids: each page translates them into its own language.
MAP_LABELS = {
    "zoomIn": N_("Zoom in"),
    "zoomOut": N_("Zoom out"),
    "locate": N_("Show my location"),
    "locating": N_("Finding your location…"),
    "locateFailed": N_("Could not find your location: %(reason)s"),
    "youAreHere": N_("You are here"),
    "fullscreen": N_("Full screen"),
    "exitFullscreen": N_("Leave full screen"),
    "boundaries": N_("Area boundaries"),
    "count": N_("%(shown)s of %(total)s sites"),
    "loading": N_("Loading the sites…"),
    "loadFailed": N_("Could not load the map data (%(reason)s). Reload the page to try again."),
    "noSites": N_("No site matches these filters."),
    "story": N_("Read the story"),
    "kind": N_("Kind"),
    "rank": N_("Rank"),
    "area": N_("Area"),
    "openFullMap": N_("Open the full map"),
}


# From this many sites the map loads compact positions and clusters them per zoom
# with supercluster: a few thousand markers are quick for Leaflet.markercluster,
# tens of thousands are not. Smaller maps stay one GeoJSON request.
LARGE_MAP_FROM = 2000


def _round_bounds(bounds: tuple[float, float, float, float]) -> list[list[float]]:
    return [[round(value, 5) for value in corner] for corner in maps.leaflet_bounds(bounds)]


def map_config(
    *, site: Site | None, area_id: str, embed: bool, large: bool = False
) -> dict[str, Any]:
    """Return what ``GuideMap.start`` needs: data addresses, labels, styles, areas.

    ``large`` maps load the compact positions and cluster them with supercluster
    (``static/map_large.js``) instead of the GeoJSON.
    """
    catalogue = get_catalogue()
    config = {
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
        "labels": script_labels(MAP_LABELS),
        "groups": {
            kind.id: {"label": kind_label(kind.id), "shape": kind.shape}
            for kind in catalogue.config.vocabulary.kinds
        },
        "levels": {rank.id: rank_label(rank.id) for rank in catalogue.config.vocabulary.ranks},
        "areaList": {
            area.id: {"name": area.label(select_language()), "bounds": _round_bounds(area.bounds)}
            for area in catalogue.areas
        },
    }
    if large:
        config["large"] = {
            "positions": url_for("api.site_positions"),
            "clusters": url_for("api.site_clusters"),
            "details": url_for("api.site_details"),
            "story": url_for("public.story", slug="SLUG"),
            "supercluster": asset_url("supercluster.min.js"),
            "script": asset_url("map_large.js"),
            "worker": asset_url("map_cluster_worker.js"),
        }
    return config


def large_map_files(catalogue: Catalogue) -> list[str]:
    """Return the data files a large catalogue's map loads, for the static export to write.

    A small catalogue's map loads only the GeoJSON, which the export writes anyway.
    """
    if summarize(catalogue).total < LARGE_MAP_FROM:
        return []
    return [
        url_for(endpoint)
        for endpoint in ("api.site_clusters", "api.site_positions", "api.site_details")
    ]


@dataclass(frozen=True)
class Summary:
    """What the filters list: counts of published sites by kind group, rank level and area."""

    total: int
    groups: list[tuple[Term, int]]
    levels: list[tuple[Term, int]]
    areas: list[tuple[Area, int]]
    bounds: tuple[float, float, float, float]

    def areas_in(self, language: str) -> list[tuple[Area, int]]:
        """Return the areas and their counts, ordered by their names in ``language``."""
        return sorted(self.areas, key=lambda item: fold(item[0].label(language)))


def _counts(catalogue: Catalogue) -> dict[str, Any]:
    published = [site for site in catalogue.published() if site.has_location]
    bounds = maps.sites_bounds(published)
    return {
        "total": len(published),
        "groups": Counter(maps.kind_group(s.kind) for s in published),
        "levels": Counter(maps.rank_level(s.rank) for s in published),
        "areas": Counter(s.area for s in published),
        "bounds": list(bounds) if bounds else None,
    }


@per_catalogue
def summarize(catalogue: Catalogue) -> Summary:
    """Return the counts and extent of a catalogue's published sites, computed once.

    Counting a quarter of a million sites takes a second: the counts are kept with
    the map's other answers (``stored``), so a restart reads them.
    """
    raw, _ = stored.kept(
        catalogue, "summary", lambda: json.dumps(_counts(catalogue)).encode("utf-8")
    )
    counts = json.loads(raw)
    vocabulary = catalogue.config.vocabulary
    group_counts, level_counts = counts["groups"], counts["levels"]
    area_counts = counts["areas"]
    return Summary(
        total=counts["total"],
        groups=[(g, group_counts[g.id]) for g in vocabulary.kinds if group_counts.get(g.id)],
        levels=[(lv, level_counts[lv.id]) for lv in vocabulary.ranks if level_counts.get(lv.id)],
        areas=sorted(
            ((a, area_counts.get(a.id, 0)) for a in catalogue.areas),
            key=lambda item: fold(item[0].name),
        ),
        bounds=tuple(counts["bounds"]) if counts["bounds"] else catalogue.areas.bounds,
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
    if catalogue.config.vocabulary.kind(chosen["kind"]) is None:
        chosen["kind"] = ""
    if not chosen["rank"] or catalogue.config.vocabulary.rank(chosen["rank"]) is None:
        chosen["rank"] = ""

    if site is not None:
        location, bounds = (site.lat, site.lon), None
    elif area is not None:
        location, bounds = None, area.bounds
    else:
        location, bounds = None, summary.bounds

    config = current_app.config
    large = summary.total >= LARGE_MAP_FROM
    folium_map = maps.site_map(
        asset_url,
        tile_url=config["GUIDE_TILE_URL"],
        tile_attribution=config["GUIDE_TILE_ATTRIBUTION"],
        config=map_config(site=site, area_id=area_id, embed=embed, large=large),
        location=location,
        bounds=bounds,
    )
    # The page lays itself out while Leaflet and the map's scripts arrive.
    parts = maps.render_parts(folium_map, deferred=True)

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
            areas=summary.areas_in(select_language()),
            total=format_number(summary.total),
            large=large,
        ),
        status,
    )
