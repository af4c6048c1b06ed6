"""The staff workspace under ``/admin/``: sign-in, editing, media, bulk import and signs."""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet
from flask import Flask
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from guide.render.markdown import render_markdown
from guide.web.admin.common import bp
from guide.web.admin.errors import csrf_error
from guide.web.assets import register_root
from guide.workspace.accounts import may_edit_area

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the workspace, its error pages, upload limits and the Leaflet assets."""
    # The modules below add their views and error pages to bp. Imported here, not
    # above: pages outside the workspace import its common parts without its views.
    from guide.web.admin import (  # noqa: F401
        api,
        audit,
        editor,
        errors,
        history,
        imports,
        inscriptions,
        media,
        sites,
        uploads,
    )

    register_root("leaflet", Path(xstatic.pkg.leaflet.BASE_DIR))
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        # Flask's own default is None (no limit), so setdefault would never set it.
        app.config["MAX_CONTENT_LENGTH"] = (
            max(app.config["GUIDE_PHOTO_MAX_BYTES"], app.config["GUIDE_AUDIO_MAX_BYTES"])
            + 1_000_000
        )
    app.register_blueprint(bp)
    app.register_error_handler(CSRFError, csrf_error)
    inscriptions.init_app(app)

    app.jinja_env.globals["render_markdown"] = render_markdown
    app.jinja_env.globals["may_edit_area"] = lambda area: may_edit_area(current_user, area)
