"""The digests of a page's inputs: what every page shows, and what each story page shows.

A story page shows its own site's folder and what the catalogue says of the
sites around it (the nearby sites it numbers, the further ones its locator
draws as dots), and, with inscriptions, the Hán-Nôm font cut to the characters
of every public inscription; every other page shows what the catalogue says
of every site.
Finding a site's neighbours is the costly part (distances on the ellipsoid, an
index query per site), so the last build's digest of each site's
neighbourhood is kept: when nothing other pages show has changed (no site
renamed, moved, published or withdrawn, the same settings and areas), the
neighbourhoods are those of the last build, and only the edited sites' folders
change their pages' digests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site
from guide.export.inputs import guide_environment, sha, tree_digest
from guide.web.public.fonts import han_nom_stylesheet
from guide.web.public.story import locator_others, nearby_sites


@dataclass
class Digests:
    """What every page shows (``every``), each story page's inputs and each site's neighbours."""

    every: str
    stories: dict[str, str]
    places: dict[str, str] = field(default_factory=dict)


def summary(site: Site) -> str:
    """Return what other pages show of a site (lists, map, nearby), as canonical JSON."""
    photos = [photo.file for photo in site.photos()][:1]
    return json.dumps(
        [
            site.slug,
            site.code,
            site.status,
            site.name,
            site.kind,
            site.rank,
            site.area,
            site.lat,
            site.lon,
            site.address,
            photos,
        ],
        sort_keys=True,
        ensure_ascii=False,
    )


@dataclass
class Shared:
    """What every page shows (``every``), what all pages share and each site's summary."""

    every: str
    shared: str
    summaries: dict[str, str]


def shared_digest(catalogue: Catalogue, code: str) -> Shared:
    """Return the digest of what every page of ``catalogue`` rendered by code ``code`` shows."""
    root = catalogue.root
    shared = sha(
        code,
        # Settings given in the environment (a radius of "nearby", a font) show on pages too.
        json.dumps(guide_environment(), sort_keys=True),
        tree_digest(root / "catalogue.toml", root / catalogue.config.areas_file),
        tree_digest(root / "_tours"),
        tree_digest(root / "codes.txt"),
    )
    summaries = {site.slug: summary(site) for site in catalogue.sites}
    every = sha(shared, *(summaries[slug] for slug in sorted(summaries)))
    return Shared(every, shared, summaries)


def page_digests(
    catalogue: Catalogue,
    code: str,
    folder_digest: Callable[[Site], str],
    last: Digests | None = None,
    found: Shared | None = None,
) -> Digests:
    """Return the digests of the pages of ``catalogue`` rendered by code of digest ``code``.

    Call in an app context of the guide. ``last`` is what the last build found: its
    neighbourhoods are taken when what every page shows is the same; ``found`` is
    ``shared_digest`` of the same catalogue and code, when it was asked first.
    """
    found = found or shared_digest(catalogue, code)
    every, shared, summaries = found.every, found.shared, found.summaries
    known = last.places if last is not None and last.every == every else {}
    places: dict[str, str] = {}
    stories: dict[str, str] = {}
    public = [site for site in catalogue.sites if site.is_public]
    # A page with inscriptions links the Hán-Nôm subset of every public inscription's
    # characters: an inscription edited elsewhere renames it.
    inscribed = {site.slug for site in public if any(i.original for i in site.inscriptions)}
    font = han_nom_stylesheet() if inscribed else ""
    for site in public:
        place = known.get(site.slug)
        if place is None:
            near = nearby_sites(catalogue, site)
            # The other sites the locator draws as dots are named on the page too.
            dots = locator_others(catalogue, site, near)
            place = sha(
                summaries[site.slug],
                *(summaries[n.site.slug] for n in near),
                "",
                *(summaries[o.slug] for o in dots),
            )
        places[site.slug] = place
        stories[site.slug] = sha(
            shared, folder_digest(site), place, font if site.slug in inscribed else ""
        )
    return Digests(every, stories, places)
