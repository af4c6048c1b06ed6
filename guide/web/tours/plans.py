"""A tour plan as the pages show it: rows of the timetable, totals, links and the route map."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from guide.catalogue.model import Site, Tour
from guide.render.routemap import RouteStop, route_svg
from guide.tours.itinerary import Leg, Plan, Visit, plan_title
from guide.tours.request import PLAN_PATH, TourRequest, format_time
from guide.web.addresses import public_url, server_url
from guide.web.loaded import get_catalogue
from guide.web.tour_steps import (
    MODE_LABELS,
    distance_text,
    duration_text,
    travel_text,
)
from guide.web.tours.api import permalink


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
            language=self.language,
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
    if tour is not None:
        # A curated tour's itinerary has its own address, so a static export has it too.
        links["print"] = url_for("tour_pages.tour_print", tour=tour.slug)
        links["back"] = url_for("tour_pages.tour", tour=tour.slug)
        links["gpx"] = url_for("tour_pages.tour_gpx", tour=tour.slug)
        links["geojson"] = url_for("tour_pages.tour_geojson", tour=tour.slug)
        # The planner needs the guide's server: GUIDE_API_URL's, else this host's; "" in
        # a static export without a server (the page leaves the link out).
        links["planner"] = server_url(links["permalink"])
        links["qr"] = server_url(links["qr"])
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
