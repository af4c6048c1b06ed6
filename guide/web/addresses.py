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


# Set by `guide build` on the app it renders with: its pages are served without a server.
STATIC_EXPORT = "GUIDE_STATIC_EXPORT"


def api_base() -> str:
    """Return GUIDE_API_URL without its trailing slash, or "" when it is not set."""
    return str(current_app.config.get("GUIDE_API_URL") or "").strip().rstrip("/")


def server_url(path: str) -> str:
    """Return where a page sends what needs the guide's server, or "" when no server is there.

    GUIDE_API_URL when set (a static export's pages and the server's own pages
    alike, so both are the same bytes); else the page's own host, except in a
    static export without a server, where the feature is left out of the page.
    """
    base = api_base()
    if base:
        return base + path
    return "" if current_app.config.get(STATIC_EXPORT) else path


def origin_of(url: str) -> str:
    """Return the scheme and host of a URL, lower-cased, or "" when it has none.

    >>> origin_of("HTTPS://Ditich.example.vn/sites/dinh-chem?x=1")
    'https://ditich.example.vn'
    """
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def allow_export_origin(response: Response) -> Response:
    """Let the static export's pages (the origin of GUIDE_BASE_URL) read this API answer.

    Only when GUIDE_API_URL names a server on another origin than the public
    pages; any other origin gets no CORS header, so its browser refuses the answer.
    """
    allowed = origin_of(public_base())
    if not allowed or not api_base() or origin_of(api_base()) == allowed:
        return response
    response.vary.add("Origin")
    if request.headers.get("Origin", "").lower() == allowed:
        response.headers["Access-Control-Allow-Origin"] = allowed
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "3600"
    return response
