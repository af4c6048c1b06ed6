"""Interface languages: Vietnamese first, English second, more by adding a translation file.

Public pages carry their language in the path: ``/sites/dinh-chem`` is the
catalogue's first language (Vietnamese), ``/en/sites/dinh-chem`` English, one
prefix per further language. A static host cannot choose content by query
string or header, so the server uses the same addresses and a page is the same
file in both modes. Every ``url_for`` of a public page made while rendering a
page in a language yields that language's path (``url_defaults``); an old
``?lang=`` link is redirected to its path. Staff pages keep ``?lang=``, the
remembered choice (a cookie) and the browser's Accept-Language.

Where the server must choose for the visitor (a scanned plaque code), the
explicit choice remembered in the cookie wins, then the whole Accept-Language
list in order of preference (``negotiate``), then Vietnamese. Interface text
goes through Flask-Babel; catalogues live in
``guide/translations/<lang>/LC_MESSAGES/messages.po`` (compiled ``.mo`` beside).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, g, has_request_context, redirect, request, url_for
from flask_babel import Babel, gettext
from werkzeug.routing import BaseConverter, Map, Rule

from guide.messages import Message, MessageError

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGE_COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600

# Pages visitors read: each has an address per language. The API, assets, the
# service worker (it must sit at the top to control every page) and /admin do not.
PUBLIC_ENDPOINTS = frozenset(
    {
        "public.home",
        "public.search",
        "public.story",
        "public.passport",
        "maps.map_page",
        "tour_pages.index",
        "tour_pages.tour",
        "tour_pages.planner",
        "tour_pages.print_plan",
        "offline.offline_page",
        "offline.manifest",
    }
)


def available_languages() -> tuple[str, ...]:
    """Return the catalogue's languages, the first being the default."""
    from guide.web import get_catalogue

    return get_catalogue().config.languages


def path_segment(code: str) -> str:
    """Return the path prefix of a language code: lower case, BCP 47 hyphen.

    >>> path_segment("en"), path_segment("zh_Hans")
    ('en', 'zh-hans')
    """
    return code.replace("_", "-").lower()


def negotiate(accepted: Iterable[str], languages: tuple[str, ...]) -> str | None:
    """Return the first of ``languages`` the visitor accepts, in the visitor's order.

    ``accepted`` is the Accept-Language list (or ``navigator.languages``) from
    most to least wanted. Each entry is tried in turn, exactly and then by its
    primary subtag (``en-GB`` takes ``en``); Chinese in simplified script
    (``zh-CN``, ``zh-SG``, ``zh-Hans``) takes ``zh_Hans``. guide.js does the same.

    >>> negotiate(["de-DE", "de", "en-GB", "vi"], ("vi", "en"))
    'en'
    >>> negotiate(["zh-CN", "en"], ("vi", "en", "zh_Hans"))
    'zh_Hans'
    >>> negotiate(["de"], ("vi", "en")) is None
    True
    """
    by_tag = {path_segment(code): code for code in languages}
    by_primary: dict[str, str] = {}
    for code in languages:
        by_primary.setdefault(path_segment(code).split("-")[0], code)
    for entry in accepted:
        tag = path_segment(entry.strip())
        if not tag or tag == "*":
            continue
        if tag in by_tag:
            return by_tag[tag]
        primary = tag.split("-")[0]
        if primary == "zh" and "zh-hans" in by_tag and not re.search(r"-(hant|tw|hk|mo)\b", tag):
            return by_tag["zh-hans"]
        if primary in by_primary and primary != "zh":
            return by_primary[primary]
    return None


def preferred_language() -> str:
    """Return the visitor's language for a page that chooses for them (a plaque code).

    The explicit choice remembered in the cookie wins, then the Accept-Language
    list in order, then the catalogue's first language.
    """
    languages = available_languages()
    remembered = request.cookies.get(LANGUAGE_COOKIE, "")
    if remembered in languages:
        return remembered
    accepted = [value for value, _quality in request.accept_languages]
    return negotiate(accepted, languages) or languages[0]


def root_language() -> str | None:
    """Return the language the bare root ``/`` should send the visitor to, or None to stay.

    Only ``/`` with no ``?lang=`` chooses: the remembered choice, else the
    Accept-Language list; None when that is the first language (the root itself).
    """
    languages = available_languages()
    if request.path != "/" or "lang" in request.args or g.get("language") != languages[0]:
        return None
    wanted = preferred_language()
    return wanted if wanted != languages[0] else None


def select_language() -> str:
    """Return the language of the current request.

    A public page's language is its path; elsewhere ``?lang=``, then the
    remembered choice, then the visitor's preference.
    """
    if "language" in g:
        return g.language
    languages = available_languages()
    asked = request.args.get("lang", "")
    chosen = asked if asked in languages else preferred_language()
    g.language = chosen
    return chosen


def remember_language(response: Response) -> Response:
    """Keep a language chosen with ``?lang=`` in a cookie for later pages."""
    asked = request.args.get("lang", "")
    if asked and asked in available_languages() and request.cookies.get(LANGUAGE_COOKIE) != asked:
        # Not HttpOnly: the language switcher's script writes the same cookie, and a
        # language preference is no secret.
        response.set_cookie(LANGUAGE_COOKIE, asked, max_age=ONE_YEAR, samesite="Lax")
    # A public page's language is its path, so its content varies with neither.
    if not g.get("path_language"):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def language_url(code: str) -> str:
    """Return this page in language ``code``: its path for a public page, else ``?lang=``."""
    args = {key: value for key, value in request.args.items() if key != "lang"}
    if request.endpoint == "public.home" and code == available_languages()[0]:
        # The bare root sends browsers elsewhere by Accept-Language: say this is a choice.
        return f"{url_for('public.home', lang=code)}?{urlencode({**args, 'lang': code})}"
    if request.endpoint in PUBLIC_ENDPOINTS:
        return url_for(request.endpoint, **(request.view_args or {}), **args, lang=code)
    return f"{request.path}?{urlencode({**args, 'lang': code})}"


def _language_converter(languages: tuple[str, ...]) -> type[BaseConverter]:
    """Return a URL converter that matches the path prefixes of ``languages`` only."""
    segments = {path_segment(code): code for code in languages}

    class LanguageConverter(BaseConverter):
        regex = "(?:" + "|".join(re.escape(s) for s in sorted(segments, reverse=True)) + ")"

        def to_python(self, value: str) -> str:
            return segments[value]

        def to_url(self, value: str) -> str:
            return path_segment(value)

    return LanguageConverter


def add_language_paths(app: Flask) -> None:
    """Give every public page an address per further language: ``/<lang>`` + its path.

    Call after the blueprints are registered. The first language keeps the bare
    paths. werkzeug builds with the rule that uses the most given values, so
    ``url_for(..., lang="en")`` yields the prefixed path and no ``lang`` the bare one.
    """
    with app.app_context():
        languages = available_languages()
    further = languages[1:]
    if not further:
        return
    url_map: Map = app.url_map
    url_map.converters["language"] = _language_converter(further)
    for rule in list(url_map.iter_rules()):
        if rule.endpoint not in PUBLIC_ENDPOINTS:
            continue
        path = "/<language:lang>" + (rule.rule if rule.rule != "/" else "/")
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        url_map.add(Rule(path, endpoint=rule.endpoint, methods=methods))

    @app.url_value_preprocessor
    def take_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if endpoint not in PUBLIC_ENDPOINTS:
            return
        g.language = (values or {}).pop("lang", None) or languages[0]
        g.path_language = True

    @app.url_defaults
    def give_language(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint not in PUBLIC_ENDPOINTS:
            return
        if "lang" not in values and has_request_context() and g.get("path_language"):
            values["lang"] = g.language
        if values.get("lang") not in further:
            values.pop("lang", None)

    @app.before_request
    def redirect_old_language_links() -> Response | None:
        """Send ``/sites/x?lang=en`` (links made before languages had paths) to ``/en/sites/x``."""
        asked = request.args.get("lang")
        if request.endpoint not in PUBLIC_ENDPOINTS or asked not in languages:
            return None
        if asked == g.language:
            return None
        args = {key: value for key, value in request.args.items() if key != "lang"}
        target = url_for(request.endpoint, **(request.view_args or {}), **args, lang=asked)
        return redirect(target, code=301)


def translated(item: object) -> str:
    """Return a message of the library (a Problem, Message or MessageError) in the page's language.

    The message's English template is looked up in the translations and filled
    with the message's own values; anything else is shown as it is.
    """
    if isinstance(item, MessageError):
        item = item.text
    template = getattr(item, "template", "")
    if not template:
        return str(getattr(item, "message", item))
    params = item.params if isinstance(item, Message) else getattr(item, "params", ())
    return gettext(template, **dict(params))


def init_app(app: Flask) -> None:
    """Attach Flask-Babel with the guide's language choice to ``app``."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "vi")
    Babel(app, locale_selector=select_language)
    app.after_request(remember_language)
    app.jinja_env.globals["current_language"] = select_language
    app.jinja_env.globals["languages"] = available_languages
    app.jinja_env.globals["language_path"] = path_segment
    app.jinja_env.filters["translated"] = translated
