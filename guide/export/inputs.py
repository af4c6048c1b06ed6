"""Tell whether an export is up to date without the web app: digests of what a build reads.

A build reads the guide's code, templates and settings and the catalogue's
files. Their digest is kept in the build's manifest; when the next build finds
the same digest and every file of the last build still in the folder, there is
nothing to render, and it says so without loading Flask, the catalogue or the
views (``guide build`` with nothing changed is then as quick as reading the
files). Only standard-library modules are imported here for that reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guide import PROJECT_ROOT, TEMPLATES

MANIFEST = ".guide-build.json"
FORMAT = 1
# The setting that makes the guide render its public pages for a static host
# (guide.web.addresses.STATIC_EXPORT; that module imports Flask).
STATIC_EXPORT = "GUIDE_STATIC_EXPORT"
# What the guide's code is made of: a change to any of these renders every page again.
CODE_SUFFIXES = (".py", ".mo", ".css", ".js", ".svg", ".png")


@dataclass
class BuildReport:
    """What a build did: files written and kept, files removed, size and time."""

    written: list[str] = field(default_factory=list)
    kept: int = 0
    removed: list[str] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0


def export_settings(sites: Path, base_url: str = "", api_url: str = "") -> dict[str, Any]:
    """Return the settings the guide renders an export with."""
    return {
        "TESTING": True,
        "GUIDE_SITES": str(sites),
        "GUIDE_BASE_URL": base_url.strip().rstrip("/"),
        "GUIDE_API_URL": api_url.strip().rstrip("/"),
        STATIC_EXPORT: True,
        # Only staff sign-in is limited, and the export signs no one in.
        "RATELIMIT_ENABLED": False,
    }


def sha(*parts: bytes | str) -> str:
    """Return the SHA-256 of ``parts``, each framed by its length (no two lists collide)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def tree_digest(*roots: Path, suffixes: tuple[str, ...] = ()) -> str:
    """Return a digest of the names and bytes of every file under ``roots``."""
    parts: list[bytes | str] = []
    for root in roots:
        if root.is_file():
            parts += [root.name, root.read_bytes()]
            continue
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                if suffixes and path.suffix not in suffixes:
                    continue
                parts += [str(path.relative_to(root)), path.read_bytes()]
    return sha(*parts)


def code_trees() -> tuple[str, str]:
    """Return the digests of the guide's code and assets, and of its templates."""
    return tree_digest(PROJECT_ROOT / "guide", suffixes=CODE_SUFFIXES), tree_digest(TEMPLATES)


def code_digest(config: dict[str, Any], trees: tuple[str, ...] = ()) -> str:
    """Return a digest of what renders every page: the guide's code, templates, assets, settings.

    ``trees`` is what ``code_trees`` returned earlier in the same build, if it was asked.
    """
    return sha(*(trees or code_trees()), json.dumps(config, sort_keys=True))


def catalogue_entries(root: Path) -> dict[str, str]:
    """Return the digest of each entry of the catalogue folder: each site's folder, each file.

    Hidden entries (the catalogue's ``.cache``) are left out: they are kept by
    the catalogue, not written by its editors.
    """
    names = sorted(entry.name for entry in os.scandir(root) if not entry.name.startswith("."))
    return {name: tree_digest(root / name) for name in names}


def guide_environment() -> dict[str, str]:
    """Return the ``GUIDE_*`` environment variables: settings too (guide.settings.from_environ)."""
    return {k: v for k, v in os.environ.items() if k.startswith("GUIDE_")}


def inputs_digest(
    settings: dict[str, Any], entries: dict[str, str], trees: tuple[str, ...] = ()
) -> str:
    """Return the digest of everything a build reads: code, settings, environment, catalogue."""
    shown = {k: v for k, v in settings.items() if k != "GUIDE_SITES"}
    return sha(
        str(FORMAT),
        code_digest(shown, trees),
        json.dumps(guide_environment(), sort_keys=True),
        *(f"{name}\0{digest}" for name, digest in entries.items()),
    )


@dataclass
class Inputs:
    """What a build reads, as found before it starts: the digests, and whether it is done."""

    entries: dict[str, str]
    digest: str
    # The report of a build with nothing to do: the export is up to date.
    report: BuildReport | None = None
    # The digests of the code and of the templates (``code_trees``), read once a build.
    code: tuple[str, ...] = ()


def read_inputs(settings: dict[str, Any]) -> Inputs:
    """Return the digests of the catalogue folder named by ``settings`` and of all inputs."""
    root = Path(settings["GUIDE_SITES"])
    # No folder: the build says what is wrong when it opens the catalogue.
    entries = catalogue_entries(root) if root.is_dir() else {}
    trees = code_trees()
    return Inputs(entries, inputs_digest(settings, entries, trees), code=trees)


def check(out: Path, sites: Path, base_url: str = "", api_url: str = "") -> Inputs:
    """Return what a build of ``sites`` into ``out`` reads, with a report if nothing changed."""
    started = time.perf_counter()
    inputs = read_inputs(export_settings(sites, base_url, api_url))
    if inputs.entries:
        inputs.report = up_to_date(out, inputs.digest)
        if inputs.report is not None:
            inputs.report.seconds = time.perf_counter() - started
    return inputs


def up_to_date(out: Path, digest: str) -> BuildReport | None:
    """Return the report of a build with nothing to do, or None when ``out`` needs a build.

    Nothing to do: the manifest of the last build was written from inputs of the
    same ``digest`` and every file it lists is still in ``out``.
    """
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("inputs") != digest:
        return None
    outputs = data.get("outputs")
    if not isinstance(outputs, dict):
        return None
    base = str(out)
    size = 0
    for relative in outputs:
        try:
            found = os.stat(os.path.join(base, relative))
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode):
            return None
        size += found.st_size
    return BuildReport(
        kept=len(outputs),
        files=len(outputs),
        bytes=size,
    )
