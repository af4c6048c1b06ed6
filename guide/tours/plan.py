"""Tour plans: the stops of a visit in their best order, with distances and a timetable.

A plan is asked for with a ``TourRequest`` (``guide.tours.request``), then made by
``plan_tour``. Distances are geodesic metres times a detour factor per mode, or
road distances from an OSRM-compatible routing server when one is configured
(``guide.tours.travel``). A plan's parts and its JSON are in ``guide.tours.itinerary``;
it leaves as GPX 1.1 and GeoJSON from ``guide.tours.export``. Nothing here imports Flask.
"""

from __future__ import annotations

import re
from itertools import pairwise

from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site, Tour
from guide.messages import N_, Message
from guide.tours.itinerary import START_ID, Leg, Place, Plan, TourWarning, Visit
from guide.tours.limits import PlanLimits
from guide.tours.matrix import geodesic_matrix
from guide.tours.ordering import Ordering, best_order
from guide.tours.request import TourRequest, format_time
from guide.tours.travel import Travel

_HOURS_RE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


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
