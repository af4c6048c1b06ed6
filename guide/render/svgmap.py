"""Maps drawn as inline SVG: a lon/lat box projected onto SVG units, outlines as paths.

The story page's locator (``guide.render.locator``) and a tour's route map
(``guide.render.routemap``) draw on the same projection: equirectangular, with
longitude shrunk by the cosine of the middle latitude so that a degree east is as
long as it looks on a map of Hà Nội. Both open their ``<svg>`` the same way, named
for screen readers by a title and an optional description.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Projection:
    """An equirectangular projection of lon/lat onto SVG units (y grows downwards)."""

    west: float
    north: float
    shrink: float  # cos(middle latitude): a degree of longitude in degrees of latitude
    scale: float  # SVG units per degree of latitude
    width: float
    height: float
    offset_x: float = 0.0
    offset_y: float = 0.0

    @classmethod
    def fit(
        cls,
        bounds: tuple[float, float, float, float],
        width: float,
        max_height: float,
        padding: float = 0.0,
    ) -> Projection:
        """Return the projection that fits ``bounds`` (west, south, east, north) in the width.

        The box is as wide as ``width`` less the padding, centred, unless it would be
        taller than ``max_height``; then it is as tall as that.

        >>> p = Projection.fit((105.0, 21.0, 105.01, 21.01), 100, 100)
        >>> p.height, p(105.0, 21.01)  # as tall as allowed, centred across
        (100.0, (3.3, 0.0))
        """
        west, south, east, north = bounds
        shrink = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * shrink, 1e-9)
        span_y = max(north - south, 1e-9)
        scale = (width - 2 * padding) / span_x
        if span_y * scale > max_height - 2 * padding:
            scale = (max_height - 2 * padding) / span_y
        return cls(
            west=west,
            north=north,
            shrink=shrink,
            scale=scale,
            width=width,
            height=span_y * scale + 2 * padding,
            offset_x=(width - span_x * scale) / 2,
            offset_y=padding,
        )

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        """Return the SVG point (x, y) of ``lon``, ``lat``, to a tenth of a unit."""
        x = self.offset_x + (lon - self.west) * self.shrink * self.scale
        y = self.offset_y + (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)


def polygons(geometry: BaseGeometry | None) -> list[Polygon]:
    """Return the polygons of a shapely geometry (of a collection's parts too)."""
    if geometry is None or geometry.is_empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for part in getattr(geometry, "geoms", []) for g in polygons(part)]


def path(coords: Iterable[tuple[float, ...]], project: Projection, *, close: bool) -> str:
    """Return SVG path data through lon/lat ``coords``; ``close`` makes it a ring.

    A point that rounds to the one before is left out, so an outline of many
    points stays short.

    >>> p = Projection(west=0, north=1, shrink=1, scale=10, width=10, height=10)
    >>> path([(0, 1), (1, 1), (1, 0.999), (1, 0), (0, 1)], p, close=True)
    'M0 0L10 0L10 10z'
    >>> path([(0, 1), (1, 0)], p, close=False)
    'M0 0L10 10'
    """
    points = [project(lon, lat) for lon, lat, *_ in coords]
    if close and len(points) > 1 and points[0] == points[-1]:
        points.pop()
    kept = [point for index, point in enumerate(points) if not index or point != points[index - 1]]
    if len(kept) < (3 if close else 2):
        return ""
    parts = [f"M{kept[0][0]:g} {kept[0][1]:g}", *(f"L{x:g} {y:g}" for x, y in kept[1:])]
    return "".join(parts) + ("z" if close else "")


def polygon_path(geometry: BaseGeometry | None, project: Projection) -> str:
    """Return the SVG path data of a geometry's polygons, holes included (fill even-odd)."""
    return "".join(
        path(ring.coords, project, close=True)
        for polygon in polygons(geometry)
        for ring in (polygon.exterior, *polygon.interiors)
    )


def svg_open(
    css_class: str, project: Projection, *, title: str, description: str, id_prefix: str
) -> list[str]:
    """Return the opening ``<svg>`` of a map sized by ``project``, its title and description."""
    width, height = round(project.width, 1), round(project.height, 1)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    labelled = f'aria-labelledby="{title_id}"'
    if description:
        labelled += f' aria-describedby="{desc_id}"'
    parts = [
        f'<svg class="{css_class}" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" {labelled}>',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{desc_id}">{escape(description)}</desc>')
    return parts
