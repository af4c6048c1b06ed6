"""Scan printed codes the way a phone does: rasterize, decode with zxing-cpp, open the URL."""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import urlsplit

import cairosvg
import pypdfium2
import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image

MM_PER_INCH = 25.4


def pdf_pages(data: bytes, dpi: int = 150) -> list[Image.Image]:
    """Return the pages of a PDF rendered by PDFium at ``dpi``, as greyscale images."""
    document = pypdfium2.PdfDocument(data)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


def pdf_text(data: bytes) -> str:
    """Return the text PDFium extracts from every page of a PDF."""
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_bounded() for page in document)
    finally:
        document.close()


def svg_image(data: bytes, dpi: int = 150) -> Image.Image:
    """Return an SVG rendered by cairo at ``dpi`` on white, as a greyscale image."""
    png = cairosvg.svg2png(bytestring=data, dpi=dpi, background_color="white")
    return Image.open(io.BytesIO(png)).convert("L")


def png_image(data: bytes) -> Image.Image:
    """Return a PNG file as a greyscale image."""
    return Image.open(io.BytesIO(data)).convert("L")


@dataclass
class Scan:
    """One QR code found in an image: its text, version, level and corners in pixels."""

    text: str
    version: int
    ec: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        """Return the symbol's width in pixels."""
        return self.right - self.left

    def module(self) -> float:
        """Return the width of one module in pixels."""
        return self.width / (17 + 4 * self.version)


def scan(image: Image.Image) -> list[Scan]:
    """Return every QR code zxing-cpp reads in ``image``."""
    found = []
    for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        corners = barcode.position
        xs = [corners.top_left.x, corners.top_right.x, corners.bottom_right.x]
        xs.append(corners.bottom_left.x)
        ys = [corners.top_left.y, corners.top_right.y, corners.bottom_right.y]
        ys.append(corners.bottom_left.y)
        found.append(
            Scan(
                text=barcode.text,
                version=int(barcode.extra["Version"]),
                ec=barcode.ec_level,
                left=min(xs),
                top=min(ys),
                right=max(xs),
                bottom=max(ys),
            )
        )
    return found


def scan_one(image: Image.Image) -> Scan:
    """Return the one QR code in ``image``; fail when there is none or several."""
    found = scan(image)
    assert len(found) == 1, f"expected one QR code, found {len(found)}"
    return found[0]


def quiet_zone_is_blank(image: Image.Image, found: Scan, modules: float = 4) -> bool:
    """Return whether the band of ``modules`` modules around the symbol is all light.

    The half module next to the symbol is left out, since the decoder's corners
    are only that precise.
    """
    module = found.module()
    inner = module / 2
    outer = module * modules - 1
    left, top, right, bottom = found.left, found.top, found.right, found.bottom
    bands = [
        (left - outer, top - outer, right + outer, top - inner),
        (left - outer, bottom + inner, right + outer, bottom + outer),
        (left - outer, top - outer, left - inner, bottom + outer),
        (right + inner, top - outer, right + outer, bottom + outer),
    ]
    for x0, y0, x1, y1 in bands:
        if x0 < 0 or y0 < 0 or x1 > image.width or y1 > image.height:
            return False
        band = image.crop((round(x0), round(y0), round(x1), round(y1)))
        if band.getextrema()[0] < 200:
            return False
    return True


@dataclass
class Visit:
    """Where a scanned URL led in the guide: the final path, status and page title."""

    path: str
    status: int
    redirects: int
    heading: str
    code: str


def open_url(client, url: str) -> Visit:
    """Request a scanned URL's path from the Flask test client, following redirects."""
    parts = urlsplit(url)
    response = client.get(parts.path, follow_redirects=True)
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    heading = soup.find("h1")
    code = soup.find(class_="code")
    return Visit(
        path=response.request.path,
        status=response.status_code,
        redirects=len(response.history),
        heading=heading.get_text(strip=True) if heading else "",
        code=code.get_text(strip=True) if code else "",
    )
