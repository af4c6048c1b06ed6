"""Responses several page families share: conditional GET with ETags, pages revalidated each use."""

from __future__ import annotations

from flask import Response, make_response, request


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
