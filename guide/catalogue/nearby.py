"""Points near a place, found with numpy; geodesic metres only for the results one reads.

The index keeps the points in rows of latitude 1/100 degree (1.1 km) high, each row
sorted by longitude, with every point's position on the WGS84 ellipsoid in
metres (earth-centred x, y, z). A query takes from each row the stretch of
longitude the circle can reach (one binary search for all rows), measures the
straight chord to every point in it and sorts by it. A chord is never longer
than the geodesic, and shorter by at most s³/(24 M²), a few micrometres at
1.5 km; so up to 20 km the chord orders and filters the points, and only the
few it cannot tell apart are settled by the true geodesic: points within its
error of the radius, and neighbours within its error of each other (which
then come in geodesic order, and at equal metres in the order given).
Beyond 20 km every point within the chord is measured. The metres a result
carries are geographiclib's (geopy's engine), computed when the result is
first read: a page that shows the five nearest sites measures five.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Generic, TypeVar, overload

import numpy as np
from geographiclib.geodesic import Geodesic

_A = 6378137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
# The smallest radius of curvature on the ellipsoid (the meridian at the equator):
# it bounds how far latitude moves along a geodesic and how much a chord cuts off.
_M_MIN = _A * (1 - _E2)
# Chord and geodesic differ by s³κ²/24 with κ between the principal curvatures
# (1/M and 1/N); the spread of that term, four times over, is the chord's error.
_SPREAD = 4 * (1 / _M_MIN**2 - 1 / (_A / math.sqrt(1 - _E2)) ** 2) / 24
_CUT = 4 / (24 * _M_MIN**2)
# Rounding in the earth-centred coordinates and in geographiclib itself, in metres.
_FLOAT_M = 2e-7
# Radius up to which the chord sorts the results.
_EXACT_BEYOND_M = 20_000.0
# Rows of latitude; a row's key is row * _ROW_KEY + (lon + 180), so rows never overlap.
_ROW_DEG = 1 / 100  # fewer rows cost fewer slices; taller ones, more points to sort
_ROW_KEY = 400.0
# Widening of every longitude stretch, in degrees: well above the keys' rounding.
_KEY_SLACK = 1e-7
# Queries over more rows than this take the whole band of latitude at once.
_MAX_ROWS = 2000
_HALF_EARTH_M = 20_004_000.0

T = TypeVar("T")


def geodesic_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return geographiclib's geodesic metres between two points."""
    return Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]


def _bits(value: float) -> int:
    """Return the bits of a positive float as an integer, which orders as the float does."""
    return int(np.float64(value).view(np.int64))


def _ecef(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Return the earth-centred (x, y, z) metres of points on the ellipsoid, one row each."""
    phi, lam = np.radians(lat), np.radians(lon)
    sin_phi = np.sin(phi)
    n = _A / np.sqrt(1 - _E2 * sin_phi * sin_phi)
    cos_phi = np.cos(phi)
    return np.stack([n * cos_phi * np.cos(lam), n * cos_phi * np.sin(lam), n * (1 - _E2) * sin_phi])


def _ecef_one(lat: float, lon: float) -> tuple[float, float, float]:
    """Return the earth-centred (x, y, z) metres of one point, as ``_ecef`` does."""
    phi, lam = math.radians(lat), math.radians(lon)
    sin_phi = math.sin(phi)
    n = _A / math.sqrt(1 - _E2 * sin_phi * sin_phi)
    cos_phi = math.cos(phi)
    return n * cos_phi * math.cos(lam), n * cos_phi * math.sin(lam), n * (1 - _E2) * sin_phi


class NearIndex:
    """Points (lat, lon) in rows of latitude, for radius queries in metres."""

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        coords = np.asarray(points, dtype=float).reshape(len(points), 2)
        self.points = coords
        rows = np.floor((coords[:, 0] + 90) / _ROW_DEG)
        keys = rows * _ROW_KEY + (coords[:, 1] + 180)
        order = np.argsort(keys, kind="stable").astype(np.int64)
        self._keys = keys[order]
        # x, y, z and, as raw bits, the position: one concatenation gathers all four.
        self._table = np.empty((4, len(order)))
        self._table[:3] = _ecef(coords[order, 0], coords[order, 1])
        self._table[3] = order.view(np.float64)
        # The last bits of a chord's float carry the position when sorting.
        self._low = (1 << max(len(order) - 1, 1).bit_length()) - 1
        # By latitude alone, for boxes.
        self._by_lat = np.argsort(coords[:, 0], kind="stable")
        self._lat = coords[self._by_lat, 0]
        self._lon = coords[self._by_lat, 1]

    def _stretches(self, lat: float, lon: float, radius_m: float) -> list[int]:
        """Return (start, end) pairs, flattened, of the keys the circle can reach."""
        # Along a geodesic latitude moves at most 1/M_MIN radians a metre, and
        # longitude at most 1/(a cos φ) for the highest latitude φ it reaches.
        dlat = math.degrees(radius_m / _M_MIN) + _KEY_SLACK
        south, north = lat - dlat, lat + dlat
        first = math.floor((south + 90) / _ROW_DEG)
        last = math.floor((north + 90) / _ROW_DEG)
        reach = max(abs(south), abs(north))
        per_m = math.degrees(1 / (_A * max(math.cos(math.radians(min(reach, 90.0))), 1e-12)))
        widest = radius_m * per_m + _KEY_SLACK
        if (
            last - first > _MAX_ROWS
            or reach >= 89.0
            or not -180 <= lon - widest <= lon + widest <= 180
        ):
            # Near a pole, across the antimeridian or a wide circle: every longitude
            # of the band (the chord below needs no care for either).
            return np.searchsorted(
                self._keys, [first * _ROW_KEY - 1, (last + 1) * _ROW_KEY - 1]
            ).tolist()
        r2 = radius_m * radius_m
        at = lon + 180
        metres_per_degree = math.radians(_M_MIN)
        wanted = []
        for row in range(first, last + 1):
            edge = row * _ROW_DEG - 90
            # What the geodesic spends going north it cannot spend going east.
            north_m = max(edge - lat, lat - edge - _ROW_DEG, 0.0) * metres_per_degree
            east_m = r2 - north_m * north_m
            across = math.sqrt(east_m) * per_m + _KEY_SLACK if east_m > 0 else _KEY_SLACK
            base = row * _ROW_KEY + at
            wanted += (base - across, base + across)
        return np.searchsorted(self._keys, wanted).tolist()

    def query(self, lat: float, lon: float, radius_m: float) -> np.ndarray:
        """Return the positions of the points within ``radius_m`` metres, nearest first."""
        if not len(self._keys) or not radius_m >= 0:
            return np.zeros(0, dtype=np.intp)
        radius_m = min(float(radius_m), _HALF_EARTH_M)
        bounds = self._stretches(lat, lon, radius_m)
        table = self._table
        found = np.concatenate(
            [table[:, s:e] for s, e in zip(bounds[::2], bounds[1::2], strict=True)], axis=1
        )
        d = found[:3] - np.array(_ecef_one(lat, lon))[:, None]
        d *= d
        chord2 = d.sum(axis=0)
        positions = found[3].view(np.int64)
        r2 = radius_m * radius_m
        if radius_m > _EXACT_BEYOND_M:
            return self._settled(lat, lon, radius_m, positions[chord2 <= r2])
        # Sort (chord², position) packed in one integer: the bits of a positive
        # float order as the float does, and its last bits are far below the error.
        key = chord2.view(np.int64) & ~self._low
        key |= positions
        key.sort()
        key = key[: int(np.searchsorted(key, _bits(r2) | self._low, side="right"))]
        if not len(key):
            return key
        tol = _SPREAD * radius_m**3 + _FLOAT_M + radius_m * 2.0 ** (self._low.bit_length() - 52)
        inner = radius_m - _CUT * radius_m**3 - tol
        apart2 = 2 * radius_m * tol
        chords2 = key.view(np.float64)
        # Sorted, so only the last can be near the radius.
        border = inner <= 0 or int(key[-1]) > _bits(inner * inner)
        if not border and (len(key) < 2 or float(np.diff(chords2).min()) >= apart2):
            return key & self._low
        return self._untangled(lat, lon, radius_m, key & self._low, chords2, inner, apart2)

    def _settled(
        self, lat: float, lon: float, radius_m: float, positions: np.ndarray
    ) -> np.ndarray:
        """Return ``positions`` within ``radius_m`` by geodesic, nearest first."""
        points = self.points
        measured = [
            (geodesic_m(lat, lon, *map(float, points[p])), int(p)) for p in positions.tolist()
        ]
        return np.array([p for m, p in sorted(measured) if m <= radius_m], dtype=np.intp).reshape(
            -1
        )

    def _untangled(
        self,
        lat: float,
        lon: float,
        radius_m: float,
        nearest: np.ndarray,
        chords2: np.ndarray,
        inner: float,
        apart2: float,
    ) -> np.ndarray:
        """Settle by geodesic the points near the radius and the neighbours too close to order."""
        doubtful = np.zeros(len(nearest), dtype=bool)
        if inner > 0:
            doubtful[chords2 > inner * inner] = True
        else:
            doubtful[:] = True
        close = np.flatnonzero(np.diff(chords2) < apart2)
        doubtful[close] = True
        doubtful[close + 1] = True
        out: list[int] = []
        run: list[int] = []
        for p, unsure in zip(nearest.tolist(), doubtful.tolist(), strict=True):
            if unsure:
                run.append(p)
                continue
            if run:
                out.extend(self._settled(lat, lon, radius_m, np.array(run)).tolist())
                run = []
            out.append(p)
        if run:
            out.extend(self._settled(lat, lon, radius_m, np.array(run)).tolist())
        return np.array(out, dtype=np.intp)

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
        return self._by_lat[low + inside[np.argsort(rough, kind="stable")]]


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
