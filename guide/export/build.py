"""Render the public guide to a folder, rendering again only pages whose inputs changed."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from guide import create_app
from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site
from guide.export.digests import Digests, Shared, page_digests, shared_digest
from guide.export.fetch import BuildError, Fetcher
from guide.export.inputs import (
    FORMAT,
    MANIFEST,
    BuildReport,
    Inputs,
    check,
    code_digest,
    code_trees,
    export_settings,
    read_inputs,
    sha,
    tree_digest,
)
from guide.export.outputs import (
    STAGING,
    clear_staging,
    commit,
    make_folders,
    output_file,
    signals_held,
    write_output,
)
from guide.export.outputs import refs_of as _refs  # noqa: F401 (tests read it here)
from guide.export.parallel import Background, render_all
from guide.export.shared import (
    Output,
    code_outputs,
    code_rules,
    extra_outputs,
    shared_addresses,
    story_addresses,
)
from guide.web.loaded import get_catalogue, reload_catalogue
from guide.web.public.fonts import han_nom_faces
from guide.web.template_cache import init_build_cache


def _type_of(address: str) -> str:
    # An address whose last part has no dot is a page (a folder's index.html).
    return "text/html" if not address.rsplit("/", 1)[-1].count(".") else ""


__all__ = ["MANIFEST", "BuildError", "BuildReport", "Builder", "build"]
# Per-request nonces: the export's pages are the same for every visitor and build.
_NONCE = re.compile(r' nonce="[^"]*"')


class Builder:
    """Render a catalogue's public pages through the guide's views into ``out``."""

    def __init__(
        self,
        out: Path,
        sites: Path,
        base_url: str = "",
        api_url: str = "",
        inputs: Inputs | None = None,
        strict: bool = False,
        app: Flask | None = None,
    ) -> None:
        self.out = out
        self.staging = out / STAGING
        # A build into an empty folder stages the export's own layout (``guide.export.outputs``).
        self.whole = False
        # Strict: a site the catalogue skips (a broken site.toml) fails the build
        # instead of leaving the export without that site's pages.
        self.strict = strict
        self.settings = export_settings(sites, base_url, api_url)
        self.base_url = self.settings["GUIDE_BASE_URL"]
        # What the catalogue folder held before anything of it was read: a change
        # made during the build is seen by the next one.
        self.inputs = inputs or read_inputs(self.settings)
        self.entries = self.inputs.entries
        if app is None:
            app = create_app(dict(self.settings))
            # Compiled templates kept for the next build: they depend on the code and settings.
            key = sha(*(self.inputs.code or code_trees()), json.dumps(self.shown_settings()))
            init_build_cache(app, key)
        else:
            # An app kept from the last build (a watcher's), made with the same
            # settings: it takes the catalogue as it is now, as the server does after edits.
            reload_catalogue(app)
        self.app: Flask = app
        self.client = self.app.test_client()
        self.previous: dict[str, dict[str, Any]] = {}
        # What the last build found of every page and each site's neighbourhood.
        self.last: Digests | None = None
        self.outputs: dict[str, dict[str, Any]] = {}
        # Each public site's story page in every language: language → address.
        self.stories: dict[str, dict[str, str]] = {}
        self.report = BuildReport()

    # -- inputs ------------------------------------------------------------------
    def catalogue(self) -> Catalogue:
        with self.app.app_context():
            return get_catalogue()

    def shared(self) -> Shared:
        """Return the digest of what every page shows (no site's neighbours needed)."""
        catalogue = self.catalogue()
        code = code_digest(self.shown_settings(), self.inputs.code)
        with self.app.app_context():
            return shared_digest(catalogue, code)

    def shown_settings(self) -> dict[str, Any]:
        """Return the settings the pages show (the catalogue's folder is not one)."""
        return {k: v for k, v in self.settings.items() if k != "GUIDE_SITES"}

    def digests(self, shared: Shared | None = None) -> Digests:
        """Return the digest of what every page shows and the digest of each story page."""
        catalogue = self.catalogue()
        shared = shared or self.shared()
        with self.app.app_context():
            return page_digests(catalogue, "", self.folder_digest, self.last, shared)

    def folder_digest(self, site: Site) -> str:
        """Return the digest of a site's folder, as read at the start of the build."""
        if not site.folder:
            return ""
        folder = Path(site.folder)
        if folder.name in self.entries and folder.parent == Path(self.settings["GUIDE_SITES"]):
            return self.entries[folder.name]
        return tree_digest(folder)

    # -- what to render ----------------------------------------------------------
    def pages(self, digests: Digests | None = None) -> list[tuple[str, str]]:
        """Return (address, digest of its inputs) of every page and file of the export."""
        catalogue = self.catalogue()
        digests = digests or self.digests()
        with self.app.test_request_context():
            work = [(address, digests.every) for address in shared_addresses(catalogue)]
        return work + self.story_pages(catalogue, digests)

    def story_pages(self, catalogue: Catalogue, digests: Digests) -> list[tuple[str, str]]:
        """Return (address, digest of its inputs) of every story page."""
        if not self.stories:
            with self.app.test_request_context():
                self.stories = story_addresses(catalogue)
        # A site's pages in every language one after the other: what they share
        # (its narrative, the locator's outlines) is then still in the caches.
        return [
            (address, digests.stories[slug])
            for slug, targets in self.stories.items()
            for address in targets.values()
        ]

    # -- rendering ---------------------------------------------------------------
    def fetch(self, address: str) -> tuple[bytes, str]:
        """Return the body and type of the guide's answer at ``address``, or raise BuildError."""
        fetcher = self.__dict__.get("_fetcher")
        if fetcher is None:
            fetcher = self._fetcher = Fetcher(self.app)
        return fetcher.fetch(address)

    def fresh(self, relative: str, key: str) -> bool:
        """Return whether the output ``relative`` was built from the same inputs and is there."""
        old = self.previous.get(relative)
        return bool(old and old["key"] == key and (self.out / relative).is_file())

    def emit(self, relative: str, key: str, render: Any, refs: bool = True) -> set[str]:
        """Write one output unless its inputs are unchanged; return what it refers to."""
        if self.fresh(relative, key):
            return self.keep(relative)
        body, mimetype = render()
        return self.record(relative, self.write(relative, key, body, mimetype, refs))

    def write(
        self, relative: str, key: str, body: bytes, mimetype: str, refs: bool
    ) -> dict[str, Any]:
        """Stage one output; return its record."""
        return write_output(
            self.out, relative, key, body, mimetype, refs, self.staging, whole=self.whole
        )

    def keep(self, relative: str) -> set[str]:
        """Keep an output of the previous build; return what it refers to."""
        self.outputs[relative] = old = self.previous[relative]
        self.report.kept += 1
        return set(old.get("refs", []))

    def record(self, relative: str, output: dict[str, Any]) -> set[str]:
        """Note an output written by this build; return what it refers to."""
        self.outputs[relative] = output
        self.report.written.append(relative)
        return set(output["refs"])

    def emit_many(self, outputs: list[Output]) -> set[str]:
        """Write (relative, key, render, refs) outputs on every core; return what they refer to.

        Workers render and write the files themselves: only each file's record
        comes back to this process.
        """
        stale = self.stale(outputs)
        meanwhile = None
        if self.whole:
            # While the workers render, this process makes the folders they write into.
            relatives = [outputs[i][0] for i in stale]
            meanwhile = lambda: make_folders(self.staging, relatives)  # noqa: E731
        return self.finish(outputs, render_all(self.writer(outputs), stale, meanwhile=meanwhile))

    def stale(self, outputs: list[Output]) -> list[int]:
        """Return the positions in ``outputs`` of those whose inputs changed."""
        return [
            i for i, (relative, key, _, _) in enumerate(outputs) if not self.fresh(relative, key)
        ]

    def writer(self, outputs: list[Output]) -> Callable[[int], dict[str, Any]]:
        """Return what renders and stages the output at a position of ``outputs``."""

        def write(index: int) -> dict[str, Any]:
            relative, key, render, refs = outputs[index]
            body, mimetype = render()
            return self.write(relative, key, body, mimetype, refs)

        return write

    def finish(self, outputs: list[Output], written: dict[int, dict[str, Any]]) -> set[str]:
        """Note the outputs written (their records) or kept; return what they refer to."""
        found: set[str] = set()
        for index, (relative, _, _, _) in enumerate(outputs):
            found |= (
                self.record(relative, written[index]) if index in written else self.keep(relative)
            )
        return found

    def run(self) -> BuildReport:
        """Build the export into ``out`` and return what was done.

        Files are staged and moved into place once everything rendered
        (``guide.export.outputs``): a build that fails or is stopped changes nothing.
        """
        started = time.perf_counter()
        self.out.mkdir(parents=True, exist_ok=True)
        clear_staging(self.out)
        with os.scandir(self.out) as entries:
            self.whole = next(entries, None) is None
        try:
            every, places = self.render()
            removed = sorted(set(self.previous) - set(self.outputs))
            manifest = {
                "format": FORMAT,
                "inputs": self.inputs.digest,
                "every": every,
                "places": places,
                "outputs": self.outputs,
            }
            (self.staging / MANIFEST).parent.mkdir(parents=True, exist_ok=True)
            # On one line: JSON's C encoder writes no indented output (3× faster at 72,000 files).
            (self.staging / MANIFEST).write_text(
                json.dumps(manifest, sort_keys=True), encoding="utf-8"
            )
            with signals_held():
                commit(self.out, self.report.written, removed, whole=self.whole)
                # Last: until the manifest says so, the next build trusts none of this.
                os.replace(self.staging / MANIFEST, self.out / MANIFEST)
            self.report.removed = removed
        finally:
            clear_staging(self.out)
        self.report.files = len(self.outputs)
        # Sizes as recorded when written; a manifest of older code has none.
        self.report.bytes = sum(
            o["size"] if isinstance(o.get("size"), int) else (self.out / r).stat().st_size
            for r, o in self.outputs.items()
        )
        self.report.seconds = time.perf_counter() - started
        return self.report

    def read_manifest(self) -> None:
        """Read what the last build wrote; a manifest that is not one means building everything."""
        manifest = self.out / MANIFEST
        if not manifest.is_file():
            return
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            outputs = data.get("outputs") if data.get("format") == FORMAT else None
            if isinstance(outputs, dict) and all(isinstance(o, dict) for o in outputs.values()):
                self.previous = outputs
                places = data.get("places")
                if isinstance(data.get("every"), str) and isinstance(places, dict):
                    self.last = Digests(data["every"], {}, places)
        except (ValueError, AttributeError):
            self.previous = {}

    def render(self) -> tuple[str, dict[str, Any]]:
        """Stage every output whose inputs changed; return the digests the manifest keeps."""
        self.read_manifest()
        catalogue = self.catalogue()
        if self.strict and catalogue.errors:
            raise BuildError("; ".join(str(problem) for problem in catalogue.errors))
        shared = self.shared()
        every = shared.every
        with self.app.test_request_context():
            han_nom_faces()  # the font's coverage, read once before any worker is forked
            addresses = shared_addresses(catalogue)
            self.stories = story_addresses(catalogue)
        rules = code_rules(catalogue, self.stories)
        others: list[Output] = [
            (output_file(a, _type_of(a)), every, lambda a=a: self.fetch(a), True) for a in addresses
        ]
        others += code_outputs(catalogue, rules, self.settings["GUIDE_API_URL"], every)
        others += extra_outputs(self, catalogue, rules, every)
        # What shows every site renders in a process of its own while this one finds
        # each site's neighbours (one core, the costly part of the digests).
        meanwhile = Background(self.writer(others), self.stale(others))
        try:
            digests = self.digests(shared)
            stories: list[Output] = [
                (output_file(a, "text/html"), key, lambda a=a: self.fetch(a), True)
                for a, key in self.story_pages(catalogue, digests)
            ]
            pending = self.emit_many(stories)
            pending |= self.finish(others, meanwhile.results())
        finally:
            meanwhile.close()
        done: set[str] = set()
        while pending:
            address = pending.pop()
            if address in done:
                continue
            done.add(address)
            key = sha(every, address) if "/thumbnail" in address or ".h" not in address else address
            relative = address.lstrip("/")
            pending |= self.emit(relative, key, lambda a=address: self.fetch(a)) - done
        return every, digests.places

    def not_found(self) -> tuple[bytes, str]:
        """Return the guide's 404 page."""
        response = self.client.get("/sites/-", headers={"Accept-Encoding": "identity"})
        return _NONCE.sub("", response.get_data(as_text=True)).encode("utf-8"), "text/html"


def build(
    out: Path,
    sites: Path,
    base_url: str = "",
    api_url: str = "",
    inputs: Inputs | None = None,
    strict: bool = False,
) -> BuildReport:
    """Build the static export of the catalogue in ``sites`` into ``out``.

    ``inputs`` is what ``guide.export.inputs.check`` found, when it was asked first;
    ``strict`` fails the build when the catalogue skips a broken site.
    """
    inputs = inputs or check(Path(out), Path(sites), base_url, api_url)
    if inputs.report is not None:
        return inputs.report
    return Builder(Path(out), Path(sites), base_url, api_url, inputs, strict).run()
