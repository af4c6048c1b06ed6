"""Permanent short codes: the part of a plaque's QR code that names the site.

A code is issued once, recorded in the catalogue's ledger (``codes.txt``) and
never reused or changed, so a printed plaque keeps working whatever happens to
the site's name, slug or status.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from guide.catalogue.layout import CODES_FILE, codes_file
from guide.catalogue.store import atomic_write_text

# Upper-case letters and digits that cannot be misread for one another:
# no 0/O, 1/I/L. All of them are in QR's alphanumeric mode.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 4
LEDGER_NAME = CODES_FILE
_CODE_RE = re.compile(rf"^[{ALPHABET}]{{{LENGTH},8}}$")
_LEDGER_HEADER = (
    "# Every code ever issued, with the slug it was issued for.\n"
    "# Never edit or remove a line: printed plaques depend on these codes.\n"
)


def is_valid(code: str) -> bool:
    """Return whether ``code`` is a well-formed site code.

    >>> is_valid("7K2Q"), is_valid("7k2q"), is_valid("O0I1")
    (True, False, False)
    """
    return bool(_CODE_RE.match(code))


def normalize(code: str) -> str:
    """Return the canonical (upper-case) form of a code typed or scanned in any case."""
    return code.strip().upper()


def ledger_entries(root: Path) -> list[tuple[str, str]]:
    """Return every (code, slug) line of the ledger in order; a code may appear again."""
    path = codes_file(Path(root))
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        code, _, slug = line.partition(" ")
        entries.append((code, slug.strip()))
    return entries


def read_ledger(root: Path) -> dict[str, str]:
    """Return the ledger of issued codes as {code: slug it was last issued for}."""
    return dict(ledger_entries(root))


def record(root: Path, entries: Iterable[tuple[str, str]]) -> None:
    """Add (code, slug) pairs to the ledger atomically, keeping every earlier line."""
    entries = list(entries)
    if not entries:
        return
    path = codes_file(Path(root))
    existing = path.read_text(encoding="utf-8") if path.exists() else _LEDGER_HEADER
    if existing and not existing.endswith("\n"):
        existing += "\n"
    added = "".join(f"{code} {slug}\n" for code, slug in entries)
    atomic_write_text(path, existing + added)


def issue(taken: set[str]) -> str:
    """Return a new random code not in ``taken``, and add it to ``taken``."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if code not in taken:
            taken.add(code)
            return code
