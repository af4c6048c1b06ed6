"""Measure the watcher's resident memory over many one-site edits (``guide build --watch``).

    PYTHONPATH=. python bench/watch_memory.py [EDITS]
    cd /tmp/base && PYTHONPATH=. python "$OLDPWD/bench/watch_memory.py"   # baseline checkout

The shipped catalogue is copied to a temporary folder and built once by the
watcher's own builder (``guide.export.watch.Follower``, which keeps the app
between builds). Then Đình Chèm's Vietnamese narrative gets one more line and the
export is built again, EDITS times (100 by default); the resident memory is
printed every 25 edits, after a garbage collection.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
from pathlib import Path

from guide import PROJECT_ROOT
from guide.export.watch import Follower

EVERY = 25


def resident_mib() -> float:
    """Return this process's resident memory in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    """Build, edit and build again; print the memory every few edits."""
    edits = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as temporary:
        sites, out = Path(temporary) / "sites", Path(temporary) / "out"
        shutil.copytree(PROJECT_ROOT / "sites", sites, ignore=shutil.ignore_patterns(".cache"))
        follower = Follower(out, sites, "", "", lambda text, error: None)
        story = sites / "dinh-chem" / "story.vi.md"
        for edit in range(edits + 1):
            if edit:
                story.write_text(story.read_text(encoding="utf-8") + f"\nDòng {edit}.\n", "utf-8")
            if follower.build() is None:
                raise SystemExit(f"the build after edit {edit} failed")
            if edit % EVERY == 0:
                gc.collect()
                print(f"after {edit} edits: {resident_mib():.1f} MiB", flush=True)


if __name__ == "__main__":
    main()
