"""Leftovers of an interrupted write: found by ``guide check``, tidied by ``guide check --fix``.

A process killed mid-write can leave three kinds of leftovers, none of which
breaks the catalogue, each of which should not stay:

- a temporary file (``.<name>.<random>.tmp``) of an atomic write that never got
  renamed: removed once it is older than a minute (a younger one may belong to
  a write happening now);
- a site folder written without its first revision in the database (the
  workspace created or imported it and was stopped before recording it): the
  files as found are recorded as revision 1;
- an uploaded photo or recording that neither the site nor any of its
  revisions lists (stopped between storing the file and saving the list):
  moved to ``_orphans/<slug>/`` in the catalogue, where nothing is lost and the
  loader does not look. A file some revision lists is never moved: restoring
  that revision needs it.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from guide.catalogue.index import Catalogue
from guide.catalogue.layout import AUDIO_SUFFIXES, PHOTO_SUFFIXES, SITE_FILE
from guide.catalogue.model import Problem
from guide.messages import N_

ORPHANS_FOLDER = "_orphans"
TMP_GRACE_S = 60.0
WEB_FOLDER = "web"  # the smaller copies of photos, made from a listed photo


@dataclass(frozen=True)
class Leftover:
    """One leftover: what it is, where, and the problem ``guide check`` reports."""

    kind: str  # "tmp", "unrecorded", "unlisted"
    path: Path
    slug: str
    problem: Problem


# Revision lookups, given by the caller (the database is optional for guide check):
# the slugs that have a revision, and every media file any revision of a slug lists.
RecordedSlugs = Callable[[], set[str]]
ListedByRevisions = Callable[[str], set[str]]


def find_leftovers(
    catalogue: Catalogue,
    recorded_slugs: RecordedSlugs | None = None,
    listed_by_revisions: ListedByRevisions | None = None,
    now: float | None = None,
) -> list[Leftover]:
    """Return the leftovers of interrupted writes in the catalogue folder.

    Without the database lookups only temporary files and files no current
    ``site.toml`` lists are looked at.
    """
    now = time.time() if now is None else now
    root = catalogue.root
    found: list[Leftover] = []
    for path in sorted(_temporary_files(root)):
        age = now - path.stat().st_mtime
        fix = (
            N_("a temporary file left by an interrupted write: guide check --fix removes it")
            if age >= TMP_GRACE_S
            else N_("a temporary file, perhaps of a write happening now: look again in a minute")
        )
        label = str(path.parent / SITE_FILE) if path.parent != root else str(root)
        problem = Problem.of(label, path.name, "leftover.tmp", fix, "warning")
        found.append(Leftover("tmp", path, path.parent.name, problem))
    recorded = recorded_slugs() if recorded_slugs is not None else None
    for site in catalogue:
        if site.folder is None:
            continue
        label = str(site.folder / SITE_FILE)
        if recorded is not None and site.slug not in recorded:
            problem = Problem.of(
                label,
                "",
                "leftover.unrecorded",
                N_(
                    "no revision recorded in the database: guide check --fix records the "
                    "files as found as revision 1"
                ),
                "warning",
            )
            found.append(Leftover("unrecorded", site.folder, site.slug, problem))
        listed = {item.file for item in site.media}
        if listed_by_revisions is not None:
            listed |= listed_by_revisions(site.slug)
        for relative in unlisted_media(site.folder, listed):
            problem = Problem.of(
                label,
                relative,
                "leftover.unlisted",
                N_(
                    "neither the site nor any revision lists this file (an upload that was "
                    "interrupted): list it in media, or guide check --fix moves it to %(folder)s"
                ),
                "warning",
                folder=f"{ORPHANS_FOLDER}/{site.slug}/",
            )
            found.append(Leftover("unlisted", site.folder / relative, site.slug, problem))
    return found


def _temporary_files(root: Path) -> Iterable[Path]:
    for pattern in (".*.tmp", "*/.*.tmp"):
        for path in root.glob(pattern):
            if path.is_file() and not path.is_symlink():
                yield path


def unlisted_media(folder: Path, listed: set[str]) -> list[str]:
    """Return the photos and recordings in ``folder`` that ``listed`` does not name.

    Hidden files and the smaller web copies of photos (made from listed ones) are left out.
    """
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        parts = PurePosixPath(relative).parts
        if parts[0] == WEB_FOLDER or any(part.startswith(".") for part in parts):
            continue
        if path.is_symlink() or not path.is_file() or relative in listed:
            continue
        if relative.lower().endswith(PHOTO_SUFFIXES + AUDIO_SUFFIXES):
            found.append(relative)
    return found


def fix_leftovers(
    catalogue: Catalogue,
    leftovers: Iterable[Leftover],
    record_as_found: Callable[[str, Path], None] | None = None,
    now: float | None = None,
) -> list[str]:
    """Tidy the leftovers; return one line per thing done.

    ``record_as_found(slug, folder)`` records a site's files as its first
    revision (needs the database). Temporary files younger than a minute stay.
    """
    now = time.time() if now is None else now
    done = []
    for leftover in leftovers:
        if leftover.kind == "tmp":
            if now - leftover.path.stat().st_mtime >= TMP_GRACE_S:
                leftover.path.unlink(missing_ok=True)
                done.append(f"removed {leftover.path}")
        elif leftover.kind == "unrecorded" and record_as_found is not None:
            record_as_found(leftover.slug, leftover.path)
            done.append(f"recorded revision 1 of {leftover.slug} (files as found)")
        elif leftover.kind == "unlisted":
            relative = leftover.path.relative_to(catalogue.root / leftover.slug)
            target = catalogue.root / ORPHANS_FOLDER / leftover.slug / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                target = target.with_name(f"{target.stem}.{int(now)}{target.suffix}")
            shutil.move(os.fspath(leftover.path), os.fspath(target))
            done.append(f"moved {leftover.path} to {target}")
    return done
