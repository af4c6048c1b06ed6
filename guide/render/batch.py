"""Make the signs of many sites on every core: the same files as one by one, sooner.

Each sign is independent (a QR symbol, a PDF or image, one file), so a batch
is cut into chunks that worker processes render and write; the files and the
failures come back in the order of the sites. Small batches are made in this
process: starting workers would take longer than the signs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from guide.catalogue.model import Site
from guide.catalogue.vocabulary import Vocabulary
from guide.render import signs

# Sites a worker makes at a time: large enough that sending them costs little,
# small enough that the last chunks keep both cores busy.
CHUNK = 16


def default_jobs() -> int:
    """Return the number of processes to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def write_signs(
    sites: Sequence[Site],
    out: Path,
    base_url: str,
    *,
    fmt: str = "pdf",
    size: str = signs.DEFAULT_SIZE,
    ec: str = signs.qr.DEFAULT_EC,
    branding: signs.Branding | None = None,
    vocabulary: Vocabulary | None = None,
    jobs: int | None = None,
    done: Callable[[Site], None] = lambda site: None,
) -> tuple[list[Path], list[str]]:
    """Write each site's sign as ``signs.write_signs`` does, on ``jobs`` processes.

    ``done`` is called with each site once its sign is written or has failed.
    """
    sites = list(sites)
    jobs = jobs or default_jobs()
    options = {"fmt": fmt, "size": size, "ec": ec, "branding": branding, "vocabulary": vocabulary}
    if jobs == 1 or len(sites) <= CHUNK:
        written: list[Path] = []
        failures: list[str] = []
        for site in sites:
            paths, problems = signs.write_signs([site], out, base_url, **options)
            written += paths
            failures += problems
            done(site)
        return written, failures
    chunks = [sites[at : at + CHUNK] for at in range(0, len(sites), CHUNK)]
    results: list[tuple[list[Path], list[str]] | None] = [None] * len(chunks)
    # fork: the workers start at once with the loaded code and the catalogue's sites.
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {
            pool.submit(signs.write_signs, chunk, out, base_url, **options): number
            for number, chunk in enumerate(chunks)
        }
        for future in futures:
            number = futures[future]
            results[number] = future.result()
            for site in chunks[number]:
                done(site)
    written, failures = [], []
    for paths, problems in results:  # type: ignore[misc]
        written += paths
        failures += problems
    return written, failures
