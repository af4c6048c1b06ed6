"""Kinds and ranks of sites: match a reader's words against the catalogue's vocabulary.

A site's kind and rank are ids of the vocabulary in ``catalogue.toml``
(``guide.catalogue.vocabulary``); the map draws one marker style per kind and
every site filter accepts a kind or rank by its id or by its label in any language.

>>> from guide.catalogue.vocabulary import Term, Vocabulary
>>> words = Vocabulary(kinds=(Term("pagoda", {"vi": "Chùa", "en": "Pagoda"}),))
>>> site = Site(code="X", slug="x", status="published", name={"vi": "Chùa X"}, kind="pagoda")
>>> [matches_kind(site, k, words) for k in ("chua", "pagoda", "đình")], matches_kind(site, "pagoda")
([True, True, False], True)
"""

from __future__ import annotations

from guide.catalogue.model import Site
from guide.catalogue.text import fold
from guide.catalogue.vocabulary import UNRANKED, Vocabulary


def kind_group(kind: str) -> str:
    """Return the marker group of a kind: the kind's id itself, one per vocabulary entry."""
    return kind


def rank_level(rank: str) -> str:
    """Return the rank id of a site's rank (``""`` is ``unranked``)."""
    return rank or UNRANKED


def matches_kind(site: Site, kind: str, vocabulary: Vocabulary | None = None) -> bool:
    """Return whether ``kind`` (an id, or a label in any language) is the site's kind."""
    term = vocabulary.find_kind(kind) if vocabulary else None
    return (term.id if term else fold(kind.strip())) == site.kind


def matches_rank(site: Site, rank: str, vocabulary: Vocabulary | None = None) -> bool:
    """Return whether ``rank`` (an id, or a label in any language) is the site's rank."""
    term = vocabulary.find_rank(rank) if vocabulary else None
    return (term.id if term else fold(rank.strip())) == rank_level(site.rank)
