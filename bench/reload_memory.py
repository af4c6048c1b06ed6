"""Measure the guide's resident memory across catalogue reloads, as staff edits cause them.

    PYTHONPATH=. python bench/reload_memory.py --catalogue /tmp/snap/cat40k [--reloads 6]
    cd /tmp/base && PYTHONPATH=. python "$OLDPWD/bench/reload_memory.py" --catalogue DIR  # baseline

Every save in the workspace reloads the catalogue. The script starts the guide
on CATALOGUE, asks the map page and its three large answers (positions,
clusters, details) as a browser does, then reloads the catalogue and asks
again, RELOADS times, printing the resident memory after each round (after a
garbage collection). Run it once with each checkout's code for a baseline in
the same run.
"""

from __future__ import annotations

import argparse
import gc
import os

from guide import create_app
from guide.web.loaded import reload_catalogue

ASKED = ("/map", "/api/sites.positions.json", "/api/sites.clusters.json", "/api/sites.details.json")


def resident_mib() -> float:
    """Return this process's resident memory in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    """Start, ask, reload and print the memory after each round."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogue", required=True)
    parser.add_argument("--reloads", type=int, default=6)
    args = parser.parse_args()
    app = create_app({"TESTING": True, "GUIDE_SITES": args.catalogue})
    client = app.test_client()

    def ask() -> None:
        for path in ASKED:
            status = client.get(path).status_code
            assert status == 200, f"{path}: {status}"

    ask()
    gc.collect()
    print(f"started: {resident_mib():.0f} MiB")
    for round_ in range(1, args.reloads + 1):
        reload_catalogue(app)
        ask()
        gc.collect()
        print(f"after reload {round_}: {resident_mib():.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
