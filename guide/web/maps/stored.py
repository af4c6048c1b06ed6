"""Keep the large map's answers next to the catalogue's snapshot, so a restart reuses them.

Building the positions, clusters, names and counts of a quarter of a million sites takes
seconds of Python on the first map request after a start. Each answer is written
once, compressed as it is sent, into the catalogue's ``.cache`` folder, and read
back by the next start when the catalogue did not change since.

"Did not change" is what the catalogue's snapshot already knows: an answer is
stored and reused only for a catalogue that took every site from the snapshot
(none read again), and under a key made of the snapshot file's identity (size,
time, inode) and the code that builds the answers. A snapshot written since this
process started may hold another process's newer catalogue, not the one this
process loaded: nothing is stored or reused against it (the next start will).
The site files stay the source of truth; a stored answer is only ever a copy.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from guide.catalogue.index import Catalogue
from guide.catalogue.layout import cache_file
from guide.catalogue.snapshot import SNAPSHOT_NAME
from guide.catalogue.store import atomic_write_bytes
from guide.render import map_clusters, map_data, maps

_MAGIC = b"guide-map-answer\n"
# When this process started using catalogues: a snapshot newer than this was
# written by a load (here or elsewhere) this process may not share.
_STARTED_NS = time.time_ns()


def _code_digest() -> str:
    # A change to how the answers are made voids every stored one.
    digest = hashlib.sha256()
    for module in (map_data, map_clusters, maps):
        digest.update(Path(module.__file__ or "").read_bytes())
    # This module, and the map page's counts of the sites.
    for name in ("stored.py", "views.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


_CODE = _code_digest()


def answer_file(catalogue: Catalogue, name: str) -> Path:
    """Return the file that keeps the answer ``name`` of the catalogue's map."""
    return cache_file(catalogue.root, f"map-{name}.answer")


def catalogue_key(catalogue: Catalogue) -> tuple[Any, ...] | None:
    """Return what a stored answer must match to be this catalogue's, or None if none can."""
    if catalogue.snapshot_read or not catalogue.snapshot_reused:
        return None
    try:
        stat = cache_file(catalogue.root, SNAPSHOT_NAME).stat()
    except OSError:
        return None
    if stat.st_mtime_ns >= _STARTED_NS:
        return None
    return (_CODE, stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _header(key: tuple[Any, ...]) -> bytes:
    return _MAGIC + json.dumps(list(key)).encode("ascii") + b"\n"


def load(catalogue: Catalogue, name: str) -> tuple[bytes, bytes] | None:
    """Return the stored (plain, gzip) bytes of answer ``name``, or None if not this catalogue's."""
    key = catalogue_key(catalogue)
    if key is None:
        return None
    header = _header(key)
    try:
        data = answer_file(catalogue, name).read_bytes()
    except OSError:
        return None
    # The header, the plain answer's length (8 bytes), the plain answer, then its gzip form.
    if not data.startswith(header) or len(data) < len(header) + 8:
        return None
    (size,) = struct.unpack_from(">Q", data, len(header))
    start = len(header) + 8
    if start + size > len(data):
        return None
    return data[start : start + size], data[start + size :]


def save(catalogue: Catalogue, name: str, raw: bytes, gzipped: bytes) -> None:
    """Store answer ``name`` for the next start; a read-only catalogue just goes without."""
    key = catalogue_key(catalogue)
    if key is None:
        return
    try:
        atomic_write_bytes(
            answer_file(catalogue, name),
            _header(key) + struct.pack(">Q", len(raw)) + raw + gzipped,
        )
    except OSError:
        return


def kept(catalogue: Catalogue, name: str, build: Callable[[], bytes]) -> tuple[bytes, bytes | None]:
    """Return answer ``name``'s plain bytes and, when stored, its gzip bytes; else build it.

    A built answer is stored (with its gzip form) for the next start when it can be.
    """
    stored = load(catalogue, name)
    if stored is not None:
        return stored
    raw = build()
    if catalogue_key(catalogue) is None:
        return raw, None
    gzipped = gzip.compress(raw, compresslevel=6, mtime=0)
    save(catalogue, name, raw, gzipped)
    return raw, gzipped
