"""The map page and the sites' GeoJSON API."""

from __future__ import annotations

from flask import Flask

from guide.web.maps import api, views

bp = views.bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the sites' GeoJSON API and the map page."""
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
