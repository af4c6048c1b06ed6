"""Render the pages of an export on every core: forked workers share the loaded guide."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item", bound=Hashable)
# Fewer pages than this render in the building process: forking costs more than it saves.
MIN_PAGES = 64
WARM_PAGES = 24

# The work of the build in progress, inherited by the forked workers.
_WORK: Callable[[Any], Any] | None = None


def _start(work: Callable[[Any], Any]) -> None:
    global _WORK
    _quiet_worker()
    _WORK = work


def _render(item: Any) -> tuple[Any, Any]:
    assert _WORK is not None
    return item, _WORK(item)


def _quiet_worker() -> None:
    # Ctrl-C reaches every process of the terminal: the building process stops the
    # workers (SIGTERM, on which they end without a word) instead of each printing why.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def workers() -> int:
    """Return how many processes render pages: one per core this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def render_all(
    work: Callable[[Item], Any],
    items: Sequence[Item],
    jobs: int = 0,
    meanwhile: Callable[[], None] | None = None,
) -> dict[Item, Any]:
    """Return ``work(item)`` of every item, in ``jobs`` forked processes when it pays.

    ``meanwhile`` runs in this process once the workers have started (it is
    otherwise idle while they render); without workers it is not called.

    Workers are forked from the building process, so they start with its app and
    catalogue already loaded; an error in a worker (a page that does not render)
    is raised here as it would be in the building process. What ``work`` returns
    travels back through a pipe: the pages' records, not their bytes.
    """
    global _WORK
    jobs = jobs or workers()
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if jobs < 2 or len(items) < MIN_PAGES or not forkable:
        return {item: work(item) for item in items}
    # The first pages render here: what the guide loads on first use (templates, fonts'
    # coverage, map code) is then loaded once, before the workers are forked.
    done = {item: work(item) for item in items[:WARM_PAGES]}
    _WORK = work
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_quiet_worker) as pool:
            results = pool.imap_unordered(_render, items[WARM_PAGES:], chunksize=8)
            if meanwhile is not None:
                meanwhile()
            done.update(results)
            return done
    finally:
        _WORK = None


class Background:
    """Compute ``work(item)`` of every item in one forked process while this one goes on.

    The building process is then not the only one working while it finds what the
    story pages show: on two cores, the pages of the other process take the idle one.
    With fewer items than ``MIN_PAGES`` or one core, they are computed here by
    ``results``.
    """

    def __init__(self, work: Callable[[Item], Any], items: Sequence[Item]) -> None:
        self.work, self.items = work, list(items)
        self.pool: Any = None
        self.pending: Any = None
        forkable = "fork" in multiprocessing.get_all_start_methods()
        if workers() >= 2 and len(self.items) >= MIN_PAGES and forkable:
            # Forked: the work and its items are inherited, not sent through a pipe.
            context = multiprocessing.get_context("fork")
            self.pool = context.Pool(1, initializer=_start, initargs=(work,))
            self.pending = self.pool.map_async(_render, self.items, chunksize=32)

    def results(self) -> dict[Item, Any]:
        """Return every item's result; an error of the work is raised here."""
        if self.pool is None:
            return {item: self.work(item) for item in self.items}
        try:
            return dict(self.pending.get())
        finally:
            self.close()

    def close(self) -> None:
        """Stop the process (a build that failed elsewhere does not wait for it)."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
