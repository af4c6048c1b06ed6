"""The tour planner's API and downloads: plan JSON, GPX, GeoJSON and a QR code of the permalink.

``POST /api/tours/plan`` takes the JSON request of ``guide.tours.plan.parse_request``;
the ``/tours/plan.*`` addresses take the permalink's query parameters
(``guide.tours.plan.parse_query``) and give the same plan. Every plan is made within
the planner's limits (``guide.tours.limits``): when they are full, the answer is
503 with Retry-After and a message in the request's language.
"""

from __future__ import annotations

import io
import json
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask_babel import force_locale, gettext
from flask_babel import gettext as _

from guide.messages import N_
from guide.tours.export import plan_geojson, plan_gpx
from guide.tours.itinerary import Plan, plan_title
from guide.tours.limits import PlanLimits, PlannerBusy
from guide.tours.plan import plan_tour
from guide.tours.request import (
    PLAN_PATH,
    PlanError,
    TourRequest,
    parse_query,
    parse_request,
)
from guide.web.addresses import allow_export_origin, public_base
from guide.web.loaded import get_catalogue
from guide.web.responses import attachment
from guide.web.tour_steps import max_stops, travel

bp = Blueprint("tours", __name__)
# The planner of a static export calls this API from the public pages' origin.
bp.after_request(allow_export_origin)

_LIMITS = "guide.plan_limits"


def planner_limits() -> PlanLimits:
    """Return the planner's limits of the current application (made on first use)."""
    extensions = current_app.extensions
    limits = extensions.get(_LIMITS)
    if limits is None:
        # setdefault keeps one object (one set of slots) if two requests race here.
        limits = extensions.setdefault(_LIMITS, PlanLimits.from_settings(current_app.config))
    return limits


def busy_message(busy: PlannerBusy) -> str:
    """Return the message of a full planner in the current language."""
    return _(
        "The planner is busy with other tours. Try again in %(seconds)s seconds.",
        seconds=busy.retry_after,
    )


def busy_headers(busy: PlannerBusy) -> dict[str, str]:
    """Return the headers of a 503 answer for a full planner."""
    return {"Retry-After": str(busy.retry_after), "Cache-Control": "no-store"}


def _busy_json(busy: PlannerBusy, lang: str) -> tuple[Response, int, dict[str, str]]:
    messages = {}
    for code in get_catalogue().config.languages:
        with force_locale(code):
            messages[code] = busy_message(busy)
    body = {
        "error": messages.get(lang, messages.get("vi", "")),
        "field": None,
        "messages": messages,
        "retry_after": busy.retry_after,
    }
    return jsonify(body), 503, busy_headers(busy)


def _busy_text(busy: PlannerBusy, lang: str) -> tuple[Response, int, dict[str, str]]:
    with force_locale(lang):
        text = busy_message(busy)
    return Response(text + "\n", mimetype="text/plain"), 503, busy_headers(busy)


def _lang() -> str:
    lang = request.args.get("lang", "vi")
    return lang if lang in get_catalogue().config.languages else "vi"


def _json_error(error: PlanError, lang: str) -> tuple[Response, int]:
    languages = get_catalogue().config.languages
    body = {
        "error": error.message(lang),
        "field": error.field,
        "messages": error.messages(languages),
    }
    return jsonify(body), 400


def _text_error(error: PlanError, lang: str) -> tuple[Response, int]:
    return Response(error.message(lang) + "\n", mimetype="text/plain"), 400


def page_query(tour: TourRequest) -> str:
    """Return the permalink's query of a plan page: its language is in the path, not ``lang=``."""
    return "&".join(part for part in tour.query().split("&") if not part.startswith("lang="))


def permalink(tour: TourRequest, endpoint: str = "tour_pages.planner") -> str:
    """Return the planner page (or its printable itinerary) that opens with ``tour``'s plan."""
    return f"{url_for(endpoint, lang=tour.lang)}?{page_query(tour)}"


def _links(plan: Plan) -> dict[str, str]:
    query = plan.request.query()
    root = request.script_root
    return {
        "permalink": permalink(plan.request),
        "json": f"{root}{PLAN_PATH}.json?{query}",
        "gpx": f"{root}{PLAN_PATH}.gpx?{query}",
        "geojson": f"{root}{PLAN_PATH}.geojson?{query}",
        "qr": f"{root}{PLAN_PATH}.qr.png?{query}",
    }


def _plan_json(plan: Plan) -> dict[str, Any]:
    data = plan.to_json()
    data["links"] = _links(plan)
    return data


def _plan_from_query() -> Plan:
    catalogue = get_catalogue()
    tour = parse_query(request.args, catalogue, max_stops())
    return plan_tour(tour, catalogue, travel(), limits=planner_limits())


@bp.post("/api/tours/plan")
def api_plan():
    """Plan a tour from a JSON request; answer 400 with a message naming what is wrong."""
    raw = request.get_data(as_text=True)
    try:
        data = json.loads(raw)
    except RecursionError:
        # Each nested bracket is one level of recursion in the parser: refuse, do not crash.
        problem = PlanError(
            "body",
            N_('is nested too deeply: send an object such as {"stops": ["Z2HN", "YKW7"]}'),
        )
        return _json_error(problem, "vi")
    except ValueError as error:
        problem = PlanError(
            "body",
            N_('is not valid JSON (%(error)s): send an object such as {"stops": ["Z2HN", "YKW7"]}'),
            error=error,
        )
        return _json_error(problem, "vi")
    lang = data.get("lang", "vi") if isinstance(data, dict) else "vi"
    lang = lang if lang in get_catalogue().config.languages else "vi"
    catalogue = get_catalogue()
    try:
        tour = parse_request(data, catalogue, max_stops())
    except PlanError as error:
        return _json_error(error, lang)
    try:
        plan = plan_tour(tour, catalogue, travel(), limits=planner_limits())
    except PlannerBusy as busy:
        return _busy_json(busy, lang)
    return jsonify(_plan_json(plan))


@bp.get("/tours/plan.json")
def plan_json():
    """Give the permalink's plan as the same JSON as the API."""
    try:
        plan = _plan_from_query()
    except PlanError as error:
        return _json_error(error, _lang())
    except PlannerBusy as busy:
        return _busy_json(busy, _lang())
    return jsonify(_plan_json(plan))


@bp.get("/tours/plan.gpx")
def plan_gpx_file():
    """Give the permalink's plan as a GPX 1.1 file: numbered waypoints and the route."""
    try:
        plan = _plan_from_query()
    except PlanError as error:
        return _text_error(error, _lang())
    except PlannerBusy as busy:
        return _busy_text(busy, _lang())
    return Response(
        plan_gpx(plan),
        mimetype="application/gpx+xml",
        headers={"Content-Disposition": attachment(plan_title(plan, plan.request.lang), "gpx")},
    )


@bp.get("/tours/plan.geojson")
def plan_geojson_file():
    """Give the permalink's plan as GeoJSON: numbered points and the route line."""
    try:
        plan = _plan_from_query()
    except PlanError as error:
        return _json_error(error, _lang())
    except PlannerBusy as busy:
        return _busy_json(busy, _lang())
    body = json.dumps(plan_geojson(plan), ensure_ascii=False)
    return Response(
        body,
        mimetype="application/geo+json",
        headers={"Content-Disposition": attachment(plan_title(plan, plan.request.lang), "geojson")},
    )


@bp.get("/tours/plan.qr.png")
def plan_qr():
    """Give a QR code (PNG) of the plan's permalink, for the group to scan."""
    catalogue = get_catalogue()
    try:
        tour = parse_query(request.args, catalogue, max_stops())
    except PlanError as error:
        return _text_error(error, _lang())
    base = public_base()
    if not base:
        # A printed code must hold the guide's real address, never the request's Host.
        with force_locale(_lang()):
            message = gettext(
                "QR codes of plans are not available: the guide's public address "
                "(GUIDE_BASE_URL) is not set."
            )
        return Response(message + "\n", mimetype="text/plain"), 404
    # Imported here: the server needs qrcode only when a plan's code is asked for.
    import qrcode
    import qrcode.constants

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(f"{base}{permalink(tour)}")
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out)
    return Response(out.getvalue(), mimetype="image/png")
