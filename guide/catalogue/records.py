"""Turn sites and problems into tuples of plain values and back, as a snapshot keeps them.

A record is what ``marshal`` or a class-refusing unpickler can carry: text, numbers,
tuples, lists and dicts. ``site_from_record(site_record(site), site.folder)`` gives the
site again. Nothing here imports Flask.
"""

from __future__ import annotations

import gc
import operator
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from guide.catalogue.model import Inscription, Media, Problem, Site, Source
from guide.catalogue.vocabulary import RankDetail


def plain_values(obj: Any) -> tuple[Any, ...]:
    """Return a dataclass's field values, in the order of its fields."""
    return tuple(getattr(obj, name) for name in obj.__dataclass_fields__)


# Site fields whose values are lists of small records, and the record each is made of.
_LISTS = {"sources": Source, "media": Media, "inscriptions": Inscription}
# Site fields that are one small record.
_RECORDS = {"rank_detail": RankDetail}
# Words thousands of sites share: interned, they are stored (and loaded) once.
_SHARED_WORDS = frozenset({"status", "kind", "rank", "ward", "area"})
# Every field of a site but its folder (a load sets it), in the dataclass's order: a field
# added to Site is kept without a change here (and the code's fingerprint voids old snapshots).
_FIELDS = tuple(name for name in Site.__dataclass_fields__ if name != "folder")
WIDTH = len(_FIELDS)


# Site fields that hold a list of their own: stored as tuples (every empty one is then the
# one empty tuple, stored and loaded once) and made lists again for each site.
_OWN_LISTS = frozenset(
    name for name, f in Site.__dataclass_fields__.items() if f.default_factory is list
)
# Equal tuples that many sites hold (their story languages): stored once.
_SHARED_TUPLES = frozenset({"story_languages"})
_TUPLES: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _plain(name: str, value: Any) -> Any:
    if name in _LISTS:
        return tuple(plain_values(item) for item in value)
    if name in _RECORDS:
        # Most sites have none: stored as None rather than a tuple per site.
        return None if value == _RECORDS[name]() else plain_values(value)
    if name in _OWN_LISTS:
        return tuple(value)
    if name in _SHARED_WORDS and isinstance(value, str):
        return sys.intern(value)
    if name in _SHARED_TUPLES and isinstance(value, tuple):
        return _TUPLES.setdefault(value, value)
    return value


# Where each list of records, each other list and the rank detail sit in a record, and where
# the folder goes among Site's arguments: a site is then made with one positional call.
_LIST_AT = tuple((_FIELDS.index(name), record) for name, record in _LISTS.items())
_OWN_LIST_AT = tuple(_FIELDS.index(name) for name in _FIELDS if name in _OWN_LISTS - set(_LISTS))
_RANK_AT = _FIELDS.index("rank_detail")
_FOLDER_AT = tuple(Site.__dataclass_fields__).index("folder")
# Most sites have no rank detail; the record is frozen, so they all share one.
_NO_RANK = RankDetail()


_GET_FIELDS = operator.attrgetter(*_FIELDS)
# The fields ``_plain`` changes: the others are stored as they are.
_PLAIN_AT = tuple(
    (at, name)
    for at, name in enumerate(_FIELDS)
    if name in _LISTS
    or name in _RECORDS
    or name in _OWN_LISTS
    or name in _SHARED_WORDS
    or name in _SHARED_TUPLES
)


def site_record(site: Site | None) -> tuple[Any, ...] | None:
    """Return a site as a tuple of plain values (its folder left out: a load sets it)."""
    if site is None:
        return None
    values = list(_GET_FIELDS(site))
    for at, name in _PLAIN_AT:
        values[at] = _plain(name, values[at])
    return tuple(values)


def site_from_record(record: tuple[Any, ...] | list[Any] | None, folder: Path | str) -> Site | None:
    """Return the site that ``site_record`` gave ``record`` for, in ``folder``.

    The values were validated when the record was made, so they are used as they are.
    """
    if record is None:
        return None
    if len(record) != WIDTH:
        raise ValueError(f"a site record has {len(record)} values, not {WIDTH}")
    site = sites_from_records(list(record), [0], [folder])[0]
    return site if isinstance(site, Site) else None


def sites_from_records(
    values: list[Any], spots: list[int | None], folders: list[str] | list[Path | str]
) -> list[Site | bool | None]:
    """Return the site of each record at ``spots`` in the flat ``values``, in ``folders``.

    The records are ``WIDTH`` values each, one after the other, as a snapshot keeps them;
    a spot of None gives None, a record without a site False. One loop with everything it
    needs at hand: a warm load makes tens of thousands of sites here.
    """
    width, own_lists, lists, rank_at, folder_at = (
        WIDTH,
        _OWN_LIST_AT,
        _LIST_AT,
        _RANK_AT,
        _FOLDER_AT,
    )
    no_rank, rank_detail, make = _NO_RANK, RankDetail, Site
    sites: list[Site | bool | None] = []
    append = sites.append
    for at, folder in zip(spots, folders, strict=True):
        if at is None:
            append(None)
            continue
        start = at * width
        args = values[start : start + width]
        if args[0] is None:
            append(False)
            continue
        for i in own_lists:
            args[i] = list(args[i])
        for i, kind in lists:
            items = args[i]
            args[i] = [kind(*item) for item in items] if items else []
        rank = args[rank_at]
        args[rank_at] = no_rank if rank is None else rank_detail(*rank)
        args.insert(folder_at, folder)
        append(make(*args))
    return sites


def problem_values(problems: list[Problem]) -> list[tuple[Any, ...]]:
    """Return problems as tuples of plain values (``Problem(*values)`` makes each again)."""
    return [plain_values(problem) for problem in problems]


@contextmanager
def no_collection() -> Iterator[None]:
    """Pause the cycle collector while tens of thousands of small containers are made.

    It would walk the growing heap again and again (most of a large load's time);
    what is made then holds no cycles, and anything else waits for the next collection.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
