"""Count what the listening tables say about one area (or the whole city) over a period.

Everything here is read from the tables only (``guide.listening.models``) and the
catalogue's sites: scans per day, per language and per way in, the views of story pages, the codes
most and least reached, the plaques that went silent, and what visitors said. No Flask view
lives here, so the same figures feed the workspace page, the printed monthly report
and its CSV export.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from guide.listening.periods import Period
from guide.listening.words import EVENT_ARRIVAL, EVENT_VIEW, VIA_LINK, VIA_PLAQUE
from guide.workspace.database import db

if TYPE_CHECKING:
    from guide.listening.models import Plaque


TOP = 10
# SQLite refuses statements with more than 32,766 bound values; stay well below.
_CHUNK = 5000


@dataclass(frozen=True)
class Place:
    """A site as the figures need it: its code, slug, names and area."""

    code: str
    slug: str
    name: dict[str, str]
    area: str

    def display_name(self, language: str) -> str:
        """Return the name in ``language``, else in Vietnamese, else the slug."""
        return self.name.get(language) or self.name.get("vi") or self.slug


@dataclass
class CodeReach:
    """How many arrivals one code had in the period, and how many views its story page."""

    place: Place
    count: int
    views: int = 0


@dataclass
class SilentPlaque:
    """A plaque whose code had no scan in the last silent days, or never."""

    place: Place
    printed_on: date
    where: str
    state: str
    size: str
    last_scan: date | None


@dataclass
class Reach:
    """The figures of one area (or the whole city) over one period."""

    period: Period
    area: str
    silent_days: int
    per_day: list[tuple[date, int, int]] = field(default_factory=list)  # day, plaque, link
    by_language: list[tuple[str, int]] = field(default_factory=list)
    by_via: dict[str, int] = field(default_factory=dict)
    views: int = 0  # showings of the story pages, however the visitors came
    codes: list[CodeReach] = field(default_factory=list)  # most reached first
    silent: list[SilentPlaque] = field(default_factory=list)
    without_plaque: list[Place] = field(default_factory=list)
    useful_yes: int = 0
    useful_no: int = 0
    feedback_received: int = 0
    feedback_handled: int = 0
    open_feedback: int = 0

    @property
    def total(self) -> int:
        """Return every arrival through a code in the period, scanned or typed."""
        return sum(self.by_via.values())

    @property
    def scans(self) -> int:
        """Return the arrivals from a scanned plaque."""
        return self.by_via.get(VIA_PLAQUE, 0)

    @property
    def typed(self) -> int:
        """Return the arrivals from a typed, shared or linked code."""
        return self.by_via.get(VIA_LINK, 0)

    @property
    def useful_ratio(self) -> float | None:
        """Return the share of 'useful: yes' among the visitors who answered, or None."""
        answered = self.useful_yes + self.useful_no
        return self.useful_yes / answered if answered else None

    @property
    def top(self) -> list[CodeReach]:
        """Return the codes most reached, at most ten."""
        return self.codes[:TOP]

    @property
    def bottom(self) -> list[CodeReach]:
        """Return the codes least reached (zero included), least first, at most ten."""
        return sorted(self.codes, key=lambda c: (c.count, c.place.code))[:TOP]


def places_of(sites: Iterable, area: str = "") -> list[Place]:
    """Return the public sites of ``area`` (every area when empty) as places."""
    return [
        Place(site.code, site.slug, dict(site.name), site.area)
        for site in sites
        if site.is_public and (not area or site.area == area)
    ]


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _arrivals(
    codes: Sequence[str],
    whole_city: bool,
    *columns,
    since=None,
    until=None,
    via=None,
    event: str = EVENT_ARRIVAL,
):
    """Yield rows of (columns..., sum of counts) of arrivals (or views), grouped by the columns."""
    from sqlalchemy import func, select

    from guide.listening.models import ScanCount

    def query(part: Sequence[str] | None):
        statement = select(*columns, func.sum(ScanCount.count)).where(ScanCount.event == event)
        if part is not None:
            statement = statement.where(ScanCount.code.in_(part))
        if since is not None:
            statement = statement.where(ScanCount.day >= since)
        if until is not None:
            statement = statement.where(ScanCount.day <= until)
        if via is not None:
            statement = statement.where(ScanCount.via == via)
        return db.session.execute(statement.group_by(*columns)).all()

    if whole_city:
        yield from query(None)
        return
    for part in _chunks(codes):
        yield from query(part)


def reach(
    places: Sequence[Place],
    period: Period,
    today: date,
    *,
    area: str = "",
    silent_days: int = 30,
    zone: str = "Asia/Ho_Chi_Minh",
) -> Reach:
    """Return the figures of ``places`` (one area's, or the whole city's) for ``period``."""
    from guide.listening.models import ScanCount

    result = Reach(period=period, area=area, silent_days=silent_days)
    codes = [place.code for place in places]
    by_code = {place.code: place for place in places}
    whole_city = not area
    span = {"since": period.since, "until": period.until}

    daily: dict[date, dict[str, int]] = {}
    for day, via, count in _arrivals(codes, whole_city, ScanCount.day, ScanCount.via, **span):
        daily.setdefault(day, {})[via] = daily.get(day, {}).get(via, 0) + int(count or 0)
    for day in period.days:
        counts = daily.get(day, {})
        result.per_day.append((day, counts.get(VIA_PLAQUE, 0), counts.get(VIA_LINK, 0)))
    result.by_via = {VIA_PLAQUE: 0, VIA_LINK: 0}
    for counts in daily.values():
        for via, count in counts.items():
            result.by_via[via] = result.by_via.get(via, 0) + count

    languages: dict[str, int] = {}
    for language, count in _arrivals(codes, whole_city, ScanCount.language, **span):
        languages[language] = languages.get(language, 0) + int(count or 0)
    result.by_language = sorted(languages.items(), key=lambda item: (-item[1], item[0]))

    per_code: dict[str, int] = {}
    for code, count in _arrivals(codes, whole_city, ScanCount.code, **span):
        per_code[code] = per_code.get(code, 0) + int(count or 0)
    views: dict[str, int] = {}
    for code, count in _arrivals(codes, whole_city, ScanCount.code, event=EVENT_VIEW, **span):
        views[code] = views.get(code, 0) + int(count or 0)
    result.views = sum(views.values())
    result.codes = sorted(
        (
            CodeReach(place, per_code.get(place.code, 0), views.get(place.code, 0))
            for place in places
        ),
        key=lambda c: (-c.count, c.place.code),
    )

    _silent_plaques(result, places, by_code, codes, whole_city, today, silent_days)
    _feedback(result, places, whole_city, period, zone)
    return result


def _silent_plaques(result, places, by_code, codes, whole_city, today, silent_days) -> None:
    """Fill in the silent plaques and the sites that have no plaque at all."""
    from sqlalchemy import select

    from guide.listening.models import Plaque

    plaques: list[Plaque] = []
    if whole_city:
        plaques = list(db.session.scalars(select(Plaque)))
    else:
        for part in _chunks(codes):
            plaques.extend(db.session.scalars(select(Plaque).where(Plaque.code.in_(part))))
    with_plaque = {plaque.code for plaque in plaques}
    result.without_plaque = sorted(
        (place for place in places if place.code not in with_plaque), key=lambda p: p.code
    )

    last_scan = {code: day for code, day in _last_scans(codes, whole_city)}
    # A scan on any of the last ``silent_days`` days (today included) keeps a code alive.
    quiet_since = today - timedelta(days=silent_days - 1)
    printed_before = today - timedelta(days=silent_days)
    for plaque in sorted(plaques, key=lambda p: (p.printed_on, p.code, p.id)):
        place = by_code.get(plaque.code)
        if place is None or plaque.state == "removed" or plaque.printed_on > printed_before:
            continue
        last = last_scan.get(plaque.code)
        if last is not None and last >= quiet_since:
            continue
        result.silent.append(
            SilentPlaque(place, plaque.printed_on, plaque.where, plaque.state, plaque.size, last)
        )


def _last_scans(codes: Sequence[str], whole_city: bool):
    """Yield (code, last day it was scanned from a plaque)."""
    from sqlalchemy import func, select

    from guide.listening.models import ScanCount

    def query(part):
        statement = select(ScanCount.code, func.max(ScanCount.day)).where(
            ScanCount.event == EVENT_ARRIVAL,
            ScanCount.via == VIA_PLAQUE,
            ScanCount.count > 0,
        )
        if part is not None:
            statement = statement.where(ScanCount.code.in_(part))
        return db.session.execute(statement.group_by(ScanCount.code)).all()

    if whole_city:
        yield from query(None)
        return
    for part in _chunks(codes):
        yield from query(part)


def _feedback(result: Reach, places, whole_city: bool, period: Period, zone: str) -> None:
    """Fill in what visitors said: answers to 'useful?', received, handled and still open."""
    from sqlalchemy import func, select

    from guide.listening.models import Feedback

    slugs = [place.slug for place in places]
    # handled_at is stored in UTC; the period is days in the catalogue's time zone.
    tz = ZoneInfo(zone)
    start = datetime.combine(period.since, time.min, tz).astimezone(UTC)
    end = datetime.combine(period.until + timedelta(days=1), time.min, tz).astimezone(UTC)
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)

    def count(*conditions, part=None) -> int:

        from guide.listening.models import Feedback

        statement = select(func.count(Feedback.id)).where(*conditions)
        if part is not None:
            statement = statement.where(Feedback.slug.in_(part))
        return int(db.session.scalar(statement) or 0)

    received = (Feedback.received_on >= period.since, Feedback.received_on <= period.until)
    parts = [None] if whole_city else list(_chunks(slugs))
    for part in parts:
        result.useful_yes += count(*received, Feedback.useful.is_(True), part=part)
        result.useful_no += count(*received, Feedback.useful.is_(False), part=part)
        result.feedback_received += count(*received, part=part)
        result.feedback_handled += count(
            Feedback.status != "new",
            Feedback.handled_at.is_not(None),
            Feedback.handled_at >= start,
            Feedback.handled_at < end,
            part=part,
        )
        result.open_feedback += count(Feedback.status == "new", part=part)


def csv_rows(figures: Reach, language: str, labels: dict[str, str]) -> list[list[str]]:
    """Return the report's figures as CSV rows: section, item, value (and more for codes)."""
    period = figures.period
    rows: list[list[str]] = [["section", "item", "value", "detail"]]
    rows.append(["period", "since", period.since.isoformat(), ""])
    rows.append(["period", "until", period.until.isoformat(), ""])
    rows.append(["area", "id", figures.area or "*", labels.get("area", "")])
    rows.append(["arrivals", "total", str(figures.total), ""])
    rows.append(["views", "total", str(figures.views), ""])
    for via in (VIA_PLAQUE, VIA_LINK):
        rows.append(["via", via, str(figures.by_via.get(via, 0)), ""])
    for code, count in figures.by_language:
        rows.append(["language", code, str(count), ""])
    for day, plaque, link in figures.per_day:
        rows.append(["day", day.isoformat(), str(plaque + link), f"{plaque}/{link}"])
    for entry in figures.top:
        rows.append(["top", entry.place.code, str(entry.count), entry.place.display_name(language)])
    for entry in figures.top:
        rows.append(
            ["views", entry.place.code, str(entry.views), entry.place.display_name(language)]
        )
    for plaque in figures.silent:
        rows.append(
            [
                "silent",
                plaque.place.code,
                plaque.last_scan.isoformat() if plaque.last_scan else "",
                f"{plaque.place.display_name(language)}; {plaque.printed_on.isoformat()}; "
                f"{plaque.state}; {plaque.where}",
            ]
        )
    for place in figures.without_plaque:
        rows.append(["no plaque", place.code, "", place.display_name(language)])
    rows.append(["feedback", "received", str(figures.feedback_received), ""])
    rows.append(["feedback", "handled", str(figures.feedback_handled), ""])
    rows.append(["feedback", "open", str(figures.open_feedback), ""])
    rows.append(["feedback", "useful yes", str(figures.useful_yes), ""])
    rows.append(["feedback", "useful no", str(figures.useful_no), ""])
    ratio = figures.useful_ratio
    rows.append(["feedback", "useful ratio", "" if ratio is None else f"{ratio:.3f}", ""])
    return rows
