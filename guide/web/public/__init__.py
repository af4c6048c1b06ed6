"""Visitors' pages: home, search, story pages, plaque codes, media and the Hán-Nôm font."""

from __future__ import annotations

from flask import Flask

from guide.web.public import fonts, media, views

bp = views.bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the visitors' pages, the photos and recordings they show and the Hán-Nôm font."""
    media.check_cache_folder(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(media.bp)
    fonts.init_app(app)
