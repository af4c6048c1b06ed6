"""Every setting of the guide, with its default and its meaning, in one table.

A setting is read, each source overriding the one before: the default below,
the instance folder's ``config.py``, an environment variable of the same name,
and what the command line (or a test) passes to ``create_app``. The same order
holds for ``guide serve``, ``flask --app guide run`` and a WSGI server such as
``gunicorn 'guide:create_app()'``. ``docs/settings.md`` documents each one; a
test keeps the two in step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Debian's fonts-hanazono: HanaMinA for the basic plane, HanaMinB for Extension B and beyond.
HAN_NOM_FONTS = ":".join(
    f"/usr/share/fonts/truetype/hanazono/{name}.ttf" for name in ("HanaMinA", "HanaMinB")
)

# Environment variable naming the instance folder (config.py, SQLite file, secret key).
INSTANCE_VARIABLE = "GUIDE_INSTANCE"


@dataclass(frozen=True)
class Setting:
    """One named setting: its default value and what it controls."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "GUIDE_SITES",
        "sites",
        "Folder of the catalogue (one sub-folder per site, catalogue.toml, areas file). "
        "Relative paths are taken from the current folder.",
    ),
    Setting(
        "GUIDE_BASE_URL",
        "",
        "Public address of the guide, such as https://ditich.example.vn: the only source "
        "of absolute addresses (QR codes, share links, canonical and Open Graph links), "
        "never the request's Host. While it is empty, pages use relative links and leave "
        "out og:url and og:image, and signs and QR codes of plans are refused.",
    ),
    Setting(
        "GUIDE_API_URL",
        "",
        "Address of the guide's server when the public pages are served from a static "
        "export (`guide build`), such as https://api.ditich.example.vn: the tour planner, "
        "feedback forms and scan counting of those pages go there, and that server answers "
        "the origin of GUIDE_BASE_URL (CORS) and no other. Empty: pages use their own "
        "host, and an export leaves out what needs a server.",
    ),
    Setting(
        "GUIDE_SIGN_PROGRAMME",
        "",
        "Name of the programme printed at the top of every QR sign, such as "
        "'Công dân số Bắc Từ Liêm / Digital citizens'. Empty: the catalogue's title.",
    ),
    Setting(
        "GUIDE_SIGN_LOGO",
        "",
        "PNG or JPEG logo printed at the top of every QR sign, beside the programme "
        "name and never over the code. Empty: no logo.",
    ),
    Setting(
        "GUIDE_TILE_URL",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "URL template of the map tiles: the only request a page makes to another host.",
    ),
    Setting(
        "GUIDE_TILE_ATTRIBUTION",
        "© OpenStreetMap contributors",
        "Attribution shown for the map tiles.",
    ),
    Setting(
        "GUIDE_NEARBY_RADIUS_M",
        1500,
        "Walking reach in metres for the 'nearby' list on a story page.",
    ),
    Setting(
        "GUIDE_WALK_SPEED_KMH",
        4.5,
        "Walking speed in km/h used to turn distances into walking minutes.",
    ),
    Setting(
        "GUIDE_BIKE_SPEED_KMH",
        12.0,
        "Cycling speed in km/h used by the tour planner for the 'bike' mode.",
    ),
    Setting(
        "GUIDE_CAR_SPEED_KMH",
        20.0,
        "Average driving speed in km/h in town, stops and traffic included, used by the "
        "tour planner for the 'car' mode.",
    ),
    Setting(
        "GUIDE_WALK_DETOUR",
        1.3,
        "Streets are longer than a straight line: the tour planner multiplies the "
        "geodesic distance between two stops by this factor for walking.",
    ),
    Setting(
        "GUIDE_BIKE_DETOUR",
        1.3,
        "Factor from the geodesic distance to the estimated cycling distance.",
    ),
    Setting(
        "GUIDE_CAR_DETOUR",
        1.4,
        "Factor from the geodesic distance to the estimated driving distance (one-way "
        "streets and turns make it longer than walking).",
    ),
    Setting(
        "GUIDE_ROUTING_URL",
        "",
        "Address of a routing server that speaks the OSRM HTTP API, such as "
        "http://127.0.0.1:5000. When set, the tour planner asks its /table service for "
        "road distances (profiles foot, bike and car for walk, bike and car; the address "
        "may contain {mode} or {profile} when each profile has its own server). Empty, "
        "or when the server fails, distances are estimated from the detour factors.",
    ),
    Setting(
        "GUIDE_ROUTING_TIMEOUT_S",
        2.0,
        "Seconds to wait for the routing server before falling back to estimates.",
    ),
    Setting(
        "GUIDE_TOUR_MAX_STOPS",
        100,
        "Most sites one planned tour may visit (the start included when it is a site). "
        "The planner orders up to 15 stops after the start exactly, and 100 stops in "
        "under a second of CPU (bench/README.md); more makes requests slow.",
    ),
    Setting(
        "GUIDE_PLAN_CONCURRENCY",
        1,
        "Tour plans whose order is new that the server computes at the same time (at "
        "least 1). A request that finds them all busy gets 503 with Retry-After at once; "
        "orders already found and tours of up to 10 stops are never refused.",
    ),
    Setting(
        "GUIDE_PLAN_CPU_S",
        0.3,
        "Seconds of CPU one plan may spend searching for the best order of many stops; "
        "then the best order found so far is used. 0: no limit.",
    ),
    Setting(
        "GUIDE_PLAN_CACHE_SIZE",
        256,
        "Orders of tour plans kept in memory per loaded catalogue, so that the same plan "
        "asked again costs no search (0: keep none). Reloading the catalogue starts afresh.",
    ),
    Setting(
        "GUIDE_PLAN_RETRY_AFTER_S",
        2,
        "Seconds the Retry-After header of a 503 answer asks a client to wait when the "
        "planner is busy.",
    ),
    Setting(
        "GUIDE_DUPLICATE_RADIUS_M",
        30,
        "Two sites closer than this many metres with similar names are reported as "
        "possible duplicates.",
    ),
    Setting(
        "GUIDE_SILENT_DAYS",
        30,
        "A plaque printed at least this many days ago whose code had no scan in the "
        "last this many days (or never) is listed as silent on the reach page and in "
        "the monthly report: it may be gone, hidden or unreadable.",
    ),
    Setting(
        "GUIDE_DATABASE_URL",
        "",
        "SQLAlchemy URL of the guide's database (staff accounts, revisions, audit log), "
        "such as postgresql://guide:PASSWORD@localhost/guide (PostgreSQL needs the postgres "
        "extra: pip install 'red-addresses-guide[postgres]'). Empty: SQLite file "
        "guide.sqlite3 in the instance folder (an in-memory database when TESTING).",
    ),
    Setting(
        "GUIDE_HTTPS",
        False,
        "The guide is served over HTTPS (directly or behind a proxy): session cookies get "
        "the Secure flag and pages send Strict-Transport-Security.",
    ),
    Setting(
        "GUIDE_PROXY_HOPS",
        0,
        "Number of reverse proxies in front of the guide whose X-Forwarded-For and "
        "X-Forwarded-Proto headers are trusted (0: none). Needed behind a proxy so that "
        "failed sign-ins are counted per visitor address, not per proxy.",
    ),
    Setting(
        "GUIDE_LOGIN_ADDRESS_LIMIT",
        "10/minute;50/hour",
        "Sign-in attempts (right or wrong) allowed from one network address, as "
        "Flask-Limiter limits separated by ';'. Over it the address gets 429 with Retry-After.",
    ),
    Setting(
        "GUIDE_LOGIN_MAX_FAILURES",
        5,
        "Failed staff logins allowed for one account from one network address within "
        "GUIDE_LOGIN_WINDOW_S; then that address is refused for that account (429) while "
        "the account still signs in from elsewhere.",
    ),
    Setting(
        "GUIDE_LOGIN_WINDOW_S",
        900,
        "Length in seconds of the window in which failed logins are counted.",
    ),
    Setting(
        "GUIDE_LOGIN_ACCOUNT_LIMIT",
        "30/hour",
        "Failed logins of one account from all addresses together after which every "
        "attempt for it waits GUIDE_LOGIN_SLOW_S seconds (slowed, never refused).",
    ),
    Setting(
        "GUIDE_LOGIN_SLOW_S",
        2.0,
        "Seconds an attempt for an account over GUIDE_LOGIN_ACCOUNT_LIMIT waits before "
        "its password is checked.",
    ),
    Setting(
        "GUIDE_GEOCODER_URL",
        "https://nominatim.openstreetmap.org",
        "Base URL of the Nominatim service the site editor asks to turn an address into a "
        "point. Respect its usage policy, or run your own.",
    ),
    Setting(
        "GUIDE_GEOCODER_USER_AGENT",
        "red-addresses-guide",
        "User-Agent sent to the geocoder; Nominatim asks for one that names your deployment.",
    ),
    Setting(
        "GUIDE_GEOCODER_TIMEOUT_S",
        5.0,
        "Seconds to wait for the geocoder before the editor says it cannot be reached.",
    ),
    Setting(
        "GUIDE_FEEDBACK_LIMIT",
        "5/minute;20/day",
        "Feedback forms one network address may send, as Flask-Limiter limits separated "
        "by ';', counted in memory only (never stored). Over it: 429 with Retry-After.",
    ),
    Setting(
        "GUIDE_MAIL_SERVER",
        "",
        "SMTP server that sends staff answers to visitors who left an e-mail address. "
        "Empty: answers are recorded as given elsewhere (by phone, in person).",
    ),
    Setting("GUIDE_MAIL_PORT", 25, "Port of the SMTP server."),
    Setting("GUIDE_MAIL_FROM", "", "Sender address of answers to visitors; needed to send mail."),
    Setting("GUIDE_MAIL_USER", "", "Account name on the SMTP server (empty: no login)."),
    Setting("GUIDE_MAIL_PASSWORD", "", "Password of GUIDE_MAIL_USER on the SMTP server."),
    Setting(
        "GUIDE_MAIL_TLS",
        False,
        "Switch the SMTP connection to TLS with STARTTLS before logging in and sending.",
    ),
    Setting(
        "GUIDE_PHOTO_MAX_BYTES",
        15_000_000,
        "Largest photo upload in bytes.",
    ),
    Setting(
        "GUIDE_PHOTO_MAX_PIXELS",
        40_000_000,
        "Largest photo in pixels (width times height); larger images, including "
        "decompression bombs, are refused before they are decoded.",
    ),
    Setting(
        "GUIDE_AUDIO_MAX_BYTES",
        30_000_000,
        "Largest audio upload in bytes.",
    ),
    Setting(
        "GUIDE_PHOTO_CACHE",
        "",
        "Folder for the photo sizes made from the originals (made once, then reused). "
        "Empty: 'photo-sizes' in the instance folder. Never inside the catalogue folder.",
    ),
    Setting(
        "GUIDE_TIME_ZONE",
        "Asia/Ho_Chi_Minh",
        "Time zone of the catalogue (an IANA name): the day a scan, a feedback or a "
        "check belongs to is the day there.",
    ),
    Setting(
        "GUIDE_COUNT_SCANS",
        True,
        "Count arrivals through plaque codes (/S/CODE) per code, day, language and way "
        "(plaque or link), keeping nothing about the visitor (docs/privacy.md).",
    ),
    Setting(
        "GUIDE_COUNT_VIEWS",
        True,
        "Also count views of story pages per code, day and language, under the same "
        "privacy and bot rules as arrivals (needs GUIDE_COUNT_SCANS).",
    ),
    Setting(
        "GUIDE_SCAN_FLUSH_S",
        5.0,
        "Seconds scan counts wait in memory before they are added to the database "
        "(they are also written when the server stops).",
    ),
    Setting(
        "GUIDE_SCAN_RETENTION_DAYS",
        730,
        "Days the daily scan counts are kept; older days are removed once a day "
        "(0: keep them all).",
    ),
    Setting(
        "GUIDE_HAN_NOM_FONT",
        HAN_NOM_FONTS,
        "Font files (TrueType or OpenType, separated by ':') that draw the Hán and Nôm "
        "characters of inscriptions; each character comes from the first file that has it. "
        "Pages get WOFF2 subsets holding only the characters the inscriptions use. Default: "
        "Debian's fonts-hanazono (HanaMinA, then HanaMinB for Extension B and beyond). "
        "Without a file, inscriptions are drawn in the visitor's own fonts.",
    ),
    Setting(
        "GUIDE_FONT_CACHE",
        "",
        "Folder for the font subsets made from GUIDE_HAN_NOM_FONT (made once per set of "
        "characters, then reused). Empty: 'font-subsets' in the instance folder.",
    ),
    Setting(
        "SECRET_KEY",
        "dev",
        "Flask's secret key for signing cookies. Left at 'dev' outside tests, the guide "
        "makes a random key once and keeps it in the instance folder (file secret_key).",
    ),
)


def defaults() -> dict[str, Any]:
    """Return the default value of every setting, keyed by name."""
    return {setting.name: setting.default for setting in SETTINGS}


def from_environ(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the settings given as environment variables, converted to the default's type."""
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name not in environ:
            continue
        raw = environ[setting.name]
        if isinstance(setting.default, bool):
            found[setting.name] = raw.strip().lower() in {"1", "true", "yes", "on"}
        elif isinstance(setting.default, int):
            found[setting.name] = int(raw)
        elif isinstance(setting.default, float):
            found[setting.name] = float(raw)
        else:
            found[setting.name] = raw
    return found


def instance_folder() -> Path:
    """Return the instance folder: ``GUIDE_INSTANCE``, else Flask's for the guide package."""
    configured = os.environ.get(INSTANCE_VARIABLE, "").strip()
    if configured:
        return Path(configured).resolve()
    # Imported here so that the library, which reads settings, loads without Flask.
    from flask import Flask

    return Path(Flask("guide").instance_path)


def from_instance_file(folder: Path | None = None) -> dict[str, Any]:
    """Return the upper-case names set in the instance folder's ``config.py`` (if any)."""
    from flask import Config

    config = Config(str(folder or instance_folder()))
    config.from_pyfile("config.py", silent=True)
    return dict(config)


def resolve(overrides: Mapping[str, Any] | None = None, *, instance: bool = True) -> dict[str, Any]:
    """Return the effective settings: defaults < instance config.py < environment < overrides.

    ``instance=False`` leaves ``config.py`` out (tests must not read a developer's).
    """
    effective = defaults()
    if instance:
        effective.update(from_instance_file())
    effective.update(from_environ())
    if overrides:
        effective.update(overrides)
    return effective
