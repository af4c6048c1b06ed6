"""Interface languages: Vietnamese first, English second, more by adding a translation file.

The language of a page is ``?lang=`` when given (and then remembered in a
cookie), else the remembered choice, else the browser's Accept-Language, else
Vietnamese. Interface text goes through Flask-Babel; catalogues live in
``guide/translations/<lang>/LC_MESSAGES/messages.po`` (compiled ``.mo`` beside).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, g, request
from flask_babel import Babel, gettext

from guide.messages import Message, MessageError

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGE_COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600


def available_languages() -> tuple[str, ...]:
    """Return the catalogue's languages, the first being the default."""
    from guide.web import get_catalogue

    return get_catalogue().config.languages


def select_language() -> str:
    """Return the language of the current request."""
    if "language" in g:
        return g.language
    languages = available_languages()
    asked = request.args.get("lang", "")
    remembered = request.cookies.get(LANGUAGE_COOKIE, "")
    if asked in languages:
        chosen = asked
    elif remembered in languages:
        chosen = remembered
    else:
        chosen = request.accept_languages.best_match(languages) or languages[0]
    g.language = chosen
    return chosen


def remember_language(response: Response) -> Response:
    """Keep a language chosen with ``?lang=`` in a cookie for later pages."""
    asked = request.args.get("lang", "")
    if asked and asked in available_languages() and request.cookies.get(LANGUAGE_COOKIE) != asked:
        response.set_cookie(LANGUAGE_COOKIE, asked, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


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
    app.jinja_env.filters["translated"] = translated
