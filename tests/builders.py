"""Test data builders: sites, catalogues, staff apps and recordings made from data.

Fixtures live in ``conftest.py``; what a test builds from data (a site's facts, a
site folder, a changed ``site.toml``, a workspace with its accounts, a tone as MP3)
lives here, so that tests import it from a module of its own.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from PIL import Image
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from guide import PROJECT_ROOT, create_app
from guide.catalogue import codes
from guide.catalogue.codes import record
from guide.catalogue.layout import SITE_FILE
from guide.web.maps.views import LARGE_MAP_FROM

DEFAULT_SITES = PROJECT_ROOT / "sites"
# The public addresses of the guide and of its server in tests (never reached).
PUBLIC_BASE = "https://ditich.example.vn"
PUBLIC_API = "https://api.ditich.example.vn"


def site_facts(**overrides: Any) -> dict[str, Any]:
    """Return valid facts for a site at Đình Chèm's point, changed by ``overrides``."""
    facts: dict[str, Any] = {
        "code": "7K2Q",
        "slug": "dinh-chem",
        "status": "published",
        "kind": "communal-house",
        "rank": "special-national",
        "lat": 21.094072,
        "lon": 105.774237,
        "address": "Làng Chèm",
        "ward": "Thụy Phương",
        "area": "021",
        "visit_minutes": 45,
        "opening_hours": "",
        "tags": [],
        "name": {"vi": "Đình Chèm", "en": "Chem Communal House"},
        "sources": [{"url": "https://www.openstreetmap.org/node/6652529905", "supports": "point"}],
        "media": [],
    }
    facts.update(overrides)
    return {key: value for key, value in facts.items() if value is not None}


# Stories and sources that meet ``guide check``'s minimums (150 words in vi and en, two
# independent publishers), for tests about something else that want a clean check.
FULL_STORIES = {
    "vi": " ".join(["Đình làng được dựng bên sông và trùng tu nhiều lần."] * 14) + " [2][3]",
    "en": " ".join(["The communal house was built by the river and restored often."] * 14)
    + " [2][3]",
}
INDEPENDENT_SOURCES = [
    {"url": "https://www.openstreetmap.org/node/6652529905", "supports": "coordinate"},
    {"url": "https://nhandan.vn/dinh-chem", "supports": "history"},
    {"url": "https://vnexpress.net/dinh-chem", "supports": "festival"},
]
MINIMUM_KINDS = ("story.short", "sources.independent")


def beside_minimums(problems: list[Any]) -> list[Any]:
    """Return the problems other than the story minimums, for tests about other checks."""
    return [p for p in problems if p.kind not in MINIMUM_KINDS]


def write_site(
    root: Path,
    facts: dict[str, Any],
    stories: dict[str, str] | None = None,
    folder_name: str | None = None,
) -> Path:
    """Write one site folder into a test catalogue and record its code in the ledger."""
    folder = root / (folder_name or facts.get("slug", "unnamed"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SITE_FILE).write_text(tomli_w.dumps(facts), encoding="utf-8")
    for language, story in (stories if stories is not None else {"vi": "Câu chuyện."}).items():
        (folder / f"story.{language}.md").write_text(story, encoding="utf-8")
    if isinstance(facts.get("code"), str):
        record(root, [(facts["code"], facts.get("slug", ""))])
    return folder


def read_site(folder: Path) -> dict[str, Any]:
    """Return the facts of the site in ``folder``, as its ``site.toml`` holds them."""
    return tomllib.loads((folder / SITE_FILE).read_text(encoding="utf-8"))


def edit_site(folder: Path, **changes: Any) -> dict[str, Any]:
    """Rewrite the ``site.toml`` in ``folder`` with ``changes`` to its facts; return the facts.

    A test copy of a site is changed through its data, never by editing its text.
    """
    facts = {**read_site(folder), **changes}
    (folder / SITE_FILE).write_text(tomli_w.dumps(facts), encoding="utf-8")
    return facts


# --- Staff workspace: accounts, one per role, in a database of the test's own ---

STAFF_PASSWORD = "correct horse battery staple"
# Account name: (role, areas). Đình Chèm lies in 021 (Bắc Từ Liêm); 002 is Hoàn Kiếm.
STAFF = {
    "admin": ("admin", []),
    "viewer": ("viewer", []),
    "editor-here": ("editor", ["021"]),
    "editor-other": ("editor", ["002"]),
}
_staff_hash: list[str] = []


def _english_client_class():
    from flask.testing import FlaskClient

    class EnglishClient(FlaskClient):
        """A test client whose browser asks for English (the staff tests read English text)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    return EnglishClient


def make_staff_app(sites: Path, tmp_path: Path, **config: Any):
    """Return the guide on ``sites`` with its own SQLite file, instance folder and accounts."""
    from werkzeug.security import generate_password_hash

    from guide.workspace.db import User, db

    settings = {
        "TESTING": True,
        "GUIDE_SITES": str(sites),
        "GUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'guide.sqlite3'}",
        "GUIDE_TILE_URL": "/tiles/{z}/{x}/{y}.png",
    }
    settings.update(config)
    app = create_app(settings)
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = _english_client_class()
    if not _staff_hash:
        _staff_hash.append(generate_password_hash(STAFF_PASSWORD, method="scrypt"))
    with app.app_context():
        for name, (role, areas) in STAFF.items():
            if db.session.query(User).filter_by(name=name).first() is None:
                db.session.add(
                    User(
                        name=name, password_hash=_staff_hash[0], role=role, area_ids=" ".join(areas)
                    )
                )
        db.session.commit()
    return app


def add_near_twin(sites: Path) -> Path:
    """Copy Đình Chèm as ``dinh-chem-2``, 4 m away with the same name: a likely duplicate."""
    facts = read_site(sites / "dinh-chem")
    facts.update(slug="dinh-chem-2", code="Z2HM", lat=facts["lat"] + 0.000038)
    twin = sites / "dinh-chem-2"
    twin.mkdir()
    (twin / SITE_FILE).write_text(tomli_w.dumps(facts), encoding="utf-8")
    return twin


def encoded_audio(container: str, codec: str, rate: int, seconds: float = 1.0) -> bytes:
    """Return a real recording (a 440 Hz tone) encoded with FFmpeg's libraries (PyAV)."""
    import math

    import av
    import numpy

    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as output:
        stream = output.add_stream(codec, rate=rate)
        stream.layout = "mono"
        size = stream.codec_context.frame_size or 1024
        done = 0
        while done < rate * seconds:
            samples = numpy.arange(done, done + size) / rate
            tone = (0.2 * numpy.sin(2 * math.pi * 440 * samples)).astype("float32")
            frame = av.AudioFrame.from_ndarray(tone.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate, frame.pts = rate, done
            done += size
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return buffer.getvalue()


# --- Sites and apps that several test modules share ---

HANG_NGANG = site_facts(
    code="59PK",
    slug="nha-48-hang-ngang",
    kind="revolutionary",
    rank="national",
    lat=21.034328,
    lon=105.850439,
    address="48 Hàng Ngang",
    ward="",
    area="002",
    name={"vi": "Di tích Nhà số 48 Hàng Ngang", "en": "48 Hàng Ngang"},
)


PHONE = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "User-Agent": "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
    "Accept-Language": "vi-VN,vi;q=0.9",
}


def make_app(tmp_path: Path, **config):
    """Return the guide on the shipped catalogue with its own SQLite file."""
    settings = {
        "TESTING": True,
        "GUIDE_SITES": str(DEFAULT_SITES),
        "GUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'guide.sqlite3'}",
    }
    settings.update(config)
    return create_app(settings)


# --- PostgreSQL: a schema of its own on the test server ---

NO_SERVER = (
    "no PostgreSQL server to test against: set GUIDE_TEST_POSTGRES_URL="
    "postgresql://USER:PASSWORD@HOST:5432/DATABASE (as root on Debian, "
    "`source .ci/postgres` starts one and sets it)"
)


class Server:
    """A schema of its own on the test server, and the URL that uses it."""

    def __init__(self, url: str, engine: Engine, schema: str) -> None:
        self.engine = engine
        self.schema = schema
        # The URL as staff write it (postgresql://), using the schema and naming the
        # connections after it, so that they can all be closed at the end.
        self.url = (
            make_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}", "application_name": schema})
            .render_as_string(hide_password=False)
        )
        self.apps: list = []

    def rows(self, query: str) -> list[tuple]:
        """Return the rows of a query run in the test's schema."""
        with self.engine.connect() as connection:
            connection.execute(text(f'SET search_path TO "{self.schema}"'))
            return [tuple(row) for row in connection.execute(text(query))]

    def staff_app(self, sites, tmp_path, **config):
        """Return the guide on ``sites`` with its database here and one account per role."""
        app = make_staff_app(sites, tmp_path, GUIDE_DATABASE_URL=self.url, **config)
        self.apps.append(app)
        return app


def language_path(language: str, path: str) -> str:
    """Return a public page's address in ``language``: ``/en/map``; Vietnamese at the root."""
    from guide.web.language_paths import path_segment

    if language == "vi":
        return path
    return f"/{path_segment(language)}{path}"


OTHER = "南國山河"


def inscribed(**overrides) -> dict:
    """Return facts of Đình Chèm with one inscription carrying ``ORIGINAL``."""
    inscription = {
        "kind": "horizontal-board",
        "location": {"vi": "Tòa đại bái", "en": "Main hall"},
        "original": ORIGINAL,
        "reading": "Đại Việt quốc",
        "translation": {"vi": "Nước Đại Việt", "en": "The land of Đại Việt"},
        "sources": [1],
    }
    # The test stories are short: declared so, guide check warns of them but passes.
    return site_facts(inscriptions=[inscription], needs_story=True, **overrides)


def generated(count: int, seed: int = 3) -> list[dict]:
    """Return the facts of ``count`` published sites with Vietnamese names and distinct codes."""
    rng = random.Random(seed)
    taken: set[str] = set()
    sites = []
    for number in range(count):
        code = ""
        while not code or code in taken:
            code = "".join(rng.choice(codes.ALPHABET) for _ in range(codes.LENGTH))
        taken.add(code)
        kind = rng.choice(sorted(KINDS))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
        sites.append(
            site_facts(
                code=code,
                slug=f"di-tich-{number:03d}",
                kind=kind,
                lat=21.094072 - rng.uniform(0.0005, 0.004),
                lon=105.774237 - rng.uniform(0.001, 0.006),
                name={"vi": f"{KINDS[kind]} {title}", "en": f"Site {number}"},
            )
        )
    return sites


# 大越國 and 𡨸 (chữ, U+21A38, in Extension B: only HanaMinB has it).
NOM = "\U00021a38"
ORIGINAL = f"大越國 {NOM}"


KINDS = {
    "communal-house": "Đình",
    "temple": "Đền",
    "pagoda": "Chùa",
    "revolutionary": "Di tích cách mạng",
    "memorial-house": "Nhà lưu niệm",
}


WORDS = [
    "Chèm",
    "Thụy",
    "Phương",
    "Hàng",
    "Ngang",
    "Cổ",
    "Loa",
    "Đống",
    "Đa",
    "Quán",
    "Thánh",
    "Kim",
    "Liên",
    "Tây",
    "Đằng",
    "Ngọc",
    "Hà",
]


HOAN_KIEM = {"lat": 21.0287, "lon": 105.8524, "area": "002", "ward": "Hàng Trống"}


# Five sites in Bắc Từ Liêm (021) and one in Hoàn Kiếm (002).
REACH_SITES = [
    site_facts(),
    site_facts(code="A2B3", slug="silent-old", name={"vi": "Nhà cũ im lặng"}),
    site_facts(code="C4D5", slug="printed-lately", name={"vi": "Mới in"}),
    site_facts(code="E6F7", slug="scanned-lately", name={"vi": "Vừa quét"}),
    site_facts(code="G8H9", slug="taken-down", name={"vi": "Đã gỡ"}),
    site_facts(code="J2K3", slug="ho-guom", name={"vi": "Hồ Gươm"}, **HOAN_KIEM),
]


LARGE_SITES = LARGE_MAP_FROM + 500


def png(colour: tuple[int, int, int], size: tuple[int, int] = (640, 480)) -> bytes:
    """Return a real PNG photo of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


# `guide ARGS` in a fresh interpreter, then which of the named modules it had loaded.
_GUIDE_COMMAND = """
import sys
from guide.cli import main
main(sys.argv[2:], standalone_mode=False)
print("LOADED", ",".join(name for name in sys.argv[1].split(",") if name in sys.modules))
"""


def run_guide(*arguments: str, modules: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """Run `guide ARGUMENTS` in a fresh process; return its first line and ``modules`` loaded.

    Its environment is the test's (the same instance folder, GUIDE_INSTANCE), with the
    project first on the path.
    """
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _GUIDE_COMMAND, ",".join(modules), *arguments],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    lines = done.stdout.splitlines()
    return lines[0], [name for name in lines[-1].removeprefix("LOADED ").split(",") if name]
