"""Keep the validated catalogue in one snapshot file, so a large catalogue loads in a blink.

The site files stay the source of truth. The snapshot (``.cache/catalogue.snapshot``
in the catalogue folder) holds, for each site folder, what reading it gave (the
site or nothing, and its problems) together with the signature of what was read:
the folder's own times and inode (which change whenever a file is added, removed
or renamed in it) and the size, times and inode of its ``site.toml`` and stories.
A load stats those files; a site whose signature still matches is taken from the
snapshot, any other one is read and validated again. The whole snapshot is thrown
away when the catalogue's configuration, its areas file, the folder's spelling or
the guide's validation code change, and when it cannot be read (truncated, foreign,
of another format): loading then simply reads every file.

Files changed within ``RACY_NS`` of being read are not kept: a file system stamps
times with a coarse clock, so such a file could change again without its times
changing. Nothing here imports Flask.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import time
from pathlib import Path
from typing import Any

import numpy as np

from guide.catalogue.model import Problem, Site
from guide.catalogue.records import WIDTH as _WIDTH
from guide.catalogue.records import (
    no_collection,
    problem_values,
    site_from_record,
    site_record,
    sites_from_records,
)
from guide.catalogue.stamps import STAMP as _STAMP
from guide.catalogue.stamps import Signature, stamp, stamps_of
from guide.catalogue.stamps import is_racy as _is_racy
from guide.catalogue.store import atomic_write_bytes

SNAPSHOT_NAME = "catalogue.snapshot"
SNAPSHOT_FORMAT = 2
# Coarser than any file system's time stamps (FAT's are 2 s).
RACY_NS = 2_000_000_000
_MAGIC = b"guide-catalogue-snapshot\n"


def validation_fingerprint() -> str:
    """Return a digest of the code that validates sites: a new rule voids every snapshot."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted([*here.glob("*.py"), here.parent / "messages.py"]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


_FINGERPRINT: str | None = None


def snapshot_key(root: Path, config_path: Path, areas_path: Path) -> tuple[Any, ...]:
    """Return what every entry of a snapshot depends on beyond its own folder."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        _FINGERPRINT = validation_fingerprint()
    config = hashlib.sha256(config_path.read_bytes()).hexdigest()
    return (SNAPSHOT_FORMAT, _FINGERPRINT, str(root), config, stamp(str(areas_path)))


class _Unpickler(pickle.Unpickler):
    """Unpickle plain values only: tuples, lists, dicts, text and numbers."""

    def find_class(self, module: str, name: str) -> Any:
        # Pickle is safe here only because the guide writes this file itself, in the
        # catalogue's own cache folder, and because nothing that names a class or a
        # function is accepted: a snapshot that holds one is refused, never executed.
        raise pickle.UnpicklingError(f"{module}.{name}: a snapshot holds plain values only")


# One folder's reading: its signature, the site's record (None when it has errors), and
# its problems as tuples of values.
Entry = tuple[Signature, tuple[Any, ...] | None, list[tuple[Any, ...]]]
# The file holds the folders' readings in columns: their names, the names of the files read
# in each, every stamp in one bytes object, the records' values in one flat list (a folder
# without a site has Nones there) and the problems of the folders that have some. A large
# catalogue then loads as a few big objects instead of several small ones per site, which
# is quicker and leaves less of the heap scattered once they are dropped.
_NO_RECORD = (None,) * _WIDTH


def _columns(entries: list[tuple[str, Entry]]) -> tuple[Any, ...]:
    names = [name for name, _ in entries]
    files = [entry[0][0] for _, entry in entries]
    stamps = b"".join(entry[0][1] for _, entry in entries)
    values: list[Any] = []
    for _, entry in entries:
        values.extend(_NO_RECORD if entry[1] is None else entry[1])
    problems = {at: entry[2] for at, (_, entry) in enumerate(entries) if entry[2]}
    return (names, files, stamps, _WIDTH, values, problems)


class Snapshot:
    """The snapshot of one catalogue folder: look up, remember and save the sites read."""

    def __init__(self, path: Path | None, key: tuple[Any, ...] = ()) -> None:
        self.path = path
        self.key = key
        # What this load read again (or found racy, as None): it replaces the stored reading.
        self.entries: dict[str, Entry | None] = {}
        self._at: dict[str, int] = {}
        self._offsets: list[int] = []
        self._files: list[tuple[str, ...]] = []
        self._stamps = b""
        self._values: list[Any] = []
        self._problems: dict[int, list[tuple[Any, ...]]] = {}
        self._present: set[str] | None = None
        self.reused = 0
        self.read = 0
        self.dirty = False
        self.started_ns = time.time_ns()
        if path is not None:
            self._open(path, key)

    def _open(self, path: Path, key: tuple[Any, ...]) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return
        if not data.startswith(_MAGIC):
            return
        stream = io.BytesIO(data)  # shares the bytes read: no second copy of the file
        stream.seek(len(_MAGIC))
        with no_collection():
            try:
                stored_key, columns = _Unpickler(stream).load()
                names, files, stamps, width, values, problems = columns
            except Exception:  # any damage at all means: read the files again
                return
        if stored_key != key or not self._fits(names, files, stamps, width, values, problems):
            return
        offsets, offset = [], 0
        for listed in files:
            offsets.append(offset)
            offset += _STAMP.size * len(listed)
        if offset != len(stamps):
            return
        self._at = {name: at for at, name in enumerate(names)}
        self._offsets, self._files, self._stamps = offsets, files, stamps
        self._values, self._problems = values, problems

    @staticmethod
    def _fits(names: Any, files: Any, stamps: Any, width: Any, values: Any, problems: Any) -> bool:
        """Return whether the columns have the shapes this code writes."""
        return (
            isinstance(names, list)
            and isinstance(files, list)
            and isinstance(stamps, bytes)
            and isinstance(values, list)
            and isinstance(problems, dict)
            and width == _WIDTH
            and len(files) == len(names)
            and len(values) == _WIDTH * len(names)
            and all(isinstance(listed, tuple) for listed in files)
        )

    def _stored(self, name: str) -> Entry | None:
        """Return the reading of folder ``name`` the file holds, or None."""
        at = self._at.get(name)
        if at is None:
            return None
        listed = self._files[at]
        offset = self._offsets[at]
        signature = (listed, self._stamps[offset : offset + _STAMP.size * len(listed)])
        record = tuple(self._values[at * _WIDTH : (at + 1) * _WIDTH])
        return signature, None if record == _NO_RECORD else record, self._problems.get(at, [])

    def spots(self, names: list[str]) -> list[int | None]:
        """Return where the snapshot holds each folder of ``names`` (None: it does not)."""
        return [self._at.get(name) for name in names]

    def paths_of(self, base: str, names: list[str]) -> tuple[list[str], list[int]]:
        """Return the paths whose stamps the snapshot holds for folders ``names``, and where."""
        paths: list[str] = []
        held: list[int] = []
        for name in names:
            at = self._at.get(name)
            if at is None:
                continue
            held.append(at)
            folder = f"{base}/{name}"
            paths.extend(f"{folder}/{file}" if file else folder for file in self._files[at])
        return paths, held

    def unchanged(
        self,
        base: str,
        names: list[str],
        stamps: bytes | None = None,
        spots: list[int | None] | None = None,
    ) -> list[int | None]:
        """Return, for each folder of ``base`` in ``names``, where its reading is kept.

        That is None for a folder the snapshot does not hold or whose files changed. Every
        file is stat-ed in one loop (unless ``stamps`` gives what ``stamps_of`` gave for
        ``paths_of``) and all the stamps are compared at once: when nothing changed, one
        comparison of two byte strings says so. ``spots``, when given, is what ``spots``
        gave for ``names``.
        """
        spots = self.spots(names) if spots is None else list(spots)
        held = [at for at in spots if at is not None]
        stored = self._stored_stamps(held)
        fresh = stamps
        if fresh is None or len(fresh) != len(stored):
            fresh = stamps_of(self.paths_of(base, names)[0])
        if fresh != stored:
            changed = self._changed(held, fresh, stored)
            spots = [None if at in changed else at for at in spots]
        return spots

    def _stored_stamps(self, held: list[int]) -> bytes:
        """Return the stored stamps of the folders at ``held``, in that order."""
        if held == list(range(len(self._files))):
            return self._stamps
        size = _STAMP.size
        return b"".join(
            self._stamps[self._offsets[at] : self._offsets[at] + size * len(self._files[at])]
            for at in held
        )

    def _changed(self, held: list[int], fresh: bytes, stored: bytes) -> set[int]:
        """Return the folders of ``held`` whose fresh stamps differ from the stored ones."""
        ends = np.cumsum([_STAMP.size * len(self._files[at]) for at in held])
        differ = np.flatnonzero(
            np.frombuffer(fresh, dtype=np.uint8) != np.frombuffer(stored, dtype=np.uint8)
        )
        return {held[int(i)] for i in np.unique(np.searchsorted(ends, differ, side="right"))}

    def take(self, at: int, folder: str) -> tuple[Site | None, list[Problem]] | None:
        """Return the site and problems kept for the folder at ``at`` (see ``unchanged``)."""
        record = self._values[at * _WIDTH : (at + 1) * _WIDTH]
        stored = self._problems.get(at)
        try:
            site = None if record[0] is None else site_from_record(record, folder)
            problems = [Problem(*values) for values in stored] if stored else []
        except (TypeError, ValueError):
            return None
        return site, problems

    def take_all(
        self, base: str, names: list[str], spots: list[int | None]
    ) -> list[tuple[Site | None, list[Problem]] | None]:
        """Return ``take`` of each folder of ``base`` in ``names`` at ``spots`` (None: not kept)."""
        folders = [f"{base}/{name}" for name in names]
        try:
            sites = sites_from_records(self._values, spots, folders)
        except (TypeError, ValueError):  # a damaged record: each folder taken on its own
            return [
                None if at is None else self.take(at, folder)
                for at, folder in zip(spots, folders, strict=True)
            ]
        stored = self._problems
        taken: list[tuple[Site | None, list[Problem]] | None] = []
        for at, site in zip(spots, sites, strict=True):
            if at is None:
                taken.append(None)
                continue
            found = stored.get(at)
            try:
                problems = [Problem(*values) for values in found] if found else []
            except (TypeError, ValueError):
                taken.append(None)
                continue
            taken.append((None if site is False else site, problems))
        return taken

    def remember(
        self, name: str, signature: Signature | None, site: Site | None, problems: list[Problem]
    ) -> None:
        """Keep what reading folder ``name`` gave, unless its files changed too recently."""
        if self.path is None:
            self.read += 1
            return
        self.remember_record(name, signature, site_record(site), problem_values(problems))

    def remember_record(
        self,
        name: str,
        signature: Signature | None,
        record: tuple[Any, ...] | None,
        problems: list[tuple[Any, ...]],
    ) -> None:
        """Keep a reading given as plain values (``site_record``, ``problem_values``)."""
        self.read += 1
        if self.path is None:
            return
        self.dirty = True
        if signature is None or _is_racy(signature, self.started_ns - RACY_NS):
            self.entries[name] = None
            return
        self.entries[name] = (signature, record, problems)

    def keep_only(self, names: set[str]) -> None:
        """Forget the folders that are gone."""
        self._present = names
        if any(name not in names for name in (*self._at, *self.entries)):
            self.dirty = True

    def save(self) -> None:
        """Write the snapshot when it changed; a read-only catalogue just goes without."""
        if not self.dirty or self.path is None:
            return
        kept: list[tuple[str, Entry]] = []
        for name in sorted({*self._at, *self.entries}):
            if self._present is not None and name not in self._present:
                continue
            entry = self.entries[name] if name in self.entries else self._stored(name)
            if entry is not None:
                kept.append((name, entry))
        try:
            data = pickle.dumps((self.key, _columns(kept)), protocol=pickle.HIGHEST_PROTOCOL)
            atomic_write_bytes(self.path, _MAGIC + data)
        except (OSError, pickle.PicklingError):
            return
        self.dirty = False
