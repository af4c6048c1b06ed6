"""Responses several page families share: conditional GET with ETags, pages revalidated each use."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Response, make_response, request

from guide.catalogue.text import fold


def conditional(body: str | bytes, mimetype: str = "text/html") -> Response:
    """Return ``body`` with an ETag, answering a matching If-None-Match with 304."""
    response = make_response(body)
    response.mimetype = mimetype
    response.add_etag()
    return response.make_conditional(request)


def page_response(body: str) -> Response:
    """Return an HTML page with an ETag that browsers revalidate before each use."""
    response = conditional(body)
    response.cache_control.no_cache = True
    return response


# Characters that no file name may hold on the systems visitors download to.
_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def attachment(title: str, extension: str, fallback: str = "tour") -> str:
    """Return a Content-Disposition naming the download after ``title``.

    ``filename`` is an ASCII slug for old clients; ``filename*`` (RFC 5987/6266)
    keeps the title as written, Vietnamese diacritics included.

    >>> attachment("Đình Chèm: tour", "gpx").split("; ")[1:]
    ['filename="dinh-chem-tour.gpx"', "filename*=UTF-8''%C4%90%C3%ACnh%20Ch%C3%A8m%20tour.gpx"]
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:80].rstrip("-") or fallback
    name = " ".join(_UNSAFE_IN_NAMES.sub(" ", title).split())[:150] or fallback
    quoted = quote(f"{name}.{extension}", safe="")
    return f"attachment; filename=\"{slug}.{extension}\"; filename*=UTF-8''{quoted}"
