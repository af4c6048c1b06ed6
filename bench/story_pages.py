"""Benchmark the visitor pages: bytes sent, server time, and requests per second.

Three measurements, each against a baseline taken in the same run:

1. Transfer: the compressed bytes of a story page and the CSS and JS it loads
   (before photos), against the 40 KB budget. The heaviest story page of the
   catalogue is measured, and Đình Chèm's.
2. Server time in-process: a story page through the Flask test client from the
   loaded catalogue, against the hashed stylesheet through the same client.
3. Requests per second under a real WSGI server (waitress, 4 threads, in its
   own process) on loopback with a bounded load: Debian's ``wrk`` when it is
   installed, else a small Python client. Baseline: the hashed stylesheet
   served by the same server.

Run from the project folder:  python bench/story_pages.py [--quick] [--sites DIR]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bs4 import BeautifulSoup  # noqa: E402

from guide import create_app  # noqa: E402
from guide.web import pagecache  # noqa: E402

BUDGET = 40 * 1024


def parts_of(client, path: str) -> list[str]:
    """Return the page and the stylesheets and scripts it loads."""
    soup = BeautifulSoup(client.get(path).data, "html.parser")
    found = [path]
    found += [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    found += [script["src"] for script in soup.find_all("script", src=True)]
    return found


def transfer(client, path: str) -> dict[str, int]:
    """Return raw, gzip and Brotli bytes of a page with its CSS and JS, as served."""
    sizes = {"raw": 0, "gzip": 0, "br": 0}
    for part in parts_of(client, path):
        sizes["raw"] += len(client.get(part).data)
        for encoding in ("gzip", "br"):
            response = client.get(part, headers={"Accept-Encoding": encoding})
            assert response.headers.get("Content-Encoding") == encoding, part
            sizes[encoding] += len(response.data)
    return sizes


def heaviest_story(client, catalogue) -> str:
    """Return the path of the public story page with the most HTML."""
    paths = [f"/sites/{site.slug}" for site in catalogue if site.is_public]
    return max(paths, key=lambda path: len(client.get(path).data))


def timed(
    client, path: str, count: int, headers: dict[str, str] | None = None, fresh: bool = False
) -> list[float]:
    """Return the milliseconds of ``count`` requests for ``path``.

    ``fresh`` empties the store of rendered pages before each request, so every
    request renders the page from the loaded catalogue.
    """
    times = []
    for _ in range(count):
        if fresh:
            pagecache._STORES.clear()
        start = time.perf_counter()
        response = client.get(path, headers=headers or {})
        response.close()
        times.append((time.perf_counter() - start) * 1000)
    return times


def describe(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered):6.2f} ms   p95 {p95:6.2f} ms"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(sites: Path, port: int) -> subprocess.Popen:
    """Start waitress with the guide in its own process and wait until it answers."""
    code = (
        "import logging; logging.getLogger('waitress.queue').setLevel(logging.ERROR); "
        "from waitress import serve; from guide import create_app; "
        f"serve(create_app(), host='127.0.0.1', port={port}, threads=4, _quiet=True)"
    )
    env = {**os.environ, "GUIDE_SITES": str(sites), "PYTHONPATH": str(PROJECT)}
    process = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=PROJECT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the guide's waitress server did not start within 30 s")


def load_with_wrk(url: str, seconds: int, connections: int) -> tuple[float, str]:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses under load")
    return rate, f"median latency {latency}"


def load_with_python(url: str, seconds: int, connections: int) -> tuple[float, str]:
    """Keep-alive clients in threads for a fixed time; a fallback when wrk is missing."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    counts = [0] * connections
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        while time.monotonic() < stop:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: status {response.status}")
            counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds, "python client (install wrk for a lighter load generator)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=Path, default=PROJECT / "sites")
    parser.add_argument("--quick", action="store_true", help="fewer requests, shorter load")
    args = parser.parse_args()
    count = 100 if args.quick else 1000
    seconds = 3 if args.quick else 10
    connections = 8

    app = create_app({"TESTING": True, "GUIDE_SITES": str(args.sites.resolve())})
    client = app.test_client()
    with app.app_context():
        from guide.web import get_catalogue

        catalogue = get_catalogue()
        print(f"catalogue: {len(catalogue)} sites, {len(catalogue.published())} published")
    average = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {average} (other work skews timings)\n")
    with app.app_context():
        heavy = heaviest_story(client, catalogue)

    print("1. Transfer: page HTML + CSS + JS as sent (before photos); budget 40 KB compressed")
    stories = list(dict.fromkeys([heavy, "/sites/dinh-chem"]))
    pages = [*stories, "/sites/dinh-chem?lang=en", "/", "/search?q=dinh+chem", "/passport"]
    for path in pages:
        sizes = transfer(client, path)
        verdict = "within" if sizes["gzip"] <= BUDGET else "OVER"
        print(
            f"   {path:38} raw {sizes['raw'] / 1024:6.1f} KB  gzip {sizes['gzip'] / 1024:5.1f} KB"
            f"  br {sizes['br'] / 1024:5.1f} KB  ({verdict} budget, "
            f"{100 * sizes['gzip'] / BUDGET:.0f}% of it)"
        )
    css = parts_of(client, "/sites/dinh-chem")[1]
    print()

    print(f"2. Server time in-process (Flask test client, {count} requests each)")
    for path in stories:
        timed(client, path, 20)
        fresh = timed(client, path, count, fresh=True)
        print(f"   {path:28} rendered each time   {describe(fresh)}")
        print(f"   {path:28} rendered page kept   {describe(timed(client, path, count))}")
        gz = timed(client, path, count, {"Accept-Encoding": "gzip"})
        print(f"   {path:28} kept, gzip           {describe(gz)}")
    timed(client, css, 20)
    print(f"   baseline: {css:38} {describe(timed(client, css, count))}")
    print()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tool = "wrk" if shutil.which("wrk") else "python"
    load = load_with_wrk if tool == "wrk" else load_with_python
    print(
        f"3. Requests per second: waitress (4 threads, own process) on loopback, "
        f"{connections} connections for {seconds} s each, load by {tool}, gzip accepted"
    )
    server = start_server(args.sites.resolve(), port)
    try:
        results = {}
        for label, path in (
            ("baseline: hashed stylesheet", css),
            *((f"story page {path}", path) for path in stories),
            ("home page", "/"),
        ):
            rate, note = load(base + path, seconds, connections)
            results[label] = rate
            print(f"   {label:30} {rate:8.0f} requests/s   {note}")
        baseline = results["baseline: hashed stylesheet"]
        story = results["story page /sites/dinh-chem"]
        print(f"   story page / baseline: {story / baseline:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
