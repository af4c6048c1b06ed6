"""Distances between the sites of a loaded catalogue, each pair measured once.

Tours are planned again and again through the same sites, so the geodesic
metres between two sites are kept in one matrix per loaded catalogue (a numpy
array, filled the first time a pair is asked for). Reloading the catalogue
makes a new ``Catalogue`` object and so a new, empty matrix: a moved site is
measured afresh. A catalogue with more located sites than the limit keeps no
matrix (it would take too much memory) and is measured as before, pair by pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from threading import Lock
from weakref import WeakKeyDictionary

import numpy as np

from guide.catalogue import geodesic_np
from guide.catalogue.geo import distance_matrix_m
from guide.catalogue.index import Catalogue

# Located sites beyond which a catalogue keeps no matrix: 2,000 sites make 32 MB.
DEFAULT_MAX_SITES = 2000

_MATRICES: WeakKeyDictionary[Catalogue, SiteMatrix | None] = WeakKeyDictionary()
_LOCK = Lock()


class SiteMatrix:
    """Geodesic metres between every two located sites of one catalogue, measured on demand."""

    def __init__(self, catalogue: Catalogue) -> None:
        located = [site for site in catalogue.sites if site.has_location]
        self.index = {site.code: row for row, site in enumerate(located)}
        self.points: list[tuple[float, float]] = [(site.lat, site.lon) for site in located]  # type: ignore[misc]
        self.coords = np.asarray(self.points, dtype=float).reshape(len(located), 2)
        n = len(located)
        self.metres = np.full((n, n), np.nan)
        np.fill_diagonal(self.metres, 0.0)
        self._lock = Lock()

    def rows(self, codes: Sequence[str]) -> np.ndarray:
        """Return the metres between the sites ``codes`` (in that order), measuring new pairs."""
        at = np.array([self.index[code] for code in codes], dtype=np.intp)
        grid = np.ix_(at, at)
        block = self.metres[grid]
        if np.isnan(block).any():
            with self._lock:
                block = self.metres[grid]
                rows, columns = np.nonzero(np.triu(np.isnan(block), 1))
                if len(rows):
                    a, b = at[rows], at[columns]
                    measured = pair_metres(self.coords[a], self.coords[b])
                    self.metres[a, b] = measured
                    self.metres[b, a] = measured
                block = self.metres[grid]
        return block


def site_matrix(catalogue: Catalogue, max_sites: int = DEFAULT_MAX_SITES) -> SiteMatrix | None:
    """Return the matrix kept with ``catalogue``, or None when it has too many located sites."""
    with _LOCK:
        if catalogue in _MATRICES:
            return _MATRICES[catalogue]
        located = sum(1 for site in catalogue.sites if site.has_location)
        matrix = SiteMatrix(catalogue) if located <= max_sites else None
        _MATRICES[catalogue] = matrix
        return matrix


def geodesic_matrix(
    catalogue: Catalogue,
    points: Sequence[tuple[float, float]],
    codes: Sequence[str | None],
    max_sites: int = DEFAULT_MAX_SITES,
) -> np.ndarray:
    """Return geodesic metres between ``points``; ``codes`` names the catalogue's sites among them.

    Pairs of sites come from the catalogue's matrix; a point that is no site
    (``None``, such as a start on the map) is measured to every other point.
    The figures are exactly those of ``guide.catalogue.geo.distance_matrix_m``.
    """
    matrix = site_matrix(catalogue, max_sites)
    n = len(points)
    known = [
        position
        for position, code in enumerate(codes)
        if code is not None and matrix is not None and code in matrix.index
    ]
    if matrix is None or len(known) < 2:
        return np.asarray(distance_matrix_m(points), dtype=float).reshape(n, n)
    metres = np.zeros((n, n))
    metres[np.ix_(known, known)] = matrix.rows([codes[position] for position in known])  # type: ignore[misc]
    taken = set(known)
    others = np.array([i for i in range(n) if i not in taken], dtype=np.intp)
    if not len(others):
        return metres
    coords = np.asarray(points, dtype=float).reshape(n, 2)
    rows = np.repeat(others, n)
    columns = np.tile(np.arange(n), len(others))
    keep = rows != columns
    rows, columns = rows[keep], columns[keep]
    measured = pair_metres(coords[rows], coords[columns])
    metres[rows, columns] = measured
    metres[columns, rows] = measured
    return metres


def pair_metres(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Return the metres between (lat, lon) rows, each pair measured as ``pair_m`` does."""
    swap = (first[:, 0] > second[:, 0]) | (
        (first[:, 0] == second[:, 0]) & (first[:, 1] > second[:, 1])
    )
    low = np.where(swap[:, None], second, first)
    high = np.where(swap[:, None], first, second)
    return geodesic_np.metres(low[:, 0], low[:, 1], high[:, 0], high[:, 1])
