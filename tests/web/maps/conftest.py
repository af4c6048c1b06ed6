"""Fixtures of the tests in tests/web/maps/."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w
from browsing import LiveServer
from builders import DEFAULT_SITES, LARGE_SITES, site_facts
from hostile_data import HTML_NAME, MARKUP_NAME

from guide import create_app
from guide.catalogue import codes
from guide.catalogue.index import load_catalogue


@pytest.fixture
def api_catalogue(make_catalogue):
    """A small catalogue: four published sites, one draft, one with a photo."""
    return make_catalogue(
        site_facts(tags=["lễ hội", "Lý Thường Kiệt"]),
        site_facts(
            code="CH7A",
            slug="chua-tran-quoc",
            kind="pagoda",
            rank="",
            lat=21.04785,
            lon=105.83673,
            area="003",
            name={"vi": "Chùa Trấn Quốc", "en": "Trấn Quốc Pagoda"},
        ),
        site_facts(
            code="HN48",
            slug="nha-48-hang-ngang",
            kind="revolutionary",
            rank="national",
            lat=21.034328,
            lon=105.850439,
            area="002",
            tags=["cách mạng"],
            name={"vi": "Nhà 48 Hàng Ngang", "en": "48 Hàng Ngang"},
        ),
        site_facts(
            code="HT3X",
            slug="dinh-html",
            kind="communal-house",
            rank="",
            lat=21.030769,
            lon=105.852782,
            area="002",
            name={"vi": HTML_NAME},
        ),
        site_facts(
            code="DR4F",
            slug="ban-nhap",
            status="draft",
            kind="communal-house",
            name={"vi": "Đình bản nháp"},
        ),
    )


@pytest.fixture
def api(api_catalogue):
    app = create_app({"TESTING": True, "GUIDE_SITES": str(api_catalogue)})
    return app.test_client()


@pytest.fixture(scope="module")
def large_catalogue(tmp_path_factory) -> Path:
    """Write a catalogue of LARGE_SITES published sites scattered near the shipped ones."""
    root = tmp_path_factory.mktemp("large") / "sites"
    shipped = load_catalogue(DEFAULT_SITES)
    anchors = [site for site in shipped if site.has_location]
    root.mkdir()
    for name in ("catalogue.toml", shipped.config.areas_file):
        shutil.copyfile(DEFAULT_SITES / name, root / name)
    rng = random.Random(11)
    taken: set[str] = set()
    made = 0
    while made < LARGE_SITES:
        anchor = rng.choice(anchors)
        lat = round(anchor.lat + rng.uniform(-0.003, 0.003), 6)
        lon = round(anchor.lon + rng.uniform(-0.003, 0.003), 6)
        area = shipped.areas.locate(lat, lon)
        if area is None:
            continue
        code = ""
        while not code or code in taken:
            code = "".join(rng.choice(codes.ALPHABET) for _ in range(codes.LENGTH))
        taken.add(code)
        slug = f"di-tich-{made:05d}"
        facts = {
            "code": code,
            "slug": slug,
            "status": "published",
            "kind": rng.choice(["communal-house", "temple", "pagoda", "revolutionary"]),
            "rank": rng.choice(["", "national", "city"]),
            "lat": lat,
            "lon": lon,
            "address": "",
            "ward": "",
            "area": area.id,
            "visit_minutes": 30,
            "opening_hours": "",
            "tags": [],
            "name": {"vi": f"Di tích Số {made}", "en": f"Site number {made}"},
            "sources": [],
            "media": [],
        }
        (root / slug).mkdir()
        (root / slug / "site.toml").write_text(tomli_w.dumps(facts), encoding="utf-8")
        (root / slug / "story.vi.md").write_text("Câu chuyện.\n", encoding="utf-8")
        made += 1
    return root


@pytest.fixture(scope="module")
def large_app(large_catalogue):
    return create_app({"TESTING": True, "GUIDE_SITES": str(large_catalogue)})


@pytest.fixture
def escaping_server(make_catalogue) -> Iterator[LiveServer]:
    """Serve a catalogue whose one site's name holds HTML."""
    root = make_catalogue(site_facts(name={"vi": MARKUP_NAME, "en": MARKUP_NAME}))
    server = LiveServer(create_app({"TESTING": True, "GUIDE_SITES": str(root)})).start()
    yield server
    server.stop()
