"""Tour plans: the stops of a visit in their best order, with distances and a timetable.

A plan is asked for with a ``TourRequest`` (sites, a start, a travel mode, a
start time, minutes per stop), checked against the catalogue by
``parse_request`` (JSON) or ``parse_query`` (the permalink's query string),
then made by ``plan_tour``. Distances are geodesic metres times a detour factor
per mode, or road distances from an OSRM-compatible routing server when one is
configured (``guide.tours.travel``). Plans leave as JSON, GPX 1.1 and GeoJSON.
Nothing here imports Flask.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from urllib.parse import quote

import gpxpy.gpx

from guide.catalogue.geo import in_range
from guide.catalogue.index import Catalogue
from guide.catalogue.model import Problem, Site, Tour
from guide.messages import N_
from guide.tours.limits import PlanLimits
from guide.tours.matrix import geodesic_matrix
from guide.tours.ordering import Ordering, best_order
from guide.tours.travel import MODES, Travel

MODE_NAMES = {
    "walk": {"vi": "đi bộ", "en": "on foot"},
    "bike": {"vi": "xe đạp", "en": "by bicycle"},
    "car": {"vi": "ô tô", "en": "by car"},
}
DEFAULT_START_TIME = "08:00"
# The id of a start given as a point: site codes are upper case, so never equal to it.
START_ID = "start"
START_NAME = {"vi": "Điểm xuất phát", "en": "Starting point"}
MAX_VISIT_MINUTES = 24 * 60
PLAN_PATH = "/tours/plan"
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_HOURS_RE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class PlanError(ValueError):
    """A tour request that cannot be planned, with the field at fault and how to fix it."""

    def __init__(self, field: str, vi: str, en: str) -> None:
        super().__init__(f"{field}: {en}")
        self.field = field
        self.messages = {"vi": f"{field}: {vi}", "en": f"{field}: {en}"}

    def message(self, lang: str = "vi") -> str:
        """Return the message in ``lang`` (Vietnamese when there is none in it)."""
        return self.messages.get(lang, self.messages["vi"])


@dataclass(frozen=True)
class TourRequest:
    """What a tour organizer asks for, checked: codes are canonical, times are minutes."""

    stops: tuple[str, ...]
    start: str | tuple[float, float] | None = None
    mode: str = "walk"
    return_to_start: bool = False
    start_time: int = 8 * 60
    visit_minutes: Mapping[str, int] = field(default_factory=dict)
    lang: str = "vi"
    keep_order: bool = False

    def query(self) -> str:
        """Return the permalink's query string, which ``parse_query`` turns back into this."""
        parts = [("stops", ",".join(self.stops))]
        if isinstance(self.start, str):
            parts.append(("start", self.start))
        elif self.start is not None:
            parts.append(("start", f"{self.start[0]:.6f},{self.start[1]:.6f}"))
        parts.append(("mode", self.mode))
        if self.return_to_start:
            parts.append(("return", "1"))
        if self.keep_order:
            parts.append(("order", "listed"))
        parts.append(("start_time", format_time(self.start_time)))
        if self.visit_minutes:
            visits = ",".join(f"{code}:{minutes}" for code, minutes in self.visit_minutes.items())
            parts.append(("visit", visits))
        parts.append(("lang", self.lang))
        return "&".join(f"{name}={quote(value, safe=',:')}" for name, value in parts)


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
            return START_NAME.get(lang, START_NAME["vi"])
        return self.site.display_name(lang)


@dataclass(frozen=True)
class TourWarning:
    """Something the group should know about one stop, in every language."""

    place_id: str
    messages: Mapping[str, str]

    def message(self, lang: str = "vi") -> str:
        """Return the warning in ``lang`` (Vietnamese when there is none in it)."""
        return self.messages.get(lang, self.messages["vi"])


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
        mode = self.request.mode
        if lang == "vi":
            speed = f"{self.speed_kmh:g}".replace(".", ",")
            how = (
                "quãng đường theo đường bộ từ máy chủ chỉ đường"
                if self.distances == "road"
                else "quãng đường ước tính bằng khoảng cách đường chim bay × "
                + f"{self.detour:g}".replace(".", ",")
            )
            return (
                f"Số liệu là ước tính: {how}; thời gian {MODE_NAMES[mode]['vi']} "
                f"với tốc độ {speed} km/h."
            )
        how = (
            "road distances from the routing server"
            if self.distances == "road"
            else f"straight-line distance × {self.detour:g}"
        )
        return (
            f"Figures are estimates: {how}; times {MODE_NAMES[mode]['en']} "
            f"at {self.speed_kmh:g} km/h."
        )

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
                {"id": w.place_id, "message": w.message(lang), "messages": dict(w.messages)}
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


# ---------------------------------------------------------------- times and hours


def parse_time(text: str) -> int:
    """Return minutes after midnight of an ``HH:MM`` time; raise ValueError otherwise.

    >>> parse_time("08:30"), parse_time("7:05")
    (510, 425)
    """
    found = _TIME_RE.match(text.strip())
    if not found:
        raise ValueError(f"{text!r} is not a time such as 08:30")
    return int(found.group(1)) * 60 + int(found.group(2))


def format_time(minutes: int) -> str:
    """Return ``HH:MM`` on a 24-hour clock (a tour past midnight wraps around).

    >>> format_time(510), format_time(1450)
    ('08:30', '00:10')
    """
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


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
    names = {lang: site.display_name(lang) for lang in ("vi", "en")}
    hours = site.opening_hours
    for opens, closes in ranges:
        for shift in (-day, 0, day):
            if opens + shift <= start < closes + shift:
                if end <= closes + shift:
                    return []
                closing, ending = format_time(closes), format_time(leave)
                return [
                    TourWarning(
                        place.id,
                        {
                            "vi": f"{names['vi']}: đóng cửa lúc {closing}, trước khi "
                            f"kết thúc tham quan lúc {ending}",
                            "en": f"{names['en']}: closes at {closing}, before the visit "
                            f"ends at {ending}",
                        },
                    )
                ]
    at = format_time(arrive)
    return [
        TourWarning(
            place.id,
            {
                "vi": f"{names['vi']}: đóng cửa lúc {at} (giờ mở cửa: {hours})",
                "en": f"{names['en']}: closed at {at} (opening hours: {hours})",
            },
        )
    ]


# ---------------------------------------------------------------- requests


def _published_site(catalogue: Catalogue, value: Any, field_name: str) -> Site:
    if not isinstance(value, str) or not value.strip():
        raise PlanError(
            field_name,
            f"{value!r} không phải mã địa điểm: viết mã in trên biển, như Z2HN",
            f"{value!r} is not a site code: give the code printed on the plaque, such as Z2HN",
        )
    site = catalogue.by_code(value) or catalogue.by_slug(value.strip())
    if site is None or site.status != "published":
        raise PlanError(
            field_name,
            f"{value!r} không phải mã của địa điểm đã công bố nào: kiểm tra lại mã",
            f"{value!r} is not the code of a published site: check the code",
        )
    if not site.has_location:
        raise PlanError(
            field_name,
            f"{site.code} chưa có vị trí trên bản đồ: bỏ nó khỏi hành trình",
            f"{site.code} has no location on the map yet: leave it out of the tour",
        )
    return site


def _start_point(catalogue: Catalogue, value: Sequence[Any]) -> tuple[float, float]:
    example = "[21.0368, 105.8345]"
    if len(value) != 2 or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value
    ):
        raise PlanError(
            "start",
            f"{list(value)!r}: viết điểm xuất phát là [vĩ độ, kinh độ], như {example}",
            f"{list(value)!r}: give a start point as [lat, lon], such as {example}",
        )
    lat, lon = float(value[0]), float(value[1])
    if not in_range(lat, lon) or catalogue.areas.locate(lat, lon) is None:
        swapped = in_range(lon, lat) and catalogue.areas.locate(lon, lat) is not None
        hint_vi = " (vĩ độ và kinh độ có bị đảo không?)" if swapped else ""
        hint_en = " (are latitude and longitude swapped?)" if swapped else ""
        raise PlanError(
            "start",
            f"{lat}, {lon} nằm ngoài các khu vực của danh mục: chọn điểm trong khu vực{hint_vi}",
            f"{lat}, {lon} lies outside the catalogue's areas: pick a point inside them{hint_en}",
        )
    return lat, lon


def _flag(data: dict[str, Any], field: str, named: Callable[[str], str]) -> bool:
    """Return the true/false field ``field`` of a plan request (false when absent)."""
    value = data.get(field, False)
    if not isinstance(value, bool):
        raise PlanError(
            named(field), f"{value!r}: viết true hoặc false", f"{value!r}: write true or false"
        )
    return value


def parse_request(
    data: Any,
    catalogue: Catalogue,
    max_stops: int,
    *,
    names: Mapping[str, str] | None = None,
) -> TourRequest:
    """Check a tour request (the API's JSON object); raise PlanError naming what is wrong.

    ``names`` renames fields in messages (the permalink says ``return`` and
    ``visit`` for ``return_to_start`` and ``visit_minutes``).
    """
    names = names or {}

    def named(key: str) -> str:
        return names.get(key, key)

    if not isinstance(data, Mapping):
        raise PlanError(
            "body",
            'gửi một đối tượng JSON, như {"stops": ["Z2HN", "YKW7"]}',
            'send a JSON object, such as {"stops": ["Z2HN", "YKW7"]}',
        )
    lang = data.get("lang", "vi")
    if lang not in catalogue.config.languages:
        choices = ", ".join(catalogue.config.languages)
        raise PlanError(
            "lang", f"{lang!r} không phải một trong {choices}", f"{lang!r} is not one of {choices}"
        )
    stops_value = data.get("stops")
    if not isinstance(stops_value, list):
        raise PlanError(
            named("stops"),
            'thiếu danh sách mã địa điểm, như ["Z2HN", "YKW7"]',
            'missing: list the site codes, such as ["Z2HN", "YKW7"]',
        )
    stops: list[str] = []
    for index, value in enumerate(stops_value):
        code = _published_site(catalogue, value, f"stops[{index}]").code
        if code not in stops:
            stops.append(code)
    if len(stops) < 2:
        raise PlanError(
            named("stops"),
            f"có {len(stops)} điểm dừng: chọn ít nhất hai địa điểm khác nhau",
            f"{len(stops)} stop(s): pick at least two different sites",
        )
    start_value = data.get("start")
    start: str | tuple[float, float] | None
    if start_value is None or start_value == "":
        start = None
    elif isinstance(start_value, list | tuple):
        start = _start_point(catalogue, start_value)
    else:
        start = _published_site(catalogue, start_value, "start").code
    count = len(stops) + (1 if isinstance(start, str) and start not in stops else 0)
    if count > max_stops:
        raise PlanError(
            named("stops"),
            f"{count} điểm dừng, quá mức tối đa {max_stops}: chia hành trình thành nhiều ngày",
            f"{count} stops is more than the maximum of {max_stops}: split the tour into days",
        )
    mode = data.get("mode", "walk")
    if mode not in MODES:
        raise PlanError(
            "mode",
            f"{mode!r} không phải một trong {', '.join(MODES)}",
            f"{mode!r} is not one of {', '.join(MODES)}",
        )
    back = _flag(data, "return_to_start", named)
    keep_order = _flag(data, "keep_order", named)
    time_value = data.get("start_time", DEFAULT_START_TIME)
    try:
        if not isinstance(time_value, str):
            raise ValueError
        start_time = parse_time(time_value)
    except ValueError:
        raise PlanError(
            "start_time",
            f"{time_value!r} không phải giờ dạng HH:MM, như 08:30",
            f"{time_value!r} is not a time as HH:MM, such as 08:30",
        ) from None
    visits = data.get("visit_minutes") or {}
    if not isinstance(visits, Mapping):
        raise PlanError(
            named("visit_minutes"),
            'viết số phút cho từng mã, như {"Z2HN": 45}',
            'give minutes per code, such as {"Z2HN": 45}',
        )
    visit_minutes: dict[str, int] = {}
    planned = {*stops, *([start] if isinstance(start, str) else [])}
    for key, minutes in visits.items():
        site = catalogue.by_code(str(key)) or catalogue.by_slug(str(key))
        if site is None or site.code not in planned:
            raise PlanError(
                named("visit_minutes"),
                f"{key!r} không phải một điểm dừng của hành trình",
                f"{key!r} is not one of the tour's stops",
            )
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not 0 <= minutes <= MAX_VISIT_MINUTES
        ):
            raise PlanError(
                named("visit_minutes"),
                f"{site.code}: {minutes!r} phải là số phút nguyên từ 0 đến {MAX_VISIT_MINUTES}",
                f"{site.code}: {minutes!r} must be whole minutes from 0 to {MAX_VISIT_MINUTES}",
            )
        visit_minutes[site.code] = minutes
    return TourRequest(
        stops=tuple(stops),
        start=start,
        mode=mode,
        return_to_start=back,
        start_time=start_time,
        visit_minutes=visit_minutes,
        lang=lang,
        keep_order=keep_order,
    )


QUERY_NAMES = {"return_to_start": "return", "visit_minutes": "visit", "keep_order": "order"}
_ORDERS = {"best": False, "": False, "listed": True}


def parse_query(args: Mapping[str, str], catalogue: Catalogue, max_stops: int) -> TourRequest:
    """Check a permalink's query parameters; raise PlanError naming the parameter at fault.

    ``stops=A,B,C&start=CODE|lat,lon&mode=walk&return=1&order=listed&start_time=HH:MM``
    ``&visit=A:20,B:45&lang=vi``; ``order=listed`` visits the stops as listed instead
    of in the best order.
    """
    data: dict[str, Any] = {
        "stops": [part for part in (args.get("stops") or "").split(",") if part.strip()],
        "mode": args.get("mode", "walk"),
        "start_time": args.get("start_time", DEFAULT_START_TIME),
        "lang": args.get("lang", "vi"),
    }
    start = (args.get("start") or "").strip()
    if "," in start:
        try:
            data["start"] = [float(part) for part in start.split(",")]
        except ValueError:
            raise PlanError(
                "start",
                f"{start!r}: viết mã địa điểm hoặc vĩ độ,kinh độ như 21.0368,105.8345",
                f"{start!r}: give a site code or lat,lon such as 21.0368,105.8345",
            ) from None
    elif start:
        data["start"] = start
    back = (args.get("return") or "").strip().lower()
    if back not in _TRUE | _FALSE:
        raise PlanError("return", f"{back!r}: viết 1 hoặc 0", f"{back!r}: write 1 or 0")
    data["return_to_start"] = back in _TRUE
    order = (args.get("order") or "").strip().lower()
    if order not in _ORDERS:
        raise PlanError(
            "order",
            f"{order!r}: viết listed (theo thứ tự đã liệt kê) hoặc best (thứ tự tốt nhất)",
            f"{order!r}: write listed (visit as listed) or best (the best order)",
        )
    data["keep_order"] = _ORDERS[order]
    visits: dict[str, Any] = {}
    for part in (args.get("visit") or "").split(","):
        if not part.strip():
            continue
        code, _, minutes = part.partition(":")
        if not minutes.strip().isdigit():
            raise PlanError(
                "visit",
                f"{part!r}: viết MÃ:phút, như Z2HN:45",
                f"{part!r}: write CODE:minutes, such as Z2HN:45",
            )
        visits[code.strip()] = int(minutes)
    data["visit_minutes"] = visits
    return parse_request(data, catalogue, max_stops, names=QUERY_NAMES)


def tour_request(tour: Tour, catalogue: Catalogue, **options: Any) -> TourRequest:
    """Return the request for a curated tour: its stops as listed, from the first, in its mode."""
    codes = tuple(catalogue.by_slug(slug).code for slug in tour.stops)  # type: ignore[union-attr]
    options.setdefault("keep_order", True)
    return TourRequest(stops=codes, start=codes[0], mode=tour.mode, **options)


# ---------------------------------------------------------------- planning


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


def check_tours(catalogue: Catalogue) -> list[Problem]:
    """Return problems of the curated tours: an unknown mode, a stop visitors cannot reach."""
    problems = []
    for tour in catalogue.tours.values():
        label = str(catalogue.root / "_tours" / f"{tour.slug}.toml")
        if tour.mode not in MODES:
            problems.append(
                Problem.of(
                    label,
                    "mode",
                    "tour.mode",
                    N_("%(mode)s is not one of %(modes)s"),
                    mode=repr(tour.mode),
                    modes=", ".join(MODES),
                )
            )
        for index, slug in enumerate(tour.stops):
            site = catalogue.by_slug(slug)
            if site is None or site.status != "published" or not site.has_location:
                problems.append(
                    Problem.of(
                        label,
                        f"stops[{index}]",
                        "tour.unreachable",
                        N_(
                            "%(slug)s is not a published site with a location: visitors "
                            "cannot be sent there; publish it or remove the stop"
                        ),
                        slug=repr(slug),
                    )
                )
    return problems


# ---------------------------------------------------------------- exports


def plan_title(plan: Plan, lang: str) -> str:
    """Return a short title: the first and last place and the number of stops."""
    first, last = plan.places[0].name(lang), plan.places[-1].name(lang)
    count = sum(1 for place in plan.places if place.site is not None)
    if lang == "vi":
        return f"Hành trình {count} điểm: {first} → {last}"
    return f"Tour of {count} stops: {first} → {last}"


def plan_gpx(plan: Plan, lang: str | None = None) -> str:
    """Return the plan as GPX 1.1: numbered waypoints in visiting order, and the route."""
    lang = lang or plan.request.lang
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Red Addresses Guide"
    gpx.name = plan_title(plan, lang)
    gpx.description = plan.note(lang)
    route = gpxpy.gpx.GPXRoute(name=gpx.name, description=plan.note(lang))
    for number, visit in enumerate(plan.timetable, start=1):
        place = visit.place
        if visit.is_return:
            label = f"{place.name(lang)} ({'về lại' if lang == 'vi' else 'back'})"
        else:
            label = f"{number}. {place.name(lang)}"
        times = f"{format_time(visit.arrive)}–{format_time(visit.leave)}"
        if not visit.is_return:
            gpx.waypoints.append(
                gpxpy.gpx.GPXWaypoint(
                    latitude=place.lat,
                    longitude=place.lon,
                    name=label,
                    description="; ".join([times, *(w.message(lang) for w in visit.warnings)]),
                    symbol="Flag",
                )
            )
        route.points.append(
            gpxpy.gpx.GPXRoutePoint(
                latitude=place.lat, longitude=place.lon, name=label, description=times
            )
        )
    gpx.routes.append(route)
    return gpx.to_xml(version="1.1")


def plan_geojson(plan: Plan, lang: str | None = None) -> dict[str, Any]:
    """Return the plan as a GeoJSON FeatureCollection: numbered points and the route line."""
    lang = lang or plan.request.lang
    features: list[dict[str, Any]] = []
    for number, visit in enumerate(plan.timetable, start=1):
        if visit.is_return:
            continue
        place = visit.place
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {
                    "number": number,
                    "id": place.id,
                    "code": place.site.code if place.site else None,
                    "name": place.name(lang),
                    "arrive": format_time(visit.arrive),
                    "leave": format_time(visit.leave),
                    "visit_minutes": visit.leave - visit.arrive,
                    "warnings": [w.message(lang) for w in visit.warnings],
                },
            }
        )
    line = [[visit.place.lon, visit.place.lat] for visit in plan.timetable]
    features.append(
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": line},
            "properties": {
                "name": plan_title(plan, lang),
                "mode": plan.request.mode,
                "return_to_start": plan.request.return_to_start,
                "total_m": plan.total_m,
                "total_minutes": plan.total_minutes,
                "distances": plan.distances,
                "note": plan.note(lang),
            },
        }
    )
    return {"type": "FeatureCollection", "features": features}
