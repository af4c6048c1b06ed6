"""Parse the TOML of site files quickly, with exactly the values and errors of ``tomllib``.

``rtoml`` (a compiled parser) reads a ``site.toml`` about nine times faster than
``tomllib``, which is most of a first load of a large catalogue. Its values are the
same plain ones (text, numbers, booleans, lists, tables) except for dates and times,
whose time zones are of another class: a text holding any of those, and any text
``rtoml`` refuses, is parsed by ``tomllib``, so the values are ``tomllib``'s and every
error is ``tomllib``'s, with its message, line and column. Without ``rtoml`` installed,
``tomllib`` parses everything. Nothing here imports Flask.
"""

from __future__ import annotations

import datetime
import tomllib
from typing import Any

try:
    import rtoml
except ImportError:  # the guide works without it, only slower on a large catalogue
    rtoml = None

TOMLError = tomllib.TOMLDecodeError
_TIMES = (datetime.date, datetime.time)  # datetime.datetime is a date


def _has_times(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_times(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_times(item) for item in value)
    return isinstance(value, _TIMES)


def loads(text: str) -> dict[str, Any]:
    """Return the tables of a TOML text as ``tomllib.loads`` does; raise ``TOMLError``."""
    if rtoml is not None:
        try:
            data = rtoml.loads(text)
        except Exception:  # any refusal: tomllib then says what is wrong, and where
            data = None
        if isinstance(data, dict) and not _has_times(data):
            return data
    return tomllib.loads(text)
