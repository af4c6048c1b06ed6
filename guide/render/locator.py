"""The "where am I" locator: a small map drawn as inline SVG from an area's boundary.

No tile server and no map library: the area's polygon, simplified with shapely
to a few dozen points, is projected onto a box a few hundred units wide, and the
site and its neighbours are drawn on it as circles. The result is a few
kilobytes of markup that works offline and prints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

WIDTH = 320.0
MAX_HEIGHT = 360.0
PADDING = 14.0
# Simplify to about this fraction of the larger side: far below what a phone can show.
SIMPLIFY_FRACTION = 1 / 250
# Smallest box drawn around points without an area, in degrees of latitude (about 1 km).
MIN_SPAN_DEGREES = 0.01


@dataclass(frozen=True)
class Mark:
    """A point on the locator: its position, the number shown in it and its name."""

    lat: float
    lon: float
    label: str
    name: str


class _Projection:
    """Equirectangular projection of a lon/lat box onto the SVG's user units."""

    def __init__(self, west: float, south: float, east: float, north: float) -> None:
        middle = math.radians((south + north) / 2)
        self.shrink = math.cos(middle)
        span_x = max((east - west) * self.shrink, 1e-9)
        span_y = max(north - south, 1e-9)
        inner = WIDTH - 2 * PADDING
        self.scale = inner / span_x
        if span_y * self.scale > MAX_HEIGHT - 2 * PADDING:
            self.scale = (MAX_HEIGHT - 2 * PADDING) / span_y
        self.width = WIDTH
        self.height = span_y * self.scale + 2 * PADDING
        self.offset_x = (WIDTH - span_x * self.scale) / 2
        self.west, self.north = west, north

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.offset_x + (lon - self.west) * self.shrink * self.scale
        y = PADDING + (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)


def _polygons(geometry: BaseGeometry | None) -> list[Polygon]:
    if geometry is None or geometry.is_empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]


def _ring_path(coords: Sequence[tuple[float, ...]], project: _Projection) -> str:
    points = [project(lon, lat) for lon, lat, *_ in coords]
    if len(points) < 3:
        return ""
    first_x, first_y = points[0]
    parts = [f"M{first_x:g} {first_y:g}"]
    last_x, last_y = first_x, first_y
    for x, y in points[1:-1]:
        dx, dy = round(x - last_x, 1), round(y - last_y, 1)
        if dx or dy:
            parts.append(f"l{dx:g} {dy:g}")
            last_x, last_y = x, y
    return "".join(parts) + "z"


def area_path(geometry: BaseGeometry | None, project: _Projection) -> str:
    """Return the SVG path data of a simplified area boundary."""
    paths = []
    for polygon in _polygons(geometry):
        paths.append(_ring_path(polygon.exterior.coords, project))
        paths.extend(_ring_path(ring.coords, project) for ring in polygon.interiors)
    return "".join(paths)


def locator_svg(
    site: Mark,
    neighbours: Sequence[Mark] = (),
    area: BaseGeometry | None = None,
    *,
    title: str,
    description: str = "",
    id_prefix: str = "locator",
) -> str:
    """Return an inline ``<svg>`` showing ``area`` with ``site`` and ``neighbours`` marked.

    ``area`` is a shapely geometry in (lon, lat); marks are (lat, lon). The
    ``title`` (and ``description``) name what the map shows for screen readers.

    >>> svg = locator_svg(Mark(21.09, 105.77, "", "Đình Chèm"), title="Đình Chèm")
    >>> svg.startswith("<svg") and "Đình Chèm" in svg
    True
    """
    points = [site, *neighbours]
    shapes = _polygons(area)
    if shapes:
        west, south, east, north = area.bounds  # type: ignore[union-attr]
        tolerance = max(east - west, north - south) * SIMPLIFY_FRACTION
        simplified = area.simplify(tolerance, preserve_topology=True)  # type: ignore[union-attr]
    else:
        simplified = None
        west = east = site.lon
        south = north = site.lat
    west = min([west, *(p.lon for p in points)])
    east = max([east, *(p.lon for p in points)])
    south = min([south, *(p.lat for p in points)])
    north = max([north, *(p.lat for p in points)])
    if not shapes:
        half = max(MIN_SPAN_DEGREES, north - south, east - west) / 2
        middle_lat, middle_lon = (south + north) / 2, (west + east) / 2
        south, north = middle_lat - half, middle_lat + half
        west, east = middle_lon - half, middle_lon + half
    project = _Projection(west, south, east, north)
    width, height = round(project.width), round(project.height)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    labelled = f'aria-labelledby="{title_id}"'
    if description:
        labelled += f' aria-describedby="{desc_id}"'
    parts = [
        f'<svg class="locator" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" {labelled}>',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{desc_id}">{escape(description)}</desc>')
    if simplified is not None:
        parts.append(
            f'<path class="area" d="{area_path(simplified, project)}" fill-rule="evenodd"/>'
        )
    for mark in neighbours:
        x, y = project(mark.lon, mark.lat)
        parts.append(
            f'<g class="near"><title>{escape(mark.name)}</title>'
            f'<circle cx="{x:g}" cy="{y:g}" r="8"/>'
            f'<text x="{x:g}" y="{y:g}" dy="0.35em">{escape(mark.label)}</text></g>'
        )
    x, y = project(site.lon, site.lat)
    parts.append(
        f'<g class="here"><title>{escape(site.name)}</title>'
        f'<circle cx="{x:g}" cy="{y:g}" r="11"/><circle cx="{x:g}" cy="{y:g}" r="4" class="dot"/>'
        "</g>"
    )
    parts.append("</svg>")
    return "".join(parts)
