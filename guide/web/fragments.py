"""Parts of a page that every page of a language shows alike, rendered once per language.

The header's brand and menu and the footer are the same on every page in a
language, yet each page rendered them again: a dozen translations and addresses.
``kept_fragment`` renders such a template once per catalogue, language and
application root and gives the page the kept HTML. Only templates that depend on
nothing else may be kept: nothing of the request (no nonce, no link to the page
itself, such as the language switcher's) and nothing of the page.
"""

from __future__ import annotations

from collections.abc import Hashable
from weakref import WeakKeyDictionary

from flask import Flask, render_template
from flask.globals import _cv_app, _cv_request
from flask_babel import get_locale
from markupsafe import Markup

from guide.catalogue.index import Catalogue
from guide.web.i18n import select_language
from guide.web.loaded import get_catalogue

# A reloaded catalogue (after an edit) starts afresh: its title or sources may have changed.
_STORES: WeakKeyDictionary[Catalogue, dict[Hashable, Markup]] = WeakKeyDictionary()


def kept_fragment(name: str) -> Markup:
    """Return the template ``name`` rendered in the page's language, rendering it the first time.

    The key holds what such a template may depend on: the catalogue, the
    language (of its translations and of its links), whether the page's
    language is in its path (the links then follow it; a staff page's
    ``?lang=`` does not) and the application's root (its links start with it).
    """
    catalogue = get_catalogue()
    request_context = _cv_request.get(None)
    if request_context is None:
        return Markup(render_template(name))
    in_path = bool(_cv_app.get().g.__dict__.get("path_language"))
    # The translations' locale too: inside a force_locale block it is not the page's language.
    locale = str(get_locale())
    key = (name, locale, select_language(), in_path, request_context.request.script_root)
    store = _STORES.get(catalogue)
    if store is None:
        store = _STORES[catalogue] = {}
    fragment = store.get(key)
    if fragment is None:
        fragment = store[key] = Markup(render_template(name))
    return fragment


def init_app(app: Flask) -> None:
    """Give templates ``kept_fragment``."""
    app.jinja_env.globals["kept_fragment"] = kept_fragment
