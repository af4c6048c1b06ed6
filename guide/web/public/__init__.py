"""Visitors' pages: home, search, story pages, plaque codes and media."""

from __future__ import annotations

from flask import Flask

from guide.web.public import media, views

bp = views.bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the visitors' pages and the photos and recordings they show."""
    media.check_cache_folder(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(media.bp)
