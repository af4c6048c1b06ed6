"""The map's compact data for large catalogues: positions first, names and links in a second file.

A map of tens of thousands of sites draws its first clusters from ``positions``
alone: parallel arrays of small integers (latitudes sorted and sent as
differences, longitudes as offsets, in units of 1e-5 degree, about a metre),
with each site's kind group, rank level and area as an index into short lists.
``details`` holds, in the same order, what a popup or a search needs (code,
slug, names, kind and rank), fetched once the first markers are drawn. Both are
pure functions of the sites, so the static export can write them as files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from guide.catalogue.kinds import kind_group, rank_level
from guide.catalogue.model import Site
from guide.catalogue.vocabulary import Vocabulary

# Units of the integer coordinates: 1e-5 degree, about 1.1 m of latitude.
SCALE = 100_000


@dataclass(frozen=True, eq=False)
class Located:
    """The located sites in the order both files list them, with their coordinates in units."""

    sites: list[Site]
    lat: np.ndarray
    lon: np.ndarray


def locate(sites: Iterable[Site] | Located) -> Located:
    """Return the located sites south to north, and their latitudes and longitudes in units.

    Ties are broken by longitude, then code: the order is a pure function of the sites.
    Sites already located are returned as they are, so both files can share one sort.
    """
    if isinstance(sites, Located):
        return sites
    candidates = [site for site in sites if site.lat is not None and site.lon is not None]
    count = len(candidates)
    # One pass in Python for the values, the rounding and sorting in numpy.
    lat = np.rint(np.fromiter((s.lat for s in candidates), float, count) * SCALE).astype(np.int64)
    lon = np.rint(np.fromiter((s.lon for s in candidates), float, count) * SCALE).astype(np.int64)
    code = np.array([site.code for site in candidates], dtype=str)
    order = np.lexsort((code, lon, lat)) if count else np.zeros(0, dtype=np.int64)
    return Located([candidates[k] for k in order.tolist()], lat[order], lon[order])


def located(sites: Iterable[Site] | Located) -> list[Site]:
    """Return the sites that have a position, in the order both files list them."""
    return locate(sites).sites


def positions(sites: Iterable[Site] | Located, vocabulary: Vocabulary) -> dict[str, Any]:
    """Return the compact positions of the located ``sites``, south to north.

    Kinds and ranks are indexes into the vocabulary's ids, in its order.

    >>> from guide.catalogue.model import Site
    >>> from guide.catalogue.vocabulary import Term
    >>> kinds = (Term("communal-house", {"vi": "Đình"}), Term("house", {"vi": "Nhà"}))
    >>> words = Vocabulary(kinds=kinds)
    >>> a = Site("7K2Q", "dinh-chem", "published", {"vi": "Đình Chèm"}, "communal-house",
    ...          lat=21.094072, lon=105.774237, area="021")
    >>> b = Site("59PK", "hang-ngang", "published", {"vi": "48 Hàng Ngang"}, "house",
    ...          lat=21.034328, lon=105.850439, area="002")
    >>> data = positions([a, b], words)
    >>> data["lat0"], data["dlat"], data["lon0"], data["dlon"], data["group"]
    (2103433, [0, 5974], 10577424, [7620, 0], [1, 0])
    """
    found = locate(sites)
    ordered, lats, lons = found.sites, found.lat, found.lon
    lat0 = int(lats[0]) if len(lats) else 0
    lon0 = int(lons.min()) if len(lons) else 0
    groups = [term.id for term in vocabulary.kinds]
    levels = [term.id for term in vocabulary.ranks]
    areas = sorted({site.area for site in ordered})
    group_index = {group: number for number, group in enumerate(groups)}
    level_index = {level: number for number, level in enumerate(levels)}
    area_index = {area: number for number, area in enumerate(areas)}
    # Thousands of sites share a few kinds and ranks: each is looked up once.
    group_of = {kind: group_index.get(kind_group(kind), 0) for kind in {s.kind for s in ordered}}
    level_of = {rank: level_index.get(rank_level(rank), 0) for rank in {s.rank for s in ordered}}
    return {
        "count": len(ordered),
        "scale": SCALE,
        "lat0": lat0,
        "dlat": np.diff(lats, prepend=lat0).tolist(),
        "lon0": lon0,
        "dlon": (lons - lon0).tolist(),
        "groups": groups,
        "group": [group_of[site.kind] for site in ordered],
        "levels": levels,
        "level": [level_of[site.rank] for site in ordered],
        "areas": areas,
        "area": [area_index[site.area] for site in ordered],
    }


def details(sites: Iterable[Site] | Located) -> dict[str, Any]:
    """Return the codes, slugs, names, kinds and ranks of the located ``sites``, as positions.

    Names are given per language, an empty string where a site has none.
    """
    ordered = located(sites)
    languages = sorted({lang for site in ordered for lang in site.name})
    kinds = sorted({site.kind for site in ordered})
    ranks = sorted({site.rank for site in ordered})
    kind_index = {kind: number for number, kind in enumerate(kinds)}
    rank_index = {rank: number for number, rank in enumerate(ranks)}
    return {
        "count": len(ordered),
        "code": [site.code for site in ordered],
        "slug": [site.slug for site in ordered],
        "name": {lang: [site.name.get(lang, "") for site in ordered] for lang in languages},
        "kinds": kinds,
        "kind": [kind_index[site.kind] for site in ordered],
        "ranks": ranks,
        "rank": [rank_index[site.rank] for site in ordered],
    }
