"""Every setting of the guide, with its default and its meaning, in one table.

A setting is read, in order of precedence, from the test configuration given to
``create_app``, from an environment variable of the same name, and from the
default below. ``docs/settings.md`` documents each one; a test keeps the two in
step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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
        "Public address of the guide, such as https://ditich.example.vn. Printed in QR "
        "codes and used for share links; signs are refused while it is empty.",
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
        "GUIDE_DUPLICATE_RADIUS_M",
        30,
        "Two sites closer than this many metres with similar names are reported as "
        "possible duplicates.",
    ),
    Setting(
        "SECRET_KEY",
        "dev",
        "Flask's secret key for signing cookies. Set a long random value in production.",
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


def resolve(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the effective settings: defaults, then environment, then ``overrides``."""
    effective = defaults()
    effective.update(from_environ())
    if overrides:
        effective.update(overrides)
    return effective
