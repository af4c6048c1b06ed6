"""Working without a signal: the web app manifest, the service worker and the offline page.

The service worker (``/sw.js``, served from the top so that it may control
every page) keeps the story pages a visitor has opened, the passport and the
files they use, and answers from them when the network fails. Its text names
the current asset URLs, so a new release changes the worker and browsers pick
it up.
"""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, render_template, url_for

from guide.web.assets import asset_url
from guide.web.i18n import available_languages, html_lang, select_language
from guide.web.language_paths import path_segment
from guide.web.loaded import get_catalogue
from guide.web.responses import conditional

bp = Blueprint("offline", __name__)

# Assets every page uses: kept when the worker is installed.
CORE_ASSETS = ("guide.css", "guide.js", "icon.svg")
THEME_COLOUR = "#a4161a"


def _no_cache(response: Response) -> Response:
    response.cache_control.no_cache = True
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """Describe the guide as an installable web app, in the visitor's language."""
    catalogue = get_catalogue()
    language = select_language()
    title = catalogue.config.title
    name = title.get(language) or next(iter(title.values()), "Red Addresses")
    data = {
        "name": name,
        "short_name": name if len(name) <= 18 else name.split()[0] + " " + name.split()[-1],
        "lang": html_lang(language),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": asset_url("icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    body = json.dumps(data, ensure_ascii=False, indent=1)
    return _no_cache(conditional(body, "application/manifest+json"))


def worker_script() -> str:
    """Return the service worker's JavaScript with the current asset and page URLs."""
    core = [asset_url(name) for name in CORE_ASSETS]
    pages = [url_for("offline.offline_page"), url_for("public.passport")]
    version = hashlib.sha256(json.dumps([core, pages]).encode()).hexdigest()[:10]
    return render_template(
        "offline/sw.js",
        version=version,
        core_json=json.dumps(core),
        pages_json=json.dumps(pages),
        offline_url=json.dumps(url_for("offline.offline_page")),
        prefixes_json=json.dumps(["/" + path_segment(code) for code in available_languages()[1:]]),
    )


@bp.get("/sw.js")
def service_worker() -> Response:
    """Serve the service worker; browsers check it for updates on each visit."""
    return _no_cache(conditional(worker_script(), "text/javascript"))


@bp.get("/offline")
def offline_page() -> Response:
    """Show what to do without a signal (the worker answers with this page offline)."""
    return _no_cache(conditional(render_template("offline/offline.html")))
