"""The parts of a tour plan: its places, legs, timetable and warnings, and the plan as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal

from guide.catalogue.model import Site
from guide.messages import N_, Message, translate
from guide.tours.request import TourRequest, format_time
from guide.tours.travel import MODE_PHRASES

# The id of a start given as a point: site codes are upper case, so never equal to it.
START_ID = "start"
START_NAME = N_("Starting point")


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


def plan_title(plan: Plan, lang: str) -> str:
    """Return a short title: the first and last place and the number of stops."""
    first, last = plan.places[0].name(lang), plan.places[-1].name(lang)
    count = sum(1 for place in plan.places if place.site is not None)
    text = Message.of(
        N_("Tour of %(count)s stops: %(first)s → %(last)s"), count=count, first=first, last=last
    )
    return translate(text, lang)
