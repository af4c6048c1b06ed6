"""Messages for people: English templates with named parameters, translated by the web pages.

The library modules (catalogue, checks, coords, media) know nothing of Flask or
of the reader's language. They phrase each message as an English template
marked with ``N_`` (so ``pybabel extract`` collects it) and the values that
fill it. The command line prints the English text; the staff workspace looks
the same template up in its translations and fills in the same values.

>>> text = Message.of(N_("%(slug)s is used twice"), slug="'dinh-chem'")
>>> str(text)
"'dinh-chem' is used twice"
>>> text.template, dict(text.params)
('%(slug)s is used twice', {'slug': "'dinh-chem'"})
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def N_(template: str) -> str:
    """Return ``template`` unchanged; mark it for the translation catalogues."""
    return template


@dataclass(frozen=True)
class Message:
    """A message: its English template (the translation id) and the values that fill it."""

    template: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, template: str, /, **params: object) -> Message:
        """Return the message of ``template`` filled with ``params`` (kept as text)."""
        return cls(template, tuple((name, str(value)) for name, value in params.items()))

    def __str__(self) -> str:
        """Return the English text."""
        return fill(self.template, dict(self.params))


def fill(template: str, params: dict[str, str]) -> str:
    """Return ``template`` with its ``%(name)s`` placeholders filled, as gettext does.

    Like Flask-Babel's ``gettext``, a template without values is left as it is.
    """
    return template % params if params else template


@cache
def _translations(language: str) -> NullTranslations:
    """Return the compiled catalogue of ``language`` (English templates when there is none)."""
    return Translations.load(str(TRANSLATIONS), [language])


def translate(message: Message | str, language: str) -> str:
    """Return ``message`` in ``language`` from the guide's catalogues, as the web pages show it.

    The command line and the signs use this; the web pages go through Flask-Babel,
    which reads the same catalogues. A template without a translation stays English.

    >>> translate(Message.of(N_("Starting point")), "vi")
    'Điểm xuất phát'
    """
    if isinstance(message, str):
        message = Message(message)
    text = _translations(language).gettext(message.template)
    return fill(text, dict(message.params))


class MessageError(ValueError):
    """An error whose message can be shown in the reader's language."""

    def __init__(self, template: str, /, **params: object) -> None:
        self.text = Message.of(template, **params)
        super().__init__(str(self.text))
