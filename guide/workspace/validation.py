"""Check a site's facts as the editor builds them, with the catalogue's own reader.

The workspace builds a ``site.toml`` dict from a form before the site exists: a
new site has no permanent code until it is saved, and a point typed on its own
belongs to no site yet. These checks run ``site_from_dict`` on the facts as
they are and leave out only what the missing code makes the reader say, so the
editor reports exactly what ``guide check`` would once the code is issued.
"""

from __future__ import annotations

import math
import re
from typing import Any

from guide.catalogue.geo import Areas, in_range
from guide.catalogue.layout import SITE_FILE
from guide.catalogue.model import CatalogueConfig, Problem
from guide.catalogue.reader import site_from_dict
from guide.catalogue.text import fold

# The order of ``site.toml`` files; fields the guide does not know come last.
FACT_ORDER = ("code", "slug", "status", "kind", "rank", "rank_year", "rank_batch", "rank_date",
              "rank_decision", "rank_source", "lat", "lon", "address", "ward", "area",
              "visit_minutes", "opening_hours", "needs_story", "tags", "media", "sources",
              "name")  # fmt: skip

POINT_FIELDS = ("lat/lon", "lat", "lon")

# Reader fields shown beside another form field.
FIELD_OF_PROBLEM = {"lat/lon": "point", "lat": "point", "lon": "point", "code": "slug",
                    "status": "slug"}  # fmt: skip


def order_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Return the facts in the order ``site.toml`` files use, unknown fields last."""
    ordered = {key: facts[key] for key in FACT_ORDER if key in facts}
    ordered.update({key: value for key, value in facts.items() if key not in ordered})
    return ordered


def slug_from_name(name: str) -> str:
    """Return a slug made from a site's name.

    >>> slug_from_name("Đình Chèm (Đền Chèm)")
    'dinh-chem-den-chem'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:80]


def read_float(text: str) -> float:
    """Return a number typed with a point or a comma as decimal separator.

    Raise ValueError for NaN and infinities, which float() accepts but no place has.

    >>> read_float(" 21,094072 ")
    21.094072
    """
    number = float(text.strip().replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number")
    return number


def check_facts(facts: dict[str, Any], config: CatalogueConfig, areas: Areas) -> list[Problem]:
    """Return the problems ``guide check`` finds in these facts, a code not yet issued aside.

    A new site's facts have no ``code`` (it is issued when the site is saved):
    the reader's complaint that it is missing is left out, nothing else is.
    """
    _site, problems = site_from_dict(facts, SITE_FILE, config, areas)
    if "code" in facts:
        return problems
    return [problem for problem in problems if problem.field != "code"]


def point_problems(lat: float, lon: float, config: CatalogueConfig, areas: Areas) -> list[Problem]:
    """Return the reader's problems with a point on its own (range, swapped, outside the areas)."""
    here = areas.locate(lat, lon) if in_range(lat, lon) else None
    facts = {"lat": lat, "lon": lon, "area": here.id if here else ""}
    _site, problems = site_from_dict(facts, "point", config, areas)
    return [problem for problem in problems if problem.field in POINT_FIELDS]


def form_field(problem: Problem, has_point: bool) -> str:
    """Return the editor's form field that shows a reader's problem.

    >>> form_field(Problem("site.toml", "name.vi", "missing"), False)
    'name_vi'
    >>> form_field(Problem("site.toml", "area", "outside"), True)
    'point'
    """
    name = problem.field
    if name.startswith("name."):
        return "name_" + name[5:]
    if name.startswith(("sources", "tags")):
        return name.partition("[")[0]
    name = FIELD_OF_PROBLEM.get(name, name)
    return "point" if name == "area" and has_point else name
