"""Tour plans: the stops of a visit in their best order, with distances and a timetable.

A plan is asked for with a ``TourRequest`` (``guide.tours.request``), then made by
``plan_tour``. Distances are geodesic metres times a detour factor per mode, or
road distances from an OSRM-compatible routing server when one is configured
(``guide.tours.travel``). Plans leave as JSON here, as GPX 1.1 and GeoJSON from
``guide.tours.export``. Nothing here imports Flask.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from babel.numbers import format_decimal

from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site, Tour
from guide.messages import N_, Message, translate
from guide.tours.limits import PlanLimits
from guide.tours.matrix import geodesic_matrix
from guide.tours.ordering import Ordering, best_order
from guide.tours.request import TourRequest, format_time
from guide.tours.travel import MODE_PHRASES, Travel

# The id of a start given as a point: site codes are upper case, so never equal to it.
START_ID = "start"
START_NAME = N_("Starting point")
_HOURS_RE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class Place:
    """A point of a tour: a site, or the start when it is a point on the map."""

    id: str
    lat: float
    lon: float
    site: Site | None = None
    visit_minutes: int = 0

    def name(self, lang: str) -> str:
        """Return the place's name in ``lang``."""
        if self.site is None:
            return translate(START_NAME, lang)
        return self.site.display_name(lang)


@dataclass(frozen=True)
class TourWarning:
    """Something the group should know about one stop: ``place: text``, in any language."""

    place: Place
    text: Message

    @property
    def place_id(self) -> str:
        """Return the id of the stop warned about."""
        return self.place.id

    def message(self, lang: str) -> str:
        """Return the warning in ``lang`` (English where it has no translation)."""
        return f"{self.place.name(lang)}: {translate(self.text, lang)}"

    def messages(self, languages: Sequence[str]) -> dict[str, str]:
        """Return the warning in each of ``languages``."""
        return {lang: self.message(lang) for lang in languages}


@dataclass(frozen=True)
class Leg:
    """The way from one place to the next."""

    start: Place
    end: Place
    metres: int
    minutes: int


@dataclass(frozen=True)
class Visit:
    """One line of the timetable: a place with its arrival and leaving times (minutes)."""

    place: Place
    arrive: int
    leave: int
    warnings: tuple[TourWarning, ...] = ()
    is_return: bool = False


@dataclass(frozen=True)
class Plan:
    """A planned tour: places in order, legs between them, the timetable and totals."""

    request: TourRequest
    places: list[Place]
    legs: list[Leg]
    timetable: list[Visit]
    distances: str  # "estimate" or "road"
    exact: bool
    speed_kmh: float
    detour: float
    # The catalogue's languages: the JSON gives each message in all of them.
    languages: tuple[str, ...] = ()

    @property
    def total_m(self) -> int:
        """Return the metres travelled, the sum of the legs."""
        return sum(leg.metres for leg in self.legs)

    @property
    def travel_minutes(self) -> int:
        """Return the minutes spent travelling."""
        return sum(leg.minutes for leg in self.legs)

    @property
    def total_minutes(self) -> int:
        """Return the minutes from the start time to the end of the tour."""
        return self.timetable[-1].leave - self.request.start_time

    @property
    def warnings(self) -> list[TourWarning]:
        """Return every warning of the timetable, in order."""
        return [warning for visit in self.timetable for warning in visit.warnings]

    def note(self, lang: str) -> str:
        """Return the sentence that says how distances and times were found."""
        template = (
            N_(
                "Figures are estimates: road distances from the routing server; "
                "times %(mode)s at %(speed)s km/h."
            )
            if self.distances == "road"
            else N_(
                "Figures are estimates: straight-line distance × %(detour)s; "
                "times %(mode)s at %(speed)s km/h."
            )
        )
        text = Message.of(
            template,
            mode=translate(MODE_PHRASES[self.request.mode], lang),
            speed=_decimal(self.speed_kmh, lang),
            detour=_decimal(self.detour, lang),
        )
        return translate(text, lang)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """Return the plan as the API's JSON object."""
        lang = lang or self.request.lang
        return {
            "title": plan_title(self, lang),
            "order": [place.id for place in self.places],
            "places": [_place_json(place, lang) for place in self.places],
            "legs": [
                {
                    "from": leg.start.id,
                    "to": leg.end.id,
                    "metres": leg.metres,
                    "minutes": leg.minutes,
                }
                for leg in self.legs
            ],
            "total_m": self.total_m,
            "total_minutes": self.total_minutes,
            "travel_minutes": self.travel_minutes,
            "timetable": [
                {
                    "id": visit.place.id,
                    "name": visit.place.name(lang),
                    "arrive": format_time(visit.arrive),
                    "leave": format_time(visit.leave),
                    "visit_minutes": visit.leave - visit.arrive,
                    "return": visit.is_return,
                    "warnings": [warning.message(lang) for warning in visit.warnings],
                }
                for visit in self.timetable
            ],
            "warnings": [
                {
                    "id": w.place_id,
                    "message": w.message(lang),
                    "messages": w.messages(self.languages or (lang,)),
                }
                for w in self.warnings
            ],
            "mode": self.request.mode,
            "return_to_start": self.request.return_to_start,
            "keep_order": self.request.keep_order,
            "start_time": format_time(self.request.start_time),
            "lang": lang,
            "distances": self.distances,
            "exact": self.exact,
            "note": self.note(lang),
            "query": self.request.query(),
        }


def _decimal(number: float, lang: str) -> str:
    """Return ``number`` as ``lang`` writes it ("4,5" in Vietnamese, "4.5" in English)."""
    try:
        return format_decimal(number, locale=lang)
    except ValueError:  # a language Babel does not know
        return f"{number:g}"


def _place_json(place: Place, lang: str) -> dict[str, Any]:
    site = place.site
    return {
        "id": place.id,
        "code": site.code if site else None,
        "slug": site.slug if site else None,
        "name": place.name(lang),
        "lat": place.lat,
        "lon": place.lon,
        "visit_minutes": place.visit_minutes,
    }


def parse_hours(text: str) -> list[tuple[int, int]]:
    """Return opening hours as (opens, closes) minutes; a range past midnight closes after 24:00.

    >>> parse_hours("08:00-11:30, 13:30-17:00")
    [(480, 690), (810, 1020)]
    >>> parse_hours("20:00-02:00"), parse_hours("")
    ([(1200, 1560)], [])
    """
    ranges = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        found = _HOURS_RE.match(part)
        if not found:
            raise ValueError(f"{part!r} is not a time range such as 08:00-11:30")
        h1, m1, h2, m2 = (int(value) for value in found.groups())
        opens, closes = h1 * 60 + m1, h2 * 60 + m2
        if closes <= opens:
            closes += 24 * 60
        ranges.append((opens, closes))
    return ranges


def opening_warnings(place: Place, arrive: int, leave: int) -> list[TourWarning]:
    """Return warnings when a site is closed on arrival or closes before the visit ends."""
    site = place.site
    if site is None or not site.opening_hours:
        return []
    try:
        ranges = parse_hours(site.opening_hours)
    except ValueError:
        return []
    day = 24 * 60
    start = arrive % day
    end = start + (leave - arrive)
    hours = site.opening_hours
    for opens, closes in ranges:
        for shift in (-day, 0, day):
            if opens + shift <= start < closes + shift:
                if end <= closes + shift:
                    return []
                closing, ending = format_time(closes), format_time(leave)
                return [
                    TourWarning(
                        place,
                        Message.of(
                            N_("closes at %(closing)s, before the visit ends at %(ending)s"),
                            closing=closing,
                            ending=ending,
                        ),
                    )
                ]
    at = format_time(arrive)
    return [
        TourWarning(
            place,
            Message.of(N_("closed at %(at)s (opening hours: %(hours)s)"), at=at, hours=hours),
        )
    ]


# ---------------------------------------------------------------- requests


def plan_tour(
    request: TourRequest,
    catalogue: Catalogue,
    travel: Travel,
    *,
    keep_order: bool = False,
    limits: PlanLimits | None = None,
) -> Plan:
    """Return the plan of a checked request: the best order, legs and the timetable.

    Stops are put in a fixed order (by code) before planning, so the plan does
    not depend on the order they were listed in. A round trip without a start
    begins at the first stop listed; an open tour without one begins wherever
    the tour is shortest. ``keep_order`` (or the request's own ``keep_order``)
    visits the stops as listed instead (a curated tour).

    Distances between the catalogue's sites come from its matrix
    (``guide.tours.matrix``). With ``limits`` the order is taken from those
    already found, or computed within them (``guide.tours.limits``; raises
    PlannerBusy when the planner is full); without, it is always computed.
    """
    keep_order = keep_order or request.keep_order
    sites = {code: catalogue.by_code(code) for code in request.stops}
    start = request.start
    if start is None and (request.return_to_start or keep_order):
        start = request.stops[0]

    def place_of(code: str) -> Place:
        site = sites.get(code) or catalogue.by_code(code)
        assert site is not None and site.lat is not None and site.lon is not None
        minutes = request.visit_minutes.get(code, site.visit_minutes)
        return Place(code, site.lat, site.lon, site, minutes)

    places: list[Place] = []
    if isinstance(start, tuple):
        places.append(Place(START_ID, start[0], start[1]))
    elif isinstance(start, str):
        places.append(place_of(start))
    others = [code for code in request.stops if code != start]
    places.extend(place_of(code) for code in (others if keep_order else sorted(others)))
    points = [(p.lat, p.lon) for p in places]
    codes = [p.site.code if p.site is not None else None for p in places]
    matrix, source = travel.matrix(
        points, request.mode, lambda: geodesic_matrix(catalogue, points, codes)
    )
    if keep_order:
        order = list(range(len(places)))
        exact = False
    else:
        fixed = None if start is None else 0

        def compute(cpu_seconds: float | None) -> Ordering:
            return best_order(
                matrix, closed=request.return_to_start, start=fixed, cpu_seconds=cpu_seconds
            )

        if limits is None:
            found = compute(None)
        else:
            key = (
                tuple(code or point for code, point in zip(codes, points, strict=True)),
                request.mode,
                source,
                travel.detours[request.mode],
                travel.routing_url,
                request.return_to_start,
                fixed,
            )
            free = len(places) - (0 if fixed is None else 1)
            found = limits.order(catalogue, key, free, compute)
        order, exact = found.order, found.exact
    ordered = [places[i] for i in order]
    steps = list(pairwise(order))
    if request.return_to_start:
        steps.append((order[-1], order[0]))
    legs = []
    for a, b in steps:
        metres = round(matrix[a][b])
        legs.append(Leg(places[a], places[b], metres, travel.minutes(matrix[a][b], request.mode)))
    timetable = []
    clock = request.start_time
    for index, place in enumerate(ordered):
        if index:
            clock += legs[index - 1].minutes
        leave = clock + place.visit_minutes
        timetable.append(Visit(place, clock, leave, tuple(opening_warnings(place, clock, leave))))
        clock = leave
    if request.return_to_start:
        clock += legs[-1].minutes
        timetable.append(Visit(ordered[0], clock, clock, (), is_return=True))
    return Plan(
        request=request,
        places=ordered,
        legs=legs,
        timetable=timetable,
        distances=source,
        exact=exact,
        speed_kmh=travel.speeds_kmh[request.mode],
        detour=travel.detours[request.mode] if source == "estimate" else 1.0,
        languages=catalogue.config.languages,
    )


def next_stop(
    tour: Tour, slug: str, catalogue: Catalogue, travel: Travel
) -> tuple[Site, int, int] | None:
    """Return the stop after ``slug`` on a curated tour with its metres and minutes, or None."""
    if slug not in tour.stops or tour.stops[-1] == slug:
        return None
    here = catalogue.by_slug(slug)
    there = catalogue.by_slug(tour.stops[tour.stops.index(slug) + 1])
    if here is None or there is None or not here.has_location or not there.has_location:
        return None
    matrix, _ = travel.matrix([(here.lat, here.lon), (there.lat, there.lon)], tour.mode)  # type: ignore[list-item]
    return there, round(matrix[0][1]), travel.minutes(matrix[0][1], tour.mode)


def plan_title(plan: Plan, lang: str) -> str:
    """Return a short title: the first and last place and the number of stops."""
    first, last = plan.places[0].name(lang), plan.places[-1].name(lang)
    count = sum(1 for place in plan.places if place.site is not None)
    text = Message.of(
        N_("Tour of %(count)s stops: %(first)s → %(last)s"), count=count, first=first, last=last
    )
    return translate(text, lang)
