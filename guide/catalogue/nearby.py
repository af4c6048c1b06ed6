"""Points near a place, found with numpy; geodesic metres only for the results one reads.

A query narrows the points to a band of latitude (a binary search in points
sorted by latitude), then to the box of longitude, then measures them all at
once on a local ellipsoid (the meridian and prime-vertical radii at their
mean latitude: within a tenth of a millimetre at 1.5 km). Up to 3 km that
figure sorts and filters; points within its error of the radius are settled by the true
geodesic. The metres a result carries are geographiclib's (geopy's engine),
computed when the result is first read: a page that shows the five nearest
sites measures five.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Generic, TypeVar, overload

import numpy as np
from geographiclib.geodesic import Geodesic

_A = 6378137.0
_E2 = (1 / 298.257223563) * (2 - 1 / 298.257223563)
# Metres per degree of latitude, a lower bound used only to size search bands.
_MIN_METRES_PER_DEGREE = 110_500.0
_EARTH_M = 6_371_000.0
# Radius up to which the local ellipsoid sorts the results (its error: 0.1 mm at 1.5 km).
_EXACT_BEYOND_M = 3000.0

T = TypeVar("T")


def geodesic_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return geographiclib's geodesic metres between two points."""
    return Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]


class NearIndex:
    """Points (lat, lon) sorted by latitude, for radius queries in metres."""

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        coords = np.asarray(points, dtype=float).reshape(len(points), 2)
        self.points = coords
        self._order = np.argsort(coords[:, 0], kind="stable")
        self._lat = coords[self._order, 0]
        self._lon = coords[self._order, 1]
        self._lat_rad = np.radians(self._lat)

    def query(self, lat: float, lon: float, radius_m: float) -> np.ndarray:
        """Return the positions of the points within ``radius_m`` metres, nearest first."""
        if not len(self._lat) or radius_m < 0:
            return np.zeros(0, dtype=np.intp)
        dlat = radius_m / _MIN_METRES_PER_DEGREE
        low = int(np.searchsorted(self._lat, lat - dlat, side="left"))
        high = int(np.searchsorted(self._lat, lat + dlat, side="right"))
        dlon = dlat / max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6)
        lons = self._lon[low:high]
        inside = np.nonzero(np.abs(lons - lon) <= dlon)[0]
        lats_rad = self._lat_rad[low:high][inside]
        mid = (lats_rad + math.radians(lat)) / 2
        sin_mid = np.sin(mid)
        w = 1 - _E2 * sin_mid**2
        north = (_A * (1 - _E2) / (w * np.sqrt(w))) * (lats_rad - math.radians(lat))
        east = (_A / np.sqrt(w)) * np.cos(mid) * np.radians(lons[inside] - lon)
        rough = np.hypot(north, east)
        # The local ellipsoid's error grows as the square of the distance over the earth's.
        slack = 4 * radius_m * (radius_m / _EARTH_M) ** 2 + 0.01
        keep = rough <= radius_m + slack
        inside, rough = inside[keep], rough[keep]
        # Beyond a few kilometres the local ellipsoid may misorder points a few
        # centimetres apart: measure them all.
        far = radius_m > _EXACT_BEYOND_M
        border = np.arange(len(rough)) if far else np.nonzero(rough > radius_m - slack)[0]
        if len(border):
            lats, lons_in = self._lat[low:high][inside], lons[inside]
            for at in border:
                rough[at] = geodesic_m(lat, lon, float(lats[at]), float(lons_in[at]))
            keep = rough <= radius_m
            inside, rough = inside[keep], rough[keep]
        by_distance = np.argsort(rough, kind="stable")
        return self._order[low + inside[by_distance]]

    def in_box(
        self, bounds: tuple[float, float, float, float], lat: float, lon: float
    ) -> np.ndarray:
        """Return the positions of the points in ``bounds`` (west, south, east, north).

        They come nearest to (``lat``, ``lon``) first, by an equirectangular
        distance: enough to choose which points a small map shows.
        """
        west, south, east, north = bounds
        low = int(np.searchsorted(self._lat, south, side="left"))
        high = int(np.searchsorted(self._lat, north, side="right"))
        lons = self._lon[low:high]
        inside = np.nonzero((lons >= west) & (lons <= east))[0]
        scale = math.cos(math.radians(lat))
        rough = (self._lat[low:high][inside] - lat) ** 2 + ((lons[inside] - lon) * scale) ** 2
        return self._order[low + inside[np.argsort(rough, kind="stable")]]


class Nearby(Sequence[tuple[T, float]], Generic[T]):
    """(item, metres) pairs, nearest first; geodesic metres are measured on first reading.

    ``items[p]`` and ``points[p]`` are the item and the (lat, lon) of position
    ``p``; ``positions`` are the positions found, in order.
    """

    def __init__(
        self,
        items: Sequence[T],
        points: np.ndarray,
        positions: np.ndarray,
        lat: float,
        lon: float,
    ) -> None:
        self._items = items
        self._points = points
        self._positions = positions
        self._at = (lat, lon)
        self._metres: dict[int, float] = {}

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> tuple[T, float]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[T, float]]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("nearby result index out of range")
        position = int(self._positions[index])
        metres = self._metres.get(index)
        if metres is None:
            lat, lon = self._points[position]
            metres = self._metres[index] = geodesic_m(*self._at, float(lat), float(lon))
        return self._items[position], metres

    def __iter__(self) -> Iterator[tuple[T, float]]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Nearby({list(self)!r})"
