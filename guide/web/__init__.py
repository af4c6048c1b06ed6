"""The web side of the guide: the loaded catalogue and the blueprints that serve it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask, Response, current_app, make_response, request

from guide.catalogue.core import Catalogue, load_catalogue

_EXTENSION = "guide.catalogue"


def init_app(app: Flask) -> None:
    """Load the catalogue once and register the language choice, assets and blueprints."""
    reload_catalogue(app)

    # Imported for their tables, created with the workspace's in the same database.
    from guide.listening import models  # noqa: F401
    from guide.web import assets, i18n, offline, security, sizes
    from guide.web.admin import auth, signs, throttle
    from guide.web.admin import views as admin
    from guide.web.maps import api
    from guide.web.maps import views as maps
    from guide.web.public import media
    from guide.web.public import views as public
    from guide.web.tours import api as tours
    from guide.web.tours import pages as tour_pages
    from guide.workspace import db

    db.init_app(app)
    security.init_app(app)
    sizes.init_app(app)
    i18n.init_app(app)
    assets.init_app(app)
    init_compression(app)
    media.check_cache_folder(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    throttle.init_app(app)
    admin.init_app(app)
    app.register_blueprint(media.bp)
    app.register_blueprint(offline.bp)
    app.register_blueprint(signs.bp)
    # Planning a tour changes nothing on the server and needs no sign-in, so the
    # JSON API takes requests from any page without a CSRF token.
    security.csrf.exempt(tours.bp)
    app.register_blueprint(tours.bp)
    app.register_blueprint(tour_pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(maps.bp)
    # After every blueprint: each public page gets an address per further language.
    i18n.add_language_paths(app)

    app.jinja_env.filters["localized"] = localized
    app.context_processor(lambda: {"catalogue": get_catalogue()})


def init_compression(app: Flask) -> None:
    """Compress text responses (pages, CSS, JS, JSON) for clients that accept it.

    Pages and assets are small text, and visitors are often on a weak mobile
    signal: gzip or Brotli makes a story page about a quarter of its size.
    """
    from flask_compress import Compress

    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip", "br"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_MIMETYPES", list(COMPRESSED_TYPES))
    Compress(app)


COMPRESSED_TYPES = (
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "application/manifest+json",
    "application/gpx+xml",
    "image/svg+xml",
)


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


def localized(texts: Mapping[str, str] | None, language: str | None = None) -> str:
    """Return the text for the page's language from a {language: text} mapping.

    Falls back to the catalogue's first language, then to any text there is.
    """
    if not texts:
        return ""
    from guide.web.i18n import available_languages, select_language

    language = language or select_language()
    default = available_languages()[0]
    return texts.get(language) or texts.get(default) or next(iter(texts.values()), "")


def conditional(body: str | bytes, mimetype: str = "text/html") -> Response:
    """Return ``body`` with an ETag, answering a matching If-None-Match with 304."""
    response = make_response(body)
    response.mimetype = mimetype
    response.add_etag()
    return response.make_conditional(request)
