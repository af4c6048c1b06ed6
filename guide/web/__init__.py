"""The web side of the guide: the loaded catalogue and the blueprints that serve it."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from guide.catalogue import Catalogue, load_catalogue

_EXTENSION = "guide.catalogue"


def init_app(app: Flask) -> None:
    """Load the catalogue once and register every blueprint on ``app``."""
    reload_catalogue(app)

    from guide.web import public, tours

    app.register_blueprint(public.bp)
    app.register_blueprint(tours.bp)


def reload_catalogue(app: Flask) -> Catalogue:
    """Load the catalogue from ``GUIDE_SITES``; log and skip broken sites."""
    catalogue = load_catalogue(Path(app.config["GUIDE_SITES"]))
    for problem in catalogue.errors:
        app.logger.warning("skipped: %s", problem)
    app.extensions[_EXTENSION] = catalogue
    return catalogue


def get_catalogue() -> Catalogue:
    """Return the catalogue of the current application."""
    return current_app.extensions[_EXTENSION]
