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

import gc
import hashlib
import io
import operator
import pickle
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from guide.catalogue.model import Inscription, Media, Problem, Site, Source
from guide.catalogue.stamps import STAMP as _STAMP
from guide.catalogue.stamps import Signature, stamp, stamps_of
from guide.catalogue.stamps import is_racy as _is_racy
from guide.catalogue.store import atomic_write_bytes
from guide.catalogue.vocabulary import RankDetail

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


def _values(obj: Any) -> tuple[Any, ...]:
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
_WIDTH = len(_FIELDS)


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
        return tuple(_values(item) for item in value)
    if name in _RECORDS:
        # Most sites have none: stored as None rather than a tuple per site.
        return None if value == _RECORDS[name]() else _values(value)
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
    A list is used in place (the caller gives a fresh one, such as a slice).
    """
    if record is None:
        return None
    if len(record) != _WIDTH:
        raise ValueError(f"a site record has {len(record)} values, not {_WIDTH}")
    args = record if type(record) is list else list(record)
    for at in _OWN_LIST_AT:
        args[at] = list(args[at])
    for at, kind in _LIST_AT:
        items = args[at]
        args[at] = [kind(*values) for values in items] if items else []
    rank = args[_RANK_AT]
    args[_RANK_AT] = _NO_RANK if rank is None else RankDetail(*rank)
    args.insert(_FOLDER_AT, folder)
    return Site(*args)


def problem_values(problems: list[Problem]) -> list[tuple[Any, ...]]:
    """Return problems as tuples of plain values (``Problem(*values)`` makes each again)."""
    return [_values(problem) for problem in problems]


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

    def unchanged(self, base: str, names: list[str]) -> list[int | None]:
        """Return, for each folder of ``base`` in ``names``, where its reading is kept.

        That is None for a folder the snapshot does not hold or whose files changed. Every
        file is stat-ed in one loop and all the stamps are compared at once: when nothing
        changed, one comparison of two byte strings says so.
        """
        spots: list[int | None] = [self._at.get(name) for name in names]
        paths: list[str] = []
        held: list[int] = []
        for name, at in zip(names, spots, strict=True):
            if at is None:
                continue
            held.append(at)
            folder = f"{base}/{name}"
            paths.extend(f"{folder}/{file}" if file else folder for file in self._files[at])
        fresh = stamps_of(paths)
        stored = self._stored_stamps(held)
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
        self.reused += 1
        return site, problems

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
