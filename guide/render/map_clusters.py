"""Cluster the large map's sites for its first zooms, so the page's first paint needs no clustering.

The clusters are those supercluster makes when it clusters the sites at one
zoom (the page's own quick index, and the worker's first level): each site in
the order of ``map_data.positions`` that no cluster holds yet gathers every free
site within ``RADIUS`` pixels (tiles of ``EXTENT`` pixels, Web Mercator) and
becomes a cluster at their centroid when it found at least one. The page draws
them at once and switches to the worker's index of every zoom when it is ready.
A pure function of the positions, so the static export writes it as a file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from guide.render.map_data import SCALE

# supercluster's options in static/map_large.js: keep them the same.
RADIUS = 60
EXTENT = 512
# The zooms a first view may open at: a whole country (5) to a city's centre (11).
ZOOMS = range(5, 12)
# A zoom that would send more items than this is left to the page to cluster.
MOST_ITEMS = 2000


def project(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return Web Mercator x and y in [0, 1], as supercluster projects longitude and latitude."""
    x = lon / 360 + 0.5
    sin = np.sin(np.radians(lat))
    y = 0.5 - 0.25 * np.log((1 + sin) / (1 - sin)) / math.pi
    return x, np.clip(y, 0, 1)


def cluster_at(x: np.ndarray, y: np.ndarray, zoom: int) -> list[np.ndarray]:
    """Return the clusters at ``zoom`` of the points (x, y): [first point, members...] each.

    A point left alone is a group of one.
    """
    radius = RADIUS / (EXTENT * 2**zoom)
    cx = np.floor(x / radius).astype(np.int64)
    cy = np.floor(y / radius).astype(np.int64)
    # The points of each grid cell of the radius's size, found by sorting on the cell.
    keys = cx * (2**31) + cy
    order = np.argsort(keys, kind="stable")
    cell_keys, starts = np.unique(keys[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    arrays = {
        (int(key) >> 31, int(key) & (2**31 - 1)): order[start:end]
        for key, start, end in zip(cell_keys.tolist(), starts.tolist(), ends.tolist(), strict=True)
    }
    free = np.ones(len(x), dtype=bool)
    groups: list[np.ndarray] = []
    limit = radius * radius
    for number in range(len(x)):
        if not free[number]:
            continue
        a, b = int(cx[number]), int(cy[number])
        near = [
            arrays[cell]
            for cell in ((a + i, b + j) for i in (-1, 0, 1) for j in (-1, 0, 1))
            if cell in arrays
        ]
        candidates = np.concatenate(near)
        candidates = candidates[free[candidates]]
        dx = x[candidates] - x[number]
        dy = y[candidates] - y[number]
        members = candidates[dx * dx + dy * dy <= limit]
        free[members] = False
        free[number] = False
        others = members[members != number]
        groups.append(np.concatenate(([number], others)))
    return groups


def clusters(positions: dict[str, Any]) -> dict[str, Any]:
    """Return the clusters, at each of ``ZOOMS`` small enough to send, of ``map_data.positions``.

    Per zoom: latitude and longitude in units of 1/SCALE degree, the number of
    sites, and for a site alone its index in the positions (else -1) and kind group.
    """
    scale = positions["scale"]
    lat_units = positions["lat0"] + np.cumsum(np.asarray(positions["dlat"], dtype=np.int64))
    lon_units = positions["lon0"] + np.asarray(positions["dlon"], dtype=np.int64)
    x, y = project(lat_units / scale, lon_units / scale)
    group = positions["group"]
    zooms: dict[str, Any] = {}
    for zoom in ZOOMS:
        found = cluster_at(x, y, zoom) if positions["count"] else []
        if len(found) > MOST_ITEMS:
            break
        zooms[str(zoom)] = _items(found, x, y, group)
    return {
        "count": positions["count"],
        "scale": scale,
        "groups": positions["groups"],
        "zooms": zooms,
    }


def _items(
    found: Sequence[np.ndarray], x: np.ndarray, y: np.ndarray, group: Sequence[int]
) -> dict[str, list[int]]:
    lats, lons, counts, points, kinds = [], [], [], [], []
    for members in found:
        # The centroid in projected space, as supercluster places a cluster.
        mx, my = float(x[members].mean()), float(y[members].mean())
        lon = (mx - 0.5) * 360
        lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * my))))
        lats.append(round(lat * SCALE))
        lons.append(round(lon * SCALE))
        alone = len(members) == 1
        first = int(members[0])
        counts.append(len(members))
        points.append(first if alone else -1)
        kinds.append(group[first] if alone else -1)
    return {"lat": lats, "lon": lons, "count": counts, "i": points, "group": kinds}
