"""The "where am I" locator: a small map drawn as inline SVG from an area's boundary.

No tile server and no map library: the area's polygon, simplified with shapely
to a few dozen points, is projected onto a box a few hundred units wide, and the
site and its neighbours are drawn on it as circles. The neighbouring areas'
outlines, cut to the box, carry their names, and the other sites in view are
small dots named in their ``<title>``: only what the catalogue's data holds.
The result is a few kilobytes of markup that works offline and prints.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from guide.render.svgmap import Projection, polygon_path, polygons, svg_open

WIDTH = 320.0
MAX_HEIGHT = 360.0
PADDING = 14.0
# Simplify to about this fraction of the larger side: far below what a phone can show.
SIMPLIFY_FRACTION = 1 / 250
# Smallest box drawn around points without an area, in degrees of latitude (about 1 km).
MIN_SPAN_DEGREES = 0.01
# Room around the site's own area where its neighbours show, as a fraction of its size.
MARGIN_FRACTION = 0.2
# A neighbour's piece smaller than this fraction of the box is drawn without its name.
MIN_LABEL_FRACTION = 0.03
# The width of a letter of an area's name, in SVG units (names are 9 units high).
LETTER_WIDTH = 6.0


@dataclass(frozen=True)
class Mark:
    """A point on the locator: its position, the number shown in it and its name."""

    lat: float
    lon: float
    label: str
    name: str


@dataclass(frozen=True)
class Outline:
    """A neighbouring area drawn around the site's own: its name and its boundary (lon, lat)."""

    name: str
    geometry: BaseGeometry


def area_path(geometry: BaseGeometry | None, project: Projection) -> str:
    """Return the SVG path data of a simplified area boundary."""
    return polygon_path(geometry, project)


@dataclass(frozen=True)
class _Drawn:
    """The outlines in a locator's box: its area's path, each neighbour's path and label spot."""

    area: str | None
    neighbours: list[tuple[Outline, str, tuple[float, float] | None]]
    # Held so that the ids in the cache's key stay theirs while the entry lives.
    geometries: tuple[object, ...]


# What a locator keeps between pages: its caller's store, which lives as long as the
# geometries the keys name (a loaded catalogue's areas), so that a reload lets them go.
Kept = dict[Hashable, object]


def _outlines(
    area: BaseGeometry | None,
    bounds: tuple[float, float, float, float],
    districts: Sequence[Outline],
    project: Projection,
    kept: Kept | None,
) -> _Drawn:
    """Return the simplified outlines of ``area`` and the ``districts`` in ``bounds``.

    Story pages of the same area draw the same box: simplifying and cutting the outlines
    once per box (kept in ``kept``) is most of a locator's cost.
    """
    key = ("drawn", id(area), bounds, tuple((id(d.geometry), d.name) for d in districts))
    found = kept.get(key) if kept is not None else None
    if found is not None:
        return found  # type: ignore[return-value]
    west, south, east, north = bounds
    view = box(west, south, east, north)
    tolerance = max(east - west, north - south) * SIMPLIFY_FRACTION
    neighbours: list[tuple[Outline, str, tuple[float, float] | None]] = []
    for district in districts if area is not None else ():
        piece = district.geometry.intersection(view)
        if piece.is_empty or not polygons(piece):
            continue
        outline = area_path(piece.simplify(tolerance, preserve_topology=True), project)
        if not outline:
            continue
        anchor = None
        if piece.area >= view.area * MIN_LABEL_FRACTION:
            point = piece.representative_point()
            anchor = project(point.x, point.y)
        neighbours.append((district, outline, anchor))
    area_d = None
    if area is not None:
        a_west, a_south, a_east, a_north = area.bounds
        own = max(a_east - a_west, a_north - a_south) * SIMPLIFY_FRACTION
        area_d = area_path(area.simplify(own, preserve_topology=True), project)
    drawn = _Drawn(area_d, neighbours, (area, *(d.geometry for d in districts)))
    if kept is not None:
        kept[key] = drawn
    return drawn


def locator_box(
    site: Mark,
    neighbours: Sequence[Mark] = (),
    area: BaseGeometry | None = None,
    *,
    with_neighbours: bool = True,
) -> tuple[float, float, float, float]:
    """Return the (west, south, east, north) a locator shows: the area, the marks, a margin.

    The margin around the area, where its neighbouring areas show, is left out
    when ``with_neighbours`` is false; without an area the box is centred on the marks.
    """
    points = [site, *neighbours]
    if polygons(area):
        west, south, east, north = area.bounds  # type: ignore[union-attr]
    else:
        west = east = site.lon
        south = north = site.lat
    west = min([west, *(p.lon for p in points)])
    east = max([east, *(p.lon for p in points)])
    south = min([south, *(p.lat for p in points)])
    north = max([north, *(p.lat for p in points)])
    if not polygons(area):
        half = max(MIN_SPAN_DEGREES, north - south, east - west) / 2
        middle_lat, middle_lon = (south + north) / 2, (west + east) / 2
        return middle_lon - half, middle_lat - half, middle_lon + half, middle_lat + half
    if with_neighbours:
        margin = max(east - west, north - south) * MARGIN_FRACTION
        return west - margin, south - margin, east + margin, north + margin
    return west, south, east, north


@dataclass(frozen=True)
class Layout:
    """Where a locator's parts go, whatever the language: its box and the markup without names.

    Only the names differ between a site's locators in its languages (the title,
    the site's, its neighbours' and the other dots'): the projection, the area
    outlines and every dot's position are worked out once.
    """

    project: Projection
    # The neighbouring areas' paths and names, then the site's area: no per-language text.
    outlines: str
    # For each shown dot of ``others``: its index there and its circle's position.
    others: tuple[tuple[int, str], ...]
    # The position attributes of each neighbour's circle and number, and of the site's.
    neighbours: tuple[tuple[str, str], ...]
    here: str
    # Holds the geometries whose ids are in the cache's key while the entry lives.
    drawn: _Drawn


# The same names (an area's, a nearby site's) are escaped for many pages.
_escape = lru_cache(maxsize=1 << 16)(escape)


def locator_layout(
    site: Mark,
    neighbours: Sequence[Mark] = (),
    area: BaseGeometry | None = None,
    *,
    districts: Sequence[Outline] = (),
    others: Sequence[Mark] = (),
    kept: Kept | None = None,
) -> Layout:
    """Return the layout of the locator of ``site``: as ``locator_svg``'s, its names aside.

    With ``kept``, layouts and outlines are kept there and found again: a site's locators
    in every language, and pages of the same place, share them. The store must not
    outlive the geometries (their ids are in its keys).
    """
    key = (
        "layout",
        site.lat,
        site.lon,
        tuple((m.lat, m.lon) for m in neighbours),
        id(area),
        tuple((id(d.geometry), d.name) for d in districts),
        tuple((m.lat, m.lon) for m in others),
    )
    found = kept.get(key) if kept is not None else None
    if found is not None:
        return found  # type: ignore[return-value]
    points = [site, *neighbours]
    shapes = polygons(area)
    west, south, east, north = locator_box(site, neighbours, area, with_neighbours=bool(districts))
    project = Projection.fit((west, south, east, north), WIDTH, MAX_HEIGHT, PADDING)
    drawn = _outlines(
        area if shapes else None, (west, south, east, north), districts, project, kept
    )
    parts, labels = [], []
    for district, outline, anchor in drawn.neighbours:
        name = _escape(district.name)
        parts.append(
            f'<path class="neighbour" d="{outline}" fill-rule="evenodd">'
            f"<title>{name}</title></path>"
        )
        if anchor is not None:
            # Keep the whole name inside the box: about two thirds of an em per letter at 9 units.
            half = len(district.name) * LETTER_WIDTH / 2
            x = round(min(max(anchor[0], half + 2), project.width - half - 2), 1)
            labels.append(f'<text class="area-name" x="{x:g}" y="{anchor[1]:g}">{name}</text>')
    if drawn.area is not None:
        parts.append(f'<path class="area" d="{drawn.area}" fill-rule="evenodd"/>')
    parts.extend(labels)
    shown = {(mark.lat, mark.lon) for mark in points}
    dots = []
    for index, mark in enumerate(others):
        if (mark.lat, mark.lon) in shown or not (
            west <= mark.lon <= east and south <= mark.lat <= north
        ):
            continue
        x, y = project(mark.lon, mark.lat)
        dots.append((index, f'cx="{x:g}" cy="{y:g}"'))
    numbered = []
    for mark in neighbours:
        x, y = project(mark.lon, mark.lat)
        numbered.append((f'cx="{x:g}" cy="{y:g}"', f'x="{x:g}" y="{y:g}"'))
    x, y = project(site.lon, site.lat)
    here = f'cx="{x:g}" cy="{y:g}"'
    layout = Layout(project, "".join(parts), tuple(dots), tuple(numbered), here, drawn)
    if kept is not None:
        kept[key] = layout
    return layout


def locator_svg(
    site: Mark,
    neighbours: Sequence[Mark] = (),
    area: BaseGeometry | None = None,
    *,
    title: str,
    description: str = "",
    id_prefix: str = "locator",
    districts: Sequence[Outline] = (),
    others: Sequence[Mark] = (),
    kept: Kept | None = None,
) -> str:
    """Return an inline ``<svg>`` showing ``area`` with ``site`` and ``neighbours`` marked.

    ``area`` is a shapely geometry in (lon, lat); marks are (lat, lon). The
    ``title`` (and ``description``) name what the map shows for screen readers.
    ``districts`` are drawn, named, where they reach into the box around ``area``;
    ``others`` are the further sites shown as small dots when they lie in it.
    ``kept``, when given, keeps the layout for the next call (``locator_layout``).

    >>> svg = locator_svg(Mark(21.09, 105.77, "", "Đình Chèm"), title="Đình Chèm")
    >>> svg.startswith("<svg") and "Đình Chèm" in svg
    True
    """
    layout = locator_layout(site, neighbours, area, districts=districts, others=others, kept=kept)
    return draw_locator(
        layout,
        site,
        neighbours,
        title=title,
        description=description,
        id_prefix=id_prefix,
        others=others,
    )


def draw_locator(
    layout: Layout,
    site: Mark,
    neighbours: Sequence[Mark] = (),
    *,
    title: str,
    description: str = "",
    id_prefix: str = "locator",
    others: Sequence[Mark] = (),
    other_names: Sequence[str] | None = None,
) -> str:
    """Return the ``<svg>`` of ``layout`` with the names of its marks (``locator_svg``'s).

    ``other_names`` may stand for ``others``: only their names are drawn (the layout
    placed them), and a page gives its forty names without making a mark of each.
    """
    parts = svg_open(
        "locator", layout.project, title=title, description=description, id_prefix=id_prefix
    )
    parts.append(layout.outlines)
    names = [mark.name for mark in others] if other_names is None else other_names
    for index, position in layout.others:
        parts.append(
            f'<circle class="other" {position} r="3"><title>{_escape(names[index])}</title>'
            "</circle>"
        )
    for mark, (circle, text) in zip(neighbours, layout.neighbours, strict=True):
        parts.append(
            f'<g class="near"><title>{_escape(mark.name)}</title>'
            f'<circle {circle} r="8"/>'
            f'<text {text} dy="0.35em">{_escape(mark.label)}</text></g>'
        )
    parts.append(
        f'<g class="here"><title>{_escape(site.name)}</title>'
        f'<circle {layout.here} r="11"/><circle {layout.here} r="4" class="dot"/>'
        "</g>"
    )
    parts.append("</svg>")
    return "".join(parts)
