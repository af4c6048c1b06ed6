"""Where a story page stands on a curated tour, and distances and travel times in words.

A story page opened from a tour (``?tour=<slug>``) shows the next stop; the
tour pages (``guide.web.tours.api``) write distances and times the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import format_decimal, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from guide.catalogue.curated import can_follow
from guide.catalogue.model import Site, Tour
from guide.tours.plan import next_stop
from guide.tours.travel import MODE_LABELS as MODE_IDS
from guide.tours.travel import Travel
from guide.web.i18n import available_languages
from guide.web.loaded import get_catalogue

# The modes' names in the page's language (the ids are the library's).
MODE_LABELS = {mode: _l(label) for mode, label in MODE_IDS.items()}


def travel() -> Travel:
    """Return the travel model (speeds, detours, routing server) of the current settings."""
    return Travel.from_settings(current_app.config)


def max_stops() -> int:
    """Return the most stops a tour may have in the current settings."""
    return int(current_app.config["GUIDE_TOUR_MAX_STOPS"])


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
    following = next_stop(found, site.slug, catalogue, travel())
    if following is None:
        return step
    there, metres, minutes = following
    mode = found.mode if found.mode in MODE_IDS else "walk"
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
