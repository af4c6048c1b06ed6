"""Parse the TOML of site files quickly, with exactly the values and errors of ``tomllib``.

``rtoml`` (a compiled parser) reads a ``site.toml`` about nine times faster than
``tomllib``, which is most of a first load of a large catalogue. It follows TOML 1.1,
which also accepts what TOML 1.0 (``tomllib``) refuses: inline tables over several
lines or with a trailing comma, the escapes ``\\e`` and ``\\xHH``, times without
seconds; and its dates and times carry time zones of another class. So ``rtoml``
parses only a text that cannot hold any of those: one without those escapes, whose
every line with a ``{`` is a whole one-line table of texts, and whose values hold no
date or time. Any other text, and any text ``rtoml`` refuses, is parsed by
``tomllib``: the values are always ``tomllib``'s, and every error is ``tomllib``'s,
with its message, line and column. Without ``rtoml`` installed, ``tomllib`` parses
everything. Nothing here imports Flask.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from typing import Any

try:
    import rtoml
except ImportError:  # the guide works without it, only slower on a large catalogue
    rtoml = None

TOMLError = tomllib.TOMLDecodeError
_TIMES = (datetime.date, datetime.time)  # datetime.datetime is a date
# Every date holds YYYY-MM-DD and every time HH:MM: a text without either holds none,
# and its values need no search.
_MAYBE_TIMES = re.compile(r"\d{4}-\d\d-\d\d|\d\d:\d\d")
# Escapes TOML 1.1 added (in a literal string they are plain text: tomllib then parses it).
_NEW_ESCAPES = re.compile(r"\\[ex]")
_BRACE_LINE = re.compile(r"^.*\{.*$", re.M)
# A one-line inline table of texts, as TOML 1.0 writes it: keys, basic strings, no
# trailing comma. A line with a "{" that is not one is left to tomllib.
_KEY = r"(?:[A-Za-z0-9_-]+|\"[^\"\\\n]*\")"
_TEXT = r"\"(?:[^\"\\\x00-\x08\x0a-\x1f\x7f]|\\[\"\\bfnrt]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*\""
_PAIR = rf"{_KEY}[ \t]*=[ \t]*{_TEXT}"
_TEXT_TABLE = re.compile(
    rf"[ \t]*{_KEY}[ \t]*=[ \t]*\{{[ \t]*(?:{_PAIR}[ \t]*(?:,[ \t]*{_PAIR}[ \t]*)*)?\}}[ \t]*"
)


def _has_times(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_times(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_times(item) for item in value)
    return isinstance(value, _TIMES)


def _plain_toml(text: str) -> bool:
    """Return whether ``text`` holds nothing that TOML 1.0 and 1.1 would read differently."""
    if _NEW_ESCAPES.search(text):
        return False
    return "{" not in text or all(_TEXT_TABLE.fullmatch(line) for line in _BRACE_LINE.findall(text))


def loads(text: str) -> dict[str, Any]:
    """Return the tables of a TOML text as ``tomllib.loads`` does; raise ``TOMLError``."""
    if rtoml is not None and _plain_toml(text):
        try:
            data = rtoml.loads(text)
        except Exception:  # any refusal: tomllib then says what is wrong, and where
            data = None
        if isinstance(data, dict) and not (_MAYBE_TIMES.search(text) and _has_times(data)):
            return data
    return tomllib.loads(text)
