"""Merge two people's edits of one site field by field, from the revision both started from.

A site's text files are read as fields: each top-level fact of ``site.toml``
(``kind``, ``address``, ``tags``...), the point (``lat`` and ``lon`` together),
the name in each language (``name.vi``) and the narrative in each language
(``story.en``). For each field, a change made by only one side is kept; a field
both sides changed to different values is a conflict the person must decide.
Empty values ("", [], a missing key) count as the same.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guide.catalogue.layout import SITE_FILE, story_name

POINT = "point"


def _story_text(text: str | None) -> str | None:
    """Return a narrative as a save writes it, or None when it is empty."""
    if text is None or not text.strip():
        return None
    return text.replace("\r\n", "\n").rstrip() + "\n"


def fields_of(files: Mapping[str, str | None], languages: Iterable[str]) -> dict[str, Any]:
    """Return {field: value} of a site's text files ({file name: text}).

    >>> fields = fields_of(
    ...     {"site.toml": 'kind = "đình"\\nlat = 21.0\\nlon = 105.8\\n[name]\\nvi = "Đình"\\n',
    ...      "story.vi.md": "Chuyện."}, ("vi", "en"))
    >>> fields == {"kind": "đình", "point": (21.0, 105.8), "name.vi": "Đình",
    ...            "story.vi": "Chuyện.\\n"}
    True
    """
    try:
        facts = tomllib.loads(files.get(SITE_FILE) or "")
    except tomllib.TOMLDecodeError:
        facts = {}
    found: dict[str, Any] = {}
    for key, value in facts.items():
        if key == "name" and isinstance(value, dict):
            found.update({f"name.{language}": text for language, text in value.items()})
        elif key not in ("lat", "lon"):
            found[key] = value
    if "lat" in facts or "lon" in facts:
        found[POINT] = (facts.get("lat"), facts.get("lon"))
    for language in languages:
        text = _story_text(files.get(story_name(language)))
        if text is not None:
            found[f"story.{language}"] = text
    return found


def normalized(value: Any) -> Any:
    """Return a value with empty parts removed, so that "" and a missing key compare equal.

    >>> normalized([{"url": "https://x.vn", "supports": ""}]) == [{"url": "https://x.vn"}]
    True
    >>> normalized("") is None and normalized([]) is None and normalized((None, None)) is None
    True
    """
    if isinstance(value, dict):
        kept = {key: normalized(item) for key, item in value.items()}
        kept = {key: item for key, item in kept.items() if item is not None}
        return kept or None
    if isinstance(value, list | tuple):
        items = [normalized(item) for item in value]
        if all(item is None for item in items):
            return None
        return items
    if value == "":
        return None
    return value


@dataclass
class Merge:
    """The outcome of merging: the fields to write and what each side changed."""

    fields: dict[str, Any]
    theirs_changed: list[str] = field(default_factory=list)
    mine_changed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def merge_fields(
    base: Mapping[str, Any], theirs: Mapping[str, Any], mine: Mapping[str, Any]
) -> Merge:
    """Merge ``mine`` into ``theirs``: only the fields changed since ``base`` are taken.

    A field both sides changed differently keeps ``mine`` for now and is listed
    in ``conflicts``.

    >>> result = merge_fields({"a": 1, "b": 1}, {"a": 2, "b": 1}, {"a": 1, "b": 3})
    >>> result.fields, result.conflicts
    ({'a': 2, 'b': 3}, [])
    >>> merge_fields({"a": 1}, {"a": 2}, {"a": 3}).conflicts
    ['a']
    """
    result = Merge({})
    keys = list(dict.fromkeys([*theirs, *mine, *base]))
    for key in keys:
        was, now, wanted = (normalized(side.get(key)) for side in (base, theirs, mine))
        if now != was:
            result.theirs_changed.append(key)
        if wanted not in (was, now):
            result.mine_changed.append(key)
        if wanted == was:
            source = theirs
        else:
            source = mine
            if now not in (was, wanted):
                result.conflicts.append(key)
        if key in source:
            result.fields[key] = source[key]
    return result


def facts_and_stories(
    fields: Mapping[str, Any], languages: Iterable[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the ``site.toml`` facts and {language: narrative} of a set of fields."""
    facts: dict[str, Any] = {}
    names: dict[str, str] = {}
    stories = {language: "" for language in languages}
    for key, value in fields.items():
        if key.startswith("name."):
            names[key.removeprefix("name.")] = value
        elif key.startswith("story."):
            stories[key.removeprefix("story.")] = value or ""
        elif key == POINT:
            lat, lon = value
            if lat is not None and lon is not None:
                facts["lat"], facts["lon"] = lat, lon
        else:
            facts[key] = value
    facts["name"] = names
    return facts, stories
