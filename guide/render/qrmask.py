"""Draw a QR symbol as qrcode does, placing its data and scoring the eight masks with numpy.

qrcode tries the eight masks and keeps the one with the fewest penalty points
(ISO/IEC 18004's four rules), scored in pure Python, then draws the symbol
module by module: about 5 ms of each sign. ``penalty`` gives exactly the
points of ``qrcode.util.lost_point`` (the tests compare them), and
``symbol_modules`` places qrcode's own codewords in qrcode's order on its
function patterns, so the symbol is the very one qrcode would make, only sooner.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import qrcode
import qrcode.util
from numpy.lib.stride_tricks import sliding_window_view

# Dark-light-dark-dark-dark-light-dark (1:1:3:1:1) with four light modules after or before,
# as 11-bit numbers, the first module the highest bit.
_FINDER_LIKE = (0b10111010000, 0b00001011101)
_WEIGHTS = 1 << np.arange(10, -1, -1)


def penalty(modules: np.ndarray) -> int:
    """Return the penalty points of a square matrix of dark (True) modules."""
    return int(penalties(np.asarray(modules, dtype=bool)[np.newaxis])[0])


def penalties(grids: np.ndarray) -> np.ndarray:
    """Return the penalty points of each square matrix in a stack of them, shape (k, n, n)."""
    grids = np.asarray(grids, dtype=bool)
    n = grids.shape[-1]
    lines = np.concatenate([grids, grids.transpose(0, 2, 1)], axis=1)
    # Rule 1: a run of L >= 5 modules of one colour costs L - 2: that is its L - 4
    # windows of five equal modules, plus 2 for the window that starts it.
    equal = lines[..., 1:] == lines[..., :-1]
    five = equal[..., :-3] & equal[..., 1:-2] & equal[..., 2:-1] & equal[..., 3:]
    starting = five.copy()
    starting[..., 1:] &= ~equal[..., :-4]
    points = np.count_nonzero(five, axis=(1, 2)) + 2 * np.count_nonzero(starting, axis=(1, 2))
    # Rule 2: blocks of 2 x 2 modules of one colour.
    corner = grids[:, :-1, :-1]
    same = (corner == grids[:, 1:, :-1]) & (corner == grids[:, :-1, 1:])
    same &= corner == grids[:, 1:, 1:]
    points += 3 * np.count_nonzero(same, axis=(1, 2))
    # Rule 3: finder-like patterns in rows and columns.
    if n >= 11:
        windows = sliding_window_view(lines, 11, axis=-1) @ _WEIGHTS
        found = (windows == _FINDER_LIKE[0]) | (windows == _FINDER_LIKE[1])
        points += 40 * np.count_nonzero(found, axis=(1, 2))
    # Rule 4: the share of dark modules, every 5 % away from half.
    percent = np.count_nonzero(grids, axis=(1, 2)) / (n**2)
    points += (np.abs(percent * 100 - 50) / 5).astype(int) * 10
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


def symbol_modules(symbol: qrcode.QRCode) -> np.ndarray:
    """Return the modules ``symbol.make(fit=True)`` would draw, as a boolean matrix.

    The codewords are qrcode's (``create_data``); the function patterns, format
    and version bits of each version come from qrcode once and are kept, and the
    data bits are put in the order of qrcode's ``map_data``.
    """
    symbol.best_fit(start=symbol.version)
    version, level = symbol.version, symbol.error_correction
    free, rows, columns = _placement(version)
    codewords = qrcode.util.create_data(version, level, symbol.data_list)
    bits = np.unpackbits(np.frombuffer(bytes(codewords), dtype=np.uint8)).astype(bool)
    unmasked = np.zeros(free.shape, dtype=bool)
    count = min(len(bits), len(rows))
    unmasked[rows[:count], columns[:count]] = bits[:count]
    masks = _MASKS(len(free))
    # Scored as qrcode scores them: format and version bits light.
    candidates = np.where(free, unmasked ^ np.stack(masks), _patterns(version, level, None))
    # The first of the lowest, as qrcode keeps it.
    best = int(np.argmin(penalties(candidates)))
    return np.where(free, unmasked ^ masks[best], _patterns(version, level, best))


@lru_cache(maxsize=64)
def _patterns(version: int, level: int, mask: int | None) -> np.ndarray:
    """Return qrcode's function patterns of ``version`` with the format bits of ``mask``.

    ``mask`` None gives the patterns qrcode scores masks on (format bits light).
    """
    symbol = qrcode.QRCode(version=version, error_correction=level, border=0)
    symbol.map_data = lambda data, mask_pattern: None  # type: ignore[method-assign]
    symbol.data_cache = []
    symbol.makeImpl(mask is None, mask or 0)
    return np.array([[bool(cell) for cell in row] for row in symbol.modules])


@lru_cache(maxsize=40)
def _placement(version: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the free (data) modules of ``version`` and their rows and columns in data order.

    The order is ``map_data``'s: column pairs from the right, skipping the
    timing column, going up then down.
    """
    symbol = qrcode.QRCode(version=version, border=0)
    symbol.map_data = lambda data, mask_pattern: None  # type: ignore[method-assign]
    symbol.data_cache = []
    symbol.makeImpl(True, 0)
    free = np.array([[cell is None for cell in row] for row in symbol.modules])
    size = len(free)
    order: list[tuple[int, int]] = []
    upward = True
    for col in range(size - 1, 0, -2):
        if col <= 6:
            col -= 1
        for row in range(size - 1, -1, -1) if upward else range(size):
            order += [(row, c) for c in (col, col - 1) if free[row, c]]
        upward = not upward
    rows = np.array([row for row, _ in order], dtype=np.intp)
    columns = np.array([column for _, column in order], dtype=np.intp)
    return free, rows, columns
