"""Distances in metres and the administrative areas a point lies in.

Coordinates: shapely and GeoJSON use (lon, lat); the rest of the guide, like
people and Leaflet, says (lat, lon). The conversion happens here and nowhere
else. Distances on degrees are not metres, so every distance goes through geopy.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from guide.catalogue import geodesic_np

# Metres per degree of latitude, a lower bound used only to size search boxes.
_MIN_METRES_PER_DEGREE = 110_500.0


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the geodesic distance in metres between two (lat, lon) points.

    >>> round(distance_m((21.0, 105.8), (21.0, 105.8)))
    0
    >>> 1100 < distance_m((21.0, 105.8), (21.01, 105.8)) < 1110
    True
    """
    # Imported here: geopy brings an HTTP stack (requests) that serving pages never needs.
    from geopy.distance import geodesic

    return geodesic(a, b).meters


def pair_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the geodesic metres between two (lat, lon) points, the same either way round.

    The points are measured in a fixed order, so that (a, b) and (b, a) give
    the very same float, as every distance matrix of the guide does.
    """
    if b < a:
        a, b = b, a
    return float(geodesic_np.metres(*(np.array([value]) for value in (*a, *b)))[0])


def distance_matrix_m(points: Sequence[tuple[float, float]]) -> list[list[float]]:
    """Return the geodesic metres between every two (lat, lon) points, as rows.

    All pairs are measured at once (``guide.catalogue.geodesic_np``): 4,950
    pairs of 100 points take about 10 milliseconds. Each figure is the one
    ``pair_m`` gives for that pair.

    >>> [[round(m) for m in row] for row in distance_matrix_m([(21.0, 105.8), (21.01, 105.8)])]
    [[0, 1107], [1107, 0]]
    """
    return geodesic_np.pairwise_metres(points).tolist()


def in_range(lat: float, lon: float) -> bool:
    """Return whether (lat, lon) are valid WGS84 degrees."""
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


@dataclass(frozen=True)
class Area:
    """One administrative area from the boundary file."""

    id: str
    name: str
    geometry: BaseGeometry
    # The area's name in other languages, by language code (see ``localized_names``).
    names: Mapping[str, str] = field(default_factory=dict, compare=False)

    def label(self, language: str | None = None) -> str:
        """Return the name in ``language``, else in English, else as the boundary file gives it.

        >>> names = {"vi": "Quận Ba Đình", "en": "Ba Đình District"}
        >>> area = Area("001", "Quận Ba Đình", Point(0, 0), names)
        >>> area.label("en"), area.label("fr"), area.label("vi"), area.label()
        ('Ba Đình District', 'Ba Đình District', 'Quận Ba Đình', 'Quận Ba Đình')
        """
        if language is None:
            return self.name
        return self.names.get(language) or self.names.get("en") or self.name

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Return (south, west, north, east) in degrees."""
        west, south, east, north = self.geometry.bounds
        return south, west, north, east


# Per language, a boundary-file name or the first word(s) of one, and what it
# becomes: "{name}" stands for the rest of the name ("Quận" = "{name} District").
NameRules = Mapping[str, Mapping[str, str]]


def localized_names(name: str, rules: NameRules) -> dict[str, str]:
    """Return an area's name in each language that has a rule for it.

    A rule whose key is the whole name wins; otherwise the longest key the name
    starts with (followed by a space) is replaced.

    >>> rules = {"en": {"Quận": "{name} District", "Thị xã": "{name} Town"}}
    >>> localized_names("Quận Ba Đình", rules), localized_names("Thị xã Sơn Tây", rules)
    ({'en': 'Ba Đình District'}, {'en': 'Sơn Tây Town'})
    >>> localized_names("Phường Láng", rules)
    {}
    """
    names: dict[str, str] = {}
    for language, table in rules.items():
        if name in table:
            names[language] = table[name]
            continue
        prefixes = [key for key in table if name.startswith(key + " ")]
        if prefixes:
            prefix = max(prefixes, key=len)
            names[language] = table[prefix].replace("{name}", name[len(prefix) :].strip())
    return names


class Areas:
    """The administrative areas of a catalogue, with point-in-area look-ups.

    Areas are data: ids and names come from the boundary file, so a newer file
    (for example Hà Nội's post-2025 wards) replaces this one without code changes.
    """

    def __init__(self, areas: Iterable[Area]) -> None:
        self._areas = list(areas)
        self._by_id = {area.id: area for area in self._areas}
        self._tree = STRtree([area.geometry for area in self._areas])
        for area in self._areas:
            shapely.prepare(area.geometry)
        # (west, south, east, north) of each area: a look-up tests these plain numbers
        # before asking shapely, and makes no Point (a first load makes one per site).
        # They are tried in the tree's own order (a query visits its leaves in that order), so
        # a point on the edge two areas share goes to the same one as a query of the tree.
        if self._areas:
            everything = shapely.box(*shapely.total_bounds([a.geometry for a in self._areas]))
            order = [int(index) for index in self._tree.query(everything)]
        else:
            order = []
        self._by_tree = [(self._areas[i], self._areas[i].geometry.bounds) for i in order]

    @classmethod
    def from_geojson(
        cls,
        path: Path,
        id_property: str = "id",
        name_property: str = "name",
        name_rules: NameRules | None = None,
        native: str = "vi",
    ) -> Areas:
        """Load areas from a GeoJSON FeatureCollection of polygons.

        Names in the file are in the ``native`` language; ``name_rules`` give the others.
        """
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        features = data.get("features", [])
        return cls.from_features(features, id_property, name_property, name_rules, native)

    @classmethod
    def from_features(
        cls,
        features: Sequence[dict[str, Any]],
        id_property: str,
        name_property: str,
        name_rules: NameRules | None = None,
        native: str = "vi",
    ) -> Areas:
        """Build areas from GeoJSON features, reading id and name from their properties."""
        areas = []
        for feature in features:
            properties = feature.get("properties") or {}
            area_id = str(properties[id_property])
            name = str(properties.get(name_property, area_id))
            names = {native: name, **localized_names(name, name_rules or {})}
            areas.append(Area(area_id, name, shape(feature["geometry"]), names))
        return cls(areas)

    def __iter__(self):
        return iter(self._areas)

    def __len__(self) -> int:
        return len(self._areas)

    def get(self, area_id: str) -> Area | None:
        """Return the area with this id, or None."""
        return self._by_id.get(area_id)

    def name_of(self, area_id: str | None, language: str | None = None) -> str:
        """Return the area's name (in ``language``, see ``Area.label``), or the id when unknown."""
        area = self._by_id.get(area_id or "")
        return area.label(language) if area else (area_id or "")

    def locate(self, lat: float, lon: float) -> Area | None:
        """Return the area that contains (lat, lon), or None when it is outside them all."""
        for area, (west, south, east, north) in self._by_tree:
            # A point on an area's edge is in it, as shapely's ``covers`` says.
            inside = west <= lon <= east and south <= lat <= north
            if inside and shapely.intersects_xy(area.geometry, lon, lat):
                return area
        return None

    def find_by_name(self, name: str) -> Area | None:
        """Return the area whose name matches ``name`` ignoring case, diacritics and its prefix.

        "Quận Bắc Từ Liêm", "Bắc Từ Liêm" and "bac tu liem" name the same area.
        """
        from guide.catalogue.text import fold

        wanted = fold(name)
        for area in self._areas:
            if wanted in (fold(area.name), fold(_without_prefix(area.name))):
                return area
        if wanted != fold(_without_prefix(name)):
            return self.find_by_name(_without_prefix(name))
        return None

    def find(self, text: str) -> Area | None:
        """Return the area given by its id or its name (see ``find_by_name``)."""
        return self.get(text.strip()) or self.find_by_name(text)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Return (south, west, north, east) of all areas together."""
        west, south, east, north = shapely.total_bounds([a.geometry for a in self._areas])
        return south, west, north, east


# The kinds of district-level areas of Hà Nội, as they prefix the areas' names.
AREA_PREFIXES = ("quận", "huyện", "thị xã", "thành phố")


def _without_prefix(name: str) -> str:
    """Return an area name without its kind, such as "Bắc Từ Liêm" for "Quận Bắc Từ Liêm"."""
    from guide.catalogue.text import fold

    stripped = name.strip()
    for prefix in AREA_PREFIXES:
        if fold(stripped).startswith(fold(prefix) + " "):
            return stripped[len(prefix) + 1 :].strip()
    return stripped


class PointIndex:
    """A spatial index of (lat, lon) points that answers radius queries in metres."""

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        self._points = list(points)
        self._tree = STRtree([Point(lon, lat) for lat, lon in self._points])

    def within(self, lat: float, lon: float, radius_m: float) -> list[tuple[int, float]]:
        """Return (position, metres) of the points within ``radius_m``, nearest first."""
        if not self._points:
            return []
        dlat = radius_m / _MIN_METRES_PER_DEGREE
        dlon = dlat / max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6)
        box = shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)
        # A flat-earth estimate, good to well under 1 % at this scale, skips the box's
        # corners; geopy's geodesic engine (geographiclib) then gives the true metres.
        cos_lat = math.cos(math.radians(lat))
        ellipsoid = Geodesic.WGS84
        found = []
        for index in self._tree.query(box):
            position = int(index)
            other_lat, other_lon = self._points[position]
            rough = math.hypot(other_lat - lat, (other_lon - lon) * cos_lat) * 111_320.0
            if rough > radius_m * 1.01 + 1:
                continue
            metres = ellipsoid.Inverse(lat, lon, other_lat, other_lon, Geodesic.DISTANCE)["s12"]
            if metres <= radius_m:
                found.append((position, metres))
        found.sort(key=lambda item: item[1])
        return found
