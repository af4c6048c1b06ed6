"""Public pages carry their language in the path: ``/sites/x`` Vietnamese, ``/en/sites/x`` English.

A static host cannot choose content by query string or header, so the server
uses the same addresses and a page is the same file in both modes. The first
language keeps the bare paths, each further one gets its prefix. Every
``url_for`` of a public page made while rendering a page in a language yields
that language's path (``url_defaults``); an old ``?lang=`` link is redirected
(301) to its path. Staff pages keep ``?lang=`` (``guide.web.i18n``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Request, Response, g, has_request_context, redirect, request, url_for
from flask.globals import _cv_app, _cv_request
from werkzeug.routing import BaseConverter, Map, Rule

from guide.web.i18n import (
    asked_language,
    available_languages,
    endonym,
    html_lang,
    select_language,
)

# Addresses kept by ``page_url``: enough for every page of a large catalogue in
# every language, forgotten all at once beyond that.
MAX_KEPT_URLS = 200_000

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
        "tour_pages.tour_print",
        "tour_pages.tour_gpx",
        "tour_pages.tour_geojson",
        "tour_pages.planner",
        "tour_pages.print_plan",
        "offline.offline_page",
        "offline.manifest",
    }
)


def path_segment(code: str) -> str:
    """Return the path prefix of a language code: lower case, BCP 47 hyphen.

    >>> path_segment("en"), path_segment("zh_Hans")
    ('en', 'zh-hans')
    """
    return code.replace("_", "-").lower()


_KEPT = "guide.page_urls"
# Set on an app whose public pages carry their language in the path (more than one language).
_PATHS = "guide.language_paths"


def page_url(endpoint: str, **values: Any) -> str:
    """Return ``url_for(endpoint, **values)``, kept for the next page that asks the same.

    A page asks for a few dozen addresses, most of them the same on every page
    of its language (the menu, the passport) or on the pages of a few sites.
    What an address depends on is the key: the endpoint and values in their
    order (they order the query string), the page's language when the endpoint
    is a public page (``give_language``) and the application's root. Relative
    endpoints (".x"), options ("_external"...) and calls outside a request are
    passed to ``url_for`` as they are.
    """
    request_context = _cv_request.get(None)
    if request_context is None or endpoint[:1] == "." or any(k[:1] == "_" for k in values):
        return url_for(endpoint, **values)
    language = None
    items: Any = values.items()
    if endpoint in PUBLIC_ENDPOINTS:
        if "lang" in values and _PATHS in request_context.app.extensions:
            # The language of a public page is in its path, never in its query: the
            # same key as the page's own language gives (a story's alternates, its
            # language switcher and the links to it from other pages in that language).
            language = values["lang"]
            items = [item for item in items if item[0] != "lang"]
        else:
            state = _cv_app.get().g.__dict__
            if state.get("path_language"):
                language = state.get("language")
    # Each application its own: another catalogue may have other languages.
    kept = request_context.app.extensions.get(_KEPT)
    if kept is None:
        kept = request_context.app.extensions[_KEPT] = {}
    try:
        key = (request_context.url_adapter.script_name, endpoint, language, *items)
        return kept[key]
    except TypeError:  # a value that cannot be a key (a list): built each time
        return url_for(endpoint, **values)
    except KeyError:
        pass
    address = url_for(endpoint, **values)
    if len(kept) >= MAX_KEPT_URLS:
        kept.clear()
    kept[key] = address
    return address


def language_url(code: str, page: Request | None = None) -> str:
    """Return this page in language ``code``: its path for a public page, else ``?lang=``."""
    # The request read through its proxy once: the switcher asks for every language.
    page = page or request._get_current_object()  # type: ignore[attr-defined]
    args = {key: value for key, value in page.args.items() if key != "lang"}
    endpoint = page.endpoint
    if endpoint == "public.home" and code == available_languages()[0]:
        # The bare root sends browsers elsewhere by Accept-Language: say this is a choice.
        return f"{url_for('public.home', lang=code)}?{urlencode({**args, 'lang': code})}"
    if endpoint in PUBLIC_ENDPOINTS:
        return page_url(endpoint, **(page.view_args or {}), **args, lang=code)
    return f"{page.path}?{urlencode({**args, 'lang': code})}"


@dataclass(frozen=True)
class LanguageLink:
    """One link of the language switcher: this page in another language."""

    code: str
    href: str
    lang: str
    name: str
    current: bool


def language_links() -> list[LanguageLink]:
    """Return the language switcher of the page being rendered, a link per interface language."""
    current = select_language()
    page = request._get_current_object()  # type: ignore[attr-defined]
    return [
        LanguageLink(
            code, language_url(code, page), html_lang(code), endonym(code), code == current
        )
        for code in available_languages()
    ]


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
    app.jinja_env.globals["language_path"] = path_segment
    app.jinja_env.globals["url_for"] = page_url
    app.jinja_env.globals["language_links"] = language_links
    with app.app_context():
        languages = available_languages()
    further = languages[1:]
    if not further:
        return
    url_map: Map = app.url_map
    url_map.converters["language"] = _language_converter(further)
    app.extensions[_PATHS] = further
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
        # Written either way: "zh_Hans" as the catalogue spells it, "zh-Hans" as HTML does.
        asked = asked_language(request.args.get("lang", ""), languages)
        if request.endpoint not in PUBLIC_ENDPOINTS or asked not in languages:
            return None
        if asked == g.language:
            return None
        args = {key: value for key, value in request.args.items() if key != "lang"}
        target = url_for(request.endpoint, **(request.view_args or {}), **args, lang=asked)
        return redirect(target, code=301)
