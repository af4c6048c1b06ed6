"""Compiled templates kept in the instance folder between processes: server starts and builds.

Compiling the story page's templates is most of the first page a process
renders. Jinja keys each compiled template by its name and file and checks the
source's digest when it loads one, so a changed template is compiled again.
Compiled templates are code that Python runs: the folder must be the owner's
only (mode 0700), and a folder that anyone else could write to is not used.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

FOLDER = "template-cache"
# The server's own entries keep Jinja's default names; a build's carry its key.
BUILD_PREFIX = "build-"


class PrivateBytecodeCache(FileSystemBytecodeCache):
    """Jinja's folder of compiled templates, where a failed write costs a compile, not a page."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a compiled template, unless the folder cannot take it now."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def private_folder(folder: Path) -> bool:
    """Make ``folder`` (mode 0700) if it is not there; return whether only its owner can use it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    found = os.lstat(folder)
    if not stat.S_ISDIR(found.st_mode):
        return False
    if hasattr(os, "getuid"):
        if found.st_uid != os.getuid():
            return False
        if stat.S_IMODE(found.st_mode) & 0o077:
            os.chmod(folder, 0o700)
            found = os.lstat(folder)
    return not stat.S_IMODE(found.st_mode) & 0o077


def cache_folder(app: Flask) -> Path | None:
    """Return the instance's folder of compiled templates, or None (with a warning) if unusable."""
    folder = Path(app.instance_path) / FOLDER
    try:
        if private_folder(folder):
            return folder
        problem = "another user can write to it, or it is not a folder"
    except OSError as error:
        problem = str(error)
    app.logger.warning("templates compiled in every process (%s): %s", folder, problem)
    return None


def init_template_cache(app: Flask) -> None:
    """Keep the server's compiled templates in the instance folder, for its next start.

    Tests (TESTING) leave nothing in an instance folder; builds have their own
    entries (``init_build_cache``).
    """
    if app.testing:
        return
    folder = cache_folder(app)
    if folder is not None:
        app.jinja_env.bytecode_cache = PrivateBytecodeCache(str(folder))


def init_build_cache(app: Flask, key: str) -> None:
    """Keep a build's compiled templates in the instance folder, for the next build.

    ``key`` names what the compiled code may depend on besides a template's own
    source (the guide's code and the build's settings: Jinja computes some
    filters while it compiles). A build with another key removes the entries of
    every other, so the folder keeps one build's set beside the server's.
    """
    folder = cache_folder(app)
    if folder is None:
        return
    prefix = f"{BUILD_PREFIX}{key[:16]}-"
    for entry in os.scandir(folder):
        name = entry.name
        if (
            name.startswith(BUILD_PREFIX)
            and name.endswith(".cache")
            and not name.startswith(prefix)
        ):
            with contextlib.suppress(OSError):
                os.remove(entry.path)
    app.jinja_env.bytecode_cache = PrivateBytecodeCache(str(folder), prefix + "%s.cache")
