"""A cache of parsed ``site.toml`` files, so a large catalogue loads in a fraction of a second.

Only the parsing is cached, keyed by each file's size, times and inode;
validation runs on every load, so a change of rules or of the areas file is
never hidden by the cache. The cache is a JSON file in the catalogue's hidden
``.cache`` folder; when it cannot be written, loading simply goes without it.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from guide.catalogue.store import atomic_write_text

CACHE_FORMAT = 2


class ParsedFiles:
    """Parse TOML files, reusing the result while a file's size and mtime are unchanged."""

    def __init__(self, cache_file: Path | None) -> None:
        self.cache_file = cache_file
        self.entries: dict[str, list[Any]] = {}
        self.dirty = False
        if cache_file is not None and cache_file.is_file():
            try:
                stored = json.loads(cache_file.read_text(encoding="utf-8"))
                if stored.get("format") == CACHE_FORMAT:
                    self.entries = stored["entries"]
            except (OSError, ValueError, KeyError, AttributeError):
                self.entries = {}

    def load(self, path: Path, key: str) -> dict[str, Any]:
        """Return the parsed TOML of ``path``; raise as tomllib and open() do."""
        stat = os.stat(path)
        # The inode changes on every atomic replace, ctime on every in-place write.
        signature = [stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino]
        cached = self.entries.get(key)
        if cached and cached[0] == signature:
            return cached[1]
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        self.entries[key] = [signature, data]
        self.dirty = True
        return data

    def forget_except(self, keys: set[str]) -> None:
        """Drop entries of files that no longer exist."""
        for key in set(self.entries) - keys:
            del self.entries[key]
            self.dirty = True

    def save(self) -> None:
        """Write the cache when it changed; a read-only catalogue just keeps no cache."""
        if not self.dirty or self.cache_file is None:
            return
        try:
            text = json.dumps({"format": CACHE_FORMAT, "entries": self.entries}, ensure_ascii=False)
            atomic_write_text(self.cache_file, text)
        except (OSError, TypeError, ValueError):
            return
        self.dirty = False
