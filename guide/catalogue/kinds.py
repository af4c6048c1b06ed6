"""Kinds and ranks of sites: the marker groups of free-text kinds and levels of recognition.

A site's kind and rank are free text in the catalogue; these read them into a few
families that the map draws, the legend names and every site filter understands.
Labels are message ids (``N_``) that the web layer translates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from guide.catalogue.model import Site
from guide.catalogue.text import fold
from guide.messages import N_


@dataclass(frozen=True)
class KindGroup:
    """A family of site kinds drawn with one marker style and named in the legend."""

    id: str
    label: str
    colour: str
    shape: str
    words: tuple[str, ...]


# Kinds are free text in the catalogue ("đền – chùa", "tượng đài / di tích cách
# mạng"); a kind belongs to the group whose words occur first in it.
KIND_GROUPS: tuple[KindGroup, ...] = (
    KindGroup("communal-house", N_("Communal house"), "#d55e00", "circle", ("dinh",)),
    KindGroup("temple", N_("Temple or shrine"), "#a4161a", "square", ("den", "mieu")),
    KindGroup("pagoda", N_("Pagoda"), "#e69f00", "diamond", ("chua",)),
    KindGroup("museum", N_("Museum"), "#0072b2", "square", ("bao tang",)),
    KindGroup(
        "memorial",
        N_("Memorial or monument"),
        "#009e73",
        "diamond",
        ("tuong niem", "tuong dai", "bia"),
    ),
    KindGroup(
        "revolutionary",
        N_("Revolutionary site"),
        "#cc79a7",
        "circle",
        ("cach mang", "nha luu niem", "nha tu"),
    ),
    KindGroup("archaeological", N_("Archaeological site"), "#8c510a", "diamond", ("khao co",)),
    KindGroup("architecture", N_("Architecture"), "#56b4e9", "circle", ("kien truc",)),
    KindGroup("other", N_("Other heritage site"), "#555555", "square", ()),
)
_GROUPS_BY_ID = {group.id: group for group in KIND_GROUPS}


@dataclass(frozen=True)
class RankLevel:
    """A level of official recognition, read from a site's free-text rank."""

    id: str
    label: str
    words: tuple[str, ...]


RANK_LEVELS: tuple[RankLevel, ...] = (
    RankLevel(
        "special-national",
        N_("Special national relic (or part of one)"),
        ("quoc gia dac biet", "dtqgdb"),
    ),
    RankLevel("national", N_("National relic"), ("quoc gia",)),
    RankLevel("city", N_("City relic"), ("thanh pho", "cap tinh")),
    RankLevel("other", N_("Other recognition"), ()),
    RankLevel("unranked", N_("No rank stated"), ()),
)
_LEVELS_BY_ID = {level.id: level for level in RANK_LEVELS}
_WORDS = re.compile(r"[a-z0-9]+")


def _words(text: str) -> str:
    return " " + " ".join(_WORDS.findall(fold(text))) + " "


@lru_cache(maxsize=1024)
def kind_group(kind: str) -> str:
    """Return the id of the marker group of a free-text kind.

    >>> kind_group("đình"), kind_group("đền – chùa"), kind_group("bảo tàng / địa chỉ đỏ")
    ('communal-house', 'temple', 'museum')
    >>> kind_group("tượng đài / di tích cách mạng"), kind_group("làng cổ / cụm di tích")
    ('memorial', 'other')
    """
    text = _words(kind)
    best, best_at = "other", len(text)
    for group in KIND_GROUPS:
        for word in group.words:
            at = text.find(f" {word} ")
            if 0 <= at < best_at:
                best, best_at = group.id, at
    return best


@lru_cache(maxsize=1024)
def rank_level(rank: str) -> str:
    """Return the id of the recognition level of a free-text rank.

    >>> rank_level("Di tích quốc gia đặc biệt (Đợt 8, 2017)"), rank_level("Thuộc DTQGĐB Cổ Loa")
    ('special-national', 'special-national')
    >>> rank_level("Di tích lịch sử quốc gia (1979)"), rank_level(""), rank_level("UNESCO")
    ('national', 'unranked', 'other')
    """
    if not rank.strip():
        return "unranked"
    text = _words(rank)
    for level in RANK_LEVELS:
        if any(f" {word} " in text for word in level.words):
            return level.id
    return "other"


def group_of(group_id: str) -> KindGroup | None:
    """Return the kind group with this id, or None."""
    return _GROUPS_BY_ID.get(group_id)


def level_of(level_id: str) -> RankLevel | None:
    """Return the rank level with this id, or None."""
    return _LEVELS_BY_ID.get(level_id)


def matches_kind(site: Site, kind: str) -> bool:
    """Return whether ``kind`` (a kind as written, or a group id) describes the site."""
    return fold(site.kind) == fold(kind) or kind_group(site.kind) == kind


def matches_rank(site: Site, rank: str) -> bool:
    """Return whether ``rank`` (a level id, or words of the rank) describes the site."""
    if rank in _LEVELS_BY_ID:
        return rank_level(site.rank) == rank
    return bool(fold(rank)) and fold(rank) in fold(site.rank)
