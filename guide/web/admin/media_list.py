"""A site's photos and recordings as the editor shows them: entries, rows, files no longer listed.

A photo or recording removed from the site only leaves the site's ``media``
list: the file stays in the site's folder (where the revisions that list it
still find it), so it can be put back from the editor or by restoring a revision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from guide.catalogue.layout import AUDIO_SUFFIXES, PHOTO_SUFFIXES, SITE_FILE, is_safe_relative_path
from guide.catalogue.model import Media, Site
from guide.catalogue.reader import FactsError, site_facts
from guide.web.admin.common import languages, raw_facts
from guide.workspace.editing import FileDiff, digest, revisions, snapshot
from guide.workspace.media import WEB_FOLDER

# More rows than any site has; a form claiming more is cut here.
MAX_ROWS = 500

TEXT_KEYS = ("caption", "credit", "licence")


@dataclass
class MediaRow:
    """One photo or recording as the editor shows it: its entry of ``site.toml``."""

    entry: dict[str, Any]

    @property
    def file(self) -> str:
        """Return the file's path inside the site's folder."""
        return str(self.entry.get("file", ""))

    @property
    def caption(self) -> dict[str, str]:
        """Return the caption per language."""
        caption = self.entry.get("caption", {})
        return caption if isinstance(caption, dict) else {}

    @property
    def credit(self) -> str:
        """Return who made the photo or recording."""
        return str(self.entry.get("credit", ""))

    @property
    def licence(self) -> str:
        """Return the licence it is published under."""
        return str(self.entry.get("licence", ""))

    @property
    def is_audio(self) -> bool:
        """Return whether the file is a narration recording."""
        return Media(self.file).is_audio

    @property
    def language(self) -> str | None:
        """Return the language of a narration recording."""
        return Media(self.file).language


@dataclass
class MediaConflict:
    """What the media list looks like now, against what the person tried to save."""

    diffs: list[FileDiff]
    latest: Any = None


@dataclass
class MediaSection:
    """What the media part of the editor shows."""

    rows: list[MediaRow]
    base_digest: str
    removed: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    conflict: MediaConflict | None = None


def entries_of(facts: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the ``media`` entries of a site's facts (copies, safe to change)."""
    media = facts.get("media", [])
    if not isinstance(media, list):
        return []
    return [dict(item) for item in media if isinstance(item, dict) and "file" in item]


def removed_files(folder: Path, listed: set[str]) -> list[str]:
    """Return the photos and recordings in a site's folder that the site does not list.

    These are files removed from the site (or replaced narrations): kept so that
    nothing is lost, and offered to be put back. The smaller web copies of
    photos and hidden files are not counted.
    """
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        parts = PurePosixPath(relative).parts
        if parts[0] == WEB_FOLDER or any(part.startswith(".") for part in parts):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        if relative in listed or not relative.lower().endswith(PHOTO_SUFFIXES + AUDIO_SUFFIXES):
            continue
        if is_safe_relative_path(relative):
            found.append(relative)
    return found


def is_narration(file: str, language: str) -> bool:
    """Return whether ``file`` is the narration recording of a site in ``language``."""
    media = Media(file)
    return media.is_audio and media.language == language


def media_section(site: Site) -> MediaSection:
    """Return the media part of the editor for a site as stored now."""
    assert site.folder is not None
    entries = entries_of(raw_facts(site))
    return MediaSection(
        rows=[MediaRow(entry) for entry in entries],
        base_digest=digest(snapshot(site.folder, languages())),
        removed=removed_files(site.folder, {entry["file"] for entry in entries}),
    )


def last_known_entry(slug: str, file: str) -> dict[str, Any] | None:
    """Return the newest entry of ``file`` in the site's revisions (its captions and credit)."""
    for revision in revisions(slug):
        try:
            facts = site_facts(revision.files.get(SITE_FILE, ""))
        except FactsError:
            continue
        for entry in entries_of(facts):
            if entry["file"] == file:
                return entry
    return None


def describe_media_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> str:
    """Return a short account of how a site's media list changed, for its revision."""
    old = {entry["file"]: entry for entry in before}
    new = {entry["file"]: entry for entry in after}
    parts = [f"{file} removed from the site (file kept)" for file in old if file not in new]
    parts += [f"{file} put back" for file in new if file not in old]
    for file, entry in new.items():
        if file in old:
            changed = [key for key in TEXT_KEYS if old[file].get(key) != entry.get(key)]
            if changed:
                parts.append(f"{', '.join(changed)} of {file}")
    kept_before = [file for file in old if file in new]
    kept_after = [file for file in new if file in old]
    if kept_before != kept_after:
        parts.append("order of photos and recordings")
    return "; ".join(parts) or "no change"
