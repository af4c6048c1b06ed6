"""What a story page shows about one site, assembled from the catalogue for one language.

The route in ``public`` renders it; this module gathers the parts: the
narrative (with its language fallback), photos with their sizes, the locator
map, nearby sites with walking times, directions links and the data for sharing
(Open Graph tags and schema.org JSON-LD). The parts that depend only on the
catalogue (nearby sites, the locator map) are computed once per catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode
from weakref import WeakKeyDictionary

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site, Source
from guide.render.jsonhtml import json_for_html
from guide.render.locator import Layout, Mark, Outline, draw_locator, locator_box, locator_layout
from guide.render.narrative import Narrative, render_file
from guide.tours.travel import Travel
from guide.web.addresses import has_public_address, public_url
from guide.web.i18n import available_languages, fallback_order
from guide.web.i18n import page_gettext as gettext
from guide.web.language_paths import page_url, path_segment
from guide.web.loaded import get_catalogue
from guide.web.public.media import media_file, original_url, photo_url
from guide.web.public.story_parts import NearbyLink, NearbySite, language_name, nearby_links

NEARBY_LIMIT = 6
# The locator's small dots for other sites: the nearest this many in its box.
OTHER_DOTS = 40
# The photo width used for link previews (Open Graph) and JSON-LD.
PREVIEW_WIDTH = 1080
PHOTO_SIZES = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"

# The catalogue's one-word notes (guide.catalogue.model.STANDARD_NOTES) in the page's language.
STANDARD_NOTES = {
    "coordinate": _l("coordinate"),
    "point": _l("point"),
    "description": _l("description"),
    "address": _l("address"),
    "history": _l("history"),
    "festival": _l("festival"),
    "rank": _l("rank"),
}

_CACHES: WeakKeyDictionary[Catalogue, dict[Any, Any]] = WeakKeyDictionary()


@dataclass(frozen=True)
class PhotoView:
    """One photo as the page shows it."""

    src: str
    srcset: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str
    licence: str
    preview: str
    lazy: bool
    sizes: str = PHOTO_SIZES


@dataclass
class StoryPage:
    """Everything a story page shows, in the page's language."""

    site: Site
    language: str
    name: str
    name_language: str
    story_language: str | None
    narrative: Narrative | None
    summary: str
    photos: list[PhotoView]
    audio_url: str | None
    area_name: str
    nearby: list[NearbySite]
    locator: Markup
    geo_uri: str
    directions_url: str
    canonical_url: str

    def nearby_links(self) -> list[NearbyLink]:
        """Return the nearby sites with their links, names and walking distances."""
        return nearby_links(self.nearby, self.language)

    @property
    def is_fallback(self) -> bool:
        """Return whether the narrative is shown in another language than the page's."""
        return self.story_language is not None and self.story_language != self.language

    def source_note(self, source: Source) -> str:
        """Return what ``source`` supports in the page's language, else in a fallback one."""
        word = source.standard_note
        if word is not None and word in STANDARD_NOTES:
            return str(STANDARD_NOTES[word])
        return source.note(self.language, ("en", *available_languages()))

    def inscription_text(self, texts: dict[str, str]) -> str:
        """Return an inscription's location or translation in the page's language, if given."""
        return texts.get(self.language) or texts.get("en") or texts.get("") or ""

    @property
    def is_archived(self) -> bool:
        """Return whether the site is archived (shown, with a notice)."""
        return self.site.status == "archived"

    def language_name(self, code: str) -> str:
        """Return the name of a language in the page's language ("Vietnamese", "tiếng Anh")."""
        return language_name(code, self.language)

    def json_ld(self) -> Markup:
        """Return the schema.org description of the site, safe inside a ``<script>``."""
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": ["LandmarksOrHistoricalBuildings", "TouristAttraction"],
            "name": self.name,
            "description": self.summary,
            "url": self.canonical_url,
            "inLanguage": self.story_language or self.language,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": self.site.address,
                "addressLocality": self.site.ward,
                "addressRegion": self.area_name,
                "addressCountry": "VN",
            },
        }
        if self.site.has_location:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": self.site.lat,
                "longitude": self.site.lon,
            }
        if self.photos:
            data["image"] = [self.absolute_url(photo.preview) for photo in self.photos]
        # No "<" or "&" appears raw, so no "</script>" in a name can end the element early.
        return json_for_html(data)

    @property
    def alternates(self) -> list[tuple[str, str]]:
        """Return (hreflang, address) of this page in every interface language."""
        return [(path_segment(code), self.alternate_url(code)) for code in available_languages()]

    def alternate_url(self, code: str) -> str:
        """Return the address of this story page in language ``code`` (for hreflang)."""
        return public_url(page_url("public.story", slug=self.site.slug, lang=code))

    def absolute_url(self, path: str) -> str:
        """Return ``path`` on the guide's public address; ``path`` itself without one."""
        return public_url(path)

    @property
    def has_public_address(self) -> bool:
        """Return whether the page may give absolute addresses (og:url, og:image)."""
        return has_public_address()


def _cache(catalogue: Catalogue) -> dict[Any, Any]:
    cache = _CACHES.get(catalogue)
    if cache is None:
        cache = _CACHES[catalogue] = {}
    return cache


def nearby_sites(catalogue: Catalogue, site: Site) -> list[NearbySite]:
    """Return the nearest published sites within GUIDE_NEARBY_RADIUS_M of ``site``."""
    if not site.has_location:
        return []
    radius = float(current_app.config["GUIDE_NEARBY_RADIUS_M"])
    travel = Travel.from_settings(current_app.config)
    key = ("nearby", site.slug, radius, travel.speeds_kmh["walk"], travel.detours["walk"])
    cache = _cache(catalogue)
    if key not in cache:
        found = catalogue.nearby(site.lat, site.lon, radius, status="published")  # type: ignore[arg-type]
        # Only the sites shown are measured: the site itself is at most one of the first.
        others = [(o, m) for o, m in found[: NEARBY_LIMIT + 1] if o.slug != site.slug]
        cache[key] = [
            NearbySite(other, str(number), *travel.estimated_leg(metres, "walk"))
            for number, (other, metres) in enumerate(others[:NEARBY_LIMIT], start=1)
        ]
    return cache[key]


@dataclass(frozen=True)
class _LocatorPlace:
    """What a site's locator shows, in any language: its layout and the sites drawn as dots."""

    layout: Layout
    others: list[Site]


def locator_others(catalogue: Catalogue, site: Site, nearby: list[NearbySite]) -> list[Site]:
    """Return the other sites the locator of ``site`` shows as small named dots."""
    if not site.has_location:
        return []
    key = ("locator-others", site.slug, tuple(n.site.slug for n in nearby))
    cache = _cache(catalogue)
    found = cache.get(key)
    if found is None:
        area = catalogue.areas.get(site.area)
        here = Mark(site.lat, site.lon, "", "")  # type: ignore[arg-type]
        marks = [Mark(n.site.lat, n.site.lon, "", "") for n in nearby]  # type: ignore[arg-type]
        bounds = locator_box(here, marks, area.geometry if area else None)
        numbered = {site.slug, *(n.site.slug for n in nearby)}
        # The nearest of the other sites in view: a dense catalogue would fill the page.
        in_view = catalogue.in_box(
            bounds,
            site.lat,  # type: ignore[arg-type]
            site.lon,  # type: ignore[arg-type]
            status="published",
            limit=OTHER_DOTS + len(numbered),
        )
        found = cache[key] = [o for o in in_view if o.slug not in numbered][:OTHER_DOTS]
    return found


def _locator_place(catalogue: Catalogue, site: Site, nearby: list[NearbySite]) -> _LocatorPlace:
    """Return what the locator of ``site`` shows, found once per catalogue for all languages."""
    key = ("locator", site.slug, tuple(n.site.slug for n in nearby))
    cache = _cache(catalogue)
    found = cache.get(key)
    if found is not None:
        return found
    area = catalogue.areas.get(site.area)
    districts_key = ("locator-districts", site.area)
    districts = cache.get(districts_key)
    if districts is None:
        districts = cache[districts_key] = [
            Outline(a.name, a.geometry) for a in catalogue.areas if a.id != site.area
        ]
    others = locator_others(catalogue, site, nearby)
    layout = locator_layout(
        Mark(site.lat, site.lon, "", ""),  # type: ignore[arg-type]
        [Mark(n.site.lat, n.site.lon, "", "") for n in nearby],  # type: ignore[arg-type]
        area.geometry if area else None,
        districts=districts,
        others=[Mark(o.lat, o.lon, "", "") for o in others],  # type: ignore[arg-type]
        # Kept with this catalogue: boxes are shared between its pages, and go with it.
        kept=cache.setdefault("locator-layouts", {}),
    )
    found = cache[key] = _LocatorPlace(layout, others)
    return found


def locator(catalogue: Catalogue, site: Site, language: str, nearby: list[NearbySite]) -> Markup:
    """Return the inline SVG locator of ``site`` in its area with its neighbours numbered."""
    if not site.has_location:
        return Markup("")
    place = _locator_place(catalogue, site, nearby)
    name = site.display_name(language)
    area_name = catalogue.areas.name_of(site.area, language)
    title = gettext("Where %(name)s is in %(area)s", name=name, area=area_name)
    description = gettext(
        "The large red dot is %(name)s; numbered dots are the nearby sites listed below.",
        name=name,
    )
    # Not kept: the page cache keeps whole pages. What costs (the outlines, the dots'
    # places) is kept per site by ``_locator_place`` and the locator's layout.
    return Markup(
        draw_locator(
            place.layout,
            Mark(site.lat, site.lon, "", name),  # type: ignore[arg-type]
            [
                Mark(n.site.lat, n.site.lon, n.label, n.site.display_name(language))  # type: ignore[arg-type]
                for n in nearby
            ],
            title=title,
            description=description if nearby else "",
            other_names=[o.display_name(language) for o in place.others],
        )
    )


def photos_of(site: Site, language: str, name: str) -> list[PhotoView]:
    """Return the site's photos with their sizes; the first loads at once, the rest lazily."""
    # Imported with the first photo: Pillow is not needed before a page shows one.
    from guide.render.photos import photo_info

    default = available_languages()[0]
    views = []
    for index, item in enumerate(site.photos()):
        path = media_file(site, item)
        if path is None:
            continue
        try:
            info = photo_info(path)
        except OSError as error:  # not an image Pillow can read: leave it out, say so
            current_app.logger.warning("photo skipped: %s: %s", path, error)
            continue
        widths = info.widths()
        caption = next(
            (
                item.caption[code]
                for code in fallback_order(language, (default, *item.caption))
                if item.caption.get(code)
            ),
            "",
        )
        middle = next((w for w in widths if w >= 720), widths[-1])
        preview = max((w for w in widths if w <= PREVIEW_WIDTH), default=widths[0])
        views.append(
            PhotoView(
                src=photo_url(site, item, info, middle),
                srcset=", ".join(f"{photo_url(site, item, info, w)} {w}w" for w in widths),
                width=middle,
                height=info.height_at(middle),
                alt=caption or gettext("Photo %(number)d of %(name)s", number=index + 1, name=name),
                caption=caption,
                credit=item.credit,
                licence=item.licence,
                preview=photo_url(site, item, info, preview),
                lazy=index > 0,
            )
        )
    return views


def directions(site: Site, name: str) -> tuple[str, str]:
    """Return a ``geo:`` URI and an OpenStreetMap walking-directions link to the site."""
    if not site.has_location:
        return "", ""
    point = f"{site.lat:.6f},{site.lon:.6f}"
    geo = f"geo:{point}?q={point}({quote(name)})"
    osm = "https://www.openstreetmap.org/directions?" + urlencode(
        {"engine": "fossgis_osrm_foot", "route": f";{point}"}
    )
    return geo, osm


def story_page(site: Site, language: str) -> StoryPage:
    """Return what the story page of ``site`` shows in ``language``."""
    catalogue = get_catalogue()
    default = available_languages()[0]
    story_language = next(
        (
            code
            for code in fallback_order(language, site.story_languages)
            if code in site.story_languages
        ),
        None,
    )
    story_path = site.story_path(story_language) if story_language else None
    narrative = render_file(story_path) if story_path else None
    name_language = next(
        (code for code in fallback_order(language, site.name) if site.name.get(code)), default
    )
    name = site.display_name(name_language, default)
    nearby = nearby_sites(catalogue, site)
    audio = site.audio(story_language) if story_language else None
    geo_uri, directions_url = directions(site, name)
    svg = locator(catalogue, site, language, nearby)
    return StoryPage(
        site=site,
        language=language,
        name=name,
        name_language=name_language,
        story_language=story_language,
        narrative=narrative,
        summary=(narrative.summary if narrative else "") or name,
        photos=photos_of(site, language, name),
        audio_url=original_url(site, audio) if audio else None,
        area_name=catalogue.areas.name_of(site.area, language),
        nearby=nearby,
        locator=svg,
        geo_uri=geo_uri,
        directions_url=directions_url,
        # Never the request's Host: GUIDE_BASE_URL, else a relative link.
        canonical_url=public_url(page_url("public.story", slug=site.slug, lang=language)),
    )
