"""Render the pages of an export on both cores: forked workers share the loaded guide."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence

Fetch = Callable[[str], tuple[bytes, str]]
# Fewer pages than this render in the building process: forking costs more than it saves.
MIN_PAGES = 64
WORKERS = 2
WARM_PAGES = 24

# The fetch of the build in progress, inherited by the forked workers.
_FETCH: Fetch | None = None


def _render(address: str) -> tuple[str, tuple[bytes, str]]:
    assert _FETCH is not None
    return address, _FETCH(address)


def workers() -> int:
    """Return how many processes render pages: two where the machine has two cores, else one."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return min(WORKERS, available)


def render_all(
    fetch: Fetch, addresses: Sequence[str], jobs: int = 0
) -> dict[str, tuple[bytes, str]]:
    """Return ``fetch(address)`` of every address, in ``jobs`` forked processes when it pays.

    Workers are forked from the building process, so they start with its app and
    catalogue already loaded; an error in a worker (a page that does not render)
    is raised here as it would be in the building process.
    """
    global _FETCH
    jobs = jobs or workers()
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if jobs < 2 or len(addresses) < MIN_PAGES or not forkable:
        return {address: fetch(address) for address in addresses}
    # The first pages render here: what the guide loads on first use (templates, fonts'
    # coverage, map code) is then loaded once, before the workers are forked.
    done = {address: fetch(address) for address in addresses[:WARM_PAGES]}
    _FETCH = fetch
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            done.update(pool.imap_unordered(_render, addresses[WARM_PAGES:], chunksize=8))
            return done
    finally:
        _FETCH = None
