"""QR codes of plaques: the URL a code holds, the symbol, and its SVG and PNG images.

A plaque's code holds ``<BASE-URL>/S/<CODE>``. The scheme and host of the base
URL are upper-cased (both are case-insensitive), so that with the upper-case
site code the whole URL fits QR's alphanumeric mode and the symbol stays small:
``HTTPS://DITICH.EXAMPLE.VN/S/7K2Q`` is version 3 at error correction level Q.
A path in the base URL is kept as written, since servers may tell its case
apart; the code then mixes modes and grows a little.

Every image here is a pure function of its input: the same URL gives the same
bytes, so a reprint can be compared with the file of the first print.
"""

from __future__ import annotations

import io
import ipaddress
import math
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import qrcode
import qrcode.constants
from qrcode.util import ALPHA_NUM, MODE_ALPHA_NUM, QRData

from guide.catalogue import codes
from guide.render import qrmask

# Kept in step with guide.listening.scans.PLAQUE_MARKER (a test checks it).
PLAQUE_MARKER = "Q"

QUIET_ZONE = 4
"""Blank modules around the symbol on every side: the minimum ISO/IEC 18004 asks for."""

READING_DISTANCE_RATIO = 10
"""A phone reads a code from about ten times the code's printed width."""

EC_LEVELS = {
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
"""Error correction levels offered for plaques: Q (25 % of the code may be lost) and H (30 %)."""

DEFAULT_EC = "Q"
PNG_DPI = 300


class BaseUrlError(ValueError):
    """The base URL cannot be printed on a plaque; the message says how to fix it."""


def normalize_base_url(url: str) -> str:
    """Return the base URL as printed in codes: scheme and host upper-case, no trailing slash.

    >>> normalize_base_url("https://ditich.example.vn/")
    'HTTPS://DITICH.EXAMPLE.VN'
    >>> normalize_base_url("https://example.vn:8443/Guide")
    'HTTPS://EXAMPLE.VN:8443/Guide'

    Raise BaseUrlError for anything a visitor's phone could not open: another
    scheme, no host, a query or fragment, or an address of the printing
    computer itself (``localhost``, ``127.0.0.1``).
    """
    raw = url.strip()
    if not raw:
        raise BaseUrlError("the base URL is empty: give the guide's public address")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as error:
        raise BaseUrlError(f"{raw!r} is not a URL: {error}") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BaseUrlError(
            f"{raw!r} must start with https:// (or http://), such as https://ditich.example.vn"
        )
    host = parts.hostname or ""
    if not host:
        raise BaseUrlError(f"{raw!r} has no host name, such as ditich.example.vn")
    if parts.username is not None or parts.password is not None:
        raise BaseUrlError(f"{raw!r} contains a user name or password: remove it")
    if parts.query or parts.fragment:
        raise BaseUrlError(f"{raw!r} has a '?' query or '#' fragment: give the address only")
    if _is_this_computer(host):
        raise BaseUrlError(
            f"{raw!r} points at the computer that prints the sign, which a visitor's phone "
            "cannot reach: give the guide's public address"
        )
    netloc = f"[{host.upper()}]" if ":" in host else host.upper()
    if port is not None:
        netloc += f":{port}"
    return f"{scheme.upper()}://{netloc}{parts.path.rstrip('/')}"


def _is_this_computer(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def site_url(base_url: str, code: str) -> str:
    """Return the URL a plaque's code holds: the normalized base URL, ``/S/`` and the code.

    >>> site_url("https://ditich.example.vn", "7k2q")
    'HTTPS://DITICH.EXAMPLE.VN/S/7K2Q'
    """
    return f"{normalize_base_url(base_url)}/S/{codes.normalize(code)}"


def plaque_url(base_url: str, code: str) -> str:
    """Return the URL printed in a plaque's QR code: the site URL and the plaque marker ``/Q``.

    The marker tells a scan of the plaque from a typed or shared link when
    arrivals are counted; it is one upper-case letter, so the URL stays in
    alphanumeric mode (``HTTPS://DITICH.EXAMPLE.VN/S/7K2Q/Q`` is still version 3-Q).

    >>> plaque_url("https://ditich.example.vn", "7k2q")
    'HTTPS://DITICH.EXAMPLE.VN/S/7K2Q/Q'
    """
    return f"{site_url(base_url, code)}/{PLAQUE_MARKER}"


def display_url(base_url: str, code: str) -> str:
    """Return the short URL as printed for people to type: lower-case host, no ``https://``.

    >>> display_url("HTTPS://DITICH.EXAMPLE.VN", "7K2Q")
    'ditich.example.vn/S/7K2Q'
    >>> display_url("http://example.vn/Guide", "7K2Q")
    'http://example.vn/Guide/S/7K2Q'
    """
    normalized = normalize_base_url(base_url)
    scheme, _, rest = normalized.partition("://")
    netloc, slash, path = rest.partition("/")
    text = f"{netloc.lower()}{slash}{path}/S/{codes.normalize(code)}"
    return text if scheme == "HTTPS" else f"http://{text}"


@dataclass(frozen=True)
class Code:
    """A QR symbol: the text it holds, its version, its level and its dark modules."""

    text: str
    ec: str
    version: int
    modules: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Return the symbol's width in modules, without the quiet zone."""
        return len(self.modules)

    @property
    def width_with_quiet_zone(self) -> int:
        """Return the width in modules of the symbol and its quiet zone on both sides."""
        return self.size + 2 * QUIET_ZONE

    @property
    def is_alphanumeric(self) -> bool:
        """Return whether the whole text fits QR's alphanumeric mode."""
        return fits_alphanumeric(self.text)

    def dark_runs(self) -> Iterator[tuple[int, int, int]]:
        """Yield (row, column, length) for each horizontal run of dark modules.

        Drawing runs instead of single modules keeps vector files small and
        leaves no hairline gaps between neighbouring modules.
        """
        for row, line in enumerate(self.modules):
            column = 0
            while column < len(line):
                if not line[column]:
                    column += 1
                    continue
                start = column
                while column < len(line) and line[column]:
                    column += 1
                yield row, start, column - start


def fits_alphanumeric(text: str) -> bool:
    """Return whether every character of ``text`` is in QR's alphanumeric set.

    >>> fits_alphanumeric("HTTPS://DITICH.EXAMPLE.VN/S/7K2Q"), fits_alphanumeric("https://x")
    (True, False)
    """
    return all(ord(char) < 128 and char.encode("ascii") in ALPHA_NUM for char in text)


def make_code(text: str, ec: str = DEFAULT_EC) -> Code:
    """Return the smallest QR symbol (never Micro QR) that holds ``text`` at level ``ec``."""
    ec = ec.upper()
    if ec not in EC_LEVELS:
        raise ValueError(f"error correction {ec!r}: choose one of {', '.join(EC_LEVELS)}")
    symbol = qrcode.QRCode(error_correction=EC_LEVELS[ec], border=0)
    if fits_alphanumeric(text):
        symbol.add_data(QRData(text.encode("ascii"), mode=MODE_ALPHA_NUM))
    else:
        symbol.add_data(text)
    # The very symbol symbol.make(fit=True) gives, drawn and its mask scored with numpy.
    grid = qrmask.symbol_modules(symbol)
    modules = tuple(map(tuple, grid.tolist()))
    return Code(text=text, ec=ec, version=symbol.version, modules=modules)


def reading_distance_m(symbol_mm: float) -> float:
    """Return how far away, in metres, a code printed ``symbol_mm`` wide can be read.

    >>> reading_distance_m(100)
    1.0
    """
    return symbol_mm * READING_DISTANCE_RATIO / 1000


def svg(code: Code, symbol_mm: float) -> str:
    """Return an SVG image of the code with its quiet zone; the symbol is ``symbol_mm`` wide.

    The image is one white square and one black path in module units, sized in
    millimetres so that it prints at the intended width.
    """
    width = code.width_with_quiet_zone
    total_mm = symbol_mm * width / code.size
    path = "".join(
        f"M{column + QUIET_ZONE} {row + QUIET_ZONE}h{length}v1h-{length}z"
        for row, column, length in code.dark_runs()
    )
    title = _xml_escape(code.text)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_mm:.2f}mm" '
        f'height="{total_mm:.2f}mm" viewBox="0 0 {width} {width}" '
        'shape-rendering="crispEdges">\n'
        f"<title>{title}</title>\n"
        f'<rect width="{width}" height="{width}" fill="#ffffff"/>\n'
        f'<path fill="#000000" d="{path}"/>\n'
        "</svg>\n"
    )


def png_module_pixels(code: Code, symbol_mm: float, dpi: int = PNG_DPI) -> int:
    """Return the pixels per module that print the symbol at least ``symbol_mm`` wide at ``dpi``."""
    return max(1, math.ceil(symbol_mm / 25.4 * dpi / code.size))


def png(code: Code, symbol_mm: float, dpi: int = PNG_DPI) -> bytes:
    """Return a black-and-white PNG of the code with its quiet zone, for printing at ``dpi``.

    Each module is a whole number of pixels (no blurred edges), enough for the
    symbol to be at least ``symbol_mm`` wide at ``dpi``; the file records the dpi.
    """
    from PIL import Image

    scale = png_module_pixels(code, symbol_mm, dpi)
    width = code.width_with_quiet_zone
    image = Image.new("1", (width, width), 1)
    pixels = image.load()
    for row, column, length in code.dark_runs():
        for offset in range(length):
            pixels[QUIET_ZONE + column + offset, QUIET_ZONE + row] = 0
    image = image.resize((width * scale, width * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi), optimize=True)
    return buffer.getvalue()


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
