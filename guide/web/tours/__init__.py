"""Tour planning pages and the tour API."""

from __future__ import annotations

from flask import Flask

from guide.web.security import csrf
from guide.web.tours import api, pages, planner  # noqa: F401  (planner adds its views to pages.bp)

bp = pages.bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the tour API and the tour pages."""
    # Planning a tour changes nothing on the server and needs no sign-in, so the
    # JSON API takes requests from any page without a CSRF token.
    csrf.exempt(api.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
