"""The guide's public address, from the settings only: never from the request's Host header.

A request's ``Host`` is whatever the client sent, so an address built from it
(``request.host_url``) lets anyone put their own host into a page's canonical
link, its Open Graph tags, a share link or a QR code that is then cached or
printed. Absolute addresses come from ``GUIDE_BASE_URL`` alone; without it the
pages use relative links, leave out what must be absolute (``og:url``,
``og:image``) and refuse to make QR codes, and redirects stay relative.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Response, current_app, request


def public_base() -> str:
    """Return GUIDE_BASE_URL without its trailing slash, or "" when it is not set."""
    return str(current_app.config.get("GUIDE_BASE_URL") or "").strip().rstrip("/")


def has_public_address() -> bool:
    """Return whether the guide knows its public address (GUIDE_BASE_URL is set)."""
    return bool(public_base())


def public_url(path: str) -> str:
    """Return ``path`` on the public address, or ``path`` itself (relative) without one."""
    base = public_base()
    return base + path if base else path


def relative_redirect(response: Response) -> Response:
    """Make a redirect to this request's own host relative (the trailing-slash redirects).

    Werkzeug writes ``/admin`` → ``/admin/`` as an absolute address on the
    request's Host; the browser resolves a relative one against the address it
    asked for, which is the only host it should go to.
    """
    location = response.headers.get("Location")
    if not location or not 300 <= response.status_code < 400:
        return response
    parts = urlsplit(location)
    if parts.netloc and parts.netloc.lower() == request.host.lower():
        relative = ("", "", parts.path or "/", parts.query, parts.fragment)
        response.headers["Location"] = urlunsplit(relative)
    return response
