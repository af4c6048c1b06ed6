"""The curated tours' pages: ``/tours`` lists the catalogue's tours, ``/tours/<slug>`` shows one.

The blueprint of the tour pages (``bp``) is here; the planner's pages
(``guide.web.tours.planner``) add theirs to it.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, render_template

from guide.catalogue.index import Catalogue
from guide.catalogue.model import Tour
from guide.catalogue.text import fold
from guide.tours.export import plan_geojson, plan_gpx
from guide.tours.plan import plan_tour
from guide.tours.request import tour_request
from guide.web.addresses import has_public_address
from guide.web.i18n import select_language
from guide.web.loaded import get_catalogue
from guide.web.pagecache import cached_page
from guide.web.responses import attachment, page_response
from guide.web.tour_steps import (
    MODE_LABELS,
    can_follow,
    distance_text,
    duration_text,
    travel,
)
from guide.web.tours.plans import PlanView, plan_view

bp = Blueprint("tour_pages", __name__)


@bp.context_processor
def _words_and_numbers() -> dict[str, Any]:
    return {
        "distance_text": distance_text,
        "duration_text": duration_text,
        # A plan's QR code needs the public address; without one it is not offered.
        "plan_qr_available": has_public_address(),
    }


def curated_plan(tour: Tour, catalogue: Catalogue, language: str) -> PlanView:
    """Return the plan of a curated tour that visitors can follow: its stops as listed."""
    request_ = tour_request(tour, catalogue, lang=language)
    return plan_view(plan_tour(request_, catalogue, travel()), language, tour)


def curated_tours(catalogue: Catalogue, language: str) -> list[tuple[Tour, PlanView]]:
    """Return the curated tours visitors can follow, by name, each with its plan."""
    followed = [tour for tour in catalogue.tours.values() if can_follow(tour, catalogue)]
    followed.sort(key=lambda tour: fold(tour.display_name(language)))
    return [(tour, curated_plan(tour, catalogue, language)) for tour in followed]


@bp.get("/tours")
def index() -> Response:
    """List the curated tours, with a link to plan one's own."""
    catalogue = get_catalogue()
    language = select_language()

    def render() -> str:
        tours = curated_tours(catalogue, language)
        return render_template("tours/index.html", tours=tours, mode_labels=MODE_LABELS)

    return page_response(cached_page(catalogue, render))


@bp.get("/tours/<tour>")
def tour(tour: str) -> Response:
    """Show a curated tour: its description, route map, stops and timetable, and downloads."""
    return _tour_page(tour, "tours/tour.html", "tour")


@bp.get("/tours/<tour>/print")
def tour_print(tour: str) -> Response:
    """Show a curated tour's printable itinerary: route map, numbered timetable and QR code."""
    return _tour_page(tour, "tours/print.html", "tour-print", error="")


def _tour_page(tour: str, template: str, key: str, **context: Any) -> Response:
    """Render one of a followable curated tour's pages, kept until the catalogue changes."""
    found = _followed(tour)
    catalogue = get_catalogue()
    language = select_language()

    def render() -> str:
        view = curated_plan(found, catalogue, language)
        return render_template(template, tour=found, view=view, **context)

    return page_response(cached_page(catalogue, render, key, found.slug))


def _followed(tour: str) -> Tour:
    found = get_catalogue().tours.get(tour)
    if found is None or not can_follow(found, get_catalogue()):
        abort(404)
    return found


# A file at a plain address next to the tour's page, so that a static host serves it too;
# the server also names the download after the tour's title (a static host names it by slug).
@bp.get("/tours/<tour>.gpx")
def tour_gpx(tour: str) -> Response:
    """Give a curated tour as a GPX 1.1 file: its stops in order and the route."""
    found = _followed(tour)
    language = select_language()
    view = curated_plan(found, get_catalogue(), language)
    return Response(
        plan_gpx(view.plan, language, view.title),
        mimetype="application/gpx+xml",
        headers={"Content-Disposition": attachment(view.title, "gpx", found.slug)},
    )


@bp.get("/tours/<tour>.geojson")
def tour_geojson(tour: str) -> Response:
    """Give a curated tour as GeoJSON: its numbered stops and the route line."""
    found = _followed(tour)
    language = select_language()
    view = curated_plan(found, get_catalogue(), language)
    return Response(
        json.dumps(
            plan_geojson(view.plan, language, view.title), ensure_ascii=False, sort_keys=True
        ),
        mimetype="application/geo+json",
        headers={"Content-Disposition": attachment(view.title, "geojson", found.slug)},
    )
