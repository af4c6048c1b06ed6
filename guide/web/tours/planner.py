"""The tour planner's pages: the planner on the map and the printable itinerary.

``/tours/plan`` is the planner: sites picked on the map or from the list, a
start, a travel mode and times; the page's script asks ``POST /api/tours/plan``
(``guide.web.tours.api``) and shows the plan. Opened with the permalink's query
(``?stops=A,B,C&mode=walk&...``, see ``guide.tours.plan.parse_query``) the server
makes the plan itself and renders its timetable, so the page works before (and
without) its script. ``/tours/plan/print`` is the same plan on one A4 page with
a route map drawn as SVG and the permalink's QR code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site
from guide.messages import N_
from guide.render import maps
from guide.tours.limits import PlannerBusy
from guide.tours.plan import plan_tour
from guide.tours.request import DEFAULT_START_TIME, PlanError, parse_query
from guide.tours.travel import MODES
from guide.web.addresses import server_url
from guide.web.assets import asset_url
from guide.web.i18n import script_labels, select_language
from guide.web.loaded import get_catalogue
from guide.web.maps.api import select_sites
from guide.web.maps.views import map_config, summarize
from guide.web.public.views import sorted_sites
from guide.web.tour_steps import MODE_LABELS, max_stops, travel
from guide.web.tours.api import busy_headers, busy_message, planner_limits
from guide.web.tours.pages import bp, curated_tours
from guide.web.tours.plans import PlanView, plan_view
from guide.web.vocabulary import kind_label

# The permalink's parameters, besides the stops and the minutes per stop.
OPTION_KEYS = ("start", "mode", "return", "order", "start_time")

FILTER_KEYS = ("q", "kind", "rank", "area")


def permalink_args(args: MultiDict[str, str], catalogue: Catalogue, language: str) -> dict:
    """Return the permalink's parameters from the planner's query string.

    The planner's form, sent without its script, gives each ticked site as its
    own ``stops`` value and the minutes at a stop as ``visit.CODE``; permalinks
    give ``stops=A,B,C`` and ``visit=A:20``. Both come out as the permalink's
    form; minutes equal to the site's own are left out, and so are empty fields.
    """
    stops = [part for value in args.getlist("stops") for part in value.split(",") if part.strip()]
    data: dict[str, str] = {"stops": ",".join(stops), "lang": language}
    for key in OPTION_KEYS:
        value = args.get(key, "").strip()
        if value:
            data[key] = value
    chosen = {site.code for site in map(catalogue.by_code, stops) if site is not None}
    start = catalogue.by_code(data.get("start", ""))
    if start is not None:
        chosen.add(start.code)
    visits = [part for value in args.getlist("visit") for part in value.split(",") if part.strip()]
    for key, value in args.items(multi=True):
        if not key.startswith("visit.") or not value.strip():
            continue
        site = catalogue.by_code(key.removeprefix("visit."))
        if site is None or site.code not in chosen or value.strip() == str(site.visit_minutes):
            continue
        visits.append(f"{site.code}:{value.strip()}")
    if visits:
        data["visit"] = ",".join(visits)
    return data


@dataclass
class FormState:
    """What the planner's form shows: the chosen sites and options, as asked for."""

    chosen: list[Site]
    start: str = ""
    start_point: tuple[float, float] | None = None
    mode: str = "walk"
    return_to_start: bool = False
    keep_order: bool = False
    start_time: str = DEFAULT_START_TIME
    minutes: dict[str, int] = field(default_factory=dict)

    def minutes_at(self, site: Site) -> int:
        """Return the minutes to spend at a chosen site."""
        return self.minutes.get(site.code, site.visit_minutes)


def form_state(data: Mapping[str, str], catalogue: Catalogue) -> FormState:
    """Return the form's state from permalink parameters, keeping what can be understood."""
    chosen: list[Site] = []
    for code in data.get("stops", "").split(","):
        site = catalogue.by_code(code.strip()) or catalogue.by_slug(code.strip())
        if site is not None and site.status == "published" and site not in chosen:
            chosen.append(site)
    state = FormState(chosen=chosen)
    start = data.get("start", "")
    start_site = catalogue.by_code(start)
    if start_site is not None and start_site.status == "published":
        state.start = start_site.code
        if start_site not in chosen:
            chosen.insert(0, start_site)
    elif "," in start:
        try:
            lat, lon = (float(part) for part in start.split(","))
        except ValueError:
            pass
        else:
            state.start_point = (lat, lon)
            state.start = f"{lat:.6f},{lon:.6f}"
    state.mode = data.get("mode", "walk") if data.get("mode") in MODES else "walk"
    state.return_to_start = data.get("return", "").lower() in {"1", "true", "yes", "on"}
    state.keep_order = data.get("order", "") == "listed"
    state.start_time = data.get("start_time", DEFAULT_START_TIME)
    for part in data.get("visit", "").split(","):
        code, _sep, minutes = part.partition(":")
        site = catalogue.by_code(code.strip())
        if site is not None and minutes.strip().isdigit():
            state.minutes[site.code] = int(minutes)
    return state


@dataclass(frozen=True)
class SiteChoice:
    """A site of the planner's list, with what its filters and the map need."""

    site: Site
    name: str
    group: str
    level: str
    area_name: str
    shown: bool

    @property
    def group_label(self) -> str:
        """Return the label of the site's kind in the page's language."""
        return kind_label(self.group)


def site_choices(catalogue: Catalogue, language: str, filters: dict[str, str]) -> list[SiteChoice]:
    """Return every published site with a location, by name, marked shown when it matches."""
    everything = [site for site in catalogue.published() if site.has_location]
    matching = None
    if any(filters.values()):
        matching = {site.code for site in select_sites(catalogue, filters)}
    return [
        SiteChoice(
            site=site,
            name=site.display_name(language),
            group=maps.kind_group(site.kind),
            level=maps.rank_level(site.rank),
            area_name=catalogue.areas.name_of(site.area, language),
            shown=matching is None or site.code in matching,
        )
        for site in sorted_sites(everything, language)
    ]


# Message ids: each page translates them into its own language.
PLANNER_LABELS = {
    "add": N_("Add to the tour"),
    "remove": N_("Remove from the tour"),
    "chosen": N_("In your tour"),
    "moveUp": N_("Move up"),
    "moveDown": N_("Move down"),
    "anywhere": N_("Wherever the tour is shortest"),
    "point": N_("Point on the map (%(lat)s, %(lon)s)"),
    "pickStart": N_("Pick the start on the map"),
    "pickingStart": N_("Tap the map where the tour starts…"),
    "startSet": N_("Start point set. Plan the tour to use it."),
    "planning": N_("Planning the tour…"),
    "planned": N_("Your tour is planned: %(count)s stops."),
    "failed": N_("Could not plan the tour: %(reason)s"),
    "fewStops": N_("Pick at least two sites, on the map or from the list."),
    "chosenCount": N_("%(count)s chosen"),
    "minutesHere": N_("Minutes here"),
    "metres": N_("%(metres)s m"),
    "km": N_("%(km)s km"),
    "minutes": N_("%(minutes)s min"),
    "hours": N_("%(hours)s h"),
    "hoursMinutes": N_("%(hours)s h %(minutes)s min"),
    "walk": N_("about %(time)s on foot"),
    "bike": N_("about %(time)s by bicycle"),
    "car": N_("about %(time)s by car"),
    "backAt": N_("Back at %(name)s"),
    "here": N_("%(time)s here"),
}


def planner_config(view: PlanView | None) -> dict[str, Any]:
    """Return the map script's configuration for the planner, with the planner's own part."""
    config = map_config(site=None, area_id="", embed=False)
    config.update(
        {
            "form": "plan-form",
            "status": "map-status",
            "count": "plan-count",
            "legend": None,
            "fullscreen": ".plan-map",
            "keepAddress": False,
            "planner": {
                "api": server_url(url_for("tours.api_plan")),
                "page": url_for("tour_pages.planner"),
                "story": url_for("public.story", slug="SLUG"),
                "modes": {mode: str(label) for mode, label in MODE_LABELS.items()},
                "labels": script_labels(PLANNER_LABELS),
                "plan": view.json() if view else None,
            },
        }
    )
    return config


@bp.get("/tours/plan")
def planner() -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Show the planner; with a permalink's query, the plan already made.

    A static export without the guide's server shows the curated tours instead,
    and says that planning needs the server.
    """
    catalogue = get_catalogue()
    language = select_language()
    if not server_url(url_for("tours.api_plan")):
        body = render_template(
            "tours/plan_unavailable.html", tours=curated_tours(catalogue, language)
        )
        return body, 200
    data = permalink_args(request.args, catalogue, language)
    state = form_state(data, catalogue)
    filters = {key: request.args.get(key, "").strip() for key in FILTER_KEYS}
    if filters["area"] and catalogue.areas.get(filters["area"]) is None:
        filters["area"] = ""
    view, error, field_name, busy = None, "", "", None
    asked = request.args.get("action") != "filter" and (data["stops"] or "start" in data)
    if asked:
        try:
            tour = parse_query(data, catalogue, max_stops())
            plan = plan_tour(tour, catalogue, travel(), limits=planner_limits())
            view = plan_view(plan, language)
        except PlanError as problem:
            error, field_name = problem.message(language), problem.field
        except PlannerBusy as full:
            busy, error = full, busy_message(full)
    summary = summarize(catalogue)
    config = current_app.config
    bounds = summary.bounds
    if view is not None:
        bounds = (
            min(p.lat for p in view.plan.places),
            min(p.lon for p in view.plan.places),
            max(p.lat for p in view.plan.places),
            max(p.lon for p in view.plan.places),
        )
    folium_map = maps.site_map(
        asset_url,
        tile_url=config["GUIDE_TILE_URL"],
        tile_attribution=config["GUIDE_TILE_ATTRIBUTION"],
        config=planner_config(view),
        bounds=bounds,
    )
    folium_map.default_js.append(("guide_planner", asset_url("planner.js")))
    folium_map.default_css.append(("guide_tours_css", asset_url("tours.css")))
    parts = maps.render_parts(folium_map)
    body = render_template(
        "tours/plan.html",
        parts=parts,
        view=view,
        error=error,
        error_field=field_name,
        state=state,
        filters=filters,
        choices=site_choices(catalogue, language, filters),
        groups=summary.groups,
        levels=summary.levels,
        areas=summary.areas_in(language),
        modes=MODES,
        mode_labels=MODE_LABELS,
        max_stops=max_stops(),
    )
    if busy is not None:
        return body, 503, busy_headers(busy)
    return body, 400 if error else 200


@bp.get("/tours/plan/print")
def print_plan() -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Show a plan as a printable itinerary: route map, numbered timetable and QR code."""
    catalogue = get_catalogue()
    language = select_language()
    data = permalink_args(request.args, catalogue, language)
    try:
        tour = parse_query(data, catalogue, max_stops())
    except PlanError as problem:
        body = render_template("tours/print.html", view=None, error=problem.message(language))
        return body, 400
    try:
        plan = plan_tour(tour, catalogue, travel(), limits=planner_limits())
    except PlannerBusy as busy:
        body = render_template("tours/print.html", view=None, error=busy_message(busy))
        return body, 503, busy_headers(busy)
    view = plan_view(plan, language)
    return render_template("tours/print.html", view=view, error=""), 200
