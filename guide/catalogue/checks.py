"""Whole-catalogue checks: what ``guide check`` reports beyond each site's own fields."""

from __future__ import annotations

from pathlib import Path

from guide.catalogue import codes
from guide.catalogue.curated import check_tours
from guide.catalogue.han import available_fonts, has_han
from guide.catalogue.index import Catalogue
from guide.catalogue.layout import SITE_FILE, story_file
from guide.catalogue.minimums import minimum_problems
from guide.catalogue.model import Problem, Site
from guide.catalogue.text import cited_sources, similar_names
from guide.messages import N_

DUPLICATE_RADIUS_M = 30.0


def check_catalogue(
    catalogue: Catalogue,
    duplicate_radius_m: float = DUPLICATE_RADIUS_M,
    han_nom_font: str | None = None,
) -> list[Problem]:
    """Return every problem of the catalogue, errors and warnings, in file order.

    ``han_nom_font`` is the ``GUIDE_HAN_NOM_FONT`` setting; given, a missing font file
    is reported when inscriptions have original text to draw with it.
    """
    problems = list(catalogue.problems)
    ledger = codes.read_ledger(catalogue.root)
    for site in catalogue:
        label = str(catalogue.root / site.slug / SITE_FILE)
        problems.extend(site_problems(site, catalogue.root, catalogue.config.languages))
        if ledger and site.code not in ledger:
            problems.append(
                Problem.of(
                    label,
                    "code",
                    "code.ledger",
                    N_(
                        "%(code)s is not in %(ledger)s: add the line "
                        "'%(code)s %(slug)s' so the code is never issued again"
                    ),
                    "warning",
                    code=site.code,
                    ledger=codes.LEDGER_NAME,
                    slug=site.slug,
                )
            )
    problems.extend(near_duplicates(catalogue, duplicate_radius_m))
    problems.extend(check_tours(catalogue))
    if han_nom_font is not None:
        problems.extend(font_problems(catalogue, han_nom_font))
    return problems


def site_problems(site: Site, root: Path, languages: tuple[str, ...]) -> list[Problem]:
    """Return what ``guide check`` finds in a site beyond its fields: media, citations, minimums."""
    label = str(root / site.slug / SITE_FILE)
    return [
        *_media_problems(site, label),
        *_citation_problems(site, root),
        *minimum_problems(site, root, languages),
        *_inscription_problems(site, label),
    ]


ORIGINAL_WITHOUT_HAN = N_("original should hold the Hán/Nôm characters; put the reading in reading")


def _inscription_problems(site: Site, label: str) -> list[Problem]:
    """Return a warning for each inscription whose original holds no Hán or Nôm character."""
    return [
        Problem.of(
            label,
            f"inscriptions[{index}].original",
            "inscriptions.original",
            ORIGINAL_WITHOUT_HAN,
            "warning",
        )
        for index, item in enumerate(site.inscriptions)
        if item.original.strip() and not has_han(item.original)
    ]


def font_problems(catalogue: Catalogue, han_nom_font: str) -> list[Problem]:
    """Return one warning when inscriptions have original text but no font file draws it."""
    with_original = [site for site in catalogue if any(i.original for i in site.inscriptions)]
    if not with_original or available_fonts(han_nom_font):
        return []
    return [
        Problem.of(
            str(catalogue.root),
            "GUIDE_HAN_NOM_FONT",
            "font.han_nom",
            N_(
                "no font file found at %(files)s: %(count)s sites have inscriptions with "
                "original text that cannot be shown in a Hán-Nôm font (install fonts-hanazono "
                "or set GUIDE_HAN_NOM_FONT)"
            ),
            "warning",
            files=han_nom_font or "(empty)",
            count=len(with_original),
        )
    ]


def _citation_problems(site: Site, root: Path) -> list[Problem]:
    """Return an error for each citation marker that names no source of the site."""
    problems = []
    for language in site.story_languages:
        story = site.story(language) or ""
        missing = [n for n in cited_sources(story) if not 1 <= n <= len(site.sources)]
        if missing:
            problems.append(
                Problem.of(
                    str(story_file(root / site.slug, language)),
                    "",
                    "story.citation",
                    N_(
                        "cites %(markers)s but site.toml lists %(count)s sources: "
                        "number the markers after the [[sources]] entries, from 1"
                    ),
                    markers=", ".join(f"[{n}]" for n in missing),
                    count=len(site.sources),
                )
            )
    return problems


def _media_problems(site: Site, label: str) -> list[Problem]:
    if site.folder is None:
        return []
    return [
        Problem.of(
            label,
            f"media[{index}].file",
            "media.not_found",
            N_("%(file)s not found in %(folder)s: add the file or remove the entry"),
            file=repr(item.file),
            folder=site.folder,
        )
        for index, item in enumerate(site.media)
        if not (site.folder / item.file).is_file()
    ]


def near_duplicates(catalogue: Catalogue, radius_m: float = DUPLICATE_RADIUS_M) -> list[Problem]:
    """Return a warning for each pair of sites within ``radius_m`` whose names are alike."""
    problems = []
    for site in catalogue:
        if not site.has_location:
            continue
        for other, metres in catalogue.nearby(site.lat, site.lon, radius_m):  # type: ignore[arg-type]
            if other.slug <= site.slug:
                continue
            if similar_names(site.name.get("vi", ""), other.name.get("vi", "")):
                problems.append(
                    Problem.of(
                        str(catalogue.root / other.slug / SITE_FILE),
                        "lat/lon",
                        "point.near_duplicate",
                        N_(
                            "%(metres)s m from %(slug)s (%(name)s) with a similar name: "
                            "is it the same place? Merge them or correct the point"
                        ),
                        "warning",
                        metres=f"{metres:.0f}",
                        slug=site.slug,
                        name=site.name.get("vi"),
                    )
                )
    return problems


def find_duplicate(
    catalogue: Catalogue,
    slug: str,
    name: str,
    lat: float | None,
    lon: float | None,
    radius_m: float = DUPLICATE_RADIUS_M,
) -> Site | None:
    """Return an existing site that a new one would duplicate (same slug, or near and alike)."""
    existing = catalogue.by_slug(slug)
    if existing is not None:
        return existing
    if lat is None or lon is None:
        return None
    for other, _ in catalogue.nearby(lat, lon, radius_m):
        if similar_names(name, other.name.get("vi", "")):
            return other
    return None
