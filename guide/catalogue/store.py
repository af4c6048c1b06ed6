"""Atomic writes: a file is either its old self or its new self, never half written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from guide.catalogue.layout import site_file, story_file


def current_umask() -> int:
    """Return the process umask (read from /proc on Linux, else by setting it back)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def normal_mode(directory: bool = False) -> int:
    """Return the mode a file (or folder) created the ordinary way would get: 0644 under 022."""
    return (0o777 if directory else 0o666) & ~current_umask()


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a flushed temporary file and a rename.

    mkstemp creates its file 0600; the file is given the umask's ordinary mode
    before the rename, so people and a web server can read what the guide writes.
    A secret passes ``mode=0o600`` and is never readable by others, not even briefly.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(handle, normal_mode() if mode is None else mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (``mode`` as in atomic_write_bytes)."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


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
            atomic_write_text(story_file(target, language), text)
        atomic_write_text(site_file(target), site_toml(facts))
        return target
    staging = Path(tempfile.mkdtemp(prefix=f".new-{slug}.", dir=root))
    try:
        for language, text in stories.items():
            atomic_write_text(story_file(staging, language), text)
        atomic_write_text(site_file(staging), site_toml(facts))
        os.chmod(staging, normal_mode(directory=True))  # mkdtemp made it 0700
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
