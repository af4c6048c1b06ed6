"""Benchmark the map: the guide's clustered GeoJSON map against one folium Marker per site.

For each size (600, 6,000 and 40,000 sites by default) it writes a temporary
catalogue of generated sites at random points inside the catalogue's areas,
loads it as the guide does, and measures:

- bytes of the map page and of its data (GeoJSON, plain and gzip-compressed);
- server time to produce them (first request, and again once cached);
- time in headless Chromium until the first markers or clusters are drawn,
  and until every site is on the map, with every non-loopback request (tiles)
  blocked;

the same for the current map page of the same run drawn the way smaller catalogues
are (the whole GeoJSON into Leaflet.markercluster: ``--serve ... geojson``), against the
compact positions clustered with supercluster that the guide uses from
``LARGE_MAP_FROM`` sites on; and the same for the naive page (folium's
MarkerCluster holding one folium ``Marker`` per site with its name as tooltip,
served as one HTML file with the
same self-hosted Leaflet; folium's popups would also need jQuery). For the large map it
also times, in the page, the first marker, every site in, the worker's index of every
zoom ready, ten pans once it is (pan to markers drawn) and the longest task after the
first marker. Run from the project root:

    python bench/map.py                 # 600, 6000 and 40000 sites
    python bench/map.py --sizes 600     # a quick run
    python bench/map.py --sizes 40000 250000 --runs 3 --baselines-up-to 40000 --keep /tmp/k
    python bench/map.py --sizes 40000 --cold 3 --against /tmp/base --keep /tmp/k

``--cold N`` measures first visits instead: every run a new browser (so a new, empty
profile: no HTTP or code cache) and a server started again for it, the catalogue
unchanged (its kept answers read back); with ``--against ROOT`` the guide of another
worktree is measured the same way in the same run, runs alternating, on its own copy
of the catalogue (so neither's kept answers replace the other's).

It prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import folium
import tomli_w
from branca.element import Element
from folium.plugins import MarkerCluster

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browsing import CHROMIUM, CHROMIUM_FLAGS, free_port  # noqa: E402

from guide import create_app  # noqa: E402
from guide.catalogue import codes  # noqa: E402
from guide.catalogue.geo import Areas  # noqa: E402
from guide.catalogue.index import load_catalogue  # noqa: E402
from guide.render import maps  # noqa: E402
from guide.web.assets import asset_url  # noqa: E402
from guide.web.maps import api as map_api  # noqa: E402
from guide.web.maps import stored  # noqa: E402
from guide.web.maps.views import LARGE_MAP_FROM  # noqa: E402

SHIPPED = ROOT / "sites"
FIRST_MARKER = ".leaflet-marker-pane .leaflet-marker-icon"
# Notes in the page the moment the first marker is attached: reading performance.now()
# after Playwright has seen it would add the round trips of a busy machine.
NOTE_FIRST_MARKER = (
    "new MutationObserver(function (records, observer) {"
    f"  if (document.querySelector({FIRST_MARKER!r})) {{"
    "    window.firstMarkerAt = performance.now(); observer.disconnect();"
    "  }"
    "}).observe(document, {childList: true, subtree: true});"
    "window.longTasks = [];"
    "new PerformanceObserver(function (list) {"
    "  list.getEntries().forEach(function (t) { window.longTasks.push(t); });"
    "}).observe({type: 'longtask', buffered: true});"
)


def generate_catalogue(folder: Path, count: int, seed: int = 2025) -> None:
    """Write ``count`` generated sites at random points inside the shipped areas."""
    rng = random.Random(seed)
    shipped = load_catalogue(SHIPPED)
    kinds = [site.kind for site in shipped]
    ranks = [site.rank for site in shipped]
    shutil.copyfile(SHIPPED / "catalogue.toml", folder / "catalogue.toml")
    shutil.copyfile(SHIPPED / "areas.geojson", folder / "areas.geojson")
    areas: Areas = shipped.areas
    south, west, north, east = areas.bounds
    taken: set[str] = set()
    ledger = []
    made = 0
    while made < count:
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        area = areas.locate(lat, lon)
        if area is None:
            continue
        code = "".join(rng.choice(codes.ALPHABET) for _ in range(5))
        if code in taken:
            continue
        taken.add(code)
        slug = f"diem-thu-{made:05d}"
        site = folder / slug
        site.mkdir()
        facts = {
            "code": code,
            "slug": slug,
            "status": "published",
            "kind": rng.choice(kinds),
            "rank": rng.choice(ranks),
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "area": area.id,
            "name": {"vi": f"Điểm thử nghiệm số {made}", "en": f"Generated test site {made}"},
        }
        (site / "site.toml").write_text(tomli_w.dumps(facts), encoding="utf-8")
        (site / "story.vi.md").write_text("Địa điểm sinh ra cho phép đo.\n", encoding="utf-8")
        ledger.append((code, slug))
        made += 1
    codes.record(folder, ledger)


def naive_page(catalogue) -> str:
    """Return the baseline: folium's MarkerCluster with one Marker and popup per site."""
    sites = [site for site in catalogue.published() if site.has_location]
    south, west, north, east = maps.sites_bounds(sites)
    naive = maps.GuideMap(
        asset_url,
        tile_url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        tile_attribution="© OpenStreetMap contributors",
        location=((south + north) / 2, (west + east) / 2),
        zoom_start=10,
    )
    naive.get_root().header.add_child(
        Element("<style>html, body { height: 100%; margin: 0 }</style>")
    )
    cluster = MarkerCluster()
    # Same self-hosted plugin as the guide's page, so only the approach differs.
    cluster.default_js = [("markerclusterjs", asset_url("markercluster/leaflet.markercluster.js"))]
    cluster.default_css = [
        ("markerclustercss", asset_url("markercluster/MarkerCluster.css")),
        ("markerclusterdefaultcss", asset_url("markercluster/MarkerCluster.Default.css")),
    ]
    cluster.add_to(naive)
    for site in sites:
        folium.Marker((site.lat, site.lon), tooltip=site.name["vi"]).add_to(cluster)
    return naive.get_root().render()


def timed(function, repeat: int = 1):
    """Return (result of the last call, list of seconds per call)."""
    seconds = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return result, seconds


# Ten pans of 400 pixels once the worker's index is ready: ms from each pan until its
# markers are drawn, and the longest task the page ran since the first marker.
PAN = """async () => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const box = document.querySelector('.guide-map');
  const drawn = () => new Promise((resolve) => {
    const watch = new MutationObserver(() => { watch.disconnect(); resolve(); });
    watch.observe(box, {attributes: true, attributeFilter: ['data-drawn']});
  });
  const times = [];
  for (let k = 0; k < 10; k++) {
    const start = performance.now();
    const done = drawn();
    map.panBy([k % 2 ? -400 : 400, k % 3 ? 200 : -200], {animate: false});
    await done;
    times.push(performance.now() - start);
  }
  const long = window.longTasks
    .filter((t) => t.startTime > window.firstMarkerAt).map((t) => t.duration);
  return {pan: Math.max(...times), pans: times, longest: Math.max(0, ...long)};
}"""


# What arrived when (ms since navigation): the scripts and the first data file.
ARRIVALS = """() => {
  const own = performance.getEntriesByType('resource')
    .filter((e) => e.name.startsWith(location.origin) && e.startTime < window.firstMarkerAt);
  const ended = (test) => Math.max(0, ...own.filter(test).map((e) => e.responseEnd));
  return {
    scripts: ended((e) => e.name.endsWith('.js')),
    styles: ended((e) => e.name.endsWith('.css')),
    clusters: ended((e) => e.name.includes('/api/sites.clusters.json')),
    requests: own.length,
  };
}"""


def browser_times(
    browser, url: str, ready: str | None, timeout_s: float, settle_ms: int = 0
) -> dict[str, float]:
    """Open ``url`` in a fresh context; return ms until the first marker (and until ready).

    ``settle_ms``: time on a blank page first, so a browser just started has finished
    starting (its own work is not the page's).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    # Only requests to other hosts (tiles) are intercepted, and aborted: the guide's own
    # requests go straight to the server, without a round trip through this script.
    page.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page.add_init_script(NOTE_FIRST_MARKER)
    try:
        if settle_ms:
            page.goto("about:blank")
            page.wait_for_timeout(settle_ms)
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_selector(FIRST_MARKER, state="attached", timeout=timeout_s * 1000)
        result = {
            "first": page.evaluate("window.firstMarkerAt"),
            # Until then the page, its styles and scripts: no map code has run.
            "dcl": page.evaluate(
                "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
            ),
            **page.evaluate(ARRIVALS),
        }
        if ready:
            page.wait_for_selector(ready, state="attached", timeout=timeout_s * 1000)
            result["ready"] = page.evaluate("performance.now()")
        if ready and page.locator(".guide-map[data-index]").count():
            # The large map: until the worker's index of every zoom answers.
            page.wait_for_selector(
                ".guide-map[data-index=full]", state="attached", timeout=timeout_s * 1000
            )
            result["full"] = page.evaluate("performance.now()")
            result.update(page.evaluate(PAN))
        return result
    finally:
        context.close()


class ServerProcess:
    """The guide and the naive page served by waitress in a process of their own.

    A server thread inside this process would share the interpreter lock with
    Playwright's client and slow both down; a separate process does not.
    """

    def __init__(
        self,
        folder: Path,
        naive_file: Path,
        timeout_s: float = 600,
        mode: str = "guide",
        root: Path = ROOT,
    ) -> None:
        self.port = free_port()
        # Another worktree's guide: its own bench script serves it, with its code first.
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(root / "bench" / "map.py"),
                "--serve",
                str(folder),
                str(naive_file),
                str(self.port),
                mode,
            ],
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/map", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("the benchmark server did not start") from None
                time.sleep(0.5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def serve(folder: str, naive_file: str, port: int, mode: str = "guide") -> None:
    """Serve the catalogue in ``folder`` and the naive page at /naive (the server process).

    ``mode`` "geojson" serves every map as small catalogues get it: the whole GeoJSON.
    """
    from waitress import serve as waitress_serve

    if mode == "geojson":
        from guide.web.maps import views

        views.LARGE_MAP_FROM = 10**12

    app = create_app({"TESTING": True, "GUIDE_SITES": folder})
    waitress_serve(
        NaiveApp(app, Path(naive_file).read_bytes()),
        host="127.0.0.1",
        port=port,
        threads=4,
        _quiet=True,
    )


class NaiveApp:
    """WSGI wrapper: the guide, plus the naive page at /naive."""

    def __init__(self, app, naive_html: bytes) -> None:
        self.app = app
        self.naive_html = naive_html

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/naive":
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(self.naive_html))),
                ],
            )
            return [self.naive_html]
        return self.app(environ, start_response)


def catalogue_folder(count: int, keep: Path | None, tmp: str) -> Path:
    """Return a folder of ``count`` generated sites: made once in ``keep``, else in ``tmp``."""
    folder = keep / f"sites-{count}" if keep else Path(tmp) / "sites"
    if (folder / ".complete").is_file():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    generate_catalogue(folder, count)
    (folder / ".complete").write_text("generated by bench/map.py\n", encoding="utf-8")
    return folder


def measure(
    count: int,
    browser,
    naive_limit_s: float,
    runs: int,
    keep: Path | None = None,
    baselines_up_to: int = 40000,
) -> dict:
    """Measure both approaches on a generated catalogue of ``count`` sites."""
    row: dict = {"sites": count}
    baselines = count <= baselines_up_to
    with tempfile.TemporaryDirectory(prefix="bench-map-") as tmp:
        folder, seconds = timed(lambda: catalogue_folder(count, keep, tmp))
        row["generate_s"] = seconds[0]
        app, seconds = timed(lambda: create_app({"TESTING": True, "GUIDE_SITES": str(folder)}))
        row["load_s"] = seconds[0]
        client = app.test_client()
        gz = {"Accept-Encoding": "gzip"}

        page, seconds = timed(lambda: client.get("/map"))
        row["page_bytes"] = len(page.data)
        row["page_gzip_bytes"] = len(gzip.compress(page.data))
        row["page_s"] = seconds[0]
        _, seconds = timed(lambda: client.get("/map"), repeat=5)
        row["page_warm_s"] = statistics.median(seconds)

        # The first request builds the answers: none kept from an earlier run.
        for kept in (folder / ".cache").glob("map-*.answer"):
            kept.unlink()
        compact, seconds = timed(lambda: client.get("/api/sites.positions.json", headers=gz))
        row["positions_s"] = seconds[0]
        row["positions_gzip_bytes"] = len(compact.data)
        clustered, seconds = timed(lambda: client.get("/api/sites.clusters.json", headers=gz))
        row["clusters_s"] = seconds[0]
        row["clusters_gzip_bytes"] = len(clustered.data)
        details, seconds = timed(lambda: client.get("/api/sites.details.json", headers=gz))
        row["details_gzip_bytes"] = len(details.data)
        row["details_s"] = seconds[0]
        # A restart with the catalogue unchanged: the answers read back from its .cache.
        catalogue = app.extensions["guide.catalogue"]
        row["stored"] = all(
            stored.load(catalogue, name) is not None
            for name in ("positions", "clusters", "details")
        )
        for body in (map_api.positions_body, map_api.clusters_body, map_api.details_body):
            body.cache_clear()
        _, seconds = timed(lambda: map_api.clusters_body(catalogue))
        row["clusters_stored_s"] = seconds[0]
        _, seconds = timed(lambda: map_api.positions_body(catalogue))
        row["positions_stored_s"] = seconds[0]
        _, seconds = timed(lambda: map_api.details_body(catalogue))
        row["details_stored_s"] = seconds[0]
        scripts = [
            client.get(f"/static/{name}") for name in ("supercluster.min.js", "map_large.js")
        ]
        row["large_scripts_gzip_bytes"] = sum(len(gzip.compress(r.data)) for r in scripts)

        if baselines:
            data, seconds = timed(lambda: client.get("/api/sites.geojson", headers=gz))
            row["data_s"] = seconds[0]
            row["data_gzip_bytes"] = len(data.data)
            row["data_bytes"] = len(gzip.decompress(data.data))
            _, seconds = timed(lambda: client.get("/api/sites.geojson", headers=gz), repeat=5)
            row["data_warm_s"] = statistics.median(seconds)

        naive_bytes = b"<!doctype html><title>not measured</title>"
        if baselines:
            with app.test_request_context():
                naive_html, seconds = timed(lambda: naive_page(catalogue))
            naive_bytes = naive_html.encode("utf-8")
            row["naive_s"] = seconds[0]
            row["naive_bytes"] = len(naive_bytes)
            row["naive_gzip_bytes"] = len(gzip.compress(naive_bytes))

        if browser is not None:
            naive_file = folder / "naive.html"
            naive_file.write_bytes(naive_bytes)
            server = ServerProcess(folder, naive_file)
            try:
                ours = [
                    browser_times(browser, f"{server.url}/map", ".guide-map[data-state=ready]", 120)
                    for _ in range(runs)
                ]
                row["browser_first_ms"] = statistics.median(r["first"] for r in ours)
                row["browser_ready_ms"] = statistics.median(r["ready"] for r in ours)
                # The first run includes the server building the map's data once.
                row["browser_first_run_ms"] = ours[0]["first"]
                row["browser_dcl_ms"] = statistics.median(r["dcl"] for r in ours)
                if all("full" in r for r in ours):
                    row["browser_full_ms"] = statistics.median(r["full"] for r in ours)
                    row["pan_ms"] = max(r["pan"] for r in ours)
                    row["pans_ms"] = [[round(t) for t in r["pans"]] for r in ours]
                    row["longest_task_ms"] = max(r["longest"] for r in ours)
                # Tens of seconds a run at the largest sizes: measure those once.
                naive_runs = runs if count <= 6000 else 1
                row["naive_browser_ms"] = None
                row["naive_browser_note"] = "not measured (above --baselines-up-to)"
                try:
                    naive = baselines and [
                        browser_times(browser, f"{server.url}/naive", None, naive_limit_s)
                        for _ in range(naive_runs)
                    ]
                    if naive:
                        row["naive_browser_ms"] = statistics.median(r["first"] for r in naive)
                except Exception as error:  # Playwright's TimeoutError, a crashed tab...
                    row["naive_browser_ms"] = None
                    row["naive_browser_note"] = (
                        f"gave up after {naive_limit_s:.0f} s ({type(error).__name__})"
                    )
            finally:
                server.stop()
            if count >= LARGE_MAP_FROM and baselines:
                current = ServerProcess(folder, naive_file, mode="geojson")
                try:
                    before = [
                        browser_times(
                            browser, f"{current.url}/map", ".guide-map[data-state=ready]", 300
                        )
                        for _ in range(runs)
                    ]
                    row["geojson_first_ms"] = statistics.median(r["first"] for r in before)
                    row["geojson_ready_ms"] = statistics.median(r["ready"] for r in before)
                finally:
                    current.stop()
    return row


def copied_catalogue(folder: Path) -> Path:
    """Return a copy of ``folder`` beside it (made once): another guide's kept answers go there."""
    copy = folder.parent / f"{folder.name}-against"
    if not (copy / ".complete").is_file():
        if copy.exists():
            shutil.rmtree(copy)
        # cp keeps the files' times, so the copy's snapshot stays valid for its sites.
        subprocess.run(["cp", "-a", f"{folder.resolve()}/.", str(copy)], check=True)
    return copy


def primed(folder: Path, naive_file: Path, root: Path) -> bool:
    """Start the guide twice on ``folder`` and ask for the map's answers; return if they are kept.

    The first start may write a new snapshot (then nothing is kept against it); the
    second builds the answers and keeps them, so every later start reads them back.
    """
    for _ in range(2):
        server = ServerProcess(folder, naive_file, root=root)
        try:
            for name in ("clusters", "positions", "details"):
                with urllib.request.urlopen(f"{server.url}/api/sites.{name}.json", timeout=300):
                    pass
        finally:
            server.stop()
    return len(list((folder / ".cache").glob("map-*.answer"))) >= 4


def measure_cold(
    count: int, playwright, runs: int, keep: Path | None, against: Path | None, settle_ms: int
) -> dict:
    """Measure ``runs`` first visits: each a new browser and a server started again for it."""
    row: dict = {"sites": count, "cold": {}}
    with tempfile.TemporaryDirectory(prefix="bench-map-") as tmp:
        folder = catalogue_folder(count, keep, tmp)
        naive_file = Path(tmp) / "naive.html"
        naive_file.write_bytes(b"<!doctype html><title>not measured</title>")
        variants = [("this worktree", ROOT, folder)]
        if against is not None:
            variants.append((f"against {against}", against.resolve(), copied_catalogue(folder)))
        for name, root, where in variants:
            row["cold"][name] = {"kept": primed(where, naive_file, root), "runs": []}
        for k in range(runs):
            # Alternating which goes first, so neither always follows the other.
            for name, root, where in variants if k % 2 == 0 else variants[::-1]:
                started = time.perf_counter()
                server = ServerProcess(where, naive_file, root=root)
                up_s = time.perf_counter() - started
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
                )
                try:
                    result = browser_times(
                        browser,
                        f"{server.url}/map",
                        ".guide-map[data-state=ready]",
                        120,
                        settle_ms=settle_ms,
                    )
                finally:
                    browser.close()
                    server.stop()
                result["up_s"] = up_s
                result["load"] = os.getloadavg()[0]
                row["cold"][name]["runs"].append(result)
                print(f"{count} sites, cold, {name}: {result}", file=sys.stderr)
    return row


def cold_report(rows: list[dict], settle_ms: int) -> str:
    """Return the cold runs' figures as a Markdown table."""
    lines = [
        "First visits: every run a new browser (a new profile: no HTTP or code cache), "
        f"{settle_ms} ms on a blank page once it started, and the guide started again "
        "(its map page asked once before the browser comes, its answers read back from the "
        "catalogue's .cache). Times in ms since the navigation started; runs in order, "
        "then the median:",
        "",
        "| sites | guide | answers kept | first markers, each run | median "
        "| styles / scripts / first clusters in (median) | DOMContentLoaded (median) "
        "| every site in (median) | requests before the first markers | load average |",
        "|---:|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        for name, cold in r["cold"].items():
            runs = cold["runs"]

            def median(key: str, runs: list = runs) -> str:
                return f"{statistics.median(x[key] for x in runs):,.0f}"

            firsts = ", ".join(f"{x['first']:,.0f}" for x in runs)
            loads = ", ".join(f"{x['load']:.1f}" for x in runs)
            lines.append(
                f"| {r['sites']:,} | {name} | {'yes' if cold['kept'] else 'no'} "
                f"| {firsts} "
                f"| {median('first')} "
                f"| {median('styles')} / {median('scripts')} / {median('clusters')} "
                f"| {median('dcl')} | {median('ready')} | {median('requests')} "
                f"| {loads} |"
            )
    return "\n".join(lines)


def kb(value: int) -> str:
    return f"{value / 1000:,.0f} kB" if value < 1_000_000 else f"{value / 1_000_000:,.1f} MB"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(rows: list[dict]) -> str:
    """Return the figures as Markdown tables."""
    lines = [
        f"From {LARGE_MAP_FROM:,} sites the guide's map loads the compact positions "
        "(supercluster); the current GeoJSON map is measured in the same run up to "
        "--baselines-up-to sites. Bytes gzip; the first paint needs the page, the clusters "
        "file and two scripts; the positions come alongside (read by the worker), the names "
        "after (read by a second worker); the answers are built on a first request, and read "
        "back from the catalogue's .cache after a restart:",
        "",
        "| sites | needed for the first markers | positions | names (after) "
        "| server, first request: clusters / positions / names "
        "| after a restart (kept answers) "
        "| page and scripts in (DOMContentLoaded) "
        "| Chromium first markers: GeoJSON / compact (first run) "
        "| every site in: GeoJSON / compact | worker's index ready "
        "| slowest of 10 pans | longest task after the first markers |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def at(r: dict, key: str) -> str:
        return f"{r[key]:,.0f} ms" if r.get(key) is not None else "not measured"

    for r in rows:
        if r["sites"] < LARGE_MAP_FROM or "browser_first_ms" not in r:
            continue
        first_bytes = r["page_gzip_bytes"] + r["clusters_gzip_bytes"]
        first_bytes += r["large_scripts_gzip_bytes"]
        lines.append(
            f"| {r['sites']:,} | {kb(first_bytes)} | {kb(r['positions_gzip_bytes'])} "
            f"| {kb(r['details_gzip_bytes'])} "
            f"| {ms(r['clusters_s'])} / {ms(r['positions_s'])} / {ms(r['details_s'])} "
            + (
                f"| {ms(r['clusters_stored_s'])} / {ms(r['positions_stored_s'])} "
                f"/ {ms(r['details_stored_s'])} "
                if r["stored"]
                else "| not kept (the snapshot was written by this load) "
            )
            + f"| {at(r, 'browser_dcl_ms')} "
            f"| {at(r, 'geojson_first_ms')} / {at(r, 'browser_first_ms')} "
            f"({at(r, 'browser_first_run_ms')}) "
            f"| {at(r, 'geojson_ready_ms')} / {at(r, 'browser_ready_ms')} "
            f"| {at(r, 'browser_full_ms')} | {at(r, 'pan_ms')} | {at(r, 'longest_task_ms')} |"
        )
    lines += [
        "",
        "| sites | map page | its data (GeoJSON) | server: page / data, first | "
        "server: page / data, cached | Chromium: first markers | Chromium: all sites in |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "data_s" not in r:
            continue
        lines.append(
            f"| {r['sites']:,} | {kb(r['page_bytes'])} ({kb(r['page_gzip_bytes'])} gzip) "
            f"| {kb(r['data_bytes'])} ({kb(r['data_gzip_bytes'])} gzip) "
            f"| {ms(r['page_s'])} / {ms(r['data_s'])} "
            f"| {ms(r['page_warm_s'])} / {ms(r['data_warm_s'])} "
            f"| {r.get('browser_first_ms', float('nan')):,.0f} ms "
            f"| {r.get('browser_ready_ms', float('nan')):,.0f} ms |"
        )
    lines += [
        "",
        "Baseline in the same run: one folium `Marker` (with its name as tooltip) per site in "
        "folium's `MarkerCluster`, with the same self-hosted Leaflet.",
        "",
        "| sites | naive page | server: render | Chromium: first markers "
        "| server time, naive / guide (first) | bytes, naive / guide (gzip) "
        "| first markers, naive / guide |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "naive_s" not in r:
            continue
        ours_bytes = r["page_gzip_bytes"] + r["data_gzip_bytes"]
        naive_ms = r.get("naive_browser_ms")
        first = r.get("browser_first_ms")
        if naive_ms is None:
            browser_cell = r.get("naive_browser_note", "not measured")
            ratio_cell = "—"
        else:
            browser_cell = f"{naive_ms:,.0f} ms"
            ratio_cell = f"{naive_ms / first:,.1f}×" if first else "—"
        lines.append(
            f"| {r['sites']:,} | {kb(r['naive_bytes'])} ({kb(r['naive_gzip_bytes'])} gzip) "
            f"| {ms(r['naive_s'])} | {browser_cell} "
            f"| {r['naive_s'] / (r['page_s'] + r['data_s']):,.0f}× "
            f"| {r['naive_gzip_bytes'] / ours_bytes:,.1f}× | {ratio_cell} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 6000, 40000])
    parser.add_argument("--runs", type=int, default=3, help="browser runs of the guide's page")
    parser.add_argument(
        "--naive-limit", type=float, default=180, help="seconds to wait for the naive page"
    )
    parser.add_argument("--no-browser", action="store_true", help="server figures only")
    parser.add_argument(
        "--keep", type=Path, help="make the generated catalogues in this folder once and reuse them"
    )
    parser.add_argument(
        "--baselines-up-to",
        type=int,
        default=40000,
        help="measure the naive page and the GeoJSON map only up to this many sites",
    )
    parser.add_argument(
        "--cold",
        type=int,
        default=0,
        metavar="RUNS",
        help="measure first visits instead: a new browser and a restarted server each run",
    )
    parser.add_argument(
        "--against", type=Path, help="with --cold: another worktree measured in the same run"
    )
    parser.add_argument(
        "--settle", type=int, default=1000, help="with --cold: ms a new browser waits first"
    )
    parser.add_argument(
        "--serve", nargs="+", metavar="FOLDER NAIVE_HTML PORT [MODE]", help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], args.serve[1], int(args.serve[2]), *args.serve[3:])
        return

    started_load = os.getloadavg()[0]
    rows = []
    if args.cold:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            for count in args.sizes:
                rows.append(
                    measure_cold(count, playwright, args.cold, args.keep, args.against, args.settle)
                )
        print(cold_report(rows, args.settle))
        print(
            f"\nLoad average (1 min): {started_load:.1f} at the start, "
            f"{os.getloadavg()[0]:.1f} at the end."
        )
        return
    if args.no_browser or not CHROMIUM.exists():
        if not args.no_browser:
            print(f"no Chromium at {CHROMIUM}: server figures only", file=sys.stderr)
        for count in args.sizes:
            rows.append(
                measure(count, None, args.naive_limit, args.runs, args.keep, args.baselines_up_to)
            )
            print(f"{count} sites measured", file=sys.stderr)
    else:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
            )
            for count in args.sizes:
                rows.append(
                    measure(
                        count, browser, args.naive_limit, args.runs, args.keep, args.baselines_up_to
                    )
                )
                print(f"{count} sites measured: {rows[-1]}", file=sys.stderr)
            browser.close()
    print(report(rows))
    print(
        f"\nLoad average (1 min): {started_load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end."
    )


if __name__ == "__main__":
    main()
