"""Settings: one table in code, every row documented, environment overrides typed."""

from __future__ import annotations

import re

from guide import PROJECT_ROOT, create_app
from guide.settings import SETTINGS, from_environ


def documented_settings() -> dict[str, str]:
    text = (PROJECT_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([A-Z_]+)` \| (.*?) \|", text, re.M))


def test_every_setting_is_documented_with_its_default():
    documented = documented_settings()
    for setting in SETTINGS:
        assert setting.name in documented, f"{setting.name} is missing from docs/settings.md"
        shown = "(empty)" if setting.default == "" else f"`{setting.default}`"
        assert documented[setting.name] == shown, setting.name


def test_no_documented_setting_is_unknown():
    assert set(documented_settings()) <= {s.name for s in SETTINGS}


def test_environment_values_take_the_type_of_the_default():
    found = from_environ({"GUIDE_NEARBY_RADIUS_M": "800", "GUIDE_WALK_SPEED_KMH": "5", "X": "1"})
    assert found == {"GUIDE_NEARBY_RADIUS_M": 800, "GUIDE_WALK_SPEED_KMH": 5.0}


def test_test_config_wins_over_environment(monkeypatch, empty_catalogue):
    monkeypatch.setenv("GUIDE_NEARBY_RADIUS_M", "800")
    app = create_app({"TESTING": True, "GUIDE_SITES": str(empty_catalogue)})
    assert app.config["GUIDE_NEARBY_RADIUS_M"] == 800
    app = create_app(
        {"TESTING": True, "GUIDE_SITES": str(empty_catalogue), "GUIDE_NEARBY_RADIUS_M": 300}
    )
    assert app.config["GUIDE_NEARBY_RADIUS_M"] == 300
