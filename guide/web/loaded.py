"""Keep the catalogue the running guide serves: loaded at start, reloaded after edits.

Every page family reads the catalogue through this module, which imports no page
family, so the families and the web package that registers them import no circle.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from guide.catalogue.index import Catalogue, load_catalogue

_EXTENSION = "guide.catalogue"


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
