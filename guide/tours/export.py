"""Plans as files: GPX 1.1 for GPS devices and GeoJSON for maps."""

from __future__ import annotations

from typing import Any

from guide.messages import N_, Message, translate
from guide.tours.itinerary import Plan, plan_title
from guide.tours.request import format_time


def plan_gpx(plan: Plan, lang: str | None = None, title: str = "") -> str:
    """Return the plan as GPX 1.1: numbered waypoints in visiting order, and the route.

    ``title`` names it (a curated tour's name); else the plan's own title.
    """
    # Imported here: gpxpy is needed only when a GPX file is asked for, not at start.
    import gpxpy.gpx

    lang = lang or plan.request.lang
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Red Addresses Guide"
    gpx.name = title or plan_title(plan, lang)
    gpx.description = plan.note(lang)
    route = gpxpy.gpx.GPXRoute(name=gpx.name, description=plan.note(lang))
    for number, visit in enumerate(plan.timetable, start=1):
        place = visit.place
        if visit.is_return:
            label = translate(Message.of(N_("%(name)s (back)"), name=place.name(lang)), lang)
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


def plan_geojson(plan: Plan, lang: str | None = None, title: str = "") -> dict[str, Any]:
    """Return the plan as a GeoJSON FeatureCollection: numbered points and the route line.

    ``title`` names the route (a curated tour's name); else the plan's own title.
    """
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
                "name": title or plan_title(plan, lang),
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
