"""The web side of the guide: the loaded catalogue and the blueprints that serve it."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from guide.web.addresses import server_url

# Re-exported: code outside the page families may keep reading the catalogue from here.
from guide.web.i18n import lang_attr, localized
from guide.web.loaded import get_catalogue, reload_catalogue

__all__ = ["get_catalogue", "init_app", "localized", "reload_catalogue"]


def init_app(app: Flask) -> None:
    """Load the catalogue once and register the language choice, assets and blueprints."""
    reload_catalogue(app)

    from guide.listening import scans
    from guide.web import (
        admin,
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
    from guide.web.admin import auth, signs, throttle
    from guide.web.listening import arrivals as listening_arrivals
    from guide.web.listening import feedback as listening_feedback
    from guide.web.listening import plaques as listening_plaques
    from guide.web.listening import reach as listening_reach
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
    app.register_blueprint(auth.bp)
    throttle.init_app(app)
    admin.init_app(app)
    app.register_blueprint(offline.bp)
    app.register_blueprint(signs.bp)
    tours.init_app(app)
    maps.init_app(app)
    listening_feedback.init_app(app)
    app.register_blueprint(listening_reach.bp)
    listening_plaques.init_app(app)
    vocabulary_labels.init_app(app)
    listening_arrivals.init_app(app)
    # After every blueprint: each public page gets an address per further language.
    language_paths.add_language_paths(app)

    init_template_cache(app)
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["lang_attr"] = lang_attr
    app.jinja_env.globals["server_url"] = server_url
    app.context_processor(lambda: {"catalogue": get_catalogue()})


def init_template_cache(app: Flask) -> None:
    """Keep the compiled templates in the instance folder, for the next start of the server.

    Compiling the story page's templates is most of the first page a server sends;
    Jinja recompiles a template whose source changed (the cache is keyed by it).
    Tests and exports (TESTING) leave nothing in an instance folder.
    """
    if app.testing:
        return
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.instance_path) / "template-cache"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        app.logger.warning("templates compiled at every start: %s", error)
        return
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(folder))


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
