"""Protections every page gets: security headers, CSRF tokens, cookies and sign-in.

Every response carries a Content-Security-Policy that lets a page load only
from the guide itself (plus the map tiles' host for images), scripts only from
files or with the request's nonce (``csp_nonce()`` in templates), and no
framing by other sites, except the embeddable map (``/map?embed=1``). A
Permissions-Policy lets the guide's own pages ask for the visitor's location
(the map's "show my location") and full screen (the map), and denies every
other powerful feature to the page and to anything it might frame. A view
that needs another policy sets the header itself; it is then left alone.
"""

from __future__ import annotations

import secrets
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from guide.web.addresses import api_base, origin_of, relative_redirect
from guide.workspace.database import db

if TYPE_CHECKING:
    from guide.workspace.db import User


csrf = CSRFProtect()
login_manager = LoginManager()
EMBEDDABLE_PATHS = ("/map",)


def csp_nonce() -> str:
    """Return the nonce that inline scripts of this response must carry."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


@lru_cache(maxsize=16)
def tile_source(tile_url: str) -> str:
    """Return the CSP source expression of the tile server's origin.

    >>> tile_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    'https://*.tile.openstreetmap.org'
    >>> tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    'https://tile.openstreetmap.org'
    >>> tile_source("/tiles/{z}/{x}/{y}.png")
    ''
    """
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc
    if "{" in host:
        host = "*." + host.split("}.", 1)[-1]
    return f"{parts.scheme}://{host}"


# Features the guide uses, for its own origin only: "show my location" and the map's full screen.
ALLOWED_FEATURES = ("geolocation", "fullscreen")
# Powerful features the guide never uses: denied to its pages and to any frame in them.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)


@cache
def permissions_policy() -> str:
    """Return the Permissions-Policy header value.

    >>> policy = permissions_policy()
    >>> "geolocation=(self)" in policy and "camera=()" in policy
    True
    """
    allowed = [f"{feature}=(self)" for feature in ALLOWED_FEATURES]
    denied = [f"{feature}=()" for feature in DENIED_FEATURES]
    return ", ".join(allowed + denied)


def is_embeddable() -> bool:
    """Return whether this request may be shown inside another site's frame."""
    return request.path in EMBEDDABLE_PATHS and request.args.get("embed") == "1"


def content_security_policy(tile_url: str, nonce: str, embeddable: bool, api: str = "") -> str:
    """Return the Content-Security-Policy header value for a page.

    ``api`` is the origin of the guide's server (GUIDE_API_URL) when the pages
    send the planner, feedback and counts there.
    """
    server = f"'self' {api}" if api else "'self'"
    images = " ".join(filter(None, ["'self'", "data:", "blob:", tile_source(tile_url)]))
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        # folium writes the map's size rules as a <style> element: it carries the nonce.
        f"style-src 'self' 'nonce-{nonce}'",
        f"img-src {images}",
        "media-src 'self'",
        f"connect-src {server}",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        f"form-action {server}",
        "frame-ancestors *" if embeddable else "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def add_security_headers(response: Response) -> Response:
    """Add the guide's security headers to a response that does not set them itself."""
    from flask import current_app

    embeddable = is_embeddable()
    config = current_app.config
    wanted = [
        (
            "Content-Security-Policy",
            lambda: content_security_policy(
                config["GUIDE_TILE_URL"], csp_nonce(), embeddable, origin_of(api_base())
            ),
        ),
        ("Permissions-Policy", permissions_policy),
        ("X-Content-Type-Options", lambda: "nosniff"),
        ("Referrer-Policy", lambda: "strict-origin-when-cross-origin"),
    ]
    if not embeddable:
        wanted.append(("X-Frame-Options", lambda: "DENY"))
    if config.get("GUIDE_HTTPS"):
        wanted.append(("Strict-Transport-Security", lambda: "max-age=31536000"))
    # The names the view set, read once: asking the headers for each missing name
    # raises and catches an exception every time.
    present = {name.lower() for name, _ in response.headers.items()}
    for name, value in wanted:
        if name.lower() not in present:
            response.headers.add(name, value())
    return response


def _secret_key(app: Flask) -> str:
    """Return a random secret key kept in the instance folder, made on first use."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        from guide.catalogue.store import atomic_write_text

        atomic_write_text(path, secrets.token_hex(32), mode=0o600)
    return path.read_text(encoding="utf-8").strip()


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Return the signed-in account, or None when its session was ended.

    Checked on every request: a cookie whose session key is no longer the
    account's (signed out, new password) or whose account was removed opens nothing.
    """
    from guide.workspace.db import User

    row_id, _, key = session_id.partition(":")
    if not row_id.isdigit() or not key:
        return None
    user = db.session.get(User, int(row_id))
    if user is None or not user.session_key:
        return None
    if not secrets.compare_digest(user.session_key.encode(), key.encode()):
        return None
    return user


def init_app(app: Flask) -> None:
    """Set cookie flags, the secret key, CSRF protection, sign-in and the headers."""
    if app.config.get("SECRET_KEY") in (None, "", "dev") and not app.testing:
        app.config["SECRET_KEY"] = _secret_key(app)
    secure = bool(app.config.get("GUIDE_HTTPS"))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
    )
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 8 * 3600)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    hops = int(app.config.get("GUIDE_PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.after_request(add_security_headers)
    # Werkzeug's own redirects (/admin -> /admin/) would name the request's Host.
    app.response_class.autocorrect_location_header = False
    app.after_request(relative_redirect)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
