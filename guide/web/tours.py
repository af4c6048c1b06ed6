"""The tour planner's API and downloads: plan JSON, GPX, GeoJSON and a QR code of the permalink.

``POST /api/tours/plan`` takes the JSON request of ``guide.tours.parse_request``;
the ``/tours/plan.*`` addresses take the permalink's query parameters
(``guide.tours.parse_query``) and give the same plan.
"""

from __future__ import annotations

import io
import json
from typing import Any

import qrcode
import qrcode.constants
from flask import Blueprint, Response, current_app, jsonify, request

from guide.tours import (
    PLAN_PATH,
    Plan,
    PlanError,
    parse_query,
    parse_request,
    plan_geojson,
    plan_gpx,
    plan_tour,
)
from guide.travel import Travel
from guide.web import get_catalogue

bp = Blueprint("tours", __name__)


def _travel() -> Travel:
    return Travel.from_settings(current_app.config)


def _max_stops() -> int:
    return int(current_app.config["GUIDE_TOUR_MAX_STOPS"])


def _lang() -> str:
    lang = request.args.get("lang", "vi")
    return lang if lang in get_catalogue().config.languages else "vi"


def _json_error(error: PlanError, lang: str) -> tuple[Response, int]:
    body = {"error": error.message(lang), "field": error.field, "messages": error.messages}
    return jsonify(body), 400


def _text_error(error: PlanError, lang: str) -> tuple[Response, int]:
    return Response(error.message(lang) + "\n", mimetype="text/plain"), 400


def _links(plan: Plan) -> dict[str, str]:
    query = plan.request.query()
    root = request.script_root
    return {
        "permalink": f"{root}{PLAN_PATH}?{query}",
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
    tour = parse_query(request.args, catalogue, _max_stops())
    return plan_tour(tour, catalogue, _travel())


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
            'lồng nhau quá sâu: gửi một đối tượng như {"stops": ["Z2HN", "YKW7"]}',
            'is nested too deeply: send an object such as {"stops": ["Z2HN", "YKW7"]}',
        )
        return _json_error(problem, "vi")
    except ValueError as error:
        problem = PlanError(
            "body",
            f"không phải JSON hợp lệ ({error}): gửi một đối tượng như "
            '{"stops": ["Z2HN", "YKW7"]}',
            f'is not valid JSON ({error}): send an object such as {{"stops": ["Z2HN", "YKW7"]}}',
        )
        return _json_error(problem, "vi")
    lang = data.get("lang", "vi") if isinstance(data, dict) else "vi"
    lang = lang if lang in get_catalogue().config.languages else "vi"
    catalogue = get_catalogue()
    try:
        tour = parse_request(data, catalogue, _max_stops())
    except PlanError as error:
        return _json_error(error, lang)
    return jsonify(_plan_json(plan_tour(tour, catalogue, _travel())))


@bp.get("/tours/plan.json")
def plan_json():
    """Give the permalink's plan as the same JSON as the API."""
    try:
        plan = _plan_from_query()
    except PlanError as error:
        return _json_error(error, _lang())
    return jsonify(_plan_json(plan))


@bp.get("/tours/plan.gpx")
def plan_gpx_file():
    """Give the permalink's plan as a GPX 1.1 file: numbered waypoints and the route."""
    try:
        plan = _plan_from_query()
    except PlanError as error:
        return _text_error(error, _lang())
    return Response(
        plan_gpx(plan),
        mimetype="application/gpx+xml",
        headers={"Content-Disposition": 'attachment; filename="tour.gpx"'},
    )


@bp.get("/tours/plan.geojson")
def plan_geojson_file():
    """Give the permalink's plan as GeoJSON: numbered points and the route line."""
    try:
        plan = _plan_from_query()
    except PlanError as error:
        return _json_error(error, _lang())
    body = json.dumps(plan_geojson(plan), ensure_ascii=False)
    return Response(
        body,
        mimetype="application/geo+json",
        headers={"Content-Disposition": 'attachment; filename="tour.geojson"'},
    )


@bp.get("/tours/plan.qr.png")
def plan_qr():
    """Give a QR code (PNG) of the plan's permalink, for the group to scan."""
    catalogue = get_catalogue()
    try:
        tour = parse_query(request.args, catalogue, _max_stops())
    except PlanError as error:
        return _text_error(error, _lang())
    base = (current_app.config.get("GUIDE_BASE_URL") or request.root_url).rstrip("/")
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(f"{base}{PLAN_PATH}?{tour.query()}")
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out)
    return Response(out.getvalue(), mimetype="image/png")
