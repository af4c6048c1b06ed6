"""Spell the catalogue's folder format: the one place that names its files and folders.

A catalogue folder holds ``catalogue.toml``, an areas boundary file, the ``codes.txt``
ledger, ``_tours/<slug>.toml`` curated tours, a ``.cache`` folder, and one folder per
site holding ``site.toml``, ``story.<lang>.md`` and media (photos at the top or in
``photos/``, narrations in ``audio/``). Folders starting with "." or "_" are not sites.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

SITE_FILE = "site.toml"
CONFIG_FILE = "catalogue.toml"
CODES_FILE = "codes.txt"
CACHE_FOLDER = ".cache"
TOURS_FOLDER = "_tours"
PHOTOS_FOLDER = "photos"
AUDIO_FOLDER = "audio"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
AUDIO_SUFFIXES = (".mp3", ".m4a", ".ogg")
STORY_PREFIX = "story."


def site_file(folder: Path) -> Path:
    """Return the facts file of a site folder."""
    return folder / SITE_FILE


def story_name(language: str) -> str:
    """Return the file name of the narrative in ``language`` (``story.vi.md``)."""
    return f"{STORY_PREFIX}{language}.md"


def story_file(folder: Path, language: str) -> Path:
    """Return the narrative file of a site folder in ``language``."""
    return folder / story_name(language)


def is_story_name(name: str) -> bool:
    """Return whether ``name`` is a narrative file name (``story.<lang>.md``).

    >>> is_story_name("story.vi.md"), is_story_name("site.toml")
    (True, False)
    """
    return name.startswith(STORY_PREFIX) and name.endswith(".md") and name.count(".") == 2


def config_file(root: Path) -> Path:
    """Return the ``catalogue.toml`` of a catalogue folder."""
    return root / CONFIG_FILE


def codes_file(root: Path) -> Path:
    """Return the ledger of issued codes of a catalogue folder."""
    return root / CODES_FILE


def tours_folder(root: Path) -> Path:
    """Return the folder of curated tours of a catalogue folder."""
    return root / TOURS_FOLDER


def tour_file(root: Path, slug: str) -> Path:
    """Return the file of the curated tour ``slug``."""
    return tours_folder(root) / f"{slug}.toml"


def cache_file(root: Path, name: str) -> Path:
    """Return a file in the catalogue's cache folder (the snapshot of the parsed sites)."""
    return root / CACHE_FOLDER / name


def is_site_name(name: str) -> bool:
    """Return whether a folder called ``name`` in the catalogue folder holds a site.

    >>> is_site_name("den-ngoc-son"), is_site_name("_tours"), is_site_name(".cache")
    (True, False, False)
    """
    return not name.startswith((".", "_"))


def is_site_folder(path: Path) -> bool:
    """Return whether ``path`` is a folder that the catalogue reads as a site."""
    return path.is_dir() and is_site_name(path.name)


def is_safe_relative_path(value: str) -> bool:
    """Return whether ``value`` is a relative path that stays inside its folder.

    >>> is_safe_relative_path("photos/gate.jpg"), is_safe_relative_path("../x.jpg")
    (True, False)
    >>> is_safe_relative_path("/etc/passwd"), is_safe_relative_path("C:\\\\x.jpg")
    (False, False)
    """
    if not value or "\\" in value or ":" in value:
        return False
    path = PurePosixPath(value)
    return not path.is_absolute() and ".." not in path.parts and "" not in value.split("/")
