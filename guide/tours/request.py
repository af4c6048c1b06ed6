"""Tour requests: what a tour organizer asks for, checked against the catalogue.

``parse_request`` checks the API's JSON object and ``parse_query`` the permalink's
query string; both raise ``PlanError`` naming the field at fault. Nothing here
imports Flask.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from guide.catalogue.geo import in_range
from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site, Tour
from guide.messages import N_, Message, translate
from guide.tours.travel import MODES

DEFAULT_START_TIME = "08:00"
MAX_VISIT_MINUTES = 24 * 60
PLAN_PATH = "/tours/plan"
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class PlanError(ValueError):
    """A tour request that cannot be planned, with the field at fault and how to fix it.

    The message is an English template (a translation id) filled with ``params``;
    ``message`` gives it in a reader's language, after the field's name.
    """

    def __init__(self, field: str, template: str, /, **params: object) -> None:
        self.field = field
        self.text = Message.of(template, **params)
        super().__init__(f"{field}: {self.text}")

    def message(self, lang: str) -> str:
        """Return ``field: message`` in ``lang`` (English where it has no translation)."""
        return f"{self.field}: {translate(self.text, lang)}"

    def messages(self, languages: Sequence[str]) -> dict[str, str]:
        """Return the message in each of ``languages``."""
        return {lang: self.message(lang) for lang in languages}


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


def _published_site(catalogue: Catalogue, value: Any, field_name: str) -> Site:
    if not isinstance(value, str) or not value.strip():
        raise PlanError(
            field_name,
            N_("%(value)s is not a site code: give the code printed on the plaque, such as Z2HN"),
            value=repr(value),
        )
    site = catalogue.by_code(value) or catalogue.by_slug(value.strip())
    if site is None or site.status != "published":
        raise PlanError(
            field_name,
            N_("%(value)s is not the code of a published site: check the code"),
            value=repr(value),
        )
    if not site.has_location:
        raise PlanError(
            field_name,
            N_("%(code)s has no location on the map yet: leave it out of the tour"),
            code=site.code,
        )
    return site


def _start_point(catalogue: Catalogue, value: Sequence[Any]) -> tuple[float, float]:
    example = "[21.0368, 105.8345]"
    if len(value) != 2 or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value
    ):
        raise PlanError(
            "start",
            N_("%(value)s: give a start point as [lat, lon], such as %(example)s"),
            value=repr(list(value)),
            example=example,
        )
    lat, lon = float(value[0]), float(value[1])
    if not in_range(lat, lon) or catalogue.areas.locate(lat, lon) is None:
        swapped = in_range(lon, lat) and catalogue.areas.locate(lon, lat) is not None
        outside = (
            N_(
                "%(lat)s, %(lon)s lies outside the catalogue's areas: pick a point inside them"
                " (are latitude and longitude swapped?)"
            )
            if swapped
            else N_("%(lat)s, %(lon)s lies outside the catalogue's areas: pick a point inside them")
        )
        raise PlanError("start", outside, lat=lat, lon=lon)
    return lat, lon


def _flag(data: dict[str, Any], field: str, named: Callable[[str], str]) -> bool:
    """Return the true/false field ``field`` of a plan request (false when absent)."""
    value = data.get(field, False)
    if not isinstance(value, bool):
        raise PlanError(named(field), N_("%(value)s: write true or false"), value=repr(value))
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
            N_('send a JSON object, such as {"stops": ["Z2HN", "YKW7"]}'),
        )
    lang = data.get("lang", "vi")
    # The planner's pages send the reader's interface language (ja, fr…).
    known = tuple(
        dict.fromkeys((*catalogue.config.languages, *catalogue.config.interface_languages))
    )
    if lang not in known:
        choices = ", ".join(known)
        raise PlanError(
            "lang", N_("%(value)s is not one of %(choices)s"), value=repr(lang), choices=choices
        )
    stops_value = data.get("stops")
    if not isinstance(stops_value, list):
        raise PlanError(
            named("stops"),
            N_('missing: list the site codes, such as ["Z2HN", "YKW7"]'),
        )
    stops: list[str] = []
    for index, value in enumerate(stops_value):
        code = _published_site(catalogue, value, f"stops[{index}]").code
        if code not in stops:
            stops.append(code)
    if len(stops) < 2:
        raise PlanError(
            named("stops"),
            N_("%(count)s stop(s): pick at least two different sites"),
            count=len(stops),
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
            N_("%(count)s stops is more than the maximum of %(max)s: split the tour into days"),
            count=count,
            max=max_stops,
        )
    mode = data.get("mode", "walk")
    if mode not in MODES:
        raise PlanError(
            "mode",
            N_("%(value)s is not one of %(choices)s"),
            value=repr(mode),
            choices=", ".join(MODES),
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
            N_("%(value)s is not a time as HH:MM, such as 08:30"),
            value=repr(time_value),
        ) from None
    visits = data.get("visit_minutes") or {}
    if not isinstance(visits, Mapping):
        raise PlanError(
            named("visit_minutes"),
            N_('give minutes per code, such as {"Z2HN": 45}'),
        )
    visit_minutes: dict[str, int] = {}
    planned = {*stops, *([start] if isinstance(start, str) else [])}
    for key, minutes in visits.items():
        site = catalogue.by_code(str(key)) or catalogue.by_slug(str(key))
        if site is None or site.code not in planned:
            raise PlanError(
                named("visit_minutes"),
                N_("%(value)s is not one of the tour's stops"),
                value=repr(key),
            )
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not 0 <= minutes <= MAX_VISIT_MINUTES
        ):
            raise PlanError(
                named("visit_minutes"),
                N_("%(code)s: %(value)s must be whole minutes from 0 to %(max)s"),
                code=site.code,
                value=repr(minutes),
                max=MAX_VISIT_MINUTES,
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
                N_("%(value)s: give a site code or lat,lon such as 21.0368,105.8345"),
                value=repr(start),
            ) from None
    elif start:
        data["start"] = start
    back = (args.get("return") or "").strip().lower()
    if back not in _TRUE | _FALSE:
        raise PlanError("return", N_("%(value)s: write 1 or 0"), value=repr(back))
    data["return_to_start"] = back in _TRUE
    order = (args.get("order") or "").strip().lower()
    if order not in _ORDERS:
        raise PlanError(
            "order",
            N_("%(value)s: write listed (visit as listed) or best (the best order)"),
            value=repr(order),
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
                N_("%(value)s: write CODE:minutes, such as Z2HN:45"),
                value=repr(part),
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
