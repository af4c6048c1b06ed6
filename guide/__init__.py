"""Red Addresses Guide: a geo-tagged guide to heritage sites, built on a catalogue of files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from guide import settings

if TYPE_CHECKING:
    from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The source tree's templates/ (editable install), else the copy a wheel carries in the package.
TEMPLATE_FOLDERS = (PROJECT_ROOT / "templates", Path(__file__).resolve().parent / "templates")
TEMPLATES = next((folder for folder in TEMPLATE_FOLDERS if folder.is_dir()), TEMPLATE_FOLDERS[0])


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the guide's Flask application.

    Settings come from ``guide.settings.resolve``: defaults, then the instance
    folder's ``config.py`` (skipped when ``test_config`` sets TESTING), then
    ``GUIDE_*`` environment variables, then ``test_config`` (command-line flags).
    """
    if not TEMPLATES.is_dir():
        raise RuntimeError(
            f"templates not found in {' or '.join(map(str, TEMPLATE_FOLDERS))}: install the guide "
            "from its source folder (`pip install .` or `pip install -e .`) or from its wheel"
        )
    # static_folder=None: guide.web.assets serves /static/ itself, with hashed names.
    # Flask is imported here, not above, so the library (guide.catalogue, guide.tours...)
    # loads without the web framework.
    from flask import Flask

    testing = bool(test_config and test_config.get("TESTING"))
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=None,
        instance_path=str(settings.instance_folder()),
        instance_relative_config=True,
    )
    app.config.from_mapping(settings.resolve(test_config, instance=not testing))

    from guide import web

    web.init_app(app)
    return app
