"""Stamp a site folder's files: the times, size and inode that tell whether one changed.

A stamp is packed in 32 bytes (``STAMP``); a folder's signature is the names of the
files read in it (the folder itself first, as "") and their stamps one after the other.
``guide.catalogue.snapshot`` keeps them and compares them at the next load. Nothing here
imports Flask.
"""

from __future__ import annotations

import itertools
import operator
import os
import struct
from collections.abc import Iterable

from guide.catalogue.layout import SITE_FILE, story_name

# (mtime, ctime, size, inode) of a file or folder, packed: one small bytes object per
# site keeps the snapshot, and the memory it takes while it is read, small.
STAMP = struct.Struct("=qqQQ")
# The names of the files that were read (the folder first, as ""), and their stamps.
Signature = tuple[tuple[str, ...], bytes]
_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}


def stamp(path: str) -> tuple[int, int, int, int]:
    """Return the (mtime, ctime, size, inode) of a file or folder."""
    stat = os.stat(path)
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


_STAT_FIELDS = operator.attrgetter("st_mtime_ns", "st_ctime_ns", "st_size", "st_ino")
# What a file that cannot be stat-ed is given: no file has inode 0, so it matches nothing.
_NOSTAMP = bytes(STAMP.size)


def _stamp_or_none(path: str) -> bytes:
    try:
        return STAMP.pack(*_STAT_FIELDS(os.stat(path)))
    except OSError:
        return _NOSTAMP


def stamps_of(paths: list[str]) -> bytes:
    """Return the packed stamps of ``paths``, one after the other, in one tight loop."""
    try:
        # A stat per file is what a load cannot avoid: the least Python around each.
        return b"".join(itertools.starmap(STAMP.pack, map(_STAT_FIELDS, map(os.stat, paths))))
    except OSError:
        return b"".join(map(_stamp_or_none, paths))


def files_of(folder: str, languages: Iterable[str]) -> tuple[list[str] | None, Signature | None]:
    """Return which of a site folder's files exist (``site.toml``, stories) and their signature.

    Each file a folder may hold is stat-ed by name: fewer calls than listing the folder
    and then stat-ing what it holds. The folder is stat-ed first, so a file added or removed
    meanwhile changes its stamp and shows at the next load. The signature is None (and the
    folder read again next time) when a stamp cannot be taken; the names are None when the
    folder cannot be read at all.
    """
    wanted = sorted({SITE_FILE, *(story_name(language) for language in languages)})
    try:
        stamps = [STAMP.pack(*_STAT_FIELDS(os.stat(folder)))]
    except OSError:
        return None, None
    present: list[str] = []
    complete = True
    for name in wanted:
        try:
            stamps.append(STAMP.pack(*_STAT_FIELDS(os.stat(f"{folder}/{name}"))))
        except FileNotFoundError:
            continue
        except OSError:  # there, but not to be stat-ed: reading it says what is wrong
            complete = False
        present.append(name)
    if not complete:
        return present, None
    listed = ("", *present)
    return present, (_NAMES.setdefault(listed, listed), b"".join(stamps))


def is_racy(signature: Signature, since_ns: int) -> bool:
    """Return whether a stamp is so recent that a change could share its times."""
    return any(
        max(mtime, ctime) >= since_ns for mtime, ctime, _, _ in STAMP.iter_unpack(signature[1])
    )
