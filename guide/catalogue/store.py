"""Atomic writes: a file is either its old self or its new self, never half written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a flushed temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def site_toml(facts: dict) -> str:
    """Return the text of a ``site.toml`` for these facts, keys in their usual order."""
    import tomli_w

    return tomli_w.dumps(facts)


def write_site_folder(
    root: Path, slug: str, facts: dict, stories: dict[str, str], replace: bool = False
) -> Path:
    """Create ``root/slug`` with its ``site.toml`` and stories in one atomic rename.

    The folder is assembled under a hidden temporary name (the loader skips
    hidden folders) and renamed into place, so a crash leaves either no folder
    or a complete one. With ``replace`` an existing folder's files are rewritten
    one by one, each atomically.
    """
    root = Path(root)
    target = root / slug
    if target.exists():
        if not replace:
            raise FileExistsError(f"{target} already exists")
        for language, text in stories.items():
            atomic_write_text(target / f"story.{language}.md", text)
        atomic_write_text(target / "site.toml", site_toml(facts))
        return target
    staging = Path(tempfile.mkdtemp(prefix=f".new-{slug}.", dir=root))
    try:
        for language, text in stories.items():
            atomic_write_text(staging / f"story.{language}.md", text)
        atomic_write_text(staging / "site.toml", site_toml(facts))
        os.replace(staging, target)
    except BaseException:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


STALE_AFTER_S = 3600


def remove_stale_staging(root: Path, older_than_s: float = STALE_AFTER_S) -> None:
    """Remove hidden half-built site folders left behind by an interrupted write.

    Only folders untouched for ``older_than_s`` seconds go: a younger one may
    belong to another import running at this moment.
    """
    import shutil
    import time

    cutoff = time.time() - older_than_s
    for folder in Path(root).glob(".new-*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
