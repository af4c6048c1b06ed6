"""The loaded catalogue: every valid site, indexed by code, slug, area and position.

``load_catalogue`` reads a catalogue folder (see ``guide.catalogue.layout``).
Nothing here imports Flask.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from guide.catalogue import codes, forked
from guide.catalogue.config import CatalogueError, read_config
from guide.catalogue.curated import read_tours
from guide.catalogue.filters import SiteFilter
from guide.catalogue.geo import Areas
from guide.catalogue.layout import (
    cache_file,
    config_file,
    is_site_name,
    site_file,
    tours_folder,
)
from guide.catalogue.model import CatalogueConfig, Problem, Site, Tour
from guide.catalogue.nearby import Nearby, NearIndex
from guide.catalogue.reader import read_site
from guide.catalogue.records import no_collection, problem_values, site_from_record, site_record
from guide.catalogue.snapshot import SNAPSHOT_NAME, Snapshot, snapshot_key
from guide.catalogue.stamps import Signature, files_of, stamps_of
from guide.messages import N_


class Catalogue:
    """All sites of a catalogue folder, indexed by code, slug, area and position."""

    def __init__(
        self,
        root: Path,
        config: CatalogueConfig,
        areas: Areas,
        sites: Iterable[Site],
        problems: Iterable[Problem] = (),
    ) -> None:
        self.root = Path(root)
        self.config = config
        self.areas = areas
        self.problems: list[Problem] = list(problems)
        self.sites: list[Site] = []
        self._by_code: dict[str, Site] = {}
        self._by_slug: dict[str, Site] = {}
        sites = list(sites)
        codes = [site.code for site in sites]
        slugs = [site.slug for site in sites]
        self._by_code = dict(zip(codes, sites, strict=True))
        self._by_slug = dict(zip(slugs, sites, strict=True))
        if len(self._by_code) == len(self._by_slug) == len(sites):
            # No code nor slug twice (as in nearly every load): the indexes are made in C.
            self.sites = sites
            sites = []
        else:
            self._by_code, self._by_slug = {}, {}
        for site in sites:
            if site.code in self._by_code:
                other = self._by_code[site.code]
                self.problems.append(
                    Problem.of(
                        str(site_file(self.root / site.slug)),
                        "code",
                        "code.duplicate",
                        N_(
                            "%(code)s is already the code of %(other)s: codes are unique, "
                            "so one of the two needs a new code (never change a printed one)"
                        ),
                        code=site.code,
                        other=other.slug,
                    )
                )
                continue
            if site.slug in self._by_slug:
                self.problems.append(
                    Problem.of(
                        str(site_file(self.root / site.slug)),
                        "slug",
                        "slug.duplicate",
                        N_("%(slug)s is used twice: slugs are unique"),
                        slug=repr(site.slug),
                    )
                )
                continue
            self._by_code[site.code] = site
            self._by_slug[site.slug] = site
            self.sites.append(site)
        self._located = [site for site in self.sites if site.has_location]
        self.tours: dict[str, Tour] = {}
        self._index: NearIndex | None = None
        # How many sites the last load took from the snapshot, and how many it read.
        self.snapshot_reused = 0
        self.snapshot_read = 0

    def __len__(self) -> int:
        return len(self.sites)

    def __iter__(self) -> Iterator[Site]:
        return iter(self.sites)

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that make a site unusable."""
        return [p for p in self.problems if p.level == "error"]

    def by_code(self, code: str) -> Site | None:
        """Return the site with this code in any letter case, or None."""
        return self._by_code.get(codes.normalize(code))

    def by_slug(self, slug: str) -> Site | None:
        """Return the site with this slug, or None."""
        return self._by_slug.get(slug)

    def published(self) -> list[Site]:
        """Return the published sites."""
        return [site for site in self.sites if site.status == "published"]

    def filter(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        rank: str | None = None,
        area: str | None = None,
        tag: str | None = None,
        q: str | None = None,
    ) -> list[Site]:
        """Return the sites matching every given part (see ``SiteFilter``)."""
        given = {"status": status, "kind": kind, "rank": rank, "area": area, "tag": tag, "q": q}
        return SiteFilter(**{k: v or "" for k, v in given.items()}).apply(
            self.sites, self.config.vocabulary
        )

    def in_area(self, area_id: str) -> list[Site]:
        """Return the sites that lie in an area."""
        return [site for site in self.sites if site.area == area_id]

    def nearby(
        self, lat: float, lon: float, radius_m: float, *, status: str | None = None
    ) -> Nearby[Site]:
        """Return (site, metres) for sites within ``radius_m`` metres, nearest first.

        The metres of each result are measured when it is first read (``guide.catalogue.nearby``).
        """
        index = self._near_index()
        positions = index.query(lat, lon, radius_m)
        if status is not None:
            positions = positions[self._statuses[positions] == status]
        return Nearby(self._located, index.points, positions, lat, lon)

    def in_box(
        self,
        bounds: tuple[float, float, float, float],
        lat: float,
        lon: float,
        *,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[Site]:
        """Return the sites in ``bounds`` (west, south, east, north), nearest to a point first."""
        positions = self._near_index().in_box(bounds, lat, lon)
        if status is not None:
            positions = positions[self._statuses[positions] == status]
        return [self._located[int(p)] for p in positions[:limit]]

    def _near_index(self) -> NearIndex:
        if self._index is None:
            # Statuses first: another thread that sees the index also sees them.
            self._statuses = np.array([s.status for s in self._located], dtype=object)
            self._index = NearIndex([(s.lat, s.lon) for s in self._located])  # type: ignore[misc]
        return self._index


def load_catalogue(root: Path | str, use_cache: bool = True) -> Catalogue:
    """Load every site under ``root``; a broken site is reported in ``problems`` and skipped.

    Sites whose files are unchanged come from the snapshot in ``root/.cache`` (see
    ``guide.catalogue.snapshot``) unless ``use_cache`` is false; the others are read.
    """
    root = Path(root)
    config = read_config(root)
    areas_path = root / config.areas_file
    if not areas_path.is_file():
        raise CatalogueError(
            f"{config_file(root)}: areas.file: {config.areas_file!r} not found in {root}"
        )
    areas = Areas.from_geojson(
        areas_path,
        config.area_id_property,
        config.area_name_property,
        config.area_names,
        config.default_language,
    )
    # Nothing a load makes holds a cycle: the collector would only walk the growing heap.
    with no_collection():
        catalogue = _load_sites(root, config, areas, areas_path, use_cache)
        for tour, found in read_tours(tours_folder(root), catalogue):
            problems_of_tour = [p for p in found if p.level == "error"]
            catalogue.problems.extend(found)
            if tour is not None and not problems_of_tour:
                catalogue.tours[tour.slug] = tour
        global _FROZEN
        if len(catalogue.sites) >= FREEZE_AT and not _FROZEN:
            # A large catalogue lives as long as the process and holds no cycle: moved out
            # of the collector's sight, it is not walked by the collection that follows the
            # pause (a seventh of a warm load at 40,000 sites) nor by every later full one.
            # What the process held already is frozen with it: refcounting still frees all
            # of it, only a cycle of garbage among it would stay, which is why this is done
            # once, at the first large load (a fresh process holds next to none), and not
            # at every reload of a long-running server.
            _FROZEN = True
            gc.freeze()
    return catalogue


# From how many sites a loaded catalogue is frozen (``gc.freeze``): tests and small
# catalogues, loaded again and again, keep every object within the collector's reach.
FREEZE_AT = 5000
_FROZEN = False


def _load_sites(
    root: Path, config: CatalogueConfig, areas: Areas, areas_path: Path, use_cache: bool
) -> Catalogue:
    """Return the catalogue of the site folders under ``root``, the snapshot used and saved."""
    sites: list[Site] = []
    problems: list[Problem] = []
    entries = sorted(
        entry.name for entry in os.scandir(root) if entry.is_dir() and is_site_name(entry.name)
    )
    if use_cache:
        key = snapshot_key(root, config_file(root), areas_path)
        snapshot = Snapshot(cache_file(root, SNAPSHOT_NAME), key)
    else:
        snapshot = Snapshot(None)
    base = str(root)
    # Every folder's files are stat-ed (in a child, on the other core, when there are
    # many) while the sites are made from the snapshot as if none had changed; then all
    # the stamps are compared at once and the sites of the changed folders dropped.
    child = None
    spots = snapshot.spots(entries)
    if len(spots) - spots.count(None) >= STAT_FORK_AT and forked.can_fork():
        # The child makes its paths itself (it shares the snapshot): the parent neither
        # spends the time nor holds them while the sites are made. The parent stats the
        # last folders itself once its sites are made, so that both cores end together.
        split = int(len(entries) * CHILD_SHARE)
        child = forked.start(lambda: stamps_of(snapshot.paths_of(base, entries[:split])[0]))
    if child is None:
        # Stat-ed first: their paths are gone before the sites are made (a lower peak).
        spots = snapshot.unchanged(base, entries)
    with forked.waited(child):
        taken = snapshot.take_all(base, entries, spots)
        if child is not None:
            mine = stamps_of(snapshot.paths_of(base, entries[split:])[0])
    if child is not None:
        stamps = child.result()
        if isinstance(stamps, bytes):
            stamps += mine
        spots = snapshot.unchanged(
            base, entries, stamps if isinstance(stamps, bytes) else None, spots
        )
    kept = [None if at is None else reading for at, reading in zip(spots, taken, strict=True)]
    snapshot.reused = len(kept) - kept.count(None)
    read = _read_folders(
        root,
        config,
        areas,
        snapshot,
        [name for name, reading in zip(entries, kept, strict=True) if reading is None],
    )
    for name, reading in zip(entries, kept, strict=True):
        site, found = reading or read[name]
        problems.extend(found)
        if site is not None:
            sites.append(site)
    snapshot.keep_only(set(entries))
    snapshot.save()
    catalogue = Catalogue(root, config, areas, sites, problems)
    catalogue.snapshot_reused, catalogue.snapshot_read = snapshot.reused, snapshot.read
    return catalogue


# From how many folders a warm load stats their files in a forked child: a fork of a
# process holding a large snapshot costs about as much as a few thousand stats.
STAT_FORK_AT = 2000
# Which share of the folders the child stats: the parent has the sites to make first.
CHILD_SHARE = 0.6
# From how many folders to read a first load shares them with a forked child: a fork
# and the values sent back cost about as much as reading a few dozen folders.
FORK_AT = 400


def _read_folders(
    root: Path, config: CatalogueConfig, areas: Areas, snapshot: Snapshot, names: list[str]
) -> dict[str, tuple[Site | None, list[Problem]]]:
    """Read and validate the folders ``names``, the second half in a child when there are many."""
    base = str(root)
    mine, theirs = names, []
    child = None
    if len(names) >= FORK_AT:
        mine, theirs = names[: len(names) // 2], names[len(names) // 2 :]
        child = forked.start(lambda: [_reading(root, name, config, areas) for name in theirs])
        if child is None:
            mine, theirs = names, []
    read: dict[str, tuple[Site | None, list[Problem]]] = {}
    with forked.waited(child):
        for name in mine:
            # The signature is taken before reading: a change during the read shows next time.
            folder = f"{base}/{name}"
            present, signature = files_of(folder, config.languages)
            site, found = read_site(folder, config, areas, present=present)
            snapshot.remember(name, signature, site, found)
            read[name] = site, found
    readings = None if child is None else child.result()
    if readings is None or len(readings) != len(theirs):
        readings = [_reading(root, name, config, areas) for name in theirs]
    for name, (signature, record, values) in zip(theirs, readings, strict=True):
        snapshot.remember_record(name, signature, record, values)
        site = site_from_record(record, f"{base}/{name}")
        read[name] = site, [Problem(*problem) for problem in values]
    return read


def _reading(
    root: Path, name: str, config: CatalogueConfig, areas: Areas
) -> tuple[Signature | None, tuple[Any, ...] | None, list[tuple[Any, ...]]]:
    """Return the signature of folder ``name``, its site's record and problems, as plain values."""
    folder = f"{root}/{name}"
    present, signature = files_of(folder, config.languages)
    site, found = read_site(folder, config, areas, present=present)
    return signature, site_record(site), problem_values(found)
