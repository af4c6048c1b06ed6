"""Red Addresses Guide: a geo-tagged guide to heritage sites, built on a catalogue of files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from guide import settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "templates"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the guide's Flask application.

    Settings come from ``guide.settings`` (defaults, then ``GUIDE_*`` environment
    variables), then the instance folder's ``config.py`` unless testing, then
    ``test_config``.
    """
    if not TEMPLATES.is_dir():
        raise RuntimeError(
            f"templates not found at {TEMPLATES}: install the guide from its source folder "
            "with `pip install -e .`"
        )
    # static_folder=None: guide.web.assets serves /static/ with content hashes; Flask's
    # own static route would otherwise shadow it.
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=None,
        instance_relative_config=True,
    )
    app.config.from_mapping(settings.resolve())
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    from guide import web

    web.init_app(app)
    return app
