"""Requests per second of the plaque redirect with scan counting on and off, and its exactness.

    PYTHONPATH=. python bench/scans.py [REQUESTS] [THREADS]

Two copies of the guide on the shipped catalogue are served by waitress on
loopback in the same run, one with GUIDE_COUNT_SCANS on and one off; each gets
the same REQUESTS scans of 8 codes from THREADS client threads (keep-alive
connections). Rounds alternate between the two to share the machine's load
fairly. Then the counted server's counter is flushed and its rows compared with
the scans sent.
"""

from __future__ import annotations

import http.client
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select
from waitress.server import create_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guide import create_app  # noqa: E402
from guide.listening.models import ScanCount  # noqa: E402
from guide.listening.scans import counter  # noqa: E402
from guide.workspace.db import db  # noqa: E402

PHONE = {
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    "User-Agent": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36",
    "Accept-Language": "vi",
}


def serve(app):
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    threading.Thread(target=server.run, daemon=True).start()
    return server, server.effective_port


def hammer(port: int, paths: list[str], threads: int) -> float:
    """Send ``paths`` from ``threads`` keep-alive clients; return requests per second."""
    chunks = [paths[i::threads] for i in range(threads)]

    def run(chunk: list[str]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for path in chunk:
            connection.request("GET", path, headers=PHONE)
            response = connection.getresponse()
            response.read()
            assert response.status == 302, response.status
        connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, chunks))
    return len(paths) / (time.perf_counter() - started)


def main() -> None:
    import logging

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" lines
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    folder = Path(tempfile.mkdtemp(prefix="guide-bench-scans-"))
    apps = {}
    for name, on in (("on", True), ("off", False)):
        apps[name] = create_app(
            {
                "GUIDE_SITES": str(ROOT / "sites"),
                "GUIDE_COUNT_SCANS": on,
                "GUIDE_DATABASE_URL": f"sqlite:///{folder / (name + '.sqlite3')}",
                "SECRET_KEY": "bench",
            }
        )
    catalogue = apps["on"].extensions["guide.catalogue"]
    codes = [site.code for site in catalogue.sites if site.is_public][:8]
    paths = [f"/S/{codes[i % 8]}/Q" for i in range(requests)]
    ports = {name: serve(app)[1] for name, app in apps.items()}
    print(f"load average {os.getloadavg()[0]:.2f}; {requests} scans x 3 rounds, {threads} threads")
    rates: dict[str, list[float]] = {"on": [], "off": []}
    hammer(ports["on"], paths[:200], threads)  # warm up both
    hammer(ports["off"], paths[:200], threads)
    for _round in range(3):
        for name in ("off", "on"):
            rates[name].append(hammer(ports[name], paths, threads))
    best = {name: max(values) for name, values in rates.items()}
    print(f"counting off: {best['off']:.0f} requests/s (best of 3)")
    print(f"counting on:  {best['on']:.0f} requests/s (best of 3)")
    print(f"ratio on/off: {best['on'] / best['off']:.2f}")
    counter(apps["on"]).flush()
    with apps["on"].app_context():
        rows = db.session.execute(select(ScanCount)).scalars().all()
        stored = Counter({row.code: row.count for row in rows})
    sent = Counter(path.split("/")[2] for path in paths)
    sent = Counter(
        {
            code: n * 3 + sum(1 for p in paths[:200] if p.split("/")[2] == code)
            for code, n in sent.items()
        }
    )
    exact = stored == sent
    print(
        f"exactness: {sum(stored.values())} counted of {sum(sent.values())} sent, "
        f"{'exact' if exact else 'NOT EXACT'} per code"
    )
    sys.exit(0 if exact else 1)


if __name__ == "__main__":
    main()
