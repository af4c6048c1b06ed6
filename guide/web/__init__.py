"""The web side of the guide: the loaded catalogue and the blueprints that serve it."""

from __future__ import annotations

from flask import Flask

from guide.web.addresses import STATIC_EXPORT, server_url

# Re-exported: code outside the page families may keep reading the catalogue from here.
from guide.web.i18n import lang_attr, localized
from guide.web.loaded import get_catalogue, reload_catalogue
from guide.web.template_cache import init_template_cache

__all__ = ["get_catalogue", "init_app", "localized", "reload_catalogue"]


def init_app(app: Flask) -> None:
    """Load the catalogue once and register the language choice, assets and blueprints."""
    reload_catalogue(app)

    from guide.listening import scans
    from guide.web import (
        assets,
        fragments,
        i18n,
        language_paths,
        maps,
        offline,
        public,
        security,
        sizes,
        tours,
    )
    from guide.web import vocabulary as vocabulary_labels
    from guide.web.admin import signs
    from guide.web.listening import arrivals as listening_arrivals
    from guide.web.listening import feedback as listening_feedback
    from guide.workspace import database

    # SQLAlchemy is imported, and the tables made, when a request first needs them.
    database.init_app(app)
    scans.init_app(app)
    security.init_app(app)
    sizes.init_app(app)
    i18n.init_app(app)
    fragments.init_app(app)
    assets.init_app(app)
    init_compression(app)
    public.init_app(app)
    # A static export signs no one in: its app leaves the workspace's pages out.
    staff = not app.config.get(STATIC_EXPORT)
    if staff:
        init_workspace(app)
    app.register_blueprint(offline.bp)
    app.register_blueprint(signs.bp)
    tours.init_app(app)
    maps.init_app(app)
    listening_feedback.init_app(app)
    if staff:
        init_listening_staff(app)
    vocabulary_labels.init_app(app)
    listening_arrivals.init_app(app)
    # After every blueprint: each public page gets an address per further language.
    language_paths.add_language_paths(app)

    init_template_cache(app)
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["lang_attr"] = lang_attr
    app.jinja_env.globals["server_url"] = server_url
    app.context_processor(lambda: {"catalogue": get_catalogue()})


def init_workspace(app: Flask) -> None:
    """Register the staff workspace: sign-in (with its limits) and the editing pages."""
    from guide.web import admin
    from guide.web.admin import auth, throttle

    app.register_blueprint(auth.bp)
    throttle.init_app(app)
    admin.init_app(app)


def init_listening_staff(app: Flask) -> None:
    """Register the listening half's staff pages: reach figures and the plaque register."""
    from guide.web.listening import plaques, reach

    app.register_blueprint(reach.bp)
    plaques.init_app(app)


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
