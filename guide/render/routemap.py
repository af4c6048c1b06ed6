"""The route map of a tour drawn as inline SVG: numbered stops joined in order over the areas.

Like the story page's locator (``guide.render.locator``) it needs no tiles and no map
library: the box around the stops is projected onto a few hundred SVG units,
the areas' outlines are clipped to it, and the route is drawn as straight legs
with an arrow on each, the stops as numbered circles and a scale bar below.
It prints sharp at any size and works offline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from guide.catalogue.geo import Area
from guide.render.svgmap import Projection, path, polygon_path, svg_open

# A box narrower than this (degrees of latitude, about 600 m) is widened around its middle.
MIN_SPAN_DEGREES = 0.0055
PADDING_FRACTION = 0.1
# The map is never flatter than this (height / width), so a tour along a line has room.
MIN_ASPECT = 0.45
# Outlines are simplified to about this fraction of the box: far below what shows.
SIMPLIFY_FRACTION = 1 / 400
# An area's name is written when it covers at least this much of the box.
LABEL_AREA_FRACTION = 0.06
METRES_PER_DEGREE = 111_320.0
SCALE_LENGTHS_M = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000)


@dataclass(frozen=True)
class RouteStop:
    """A numbered point of the route; ``is_point`` marks a start that is not a site."""

    lat: float
    lon: float
    label: str
    name: str
    is_point: bool = False


class _Box:
    """The lon/lat box around the stops, padded and widened, and its projection."""

    def __init__(self, stops: Sequence[RouteStop], width: float, max_height: float) -> None:
        south = min(s.lat for s in stops)
        north = max(s.lat for s in stops)
        west = min(s.lon for s in stops)
        east = max(s.lon for s in stops)
        middle_lat, middle_lon = (south + north) / 2, (west + east) / 2
        self.shrink = math.cos(math.radians(middle_lat))
        # Spans in "latitude degrees" on both axes, so that they compare.
        span_x = max((east - west) * self.shrink, MIN_SPAN_DEGREES)
        span_y = max(north - south, MIN_SPAN_DEGREES)
        span_x *= 1 + 2 * PADDING_FRACTION
        span_y *= 1 + 2 * PADDING_FRACTION
        aspect = min(max(span_y / span_x, MIN_ASPECT), max_height / width)
        # Widen whichever span is short of the aspect, keeping the stops in the middle.
        if span_y / span_x < aspect:
            span_y = span_x * aspect
        else:
            span_x = span_y / aspect
        self.width = width
        self.height = round(width * aspect, 1)
        self.scale = width / span_x  # units per latitude degree
        self.south = middle_lat - span_y / 2
        self.north = middle_lat + span_y / 2
        self.west = middle_lon - span_x / 2 / self.shrink
        self.east = middle_lon + span_x / 2 / self.shrink
        self.project = Projection(
            self.west, self.north, self.shrink, self.scale, self.width, self.height
        )

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        """Return the SVG point of ``lon``, ``lat``."""
        return self.project(lon, lat)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Return (west, south, east, north)."""
        return self.west, self.south, self.east, self.north

    def units_per_metre(self) -> float:
        """Return how many SVG units a metre is."""
        return self.scale / METRES_PER_DEGREE


def _lines(geometry: BaseGeometry) -> list[LineString]:
    if isinstance(geometry, LineString):
        return [geometry]
    if isinstance(geometry, MultiLineString):
        return list(geometry.geoms)
    return [g for part in getattr(geometry, "geoms", []) for g in _lines(part)]


def area_layers(areas: Iterable[Area], box: _Box, language: str | None = None) -> list[str]:
    """Return SVG elements for the areas inside the box: fills, outlines, then names.

    Names are in ``language`` (see ``Area.label``); without it, as the boundary file has them.
    """
    west, south, east, north = box.bounds
    frame = shapely.box(west, south, east, north)
    tolerance = (north - south) * SIMPLIFY_FRACTION
    fills, outlines, names = [], [], []
    for area in areas:
        if not area.geometry.intersects(frame):
            continue
        inside = shapely.clip_by_rect(area.geometry, west, south, east, north)
        inside = shapely.simplify(inside, tolerance, preserve_topology=True)
        fill = polygon_path(inside, box.project)
        if fill:
            fills.append(f'<path class="area" d="{fill}" fill-rule="evenodd"/>')
        edge = shapely.clip_by_rect(area.geometry.boundary, west, south, east, north)
        edge = shapely.simplify(edge, tolerance)
        line = "".join(path(part.coords, box.project, close=False) for part in _lines(edge))
        if line:
            outlines.append(f'<path class="boundary" d="{line}"/>')
        if inside.area >= LABEL_AREA_FRACTION * frame.area:
            x, y = box(*inside.representative_point().coords[0])
            # Names are centred on their point: keep them clear of the edges.
            x = min(max(x, box.width * 0.14), box.width * 0.86)
            y = min(max(y, 16.0), box.height - 24)
            names.append(
                f'<text class="area-name" x="{x:g}" y="{y:g}">{escape(area.label(language))}</text>'
            )
    return fills + outlines + names


def _arrow(start: tuple[float, float], end: tuple[float, float]) -> str:
    """Return a small arrowhead in the middle of a leg, pointing along it (or "" if too short)."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length < 36:
        return ""
    ux, uy = dx / length, dy / length
    mx, my = start[0] + dx / 2, start[1] + dy / 2
    tip = (mx + ux * 6, my + uy * 6)
    left = (mx - ux * 5 - uy * 5, my - uy * 5 + ux * 5)
    right = (mx - ux * 5 + uy * 5, my - uy * 5 - ux * 5)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (tip, left, right))
    return f'<polygon class="arrow" points="{points}"/>'


def scale_bar(box: _Box) -> str:
    """Return a scale bar of a round length about a fifth of the map's width."""
    per_metre = box.units_per_metre()
    wanted = box.width / 5 / per_metre
    metres = min(SCALE_LENGTHS_M, key=lambda length: abs(math.log(length / wanted)))
    length = metres * per_metre
    label = f"{metres // 1000} km" if metres % 1000 == 0 else f"{metres} m"
    x, y = 12.0, box.height - 12
    return (
        f'<g class="scale"><path d="M{x:g} {y - 5:g}V{y:g}H{x + length:.1f}V{y - 5:g}"/>'
        f'<text x="{x + length + 5:.1f}" y="{y:g}">{escape(label)}</text></g>'
    )


def route_svg(
    stops: Sequence[RouteStop],
    areas: Iterable[Area] = (),
    *,
    closed: bool = False,
    title: str,
    description: str = "",
    width: float = 640.0,
    max_height: float = 440.0,
    id_prefix: str = "route",
    language: str | None = None,
) -> str:
    """Return an inline ``<svg>`` of the stops numbered, joined in order over the areas.

    ``closed`` draws the way back from the last stop to the first. ``title``
    (and ``description``) name what the map shows for screen readers; each
    stop's ``<title>`` is its number and name; areas are named in ``language``.

    >>> svg = route_svg([RouteStop(21.0325, 105.8397, "1", "Cột cờ"),
    ...                  RouteStop(21.0353, 105.8403, "2", "Đoan Môn")], title="Hành trình")
    >>> svg.startswith("<svg") and svg.count('<g class="stop') == 2
    True
    """
    if not stops:
        raise ValueError("a route map needs at least one stop")
    box = _Box(stops, width, max_height)
    parts = svg_open(
        "route-map", box.project, title=title, description=description, id_prefix=id_prefix
    )
    parts.append(f'<rect class="ground" width="{box.width:g}" height="{box.height:g}"/>')
    parts.extend(area_layers(areas, box, language))
    points = [box(stop.lon, stop.lat) for stop in stops]
    route = [*points, points[0]] if closed and len(points) > 1 else points
    if len(route) > 1:
        line = f"M{route[0][0]:g} {route[0][1]:g}" + "".join(f"L{x:g} {y:g}" for x, y in route[1:])
        parts.append(f'<path class="route" d="{line}"/>')
        parts.extend(filter(None, (_arrow(a, b) for a, b in pairwise(route))))
    for stop, (x, y) in zip(stops, points, strict=True):
        kind = "stop point" if stop.is_point else "stop"
        parts.append(
            f'<g class="{kind}"><title>{escape(stop.label)}. {escape(stop.name)}</title>'
            f'<circle cx="{x:g}" cy="{y:g}" r="11"/>'
            f'<text x="{x:g}" y="{y:g}" dy="0.35em">{escape(stop.label)}</text></g>'
        )
    parts.append(scale_bar(box))
    parts.append("</svg>")
    return "".join(parts)
