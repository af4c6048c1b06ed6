"""Interface languages: Vietnamese first, English second, more by adding a translation file.

Public pages carry their language in the path (``guide.web.language_paths``):
``/sites/dinh-chem`` is Vietnamese, ``/en/sites/dinh-chem`` English. Staff pages
take ``?lang=`` when given (and then remembered in a cookie), else the
remembered choice, else the first language of the browser's Accept-Language
list that the guide speaks, else Vietnamese; a page that chooses for the visitor
(a scanned plaque code, the bare root) does the same (:func:`preferred_language`).
The interface languages (``interface_languages`` in ``catalogue.toml``) may be
more than the narrative ones (``languages``): text not written in the reader's
language falls back to English, then Vietnamese (:func:`fallback_order`).
Interface text goes through Flask-Babel; catalogues live in
``guide/translations/<lang>/LC_MESSAGES/messages.po`` (compiled ``.mo`` beside).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Flask, Response, g, request
from flask.globals import _cv_app
from flask_babel import Babel, get_locale, get_translations, gettext
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from guide.messages import Message, MessageError
from guide.web.loaded import get_catalogue

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGE_COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600
# Each language named in itself, as the language switcher shows it; Babel's own
# names are used for the others ("中文 (简体)" is longer than readers expect).
ENDONYMS = {
    "vi": "Tiếng Việt",
    "en": "English",
    "zh_Hans": "中文",
    "zh": "中文",
    "ko": "한국어",
    "ja": "日本語",
    "fr": "Français",
}
# Where text missing in the reader's language is looked for next.
FALLBACK_LANGUAGES = ("en", "vi")


def available_languages() -> tuple[str, ...]:
    """Return the interface languages, the first being the default."""
    return get_catalogue().config.interface_languages


def fallback_order(language: str, written: Iterable[str] = ()) -> list[str]:
    """Return where to look for a text: the reader's language, English, Vietnamese, any other.

    >>> fallback_order("ja", ["vi", "en"])
    ['ja', 'en', 'vi']
    >>> fallback_order("vi", ["fr"])
    ['vi', 'en', 'fr']
    """
    order = [language, *FALLBACK_LANGUAGES, *written]
    return list(dict.fromkeys(order))


def endonym(code: str) -> str:
    """Return the name of the language ``code`` in that language ("Tiếng Việt", "日本語")."""
    if code in ENDONYMS:
        return ENDONYMS[code]
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def html_lang(code: str) -> str:
    """Return a language code as HTML's ``lang`` wants it (BCP 47): "zh_Hans" → "zh-Hans"."""
    return code.replace("_", "-")


# Chinese written in traditional characters: not served the simplified interface.
_TRADITIONAL_CHINESE = {"TW", "HK", "MO", "Hant"}


def browser_language(accept: Iterable[tuple[str, float]], languages: tuple[str, ...]) -> str:
    """Return the first interface language in the browser's preference list, else "".

    The list is walked in order of preference and each entry matched exactly,
    then by its language alone: "zh-CN, en;q=0.5" gives zh_Hans (Werkzeug's
    best_match would give en, an exact match further down the list).
    """
    for value, quality in accept:
        if quality <= 0 or value == "*":
            continue
        exact = asked_language(value, languages)
        if exact:
            return exact
        parts = value.replace("_", "-").split("-")
        primary, rest = parts[0].lower(), {part.upper() for part in parts[1:]}
        rest |= {part.title() for part in parts[1:] if len(part) == 4}
        if primary == "zh" and rest & _TRADITIONAL_CHINESE:
            continue
        for code in languages:
            if code.replace("-", "_").split("_")[0].lower() == primary:
                return code
    return ""


def asked_language(value: str, languages: tuple[str, ...]) -> str:
    """Return the interface language ``value`` names ("zh-Hans" or "zh_Hans"), else ""."""
    wanted = value.strip().replace("-", "_").lower()
    return next((code for code in languages if code.lower() == wanted), "")


def negotiate(accepted: Iterable[str], languages: tuple[str, ...]) -> str | None:
    """Return the first of ``languages`` the visitor accepts, in the visitor's order.

    ``accepted`` is the Accept-Language list (or ``navigator.languages``) from
    most to least wanted; guide.js applies the same rule on a static host.

    >>> negotiate(["de-DE", "de", "en-GB", "vi"], ("vi", "en"))
    'en'
    >>> negotiate(["zh-CN", "en"], ("vi", "en", "zh_Hans"))
    'zh_Hans'
    >>> negotiate(["de"], ("vi", "en")) is None
    True
    """
    return browser_language(((entry, 1.0) for entry in accepted), languages) or None


def preferred_language() -> str:
    """Return the visitor's language for a page that chooses for them (a plaque code).

    The explicit choice remembered in the cookie wins, then the Accept-Language
    list in order, then the first interface language.
    """
    languages = available_languages()
    remembered = asked_language(request.cookies.get(LANGUAGE_COOKIE, ""), languages)
    if remembered:
        return remembered
    return browser_language(request.accept_languages, languages) or languages[0]


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
    # The application context's ``g`` read directly: a page asks a few dozen times,
    # and each ``g`` through its proxy costs more than the answer.
    app_context = _cv_app.get(None)
    if app_context is not None:
        known = app_context.g.__dict__.get("language")
        if known is not None:
            return known
    elif "language" in g:  # outside any context: the proxy says so
        return g.language
    asked = asked_language(request.args.get("lang", ""), available_languages())
    chosen = asked or preferred_language()
    g.language = chosen
    return chosen


def remember_language(response: Response) -> Response:
    """Keep a language chosen with ``?lang=`` in a cookie for later pages."""
    asked = asked_language(request.args.get("lang", ""), available_languages())
    if asked and request.cookies.get(LANGUAGE_COOKIE) != asked:
        # Not HttpOnly: the language switcher's script writes the same cookie, and a
        # language preference is no secret.
        response.set_cookie(LANGUAGE_COOKIE, asked, max_age=ONE_YEAR, samesite="Lax")
    # A public page's language is its path, so its content varies with neither.
    if not g.get("path_language"):
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
    _install_template_gettext(app)
    app.jinja_env.globals["current_language"] = select_language
    app.jinja_env.globals["languages"] = available_languages
    app.jinja_env.globals["endonym"] = endonym
    app.jinja_env.filters["html_lang"] = html_lang
    app.jinja_env.filters["translated"] = translated


def _install_template_gettext(app: Flask) -> None:
    """Give templates gettext callables that find a locale's catalogue in one dictionary.

    Flask-Babel's own look the catalogue up through several context lookups on
    every call, and a page calls them dozens of times. Keyed by the locale, so a
    ``force_locale`` block still gets its own language.
    """
    by_locale: dict[Locale, object] = {}
    # The locale object of the latest call and its catalogue: a page asks for the same
    # one dozens of times, and comparing locales by value costs more than the lookup.
    latest: tuple[object, object] = (None, None)

    def catalogue():  # babel's Translations, or NullTranslations outside a request
        nonlocal latest
        # Flask-Babel keeps the request's locale (or a force_locale block's) on g;
        # read there without the proxies, else asked for (the first call of a request).
        app_context = _cv_app.get(None)
        state = app_context.g.__dict__.get("_flask_babel") if app_context is not None else None
        locale = getattr(state, "babel_locale", None) or get_locale()
        if locale is None:
            return get_translations()
        seen, found = latest
        if seen is locale:
            return found
        found = by_locale.get(locale)
        if found is None:
            found = by_locale[locale] = get_translations()
        latest = (locale, found)
        return found

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )

    @pass_eval_context
    def template_gettext(eval_context: EvalContext, message: str, **variables: Any) -> str:
        # What Jinja's newstyle gettext does, without its two further indirect calls,
        # and taking the evaluation context only: a function given the template's
        # context is given a copy of it inside every loop and block. Nothing is kept
        # on a context: a macro imported without context keeps its own from one
        # request to the next.
        text = catalogue().ugettext(message)
        if eval_context.autoescape:
            text = Markup(text)
        # Without values only "%%" changes: the text itself, unless it holds a "%".
        if not variables and "%" not in text:
            return text
        return text % variables

    @pass_eval_context
    def template_ngettext(
        eval_context: EvalContext, singular: str, plural: str, number: int, **variables: Any
    ) -> str:
        # Jinja's newstyle ngettext takes the whole context, copied inside every block.
        variables.setdefault("num", number)
        text = catalogue().ungettext(singular, plural, number)
        if eval_context.autoescape:
            text = Markup(text)
        return text % variables

    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = template_gettext
    app.jinja_env.globals["ngettext"] = template_ngettext
    app.extensions[_TRANSLATIONS] = catalogue


_TRANSLATIONS = "guide.translations"


def page_gettext(message: str, **variables: Any) -> str:
    """Return ``message`` translated like Flask-Babel's ``gettext``, from the templates' catalogue.

    For code that renders pages: Flask-Babel finds the catalogue through several
    context lookups on each call.
    """
    app_context = _cv_app.get(None)
    found = app_context.app.extensions.get(_TRANSLATIONS) if app_context is not None else None
    if found is None:
        return gettext(message, **variables)
    text = found().ugettext(message)
    return text % variables if variables else text


def localized(texts: Mapping[str, str] | None, language: str | None = None) -> str:
    """Return the text for the page's language from a {language: text} mapping.

    Falls back to English, then Vietnamese, then to any text there is.
    """
    if not texts:
        return ""
    language = language or select_language()
    return next((texts[code] for code in fallback_order(language, texts) if texts.get(code)), "")


def lang_attr(texts: Mapping[str, str] | None, language: str | None = None) -> Markup:
    """Return ` lang="…"` for the text ``localized`` shows when it is not in the page's language.

    A site's Vietnamese name on an English page is marked so that screen readers
    and browsers say it in Vietnamese.
    """
    if not texts:
        return Markup("")
    language = language or select_language()
    shown = next((code for code in fallback_order(language, texts) if texts.get(code)), language)
    return Markup("") if shown == language else Markup(' lang="%s"') % html_lang(shown)


def translated_table(table: Mapping[str, str]) -> dict[str, str]:
    """Return a table of message ids with each text in the page's language."""
    return {key: gettext(msgid) for key, msgid in table.items()}


def script_labels(table: Mapping[str, str]) -> dict[str, str]:
    """Return a page script's text in the page's language, with the number symbols it writes."""
    locale = get_locale()
    return {
        **translated_table(table),
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
    }
