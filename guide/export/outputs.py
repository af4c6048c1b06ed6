"""Write an export's files so that a served folder is never seen half-built.

A build writes every new or changed file into a staging folder inside the
export (``.guide-staging``) and, once every page has rendered, moves them into
place with renames: files other than pages first (hashed assets, photos, data),
then the pages that refer to them, then the removal of what the build no longer
makes, then the manifest. Each file is therefore replaced whole, a page never
arrives before the files it uses, and a build that fails or is stopped before
that point leaves the folder as the last good build left it.

The staging folder is flat (a file per output, named by a digest of its path):
nearly every page of the export sits in a folder of its own, and making then
removing that tree of folders a second time inside the staging folder cost
more than writing the pages.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from posixpath import dirname, normpath
from typing import Any
from urllib.parse import urljoin

from guide.catalogue.store import atomic_write_bytes
from guide.export.inputs import sha

STAGING = ".guide-staging"
# Same-origin files a page or a file refers to: assets, photos, media, thumbnails;
# a match right after a word character or a dot is part of another address.
_REFS = re.compile(r"""/(?:static|photos|media|fonts|api/sites)/[^\s"'<>()?#,\\]+""")
_GLUED = re.compile(r"[\w.]")
_CSS_URL = re.compile(r"""url\(\s*['"]?(?!data:|https?:|/|#)([^'")\s]+)['"]?\s*\)""")
_TEXT_TYPES = ("text/", "application/json", "application/geo+json", "application/javascript")
# The signals that stop a build (Ctrl-C, systemd's stop): held while files move into place.
_STOPS = {signal.SIGINT, signal.SIGTERM}


def output_file(path: str, mimetype: str) -> str:
    """Return the file that serves ``path``: a folder's index.html for a page."""
    relative = path.split("?", 1)[0].lstrip("/")
    if mimetype == "text/html" and not relative.endswith(".html"):
        return f"{relative}/index.html" if relative else "index.html"
    return relative


def staged_name(relative: str) -> str:
    """Return the name under which the output ``relative`` is staged."""
    return hashlib.sha1(relative.encode("utf-8")).hexdigest()


def refs_of(path: str, text: str, mimetype: str) -> set[str]:
    """Return the same-origin files the file at ``path`` refers to."""
    found: set[str] = set()
    # Searching for the address first and looking at the character before it is 20×
    # faster than a look-behind tried at every character of the page.
    position = 0
    while (match := _REFS.search(text, position)) is not None:
        start = match.start()
        if start and _GLUED.match(text, start - 1):
            position = start + 1
            continue
        found.add(match.group())
        position = match.end()
    if mimetype == "text/css":
        base = dirname(path) + "/"
        found |= {normpath(urljoin(base, ref)) for ref in _CSS_URL.findall(text)}
    return found


def write_output(
    out: Path,
    relative: str,
    key: str,
    body: bytes,
    mimetype: str,
    refs: bool,
    staging: Path | None = None,
) -> dict[str, Any]:
    """Stage ``body`` for ``out/relative`` unless it is there already; return its record.

    Without ``staging`` the file is replaced in place, whole (written beside, renamed).
    """
    found: set[str] = set()
    if refs and mimetype.startswith(_TEXT_TYPES):
        found = refs_of("/" + relative, body.decode("utf-8", "replace"), mimetype)
    target = out / relative
    try:
        same = target.read_bytes() == body
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        same = False
    if not same:
        if staging is None:
            atomic_write_bytes(target, body)
        else:
            staged = staging / staged_name(relative)
            try:
                staged.write_bytes(body)
            except FileNotFoundError:
                staging.mkdir(parents=True, exist_ok=True)
                staged.write_bytes(body)
    return {"key": key, "sha": sha(body), "size": len(body), "refs": sorted(found)}


def clear_staging(out: Path) -> None:
    """Remove what a build left staged (one that failed, or was stopped or killed)."""
    shutil.rmtree(out / STAGING, ignore_errors=True)


def commit(out: Path, written: Iterable[str], removed: Iterable[str]) -> None:
    """Move the staged files into ``out`` (other files, then pages), then remove ``removed``."""
    staging = out / STAGING
    made: set[str] = set()
    for relative in sorted(written, key=lambda r: (r.endswith(".html"), r)):
        folder = dirname(relative)
        if folder not in made:
            # Once per folder: most pages have a folder of their own, the rest share.
            os.makedirs(out / folder, exist_ok=True)
            made.add(folder)
        try:
            os.replace(staging / staged_name(relative), out / relative)
        except FileNotFoundError:
            continue  # the same bytes were there already: nothing was staged
    for relative in removed:
        (out / relative).unlink(missing_ok=True)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends: files move into place all together."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        # A signal that came meanwhile is delivered here, once everything is in place.
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
