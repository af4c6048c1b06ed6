"""Keep an export following its catalogue: build, then build again whenever an input changes.

One long-running process keeps Python, the guide's modules and its app
loaded, so a one-site edit costs the rebuild alone, not the start of a
command. Every ``every`` seconds it looks at the files a build reads (their
names, sizes and modification times: no file is read); when any of them
changed it asks ``guide.export.inputs.check`` whether the export is out of
date and, if so, builds again, only what changed. A build that fails says why
and changes nothing in the folder (``guide.export.outputs``); the next change
is built again. A change to the guide's own code starts the process again, since
the loaded modules are those of before. SIGINT or SIGTERM stops it between two
files' moves into place, never in the middle of them.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from guide import PROJECT_ROOT, TEMPLATES
from guide.export.inputs import BuildReport, check
from guide.export.outputs import clear_staging

if TYPE_CHECKING:
    from flask import Flask

Say = Callable[[str, bool], None]
# How many written files a build's line names before it only counts the rest.
NAMED = 8


class Stopped(BaseException):
    """SIGTERM came: the watcher ends as on Ctrl-C (not an error a build reports)."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped


def signature(root: Path, skip_hidden_top: bool = True) -> tuple[tuple[str, int, int, int], ...]:
    """Return the name, size, modification time and inode of every file under ``root``.

    Compiled modules (``__pycache__``) are left out, and so are the hidden entries
    at the top of ``root`` (the catalogue's own ``.cache``, which a build writes).
    """
    found: list[tuple[str, int, int, int]] = []
    for folder, folders, files in os.walk(root):
        top = folder == str(root)
        folders[:] = sorted(
            name
            for name in folders
            if name != "__pycache__" and not (top and skip_hidden_top and name.startswith("."))
        )
        for name in sorted(files):
            if top and skip_hidden_top and name.startswith("."):
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue  # removed meanwhile: the next look sees it gone
            found.append((path, info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(found)


def code_signature() -> tuple[tuple[str, int, int, int], ...]:
    """Return the signature of the guide's code and templates: what the process has loaded."""
    package = PROJECT_ROOT / "guide"
    extra = () if TEMPLATES.is_relative_to(package) else signature(TEMPLATES)
    return signature(package) + extra


def summary(out: Path, report: BuildReport) -> str:
    """Return the line a build prints: counts, size, seconds and the files written."""
    line = (
        f"{out}: {len(report.written)} written, {report.kept} unchanged, "
        f"{len(report.removed)} removed; {report.files} files, {report.bytes} bytes "
        f"in {report.seconds:.2f} s"
    )
    if report.written:
        named = sorted(report.written, key=lambda r: (not r.endswith(".html"), r))[:NAMED]
        more = len(report.written) - len(named)
        line += ": " + ", ".join(named) + (f" and {more} more" if more else "")
    return line


def _default_say(text: str, error: bool) -> None:
    stream = sys.stderr if error else sys.stdout
    print(f"{time.strftime('%H:%M:%S')} {text}", file=stream, flush=True)


class Follower:
    """Build ``out`` from ``sites`` when out of date, keeping the guide's app between builds.

    The app is made again only when ``catalogue.toml`` changes (its languages make the
    app's addresses) or after a build failed in an unforeseen way.
    """

    def __init__(self, out: Path, sites: Path, base_url: str, api_url: str, say: Say) -> None:
        self.out, self.sites, self.base_url, self.api_url = out, sites, base_url, api_url
        self.say = say
        self.app: Flask | None = None
        self.config: bytes | None = None

    def config_bytes(self) -> bytes | None:
        from guide.catalogue.layout import config_file

        try:
            return config_file(self.sites).read_bytes()
        except OSError:
            return None

    def build(self, current: bool = False) -> BuildReport | None:
        """Build if the export is out of date; say what was done or why it failed.

        With ``current``, an export already up to date is said too.
        """
        from guide.catalogue.config import CatalogueError
        from guide.export.build import Builder, BuildError

        started = time.perf_counter()
        inputs = check(self.out, self.sites, self.base_url, self.api_url)
        if inputs.report is not None:
            if current:
                self.say(summary(self.out, inputs.report), False)
            return inputs.report
        failed = f"build failed, {self.out} keeps the last good build"
        config = self.config_bytes()
        if config != self.config:
            self.app = None
        try:
            builder = Builder(
                self.out, self.sites, self.base_url, self.api_url, inputs, True, self.app
            )
            self.app, self.config = builder.app, config
            report = builder.run()
        except (BuildError, CatalogueError) as error:
            self.say(f"{failed}: {error}", True)
            return None
        except Exception as error:  # a fault of the guide: the folder is still kept
            self.app = None
            self.say(f"{failed}: {error!r}", True)
            traceback.print_exc(file=sys.stderr)
            return None
        # The whole step, as a publish waits for it: the check and the catalogue's load too.
        report.seconds = time.perf_counter() - started
        self.say(summary(self.out, report), False)
        return report


def restart() -> None:
    """Start this command again: the guide's code changed under the loaded modules."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


def watch(
    out: Path,
    sites: Path,
    base_url: str = "",
    api_url: str = "",
    every: float = 1.0,
    say: Say = _default_say,
) -> None:
    """Build ``out`` from ``sites`` now and after every change, until SIGINT or SIGTERM."""
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        code = code_signature()
        seen = signature(sites)
        clear_staging(out)  # left by a build that was killed, when nothing else clears it
        follower = Follower(out, sites, base_url, api_url, say)
        follower.build(current=True)
        say(f"watching {sites} every {every:g} s (Ctrl-C stops)", False)
        while True:
            time.sleep(every)
            if code_signature() != code:
                say("the guide's code changed: starting again", False)
                restart()
            now = signature(sites)
            if now == seen:
                continue
            # Taken before the build reads anything: an edit made during it is seen next.
            seen = now
            follower.build()
    except (KeyboardInterrupt, Stopped):
        say("stopped", False)
    finally:
        signal.signal(signal.SIGTERM, previous)
