"""The tour planner's pages: the planner on the map, the printable itinerary and curated tours.

``/tours/plan`` is the planner: sites picked on the map or from the list, a
start, a travel mode and times; the page's script asks ``POST /api/tours/plan``
(``guide.web.tours.api``) and shows the plan. Opened with the permalink's query
(``?stops=A,B,C&mode=walk&...``, see ``guide.tours.plan.parse_query``) the server
makes the plan itself and renders its timetable, so the page works before (and
without) its script. ``/tours/plan/print`` is the same plan on one A4 page with
a route map drawn as SVG and the permalink's QR code. ``/tours`` lists the
curated tours of the catalogue and ``/tours/<slug>`` shows one; a story page
opened from a tour (``?tour=<slug>``) shows the next stop (``tour_step``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import format_decimal, format_number, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from guide.catalogue.core import Catalogue, Site, Tour
from guide.catalogue.text import fold
from guide.render import maps
from guide.render.routemap import RouteStop, route_svg
from guide.tours.limits import PlannerBusy
from guide.tours.plan import (
    DEFAULT_START_TIME,
    MODE_NAMES,
    PLAN_PATH,
    Leg,
    Plan,
    PlanError,
    TourRequest,
    Visit,
    format_time,
    next_stop,
    parse_query,
    plan_title,
    plan_tour,
    tour_request,
)
from guide.tours.travel import MODES, Travel
from guide.web import get_catalogue
from guide.web.addresses import has_public_address, public_url
from guide.web.assets import asset_url
from guide.web.i18n import available_languages, select_language
from guide.web.maps.api import select_sites
from guide.web.maps.views import map_config, summarize
from guide.web.pagecache import cached_page
from guide.web.public.views import page_response, sorted_sites
from guide.web.tours.api import busy_headers, busy_message, permalink, planner_limits

bp = Blueprint("tour_pages", __name__)

MODE_LABELS = {"walk": _l("On foot"), "bike": _l("By bicycle"), "car": _l("By car")}
# The permalink's parameters, besides the stops and the minutes per stop.
OPTION_KEYS = ("start", "mode", "return", "order", "start_time")
FILTER_KEYS = ("q", "kind", "rank", "area")


@bp.context_processor
def _words_and_numbers() -> dict[str, Any]:
    return {
        "distance_text": distance_text,
        "duration_text": duration_text,
        # A plan's QR code needs the public address; without one it is not offered.
        "plan_qr_available": has_public_address(),
    }


def _travel() -> Travel:
    return Travel.from_settings(current_app.config)


def _max_stops() -> int:
    return int(current_app.config["GUIDE_TOUR_MAX_STOPS"])


# ---------------------------------------------------------------- words and numbers


def distance_text(metres: int) -> str:
    """Return a distance as people say it: "650 m", "3,2 km" (in the page's language)."""
    if metres < 1000:
        return _("%(metres)s m", metres=format_number(metres))
    return _("%(km)s km", km=format_decimal(metres / 1000, "#,##0.0"))


def duration_text(minutes: int) -> str:
    """Return a duration as "45 min", "2 h" or "2 h 35 min" (in the page's language)."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)s min", minutes=rest)
    if not rest:
        return _("%(hours)s h", hours=hours)
    return _("%(hours)s h %(minutes)s min", hours=hours, minutes=rest)


def travel_text(minutes: int, mode: str) -> str:
    """Return "about 9 min on foot" (or by bicycle, by car)."""
    how = {
        "walk": _("about %(time)s on foot", time=duration_text(minutes)),
        "bike": _("about %(time)s by bicycle", time=duration_text(minutes)),
        "car": _("about %(time)s by car", time=duration_text(minutes)),
    }
    return how[mode]


# ---------------------------------------------------------------- a plan as pages show it


@dataclass(frozen=True)
class Row:
    """One line of the timetable as shown: a numbered place and the way on to the next."""

    number: int | None
    visit: Visit
    name: str
    arrive: str
    leave: str
    stay: int
    warnings: list[str]
    leg: Leg | None

    @property
    def site(self) -> Site | None:
        """Return the site visited, or None for a start point."""
        return self.visit.place.site

    @property
    def is_return(self) -> bool:
        """Return whether this line is the arrival back at the start."""
        return self.visit.is_return


@dataclass
class PlanView:
    """A plan with everything its pages show, in the page's language."""

    plan: Plan
    language: str
    title: str
    rows: list[Row]
    links: dict[str, str]
    tour: Tour | None = None
    absolute_permalink: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def mode(self) -> str:
        """Return the travel mode's label."""
        return str(MODE_LABELS[self.plan.request.mode])

    @property
    def distance(self) -> str:
        """Return the total distance travelled."""
        return distance_text(self.plan.total_m)

    @property
    def duration(self) -> str:
        """Return the time from the start to the end of the tour."""
        return duration_text(self.plan.total_minutes)

    @property
    def travelling(self) -> str:
        """Return the time spent travelling."""
        return duration_text(self.plan.travel_minutes)

    @property
    def starts(self) -> str:
        """Return the start time."""
        return format_time(self.plan.request.start_time)

    @property
    def ends(self) -> str:
        """Return the time the tour ends."""
        return format_time(self.plan.timetable[-1].leave)

    @property
    def note(self) -> str:
        """Return the sentence that says the figures are estimates, and how they were made."""
        return self.plan.note(self.language)

    def leg_text(self, leg: Leg) -> str:
        """Return "650 m, about 9 min on foot" for a leg."""
        return f"{distance_text(leg.metres)}, {travel_text(leg.minutes, self.plan.request.mode)}"

    def story_url(self, site: Site) -> str:
        """Return the story page of a stop, opened from the curated tour when there is one."""
        if self.tour is not None:
            return url_for("public.story", slug=site.slug, tour=self.tour.slug)
        return url_for("public.story", slug=site.slug)

    def route_map(
        self, id_prefix: str = "route", width: float = 400.0, max_height: float = 440.0
    ) -> Markup:
        """Return the inline SVG route map of the plan, ``width`` units wide.

        Its numbers and names are a fixed size in those units: a phone screen
        wants a narrow map, a printed page a wide one.
        """
        stops = [
            RouteStop(
                row.visit.place.lat,
                row.visit.place.lon,
                str(row.number),
                row.name,
                is_point=row.site is None,
            )
            for row in self.rows
            if row.number is not None
        ]
        svg = route_svg(
            stops,
            get_catalogue().areas,
            closed=self.plan.request.return_to_start,
            title=_("Map of the tour: %(title)s", title=self.title),
            description=_(
                "The numbered dots are the stops in visiting order, joined by the route "
                "(straight lines between stops)."
            ),
            id_prefix=id_prefix,
            width=width,
            max_height=max_height,
        )
        return Markup(svg)

    def json(self) -> dict[str, Any]:
        """Return the plan as the API answers it, with its links."""
        data = self.plan.to_json(self.language)
        data["links"] = self.links
        return data


def plan_links(tour: TourRequest) -> dict[str, str]:
    """Return the addresses of a plan: the permalink, its downloads, QR code and print page."""
    query = tour.query()
    # Pages carry their language in the path; the files keep ?lang= for their text.
    return {
        "permalink": permalink(tour),
        "json": f"{request.script_root}{PLAN_PATH}.json?{query}",
        "gpx": f"{request.script_root}{PLAN_PATH}.gpx?{query}",
        "geojson": f"{request.script_root}{PLAN_PATH}.geojson?{query}",
        "qr": f"{request.script_root}{PLAN_PATH}.qr.png?{query}",
        "print": permalink(tour, "tour_pages.print_plan"),
    }


def plan_view(plan: Plan, language: str, tour: Tour | None = None) -> PlanView:
    """Return what pages show of ``plan`` in ``language``."""
    rows = []
    number = 0
    for index, visit in enumerate(plan.timetable):
        if not visit.is_return:
            number += 1
        rows.append(
            Row(
                number=None if visit.is_return else number,
                visit=visit,
                name=visit.place.name(language),
                arrive=format_time(visit.arrive),
                leave=format_time(visit.leave),
                stay=visit.leave - visit.arrive,
                warnings=[w.message(language) for w in visit.warnings],
                leg=plan.legs[index] if index < len(plan.legs) else None,
            )
        )
    links = plan_links(plan.request)
    title = tour.display_name(language) if tour else plan_title(plan, language)
    return PlanView(
        plan=plan,
        language=language,
        title=title,
        rows=rows,
        links=links,
        tour=tour,
        # GUIDE_BASE_URL, else the relative link (never the request's Host).
        absolute_permalink=public_url(links["permalink"]),
        warnings=[w.message(language) for w in plan.warnings],
    )


# ---------------------------------------------------------------- the planner's form


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
        """Return the (untranslated) label of the site's kind group."""
        group = maps.group_of(self.group)
        return group.label if group else ""


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
            area_name=catalogue.areas.name_of(site.area),
            shown=matching is None or site.code in matching,
        )
        for site in sorted_sites(everything, language)
    ]


def planner_labels() -> dict[str, str]:
    """Return the planner script's interface text in the page's language."""
    return {
        "add": _("Add to the tour"),
        "remove": _("Remove from the tour"),
        "chosen": _("In your tour"),
        "moveUp": _("Move up"),
        "moveDown": _("Move down"),
        "anywhere": _("Wherever the tour is shortest"),
        "point": _("Point on the map (%(lat)s, %(lon)s)"),
        "pickStart": _("Pick the start on the map"),
        "pickingStart": _("Tap the map where the tour starts…"),
        "startSet": _("Start point set. Plan the tour to use it."),
        "planning": _("Planning the tour…"),
        "planned": _("Your tour is planned: %(count)s stops."),
        "failed": _("Could not plan the tour: %(reason)s"),
        "fewStops": _("Pick at least two sites, on the map or from the list."),
        "chosenCount": _("%(count)s chosen"),
        "minutesHere": _("Minutes here"),
        "metres": _("%(metres)s m"),
        "km": _("%(km)s km"),
        "minutes": _("%(minutes)s min"),
        "hours": _("%(hours)s h"),
        "hoursMinutes": _("%(hours)s h %(minutes)s min"),
        "walk": _("about %(time)s on foot"),
        "bike": _("about %(time)s by bicycle"),
        "car": _("about %(time)s by car"),
        "backAt": _("Back at %(name)s"),
        "here": _("%(time)s here"),
        "decimal": get_decimal_symbol(get_locale()),
        "thousands": get_group_symbol(get_locale()),
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
                "api": url_for("tours.api_plan"),
                "page": url_for("tour_pages.planner"),
                "story": url_for("public.story", slug="SLUG"),
                "modes": {mode: str(label) for mode, label in MODE_LABELS.items()},
                "labels": planner_labels(),
                "plan": view.json() if view else None,
            },
        }
    )
    return config


@bp.get("/tours/plan")
def planner() -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Show the planner; with a permalink's query, the plan already made."""
    catalogue = get_catalogue()
    language = select_language()
    data = permalink_args(request.args, catalogue, language)
    state = form_state(data, catalogue)
    filters = {key: request.args.get(key, "").strip() for key in FILTER_KEYS}
    if filters["area"] and catalogue.areas.get(filters["area"]) is None:
        filters["area"] = ""
    view, error, field_name, busy = None, "", "", None
    asked = request.args.get("action") != "filter" and (data["stops"] or "start" in data)
    if asked:
        try:
            tour = parse_query(data, catalogue, _max_stops())
            plan = plan_tour(tour, catalogue, _travel(), limits=planner_limits())
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
        areas=summary.areas,
        modes=MODES,
        mode_labels=MODE_LABELS,
        max_stops=_max_stops(),
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
        tour = parse_query(data, catalogue, _max_stops())
    except PlanError as problem:
        body = render_template("tours/print.html", view=None, error=problem.message(language))
        return body, 400
    try:
        plan = plan_tour(tour, catalogue, _travel(), limits=planner_limits())
    except PlannerBusy as busy:
        body = render_template("tours/print.html", view=None, error=busy_message(busy))
        return body, 503, busy_headers(busy)
    view = plan_view(plan, language)
    return render_template("tours/print.html", view=view, error=""), 200


# ---------------------------------------------------------------- curated tours


def can_follow(tour: Tour, catalogue: Catalogue) -> bool:
    """Return whether visitors can follow a curated tour: two or more published, located stops.

    A tour that fails is left out of the pages; `guide check` reports why.
    """
    for slug in tour.stops:
        site = catalogue.by_slug(slug)
        if site is None or site.status != "published" or not site.has_location:
            return False
    return len(set(tour.stops)) >= 2 and tour.mode in MODES


def curated_plan(tour: Tour, catalogue: Catalogue, language: str) -> PlanView:
    """Return the plan of a curated tour that visitors can follow: its stops as listed."""
    request_ = tour_request(tour, catalogue, lang=language)
    return plan_view(plan_tour(request_, catalogue, _travel()), language, tour)


@bp.get("/tours")
def index() -> Response:
    """List the curated tours, with a link to plan one's own."""
    catalogue = get_catalogue()
    language = select_language()

    def render() -> str:
        followed = [tour for tour in catalogue.tours.values() if can_follow(tour, catalogue)]
        followed.sort(key=lambda tour: fold(tour.display_name(language)))
        tours = [(tour, curated_plan(tour, catalogue, language)) for tour in followed]
        return render_template("tours/index.html", tours=tours, mode_labels=MODE_LABELS)

    return page_response(cached_page(catalogue, render))


@bp.get("/tours/<tour>")
def tour(tour: str) -> Response:
    """Show a curated tour: its description, route map, stops and timetable, and downloads."""
    catalogue = get_catalogue()
    found = catalogue.tours.get(tour)
    if found is None or not can_follow(found, catalogue):
        abort(404)
    language = select_language()

    def render() -> str:
        view = curated_plan(found, catalogue, language)
        return render_template("tours/tour.html", tour=found, view=view)

    return page_response(cached_page(catalogue, render, "tour", found.slug))


# ---------------------------------------------------------------- a story page on a tour


@dataclass(frozen=True)
class TourStep:
    """Where a story page stands on a curated tour, and the way to the next stop."""

    tour: Tour
    name: str
    number: int
    count: int
    next_site: Site | None = None
    next_name: str = ""
    distance: str = ""
    time: str = ""

    @property
    def is_last(self) -> bool:
        """Return whether this is the tour's last stop."""
        return self.next_site is None


def tour_step(slug: str, site: Site, language: str) -> TourStep | None:
    """Return the tour step of ``site`` on the curated tour ``slug``, or None if it is not one.

    A tour visitors can no longer follow (a stop withdrawn or archived since) has
    no page and no next stop to offer, so it gives no step either.
    """
    catalogue = get_catalogue()
    found = catalogue.tours.get(slug)
    if found is None or site.slug not in found.stops or not can_follow(found, catalogue):
        return None
    number = found.stops.index(site.slug) + 1
    step = TourStep(
        tour=found,
        name=found.display_name(language, available_languages()[0]),
        number=number,
        count=len(found.stops),
    )
    following = next_stop(found, site.slug, catalogue, _travel())
    if following is None:
        return step
    there, metres, minutes = following
    mode = found.mode if found.mode in MODE_NAMES else "walk"
    return TourStep(
        tour=step.tour,
        name=step.name,
        number=number,
        count=step.count,
        next_site=there,
        next_name=there.display_name(language),
        distance=distance_text(metres),
        time=travel_text(minutes, mode),
    )
