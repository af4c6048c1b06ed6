"""Periods of the listening figures: a calendar month, a pair of days or the last days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from guide.messages import N_

DEFAULT_DAYS = 30
# A longer period would make a chart of unreadable bars; a year is what a report needs.
MAX_DAYS = 366
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
_MONTH_MESSAGE = N_("%(field)s=%(value)s: write the month as YYYY-MM, such as 2026-03")
_DAY_MESSAGE = N_("%(field)s=%(value)s: write the day as YYYY-MM-DD")


class PeriodError(ValueError):
    """A period cannot be read from what was asked; the message names the field."""

    def __init__(self, msgid: str, field_name: str, value: str) -> None:
        super().__init__(msgid % {"field": field_name, "value": value})
        self.msgid = msgid
        self.field = field_name
        self.value = value


@dataclass(frozen=True)
class Period:
    """Days from ``since`` to ``until``, both included."""

    since: date
    until: date

    @property
    def days(self) -> list[date]:
        """Return every day of the period, in order."""
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]

    @property
    def month(self) -> str:
        """Return YYYY-MM when the period is one whole calendar month, else ''."""
        first = self.since.replace(day=1)
        if self.since == first and self.until == _month_end(first):
            return first.strftime("%Y-%m")
        return ""


def _month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def month_period(text: str) -> Period:
    """Return the calendar month ``YYYY-MM``; raise PeriodError naming ``month``."""
    text = (text or "").strip()
    if not _MONTH_RE.match(text):
        raise PeriodError(_MONTH_MESSAGE, "month", text)
    try:
        first = date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        raise PeriodError(_MONTH_MESSAGE, "month", text) from None
    return Period(first, _month_end(first))


def _day(name: str, text: str) -> date:
    if not _DAY_RE.match(text):
        raise PeriodError(_DAY_MESSAGE, name, text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(_DAY_MESSAGE, name, text) from None


def parse_period(
    today: date, since: str = "", until: str = "", month: str = "", days: int = DEFAULT_DAYS
) -> Period:
    """Return the period asked for: a month, a since/until pair, or the last ``days`` days.

    Raise PeriodError, whose message (a msgid with %(field)s and %(value)s) names
    the field at fault.
    """
    if month:
        return month_period(month)
    until_day = _day("until", until.strip()) if until.strip() else today
    since_day = (
        _day("since", since.strip()) if since.strip() else until_day - timedelta(days=days - 1)
    )
    if since_day > until_day:
        raise PeriodError(
            N_("%(field)s=%(value)s: the first day comes after the last day"),
            "since",
            since_day.isoformat(),
        )
    if (until_day - since_day).days + 1 > MAX_DAYS:
        raise PeriodError(
            N_("%(field)s=%(value)s: choose a period of at most 366 days"),
            "since",
            since_day.isoformat(),
        )
    return Period(since_day, until_day)


def local_today(zone: str) -> date:
    """Return today's date in the catalogue's time zone."""
    return datetime.now(ZoneInfo(zone)).date()
