"""Write an export's files so that a served folder is never seen half-built.

A build writes every new or changed file into a staging folder inside the
export (``.guide-staging``) and, once every page has rendered, moves them into
place with renames: files other than pages first (hashed assets, photos, data),
then the pages that refer to them, then the removal of what the build no longer
makes, then the manifest. Each file is therefore replaced whole, a page never
arrives before the files it uses, and a build that fails or is stopped before
that point leaves the folder as the last good build left it.

When the export's folder already holds a build, the staging folder is flat (a
file per output, named by a digest of its path): nearly every page of the
export sits in a folder of its own, and making then removing that tree of
folders a second time inside the staging folder cost more than writing the
pages. A build into an empty folder (``whole``) stages its files in the
export's own layout instead: that tree is made once, while the pages render,
and moves into place with one rename per top-level entry (files other than
pages first), so that a full build of thousands of pages is not followed by
as many renames and folders made one after the other.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
from collections.abc import Callable, Iterable, Iterator
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
    whole: bool = False,
) -> dict[str, Any]:
    """Stage ``body`` for ``out/relative`` unless it is there already; return its record.

    Without ``staging`` the file is replaced in place, whole (written beside, renamed).
    ``whole``: the build is one into an empty folder, staged in the export's layout.
    """
    found: set[str] = set()
    if refs and mimetype.startswith(_TEXT_TYPES):
        found = refs_of("/" + relative, body.decode("utf-8", "replace"), mimetype)
    record = {"key": key, "sha": sha(body), "size": len(body), "refs": sorted(found)}
    if whole and staging is not None:
        # Nothing was in the folder: no file there to compare with.
        write_new(staging / relative, body)
        return record
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
    return record


def write_new(path: Path, body: bytes) -> None:
    """Write ``body`` to ``path``, making its folders when they are not there yet."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags, 0o666)
    except FileNotFoundError:
        os.makedirs(path.parent, exist_ok=True)
        descriptor = os.open(path, flags, 0o666)
    try:
        view = memoryview(body)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


def make_folders(root: Path, relatives: Iterable[str]) -> None:
    """Make under ``root`` the folders of the files ``relatives``, in their order.

    Meant to run while other processes write those files: a folder one of them
    made first is left as it is.
    """
    made: set[str] = set()
    for relative in relatives:
        folder = dirname(relative)
        if folder in made:
            continue
        made.add(folder)
        try:
            os.mkdir(root / folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(root / folder, exist_ok=True)


def clear_staging(out: Path) -> None:
    """Remove what a build left staged (one that failed, or was stopped or killed)."""
    shutil.rmtree(out / STAGING, ignore_errors=True)


def commit(out: Path, written: Iterable[str], removed: Iterable[str], whole: bool = False) -> None:
    """Move the staged files into ``out`` (other files, then pages), then remove ``removed``.

    ``whole``: the files were staged in the export's layout (``write_output``).
    """
    staging = out / STAGING
    if whole:
        _commit_tree(out, list(written))
    else:
        _move(out, sorted(written, key=_pages_last), lambda r: staging / staged_name(r))
    for relative in removed:
        (out / relative).unlink(missing_ok=True)


def _pages_last(relative: str) -> tuple[bool, str]:
    return relative.endswith(".html"), relative


def _move(out: Path, written: Iterable[str], source: Callable[[str], Path]) -> None:
    """Move each staged file of ``written`` to its place, making its folder first."""
    made: set[str] = set()
    for relative in written:
        folder = dirname(relative)
        if folder not in made:
            # Once per folder: most pages have a folder of their own, the rest share.
            os.makedirs(out / folder, exist_ok=True)
            made.add(folder)
        try:
            os.replace(source(relative), out / relative)
        except FileNotFoundError:
            continue  # the same bytes were there already: nothing was staged


def _commit_tree(out: Path, written: list[str]) -> None:
    """Move a staged tree into ``out`` with a rename per top-level entry, pages last."""
    staging = out / STAGING
    tops: dict[str, list[str]] = {}
    for relative in written:
        tops.setdefault(relative.split("/", 1)[0], []).append(relative)

    def pages_last(top: str) -> tuple[bool, str]:
        return any(r.endswith(".html") for r in tops[top]), top

    for top in sorted(tops, key=pages_last):
        target = out / top
        if not os.path.lexists(target):
            os.rename(staging / top, target)
            continue
        # Something came into the folder meanwhile: what the build wrote replaces it file by file.
        _move(out, sorted(tops[top], key=_pages_last), lambda r: staging / r)


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
