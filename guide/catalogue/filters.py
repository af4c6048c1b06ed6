"""Choose sites: the one filter behind search, the map's API, the planner and the workspace.

>>> chosen = SiteFilter.from_mapping({"kind": " pagoda ", "q": "tran quoc"}, status="published")
>>> chosen.kind, chosen.q, chosen.status
('pagoda', 'tran quoc', 'published')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from guide.catalogue.kinds import matches_kind, matches_rank
from guide.catalogue.model import Site
from guide.catalogue.text import fold, matches
from guide.catalogue.vocabulary import Vocabulary


@dataclass(frozen=True)
class SiteFilter:
    """What a reader asks for; every given part must match, case and diacritics ignored.

    ``q`` is words of the name, slug, code or kind; ``kind`` a kind id of the
    vocabulary (such as ``pagoda``) or its label in any language; ``rank`` a rank
    id (such as ``special-national``) or its label; ``area`` an area id;
    ``tag`` one tag; ``status`` one status; ``located`` keeps only sites with a point.
    """

    q: str = ""
    kind: str = ""
    rank: str = ""
    area: str = ""
    tag: str = ""
    status: str = ""
    located: bool = False

    @classmethod
    def from_mapping(cls, args: Mapping[str, str], **fixed: str | bool) -> SiteFilter:
        """Return the filter of query parameters ``args``; ``fixed`` parts override them."""
        given = {
            f.name: str(args.get(f.name) or "").strip()
            for f in fields(cls)
            if f.name != "located" and f.name not in fixed
        }
        return cls(**given, **fixed)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        """Return whether the reader asked for anything (beyond the fixed parts)."""
        return bool(self.q or self.kind or self.rank or self.area or self.tag)

    def matches(self, site: Site, vocabulary: Vocabulary | None = None) -> bool:
        """Return whether ``site`` is one of the sites asked for.

        ``vocabulary`` lets a kind or rank be given by its label; without it only ids match.
        """
        return (
            (not self.status or site.status == self.status)
            and (not self.located or site.has_location)
            and (not self.area or site.area == self.area)
            and (not self.kind or matches_kind(site, self.kind, vocabulary))
            and (not self.rank or matches_rank(site, self.rank, vocabulary))
            and (not self.tag or fold(self.tag) in {fold(t) for t in site.tags})
            and (not self.q or matches(self.q, site.search_text()))
        )

    def apply(self, sites: Iterable[Site], vocabulary: Vocabulary | None = None) -> list[Site]:
        """Return the sites asked for, in their order (``vocabulary`` as for ``matches``)."""
        return [site for site in sites if self.matches(site, vocabulary)]
