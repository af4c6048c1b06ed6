"""Benchmark: QR signs for thousands of sites, against bare codes and a single sign.

Generates a temporary catalogue of N published sites (default 6,000) on the
real areas of Hà Nội, then runs each case in a fresh Python process so that
peak memory is the case's own:

- ``load``: loading the catalogue only (every other case includes it);
- ``png`` and ``svg``: bare codes, the baseline (no layout, no font);
- ``pdf-a5`` and ``pdf-sticker``: print-ready signs, one after the other;
- ``pdf-a5-jobs``: the A5 signs on every core (``guide.render.batch``, as
  ``guide qr`` makes them), to compare with ``pdf-a5``;
- ``pdf-a5-jobs-before``: the same as ``pdf-a5-jobs`` with the QR symbols made as
  before (qrcode drawing each symbol twice, its masks scored with numpy): the
  baseline of the current implementation;
- ``pdf-a5-book``: the A5 signs as the pages of one PDF (``guide qr --one-file``,
  ``guide.render.sign_book``: texts and codes on every core, one canvas
  drawing the pages, the fonts embedded once), to compare with ``pdf-a5-jobs``;
- ``one-sign``: the first A5 sign in a fresh process (font loading included).

Besides wall time, each case reports the CPU seconds it and its workers used,
which say more than wall time when other work shares the machine.

Each case writes its files the way ``guide qr`` does (``signs.write_signs``,
one atomic, fsynced file per site) and reports wall time, signs per second,
peak resident memory and the size of what it wrote.

    python bench/qr_signs.py              # 6,000 sites
    python bench/qr_signs.py --sites 500  # a quick run
    python bench/qr_signs.py --cases pdf-a5-jobs,pdf-a5-book  # some cases only
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE_URL = "https://ditich.example.vn"
KINDS = ["communal-house", "temple", "pagoda", "revolutionary", "memorial-house", "memorial"]
RANKS = ["", "national", "special-national", "city"]
WORDS = "Chèm Thụy Phương Hàng Ngang Cổ Loa Đống Đa Quán Thánh Kim Liên Tây Đằng Ngọc Hà Sóc Sơn"


def make_catalogue(root: Path, count: int, seed: int = 5) -> None:
    """Write ``count`` published sites near the shipped sites' points into ``root``."""
    import tomli_w

    from guide.catalogue import codes
    from guide.catalogue.index import load_catalogue

    shipped = load_catalogue(ROOT / "sites")
    anchors = [site for site in shipped if site.has_location]
    root.mkdir(parents=True)
    for name in ("catalogue.toml", shipped.config.areas_file):
        shutil.copyfile(ROOT / "sites" / name, root / name)
    rng = random.Random(seed)
    words = WORDS.split()
    taken: set[str] = set()
    made = 0
    while made < count:
        anchor = rng.choice(anchors)
        lat = round(anchor.lat + rng.uniform(-0.002, 0.002), 6)
        lon = round(anchor.lon + rng.uniform(-0.002, 0.002), 6)
        area = shipped.areas.locate(lat, lon)
        if area is None:
            continue
        code = ""
        while not code or code in taken:
            code = "".join(rng.choice(codes.ALPHABET) for _ in range(codes.LENGTH))
        taken.add(code)
        kind = rng.choice(KINDS)
        title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
        slug = f"bench-{made:05d}"
        facts = {
            "code": code,
            "slug": slug,
            "status": "published",
            "kind": kind,
            "rank": rng.choice(RANKS),
            "lat": lat,
            "lon": lon,
            "address": "",
            "ward": "",
            "area": area.id,
            "visit_minutes": 30,
            "opening_hours": "",
            "tags": [],
            "name": {"vi": f"{kind.capitalize()} {title} {made}", "en": f"Bench site {made}"},
            "sources": [],
            "media": [],
        }
        folder = root / slug
        folder.mkdir()
        (folder / "site.toml").write_text(tomli_w.dumps(facts), encoding="utf-8")
        (folder / "story.vi.md").write_text("Câu chuyện.\n", encoding="utf-8")
        made += 1


def peak_rss_mb() -> float:
    """Return the peak resident memory of this process or its largest worker, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def use_previous_symbols() -> None:
    """Make QR symbols as the guide did before: qrcode draws them twice, masks scored in numpy."""
    from guide.render import qr, qrmask

    def make_code(text: str, ec: str = qr.DEFAULT_EC) -> qr.Code:
        symbol = qr.qrcode.QRCode(error_correction=qr.EC_LEVELS[ec.upper()], border=0)
        if qr.fits_alphanumeric(text):
            symbol.add_data(qr.QRData(text.encode("ascii"), mode=qr.MODE_ALPHA_NUM))
        else:
            symbol.add_data(text)
        qrmask.make_symbol(symbol)
        modules = tuple(tuple(bool(cell) for cell in row) for row in symbol.modules)
        return qr.Code(text=text, ec=ec.upper(), version=symbol.version, modules=modules)

    qr.make_code = make_code


def run_case(case: str, catalogue_dir: Path, out: Path) -> dict:
    """Run one case in this process and return its figures."""
    from guide.catalogue.index import load_catalogue
    from guide.render import signs

    started = time.perf_counter()
    catalogue = load_catalogue(catalogue_dir)
    sites = catalogue.published()
    loaded = time.perf_counter()
    if case.endswith("-before"):
        use_previous_symbols()
        case_key = case.removesuffix("-before")
    else:
        case_key = case
    fmt, size = {
        "load": (None, None),
        "png": ("png", "a5"),
        "svg": ("svg", "a5"),
        "pdf-a5": ("pdf", "a5"),
        "pdf-a5-jobs": ("pdf", "a5"),
        "pdf-a5-book": ("pdf", "a5"),
        "pdf-sticker": ("pdf", "sticker"),
        "one-sign": ("pdf", "a5"),
    }[case_key]
    if case == "one-sign":
        sites = sites[:1]
    written: list[Path] = []
    if fmt:
        branding = signs.Branding(title=("Địa chỉ đỏ Hà Nội", "Red Addresses of Hà Nội"))
        if case_key.endswith("-book"):
            from guide.render import batch, sign_book

            book = out / "signs.pdf"
            out.mkdir(parents=True, exist_ok=True)
            printed, failures = sign_book.write_signs_book(
                sites, book, BASE_URL, size=size, branding=branding, jobs=batch.default_jobs()
            )
            written = [book] * len(printed)
            sizes = book.stat().st_size
        elif case_key.endswith("-jobs"):
            from guide.render import batch

            written, failures = batch.write_signs(
                sites, out, BASE_URL, fmt=fmt, size=size, branding=branding
            )
        else:
            written, failures = signs.write_signs(
                sites, out, BASE_URL, fmt=fmt, size=size, branding=branding
            )
        assert not failures, failures[:3]
    finished = time.perf_counter()
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    if not case_key.endswith("-book"):
        sizes = sum(path.stat().st_size for path in written)
    return {
        "case": case,
        "files": len(written),
        "load_s": loaded - started,
        "make_s": finished - loaded,
        "total_s": finished - started,
        "bytes": sizes,
        "cpu_s": cpu,
        "peak_mb": peak_rss_mb(),
    }


def main() -> None:
    """Generate the catalogue, run every case in its own process, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6000, help="number of generated sites")
    parser.add_argument("--cases", help="comma-separated cases to run (default: all)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--catalogue", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.catalogue, args.out)))
        return

    work = Path(tempfile.mkdtemp(prefix="bench-qr-"))
    try:
        started = time.perf_counter()
        make_catalogue(work / "sites", args.sites)
        print(f"generated {args.sites} sites in {time.perf_counter() - started:.1f} s")
        results = []
        cases = ("load", "png", "svg", "pdf-a5", "pdf-a5-jobs-before", "pdf-a5-jobs")
        cases += ("pdf-a5-book", "pdf-sticker")
        chosen = args.cases.split(",") if args.cases else [*cases, "one-sign"]
        print(f"load average {os.getloadavg()[0]:.1f} at the start", flush=True)
        for case in chosen:
            out = work / f"out-{case}"
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--case",
                    case,
                    "--catalogue",
                    str(work / "sites"),
                    "--out",
                    str(out),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results.append(json.loads(output.strip().splitlines()[-1]))
            shutil.rmtree(out, ignore_errors=True)
        report(results)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(results: list[dict]) -> None:
    """Print one row per case and the comparison with the baselines."""
    print(
        f"{'case':<20} {'signs':>6} {'load s':>7} {'make s':>7} {'CPU s':>7} {'signs/s':>8} "
        f"{'ms/sign':>8} {'peak MiB':>9} {'output MB':>10} {'KB/sign':>8}"
    )
    by_case = {}
    for row in results:
        by_case[row["case"]] = row
        files = row["files"]
        rate = files / row["make_s"] if files else 0
        per_file = 1000 * row["make_s"] / files if files else 0
        size_kb = row["bytes"] / files / 1000 if files else 0
        print(
            f"{row['case']:<20} {files:>6} {row['load_s']:>7.2f} {row['make_s']:>7.2f} "
            f"{row['cpu_s']:>7.1f} "
            f"{rate:>8.0f} {per_file:>8.2f} {row['peak_mb']:>9.0f} "
            f"{row['bytes'] / 1e6:>10.1f} {size_kb:>8.1f}"
        )
    if not {"png", "pdf-a5", "one-sign", "load"} <= by_case.keys():
        return
    png, pdf, one = by_case["png"], by_case["pdf-a5"], by_case["one-sign"]
    print(
        f"A5 signs take {pdf['make_s'] / png['make_s']:.1f}× the time of bare PNG codes, "
        f"{pdf['peak_mb'] - by_case['load']['peak_mb']:+.0f} MiB over loading the catalogue; "
        f"the first sign in a process takes {1000 * one['make_s']:.0f} ms, "
        f"a sign in the batch {1000 * pdf['make_s'] / pdf['files']:.1f} ms."
    )


if __name__ == "__main__":
    main()
