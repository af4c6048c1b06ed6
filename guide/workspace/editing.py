"""Save a site's files from the editor without ever losing anything.

Each save runs under a lock of the catalogue, compares the files on disk with
the digest of the files the editor loaded (another person's save in between is
a conflict, not an overwrite), writes each file atomically in an order that
keeps the site valid after a crash at any point, and records a revision with
who, when and what changed. Any revision can be shown as a diff and restored.
"""

from __future__ import annotations

import difflib
import fcntl
import hashlib
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guide.catalogue import layout
from guide.catalogue.layout import SITE_FILE
from guide.catalogue.store import atomic_write_text, site_toml
from guide.workspace.database import db

if TYPE_CHECKING:
    from guide.workspace.db import Revision


LOCK_NAME = ".guide-edit.lock"
NARRATIVE_RE = re.compile(r"^story\.[A-Za-z0-9_-]+\.md$")


class EditConflict(Exception):
    """The site changed on disk since the editor loaded it."""

    def __init__(self, current: dict[str, str]) -> None:
        super().__init__("the site was changed by someone else since you opened it")
        self.current = current


def story_name(language: str) -> str:
    """Return the file name of a narrative."""
    return layout.story_name(language)


def snapshot(folder: Path, languages: tuple[str, ...]) -> dict[str, str]:
    """Return {file name: text} of a site's text files that exist (facts and narratives)."""
    files = {}
    for name in (SITE_FILE, *(story_name(language) for language in languages)):
        path = folder / name
        if path.is_file():
            files[name] = path.read_text(encoding="utf-8")
    return files


def digest(files: Mapping[str, str]) -> str:
    """Return a hash of a set of text files, to notice any change between load and save."""
    hasher = hashlib.sha256()
    for name in sorted(files):
        hasher.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return hasher.hexdigest()


@contextmanager
def catalogue_lock(root: Path) -> Iterator[None]:
    """Hold the catalogue's edit lock (shared by every process serving it)."""
    path = Path(root) / LOCK_NAME
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def site_files(facts: dict[str, Any], stories: Mapping[str, str]) -> dict[str, str | None]:
    """Return the files a save writes: site.toml and each narrative (None deletes it)."""
    files: dict[str, str | None] = {SITE_FILE: site_toml(facts)}
    for language, text in stories.items():
        text = text.replace("\r\n", "\n")
        files[story_name(language)] = text.rstrip() + "\n" if text.strip() else None
    return files


def describe_changes(before: Mapping[str, str], after: Mapping[str, str | None]) -> str:
    """Return a short account of what changed: fields of site.toml and narratives."""
    changed = []
    if SITE_FILE in after and after[SITE_FILE] is not None:
        old = _toml(before.get(SITE_FILE, ""))
        new = _toml(after[SITE_FILE])
        changed += [key for key in new if old.get(key) != new.get(key)]
        changed += [key for key in old if key not in new]
    for name, text in after.items():
        if name != SITE_FILE and before.get(name) != text:
            changed.append(name.removesuffix(".md") if text is not None else f"{name} removed")
    return ", ".join(changed) or "no change"


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text) if text else {}
    except tomllib.TOMLDecodeError:
        return {}


def write_files(folder: Path, files: Mapping[str, str | None]) -> None:
    """Write a site's files, each atomically, in an order that is safe at every step.

    Narratives that are removed go first, then ``site.toml``, then the other
    narratives: a narrative never exists without the name in its language,
    so a crash between two files leaves a site that ``guide check`` accepts.
    Only narratives are ever deleted: photos and recordings stay in the folder
    for the revisions that list them (ValueError for any other name).
    """
    for name, text in files.items():
        if text is None and not NARRATIVE_RE.match(name):
            raise ValueError(
                f"{name}: a save deletes only narratives (story.<language>.md); "
                "photos, recordings and site.toml are never deleted"
            )
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        if text is None:
            (folder / name).unlink(missing_ok=True)
    if files.get(SITE_FILE) is not None:
        atomic_write_text(folder / SITE_FILE, files[SITE_FILE])  # type: ignore[arg-type]
    for name, text in files.items():
        if name != SITE_FILE and text is not None:
            atomic_write_text(folder / name, text)


# The largest signed 64-bit integer: a larger number would overflow the query.
MAX_REVISION_NUMBER = 2**63 - 1


def revisions(slug: str) -> list[Revision]:
    """Return a site's revisions, newest first."""
    from sqlalchemy import select

    from guide.workspace.db import Revision

    return list(
        db.session.scalars(
            select(Revision).where(Revision.slug == slug).order_by(Revision.number.desc())
        )
    )


def get_revision(slug: str, number: int) -> Revision | None:
    """Return one revision of a site, or None (also for numbers no database column holds)."""
    from sqlalchemy import select

    from guide.workspace.db import Revision

    if not 0 < number <= MAX_REVISION_NUMBER:
        return None
    return db.session.scalar(
        select(Revision).where(Revision.slug == slug, Revision.number == number)
    )


def record_revision(
    slug: str,
    files: Mapping[str, str],
    user_name: str,
    summary: str,
    restored_from: int | None = None,
) -> Revision:
    """Store the site's files as its next revision and commit."""
    from sqlalchemy import func, select

    from guide.workspace.db import Revision

    latest = db.session.scalar(select(func.max(Revision.number)).where(Revision.slug == slug))
    revision = Revision(
        slug=slug,
        number=(latest or 0) + 1,
        user_name=user_name,
        summary=summary,
        digest=digest(files),
        files_json=json.dumps(dict(files), ensure_ascii=False, sort_keys=True),
        restored_from=restored_from,
    )
    db.session.add(revision)
    db.session.commit()
    return revision


@dataclass
class SaveResult:
    """What a save did: the revision it recorded and the digest of the files now on disk."""

    revision: Revision | None
    digest: str


def save_site(
    root: Path,
    slug: str,
    files: Mapping[str, str | None],
    languages: tuple[str, ...],
    *,
    base_digest: str | None,
    user_name: str,
    summary: str | None = None,
    restored_from: int | None = None,
) -> SaveResult:
    """Write a site's files unless they changed since ``base_digest``; record a revision.

    ``base_digest`` is the digest of the files the editor loaded (``None`` for a
    change that does not depend on what was loaded, such as adding a photo
    under the lock). Raise EditConflict when the files on disk differ from it.
    """
    folder = Path(root) / slug
    with catalogue_lock(root):
        current = snapshot(folder, languages)
        if base_digest is not None and digest(current) != base_digest:
            raise EditConflict(current)
        if current and not revisions(slug):
            # The first save through the editor keeps what was there before as revision 1.
            record_revision(slug, current, "(files)", "as found in the catalogue folder")
        # Only files that change are written: fewer writes, fewer chances to be interrupted.
        changes = {
            name: text
            for name, text in files.items()
            if current.get(name) != text and (text is not None or name in current)
        }
        write_files(folder, changes)
        after = snapshot(folder, languages)
        if after == current:
            return SaveResult(None, digest(after))
        revision = record_revision(
            slug,
            after,
            user_name,
            summary or describe_changes(current, files),
            restored_from=restored_from,
        )
        return SaveResult(revision, digest(after))


def restore_files(revision: Revision, current: Mapping[str, str]) -> dict[str, str | None]:
    """Return the files that bring a site back to ``revision`` (removing later narratives)."""
    files: dict[str, str | None] = {name: None for name in current if name not in revision.files}
    files.update(revision.files)
    return files


@dataclass
class FileDiff:
    """The unified diff of one file between two revisions."""

    name: str
    lines: list[str]


def diff_files(before: Mapping[str, str], after: Mapping[str, str]) -> list[FileDiff]:
    """Return per-file unified diffs between two sets of site files (changed files only)."""
    result = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, ""), after.get(name, "")
        if old == new:
            continue
        lines = list(
            difflib.unified_diff(
                old.splitlines(), new.splitlines(), fromfile=name, tofile=name, lineterm=""
            )
        )
        result.append(FileDiff(name, lines))
    return result


def previous_files(revision: Revision) -> dict[str, str]:
    """Return the files of the revision before ``revision`` (empty for the first)."""
    from sqlalchemy import select

    from guide.workspace.db import Revision

    earlier = db.session.scalar(
        select(Revision)
        .where(Revision.slug == revision.slug, Revision.number < revision.number)
        .order_by(Revision.number.desc())
        .limit(1)
    )
    return earlier.files if earlier else {}
