"""Test data for tours: four sites of Ba Đình, the shipped sites' codes, and the planner's app."""

from __future__ import annotations

from builders import DEFAULT_SITES, site_facts

from guide import create_app
from guide.catalogue.geo import distance_m

# Four points of Ba Đình (the Flag Tower, Đoan Môn, the North Gate, Ba Đình Square).
A = site_facts(
    code="AAAA", slug="site-a", area="001", lat=21.0325, lon=105.83972, visit_minutes=45,
    name={"vi": "Đình Ất", "en": "At Communal House"},
)  # fmt: skip


B = site_facts(
    code="BBBB", slug="site-b", area="001", lat=21.035257, lon=105.840252, visit_minutes=30,
    opening_hours="08:00-11:30, 13:30-17:00", name={"vi": "Đền Bính", "en": "Binh Temple"},
)  # fmt: skip


C = site_facts(
    code="CCCC", slug="site-c", area="001", lat=21.040555, lon=105.841032, visit_minutes=20,
    name={"vi": "Chùa Canh", "en": "Canh Pagoda"},
)  # fmt: skip


D = site_facts(
    code="DDDD", slug="site-d", area="001", lat=21.036987, lon=105.835803, visit_minutes=15,
    name={"vi": "Nhà Đinh", "en": "Dinh House"},
)  # fmt: skip


WALK_M_PER_MIN = 4.5 * 1000 / 60


def walk_leg(a: dict, b: dict) -> tuple[int, int]:
    """Return the metres and minutes of walking between two sites, computed independently."""
    metres = distance_m((a["lat"], a["lon"]), (b["lat"], b["lon"])) * 1.3
    return round(metres), max(1, round(metres / WALK_M_PER_MIN))


# Published sites of Ba Đình around the Imperial Citadel, and of Bắc Từ Liêm.
CITADEL = ["GKQH", "T7BR", "YYDU", "JZ37", "36K5", "75A8"]


BAC_TU_LIEM = ["Z2HN", "9XT4", "8S2D", "YKW7"]


def make_app(**config):
    return create_app(
        {"TESTING": True, "GUIDE_SITES": str(DEFAULT_SITES), "GUIDE_ROUTING_URL": "", **config}
    )


DRAFT = site_facts(
    code="EEEE", slug="site-e", status="draft", lat=None, lon=None, name={"vi": "Đình Nháp"}
)


ROAD = [[0, 5100, 7300], [5150, 0, 1900], [7250, 1880, 0]]
