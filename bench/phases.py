"""Time the phases of a full static export of N generated sites with the code of the current folder.

    PYTHONPATH=. python bench/phases.py 6000 [OUT]
    cd /tmp/base && PYTHONPATH=. python /path/to/bench/phases.py 6000   # another checkout's code

The catalogue is /tmp/b13/catN (made by bench/catalogue.py when missing); OUT,
emptied first, defaults to /tmp/b13/phasesN. Prints the total, the CPU time of
the building process and of its workers, and the seconds spent in each phase of
``Builder.run`` that exists in this code (older code has other phases).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

# The current folder's bench/catalogue.py, which puts its own guide first on the path.
sys.path.insert(0, os.path.join(os.getcwd(), "bench"))
from catalogue import make_catalogue

import guide.export.build as gb

assert gb.__file__.startswith(os.getcwd()), f"{gb.__file__} is not the current folder's code"
SECONDS: dict[str, float] = {}


def timed(name: str, owner: Any, attr: str) -> None:
    """Count the seconds spent in ``owner.attr`` under ``name``, if the code has it."""
    function = getattr(owner, attr, None)
    if function is None:
        return

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SECONDS[name] = SECONDS.get(name, 0) + time.perf_counter() - started

    setattr(owner, attr, wrapper)


def main() -> None:
    """Build, then print the figures."""
    count = int(sys.argv[1])
    sites = Path(f"/tmp/b13/cat{count}")
    if not sites.exists():
        sites.mkdir(parents=True)
        make_catalogue(sites, count)
    out = Path(sys.argv[2] if len(sys.argv) > 2 else f"/tmp/b13/phases{count}")
    shutil.rmtree(out, ignore_errors=True)
    os.sync()  # the removal's writes are not counted in the build
    for name, owner, attr in (
        ("shared", gb.Builder, "shared"),
        ("digests", gb.Builder, "digests"),
        ("render_all", gb, "render_all"),
        ("extras", gb.Builder, "extras"),
        ("wait_background", getattr(gb, "Background", None), "results"),
        ("emit_pending", gb.Builder, "emit"),
        ("render", gb.Builder, "render"),
        ("commit", gb, "commit"),
        ("clear_staging", gb, "clear_staging"),
    ):
        timed(name, owner, attr)
    started, before = time.perf_counter(), os.times()
    builder = gb.Builder(out, sites)
    SECONDS["init"] = time.perf_counter() - started
    report = builder.run()
    after = os.times()
    own = after.user + after.system - before.user - before.system
    workers = (
        after.children_user + after.children_system - before.children_user - before.children_system
    )
    print(
        f"total {time.perf_counter() - started:.2f} s, files {report.files}, "
        f"bytes {report.bytes}, load {os.getloadavg()[0]:.2f}, "
        f"cpu(this process) {own:.1f} s, cpu(workers) {workers:.1f} s"
    )
    print({name: round(seconds, 2) for name, seconds in SECONDS.items()})


if __name__ == "__main__":
    main()
