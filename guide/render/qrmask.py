"""Choose a QR symbol's mask as qrcode does, scoring the eight candidates with numpy.

qrcode tries the eight masks and keeps the one with the fewest penalty points
(ISO/IEC 18004's four rules), scored in pure Python: about 5 ms of each sign.
``penalty`` gives exactly the points of ``qrcode.util.lost_point`` (the tests
compare them), so the symbol is the very one qrcode would make, only sooner.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import qrcode
from numpy.lib.stride_tricks import sliding_window_view

# Dark-light-dark-dark-dark-light-dark (1:1:3:1:1) with four light modules after or before.
_FINDER_LIKE = np.array(
    [[1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1]], dtype=bool
)


def penalty(modules: np.ndarray) -> int:
    """Return the penalty points of a square matrix of dark (True) modules."""
    grid = np.asarray(modules, dtype=bool)
    n = len(grid)
    lines = np.concatenate([grid, grid.T])
    # Rule 1: a run of L >= 5 modules of one colour costs L - 2: that is its L - 4
    # windows of five equal modules, plus 2 for the window that starts it.
    equal = lines[:, 1:] == lines[:, :-1]
    five = equal[:, :-3] & equal[:, 1:-2] & equal[:, 2:-1] & equal[:, 3:]
    starting = five.copy()
    starting[:, 1:] &= ~equal[:, :-4]
    points = int(np.count_nonzero(five)) + 2 * int(np.count_nonzero(starting))
    # Rule 2: blocks of 2 x 2 modules of one colour.
    corner = grid[:-1, :-1]
    same = (corner == grid[1:, :-1]) & (corner == grid[:-1, 1:]) & (corner == grid[1:, 1:])
    points += 3 * int(np.count_nonzero(same))
    # Rule 3: finder-like patterns in rows and columns.
    if n >= 11:
        windows = sliding_window_view(lines, 11, axis=1)
        found = (windows == _FINDER_LIKE[0]).all(axis=-1) | (windows == _FINDER_LIKE[1]).all(
            axis=-1
        )
        points += 40 * int(np.count_nonzero(found))
    # Rule 4: the share of dark modules, every 5 % away from half.
    percent = float(int(np.count_nonzero(grid))) / (n**2)
    points += int(abs(percent * 100 - 50) / 5) * 10
    return points


def best_mask(symbol: qrcode.QRCode) -> int:
    """Return the mask qrcode's ``best_mask_pattern`` would choose for ``symbol``.

    ``symbol`` must have its version fitted (``best_fit``). Like qrcode, each
    mask is scored on the symbol drawn for testing (format bits light), which
    differs from one mask to the next only in its data modules: the symbol is
    drawn once, and each mask is applied to its data modules with numpy.
    """
    symbol.makeImpl(True, 0)
    first = np.array(symbol.modules, dtype=bool)
    data = _data_modules(symbol)
    unmasked = first ^ (data & _MASKS(len(first))[0])
    best, pattern = 0, 0
    for mask, where in enumerate(_MASKS(len(first))):
        points = penalty(np.where(data, unmasked ^ where, first))
        if mask == 0 or points < best:
            best, pattern = points, mask
    return pattern


def _data_modules(symbol: qrcode.QRCode) -> np.ndarray:
    """Return where ``symbol``'s data modules are: those its function patterns leave free."""
    key = symbol.version
    if key not in _DATA:
        symbol.makeImpl(True, 0)
        # Drawn without its data, the symbol shows its free modules as None.
        symbol.map_data = lambda data, mask: None  # type: ignore[method-assign]
        try:
            symbol.makeImpl(True, 0)
        finally:
            del symbol.map_data
        _DATA[key] = np.array([[cell is None for cell in row] for row in symbol.modules])
    return _DATA[key]


_DATA: dict[int, np.ndarray] = {}


@lru_cache(maxsize=40)
def _MASKS(size: int) -> tuple[np.ndarray, ...]:
    """Return the eight mask patterns of a symbol ``size`` modules wide, by qrcode's formulas."""
    return tuple(
        np.array([[bool(formula(i, j)) for j in range(size)] for i in range(size)])
        for formula in (qrcode.util.mask_func(mask) for mask in range(8))
    )


def make_symbol(symbol: qrcode.QRCode) -> None:
    """Fit the version and draw the symbol with its best mask, as ``make(fit=True)`` does."""
    symbol.best_fit(start=symbol.version)
    symbol.makeImpl(False, best_mask(symbol))
