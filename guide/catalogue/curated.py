"""Read the curated tours kept in the catalogue's ``_tours`` folder.

Nothing here imports Flask.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from guide.catalogue.layout import tour_file
from guide.catalogue.model import SLUG_RE, TOUR_MODES, Problem, Tour
from guide.messages import N_

if TYPE_CHECKING:
    from guide.catalogue.index import Catalogue


def read_tours(folder: Path, catalogue: Catalogue) -> Iterator[tuple[Tour | None, list[Problem]]]:
    """Read every ``<slug>.toml`` curated tour; yield each tour with its problems."""
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.toml")):
        label = str(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            yield (
                None,
                [
                    Problem.of(
                        label, "", "file.toml", N_("is not valid TOML: %(error)s"), error=error
                    )
                ],
            )
            continue
        problems = []
        slug = path.stem
        names = data.get("name")
        if not isinstance(names, dict) or not names.get("vi"):
            problems.append(
                Problem.of(
                    label, "name.vi", "tour.name", N_('missing: add vi = "..." under [name]')
                )
            )
        stops = data.get("stops")
        if not isinstance(stops, list) or len(stops) < 2:
            problems.append(
                Problem.of(
                    label, "stops", "tour.stops", N_("list at least two site slugs or codes")
                )
            )
            stops = []
        resolved = []
        for index, stop in enumerate(stops):
            site = catalogue.by_slug(str(stop)) or catalogue.by_code(str(stop))
            if site is None:
                problems.append(
                    Problem.of(
                        label,
                        f"stops[{index}]",
                        "tour.stop",
                        N_("%(stop)s is not a site slug or code"),
                        stop=repr(stop),
                    )
                )
            else:
                resolved.append(site.slug)
        if not SLUG_RE.match(slug):
            problems.append(
                Problem.of(
                    label,
                    "",
                    "tour.slug",
                    N_("%(slug)s: name the file with a safe slug"),
                    slug=repr(slug),
                )
            )
        if problems:
            yield None, problems
            continue
        yield (
            Tour(
                slug=slug,
                name=dict(names),
                stops=resolved,
                description={k: str(v) for k, v in dict(data.get("description", {})).items()},
                mode=str(data.get("mode", "walk")),
            ),
            [],
        )


def tour_problems(tour: Tour, catalogue: Catalogue) -> list[Problem]:
    """Return why visitors cannot follow a curated tour (an empty list when they can).

    A tour is followed when its mode is known and it has two or more different
    stops, each a published site with a location.
    """
    label = str(tour_file(catalogue.root, tour.slug))
    problems = []
    if tour.mode not in TOUR_MODES:
        problems.append(
            Problem.of(
                label,
                "mode",
                "tour.mode",
                N_("%(mode)s is not one of %(modes)s"),
                mode=repr(tour.mode),
                modes=", ".join(TOUR_MODES),
            )
        )
    for index, slug in enumerate(tour.stops):
        site = catalogue.by_slug(slug)
        if site is None or site.status != "published" or not site.has_location:
            problems.append(
                Problem.of(
                    label,
                    f"stops[{index}]",
                    "tour.unreachable",
                    N_(
                        "%(slug)s is not a published site with a location: visitors "
                        "cannot be sent there; publish it or remove the stop"
                    ),
                    slug=repr(slug),
                )
            )
    if len(set(tour.stops)) < 2:
        problems.append(
            Problem.of(
                label,
                "stops",
                "tour.stops",
                N_("list at least two different site slugs or codes"),
            )
        )
    return problems


def can_follow(tour: Tour, catalogue: Catalogue) -> bool:
    """Return whether visitors can follow a curated tour (see ``tour_problems``)."""
    return not tour_problems(tour, catalogue)


def check_tours(catalogue: Catalogue) -> list[Problem]:
    """Return the problems of every curated tour of the catalogue."""
    return [
        problem for tour in catalogue.tours.values() for problem in tour_problems(tour, catalogue)
    ]
