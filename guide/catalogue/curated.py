"""Read the curated tours kept in the catalogue's ``_tours`` folder.

Nothing here imports Flask.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from guide.catalogue.model import SLUG_RE, Problem, Tour
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
