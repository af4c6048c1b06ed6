"""The catalogue: load ``sites/`` from files, validate each site, and look sites up.

The catalogue is files (see ``sites/README.md``): ``catalogue.toml`` at the top,
an areas boundary file, a ``codes.txt`` ledger, and one folder per site holding
``site.toml``, ``story.<lang>.md`` and media. Nothing here imports Flask.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from guide.catalogue import codes
from guide.catalogue.geo import Area, Areas, PointIndex, in_range
from guide.catalogue.parse_cache import ParsedFiles
from guide.catalogue.text import fold, matches
from guide.catalogue.text_rules import hours_problem, junk_problem, name_problem
from guide.catalogue.vocabulary import (
    RANK_FIELDS,
    RankDetail,
    Vocabulary,
    VocabularyError,
    check_terms,
    read_vocabulary,
)
from guide.messages import N_, Message

SITE_FILE = "site.toml"
CACHE_FOLDER = ".cache"
CONFIG_FILE = "catalogue.toml"
STATUSES = ("draft", "published", "archived")
DEFAULT_VISIT_MINUTES = 30
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
AUDIO_SUFFIXES = (".mp3", ".m4a", ".ogg")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the catalogue, phrased so the reader knows what to fix.

    ``message`` is the English text that ``guide check`` prints. ``kind`` names
    the problem for programs (such as ``point.swapped``); ``template`` and
    ``params`` are the message as an English template and the values that fill
    it, so that the web pages can show it in the reader's language.
    """

    path: str
    field: str
    message: str
    level: str = "error"
    kind: str = ""
    template: str = ""
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls,
        path: str,
        field: str,
        kind: str,
        template: str,
        level: str = "error",
        /,
        **params: object,
    ) -> Problem:
        """Return the problem ``kind`` of ``field``, its message filled with ``params``."""
        text = Message.of(template, **params)
        return cls(path, field, str(text), level, kind, template, text.params)

    def __str__(self) -> str:
        where = f"{self.path}: {self.field}" if self.field else self.path
        return f"{self.level}: {where}: {self.message}"


@dataclass(frozen=True)
class Source:
    """A reference, who published it and what it supports (coordinate, rank, description...).

    ``supports`` is one text when the catalogue gives one, or ``notes`` holds the text per
    language when it gives ``supports = { vi = "...", en = "..." }``.

    >>> Source("https://a.vn", notes={"vi": "tọa độ", "en": "coordinate"}).note("en")
    'coordinate'
    >>> Source("https://a.vn", supports="coordinate").note("vi")
    'coordinate'
    """

    url: str
    supports: str = ""
    notes: dict[str, str] = field(default_factory=dict)
    publisher: str = ""

    def note(self, language: str, fallbacks: Sequence[str] = ()) -> str:
        """Return what the source supports in ``language``, else in a fallback language."""
        for candidate in (language, *fallbacks):
            if self.notes.get(candidate):
                return self.notes[candidate]
        if self.supports:
            return self.supports
        return next(iter(self.notes.values()), "")

    def to_dict(self) -> dict[str, Any]:
        """Return the source as it is written to ``site.toml``."""
        data: dict[str, Any] = {"url": self.url}
        if self.publisher:
            data["publisher"] = self.publisher
        data["supports"] = dict(self.notes) if self.notes else self.supports
        return data


@dataclass(frozen=True)
class Inscription:
    """A stele, horizontal board or pair of parallel sentences at a site, as sources give it."""

    kind: str
    location: dict[str, str] = field(default_factory=dict)
    original: str = ""
    reading: str = ""
    translation: dict[str, str] = field(default_factory=dict)
    sources: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the inscription as it is written to ``site.toml``."""
        data: dict[str, Any] = {"kind": self.kind}
        if self.location:
            data["location"] = dict(self.location)
        if self.original:
            data["original"] = self.original
        if self.reading:
            data["reading"] = self.reading
        if self.translation:
            data["translation"] = dict(self.translation)
        if self.sources:
            data["sources"] = list(self.sources)
        return data


@dataclass(frozen=True)
class Media:
    """A photo or audio file stored beside a site's facts."""

    file: str
    caption: dict[str, str] = field(default_factory=dict)
    credit: str = ""
    licence: str = ""

    @property
    def is_audio(self) -> bool:
        """Return whether the file is a sound recording."""
        return self.file.lower().endswith(AUDIO_SUFFIXES)

    @property
    def language(self) -> str | None:
        """Return the language of an audio narration named like ``story.vi.mp3``."""
        parts = PurePosixPath(self.file).name.split(".")
        return parts[-2] if self.is_audio and len(parts) >= 3 else None


@dataclass
class Site:
    """The facts of one red address."""

    code: str
    slug: str
    status: str
    name: dict[str, str]
    kind: str
    rank: str = ""
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    ward: str = ""
    area: str = ""
    visit_minutes: int = DEFAULT_VISIT_MINUTES
    opening_hours: str = ""
    tags: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    inscriptions: list[Inscription] = field(default_factory=list)
    folder: Path | None = None
    story_languages: tuple[str, ...] = ()
    rank_detail: RankDetail = field(default_factory=RankDetail)

    @property
    def has_location(self) -> bool:
        """Return whether the site has a point on the map."""
        return self.lat is not None and self.lon is not None

    @property
    def needs_location(self) -> bool:
        """Return whether staff still have to locate the site."""
        return not self.has_location

    @property
    def is_public(self) -> bool:
        """Return whether visitors may see the site (published or archived)."""
        return self.status in ("published", "archived")

    def display_name(self, language: str, fallback: str = "vi") -> str:
        """Return the name in ``language``, else in English, else in the fallback language."""
        return (
            self.name.get(language) or self.name.get("en") or self.name.get(fallback) or self.slug
        )

    def story_path(self, language: str) -> Path | None:
        """Return the Markdown narrative file for ``language`` when there is one."""
        if self.folder is None or language not in self.story_languages:
            return None
        return self.folder / f"story.{language}.md"

    def story(self, language: str) -> str | None:
        """Return the Markdown narrative in ``language``, or None when it is missing."""
        path = self.story_path(language)
        return path.read_text(encoding="utf-8") if path else None

    def photos(self) -> list[Media]:
        """Return the site's photos in the order they are listed."""
        return [item for item in self.media if not item.is_audio]

    def audio(self, language: str) -> Media | None:
        """Return the narration recording for ``language`` when there is one."""
        for item in self.media:
            if item.is_audio and item.language == language:
                return item
        return None

    def search_text(self) -> str:
        """Return the folded text that search matches against."""
        return fold(" ".join([*self.name.values(), self.slug, self.code, self.kind]))

    def to_dict(self) -> dict[str, Any]:
        """Return the facts as they are written to ``site.toml``."""
        data: dict[str, Any] = {
            "code": self.code,
            "slug": self.slug,
            "status": self.status,
            "kind": self.kind,
            "rank": self.rank,
            **self.rank_detail.to_dict(),
        }
        if self.has_location:
            data["lat"] = self.lat
            data["lon"] = self.lon
        data.update(
            {
                "address": self.address,
                "ward": self.ward,
                "area": self.area,
                "visit_minutes": self.visit_minutes,
                "opening_hours": self.opening_hours,
                "tags": list(self.tags),
                "name": dict(self.name),
                "sources": [source.to_dict() for source in self.sources],
                "media": [
                    {
                        "file": m.file,
                        "caption": dict(m.caption),
                        "credit": m.credit,
                        "licence": m.licence,
                    }
                    for m in self.media
                ],
            }
        )
        if self.inscriptions:
            data["inscriptions"] = [item.to_dict() for item in self.inscriptions]
        return data


@dataclass
class CatalogueConfig:
    """What ``catalogue.toml`` says: languages, the areas file and the data notices."""

    title: dict[str, str]
    languages: tuple[str, ...]
    areas_file: str
    area_id_property: str
    area_name_property: str
    attribution: list[str]
    # The languages of the visitors' interface (gettext catalogues); narratives
    # and names are only ever in ``languages``.
    interface_languages: tuple[str, ...] = ()
    # The kinds and ranks a site may have; an empty vocabulary checks neither.
    vocabulary: Vocabulary = field(default_factory=Vocabulary)

    def __post_init__(self) -> None:
        if not self.interface_languages:
            self.interface_languages = self.languages

    @property
    def default_language(self) -> str:
        """Return the first language, the one every site must have."""
        return self.languages[0]


@dataclass
class Tour:
    """A curated visit kept in the catalogue: named stops in their suggested order."""

    slug: str
    name: dict[str, str]
    stops: list[str]
    description: dict[str, str] = field(default_factory=dict)
    mode: str = "walk"

    def display_name(self, language: str, fallback: str = "vi") -> str:
        """Return the tour's name in ``language``, else in English, else in the fallback one."""
        return (
            self.name.get(language) or self.name.get("en") or self.name.get(fallback) or self.slug
        )


TOURS_FOLDER = "_tours"


class CatalogueError(Exception):
    """The catalogue as a whole cannot be read (no config, no areas file)."""


def read_config(root: Path) -> CatalogueConfig:
    """Read ``catalogue.toml``; raise CatalogueError naming the file and the field."""
    path = root / CONFIG_FILE
    if not path.is_file():
        raise CatalogueError(
            f"{path}: not found. Is {root} a catalogue folder? Pass --sites DIR or set GUIDE_SITES."
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{path}: not valid TOML: {error}") from error
    areas = data.get("areas", {})
    languages = tuple(data.get("languages", ("vi", "en")))
    if not languages:
        raise CatalogueError(f"{path}: languages: list at least one language, such as ['vi', 'en']")
    interface = data.get("interface_languages", list(languages))
    if (
        not isinstance(interface, list)
        or not interface
        or not all(isinstance(code, str) and _is_language_code(code) for code in interface)
    ):
        raise CatalogueError(
            f"{path}: interface_languages: list language codes in quotes, "
            f"such as ['vi', 'en', 'zh_Hans', 'fr'], not {interface!r}"
        )
    try:
        vocabulary = read_vocabulary(data)
    except VocabularyError as error:
        raise CatalogueError(f"{path}: {error}") from error
    if "file" not in areas:
        raise CatalogueError(f"{path}: areas.file: name the boundary GeoJSON file of the areas")
    return CatalogueConfig(
        title=dict(data.get("title", {})),
        languages=languages,
        areas_file=str(areas["file"]),
        area_id_property=str(areas.get("id_property", "id")),
        area_name_property=str(areas.get("name_property", "name")),
        attribution=[str(line) for line in data.get("attribution", [])],
        interface_languages=tuple(interface),
        vocabulary=vocabulary,
    )


def _is_language_code(code: str) -> bool:
    """Return whether ``code`` names a language Babel knows, such as "vi" or "zh_Hans"."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def is_safe_relative_path(value: str) -> bool:
    """Return whether ``value`` is a relative path that stays inside its folder.

    >>> is_safe_relative_path("photos/gate.jpg"), is_safe_relative_path("../x.jpg")
    (True, False)
    >>> is_safe_relative_path("/etc/passwd"), is_safe_relative_path("C:\\\\x.jpg")
    (False, False)
    """
    if not value or "\\" in value or ":" in value:
        return False
    path = PurePosixPath(value)
    return not path.is_absolute() and ".." not in path.parts and "" not in value.split("/")


class _SiteReader:
    """Turn one parsed ``site.toml`` into a Site, collecting every problem on the way."""

    def __init__(self, data: dict[str, Any], path: str, config: CatalogueConfig, areas: Areas):
        self.data = data
        self.path = path
        self.config = config
        self.areas = areas
        self.problems: list[Problem] = []
        self.located: Area | None = None

    def error(self, name: str, kind: str, template: str, /, **params: object) -> None:
        self.problems.append(Problem.of(self.path, name, kind, template, **params))

    def warn(self, name: str, kind: str, template: str, /, **params: object) -> None:
        self.problems.append(Problem.of(self.path, name, kind, template, "warning", **params))

    def refuse(self, name: str, problem: Message | None) -> bool:
        """Record ``problem`` of field ``name`` as an error; return whether there was one."""
        if problem is None:
            return False
        self.problems.append(
            Problem(
                self.path,
                name,
                str(problem),
                "error",
                "text.junk",
                problem.template,
                problem.params,
            )
        )
        return True

    def text(self, name: str, required: bool = False) -> str:
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "field.missing", N_('missing: add %(name)s = "..."'), name=name)
            return ""
        if not isinstance(value, str):
            self.error(
                name,
                "field.not_text",
                N_("must be text in quotes, not %(type)s %(value)s"),
                type=type(value).__name__,
                value=repr(value),
            )
            return ""
        if self.refuse(name, junk_problem(value)):
            return ""
        if required and not value.strip():
            self.error(name, "field.empty", N_("is empty: give it a value"))
        return value.strip()

    def read(self) -> Site | None:
        unknown = set(self.data) - _KNOWN_FIELDS
        for name in sorted(unknown):
            self.warn(
                name,
                "field.unknown",
                N_("unknown field (known fields: %(known)s)"),
                known=", ".join(sorted(_KNOWN_FIELDS)),
            )
        code = self.text("code", required=True)
        if code and not codes.is_valid(code):
            self.error(
                "code",
                "code.invalid",
                N_("%(code)s is not a site code: use 4 to 8 characters from %(alphabet)s"),
                code=repr(code),
                alphabet=codes.ALPHABET,
            )
        slug = self.text("slug", required=True)
        folder = PurePosixPath(self.path).parent.name
        if slug and not SLUG_RE.match(slug):
            self.error(
                "slug",
                "slug.unsafe",
                N_("%(slug)s is not a safe slug: use lower-case a-z, 0-9 and single hyphens"),
                slug=repr(slug),
            )
        elif slug and folder and slug != folder:
            self.error(
                "slug",
                "slug.folder",
                N_("%(slug)s differs from the folder name %(folder)s: make them equal"),
                slug=repr(slug),
                folder=repr(folder),
            )
        status = self.text("status", required=True)
        if status and status not in STATUSES:
            self.error(
                "status",
                "status.unknown",
                N_("%(status)s is not one of %(statuses)s"),
                status=repr(status),
                statuses=", ".join(STATUSES),
            )
        names = self.names()
        kind = self.text("kind", required=True)
        lat, lon = self.point()
        area = self.area(lat, lon)
        if status == "published" and "lat" not in self.data and "lon" not in self.data:
            self.error(
                "lat",
                "point.needed",
                N_("a published site needs a location: add lat and lon, or set status = 'draft'"),
            )
        visit = self.data.get("visit_minutes", DEFAULT_VISIT_MINUTES)
        if isinstance(visit, bool) or not isinstance(visit, int) or not 1 <= visit <= 24 * 60:
            self.error(
                "visit_minutes",
                "visit_minutes.range",
                N_("%(value)s must be a whole number of minutes, 1 to 1440"),
                value=repr(visit),
            )
            visit = DEFAULT_VISIT_MINUTES
        hours = self.text("opening_hours")
        if hours:
            self.refuse("opening_hours", hours_problem(hours))
        tags = self.data.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            self.error(
                "tags", "tags.format", N_('must be a list of words, such as ["cách mạng", "đình"]')
            )
            tags = []
        for index, tag in enumerate(tags):
            self.refuse(f"tags[{index}]", name_problem(tag))
        sources = self.sources()
        media = self.media()
        inscriptions = self.inscriptions(len(sources))
        rank_detail, complaints = check_terms(self.data, self.config.vocabulary, len(sources))
        for name, kind_of_problem, template, params in complaints:
            self.error(name, kind_of_problem, template, **params)
        if self.has_errors:
            return None
        return Site(
            code=code,
            slug=slug,
            status=status,
            name=names,
            kind=kind,
            rank=self.text("rank"),
            lat=lat,
            lon=lon,
            address=self.text("address"),
            ward=self.text("ward"),
            area=area,
            visit_minutes=visit,
            opening_hours=hours,
            tags=list(tags),
            sources=sources,
            media=media,
            inscriptions=inscriptions,
            rank_detail=rank_detail,
        )

    @property
    def has_errors(self) -> bool:
        return any(p.level == "error" for p in self.problems)

    def names(self) -> dict[str, str]:
        names = self.data.get("name")
        first = self.config.default_language
        if not isinstance(names, dict):
            self.error(
                "name",
                "name.table",
                N_('missing: add a [name] table with %(language)s = "..."'),
                language=first,
            )
            return {}
        result = {}
        for language, value in names.items():
            if not isinstance(value, str) or not value.strip():
                self.error(
                    f"name.{language}",
                    "name.empty",
                    N_("the name is empty: write it, or remove the line"),
                )
            elif self.refuse(f"name.{language}", name_problem(value)):
                continue
            else:
                result[language] = value.strip()
        if first not in names:
            self.error(
                f"name.{first}",
                "name.missing",
                N_('missing: every site needs a name in "%(language)s"'),
                language=first,
            )
        return result

    def point(self) -> tuple[float | None, float | None]:
        has_lat, has_lon = "lat" in self.data, "lon" in self.data
        if not has_lat and not has_lon:
            return None, None
        if has_lat != has_lon:
            missing = "lon" if has_lat else "lat"
            self.error(
                missing,
                "point.half",
                N_("missing: give both lat and lon, or neither for a draft"),
            )
            return None, None
        lat, lon = self.data["lat"], self.data["lon"]
        for name, value in (("lat", lat), ("lon", lon)):
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.error(
                    name,
                    "point.not_number",
                    N_("%(value)s must be a number of decimal degrees, such as 21.0941"),
                    value=repr(value),
                )
                return None, None
            if not math.isfinite(value):
                self.error(
                    name,
                    "point.not_finite",
                    N_(
                        "%(value)s is not a place: write a number of decimal degrees, "
                        "such as 21.0941"
                    ),
                    value=repr(value),
                )
                return None, None
        lat, lon = float(lat), float(lon)
        self.located = self.areas.locate(lat, lon) if in_range(lat, lon) else None
        swapped_area = None
        if self.located is None and in_range(lon, lat):
            swapped_area = self.areas.locate(lon, lat)
        if swapped_area is not None:
            self.error(
                "lat/lon",
                "point.swapped",
                N_(
                    "latitude and longitude look swapped: swap them to lat = %(lon)s, "
                    "lon = %(lat)s (which lies in %(area)s)"
                ),
                lat=lat,
                lon=lon,
                area=swapped_area.name,
            )
            return None, None
        if not -90 <= lat <= 90:
            self.error(
                "lat",
                "point.lat_range",
                N_("%(lat)s is out of range: latitude is between -90 and 90"),
                lat=lat,
            )
        if not -180 <= lon <= 180:
            self.error(
                "lon",
                "point.lon_range",
                N_("%(lon)s is out of range: longitude is between -180 and 180"),
                lon=lon,
            )
        if not in_range(lat, lon):
            return None, None
        return lat, lon

    def area(self, lat: float | None, lon: float | None) -> str:
        area = self.text("area")
        if area and self.areas.get(area) is None:
            self.error(
                "area",
                "area.unknown",
                N_("%(area)s is not an area id of %(file)s"),
                area=repr(area),
                file=self.config.areas_file,
            )
            return area
        if lat is None or lon is None:
            return area
        here: Area | None = self.located
        if here is None:
            self.error(
                "lat/lon",
                "point.outside",
                N_("(%(lat)s, %(lon)s) lies outside every area of %(file)s: check the point"),
                lat=lat,
                lon=lon,
                file=self.config.areas_file,
            )
        elif not area:
            self.error(
                "area",
                "area.missing",
                N_('missing: the point lies in %(here)s, add area = "%(id)s"'),
                here=here.name,
                id=here.id,
            )
        elif area != here.id:
            self.error(
                "area",
                "area.mismatch",
                N_(
                    "the point lies in %(here)s (area '%(id)s'), not in %(stated)s: "
                    'fix the point, or set area = "%(id)s"'
                ),
                here=here.name,
                id=here.id,
                stated=self.areas.name_of(area),
            )
        return area

    def sources(self) -> list[Source]:
        raw = self.data.get("sources", [])
        if not isinstance(raw, list):
            self.error(
                "sources",
                "sources.list",
                N_('must be a list: sources = [{ url = "https://...", supports = "..." }]'),
            )
            return []
        result = []
        for index, item in enumerate(raw):
            name = f"sources[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("url"), str):
                self.error(
                    name,
                    "sources.item",
                    N_('write { url = "https://...", supports = "what it supports" }'),
                )
                continue
            if not item["url"].startswith(("http://", "https://")):
                self.error(
                    f"{name}.url",
                    "sources.url",
                    N_("%(url)s must start with http:// or https://"),
                    url=repr(item["url"]),
                )
                continue
            supports = item.get("supports", "")
            texts = supports.values() if isinstance(supports, dict) else [str(supports)]
            if self.refuse(f"{name}.url", junk_problem(item["url"])) or any(
                self.refuse(f"{name}.supports", junk_problem(str(text))) for text in texts
            ):
                continue
            if isinstance(supports, dict):
                notes = {str(k): str(v) for k, v in supports.items() if isinstance(v, str)}
                result.append(Source(item["url"], notes=notes, publisher=_text(item, "publisher")))
            else:
                result.append(
                    Source(item["url"], str(supports), publisher=_text(item, "publisher"))
                )
        return result

    def inscriptions(self, sources: int) -> list[Inscription]:
        raw = self.data.get("inscriptions", [])
        if not isinstance(raw, list):
            self.error(
                "inscriptions",
                "inscriptions.list",
                N_('must be a list: [[inscriptions]] with kind = "bia", reading = "..."'),
            )
            return []
        result = []
        for index, item in enumerate(raw):
            name = f"inscriptions[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("kind"), str):
                self.error(
                    name,
                    "inscriptions.item",
                    N_('write { kind = "câu đối", reading = "...", sources = [1] }'),
                )
                continue
            if not any(item.get(key) for key in ("original", "reading", "translation")):
                self.error(
                    name,
                    "inscriptions.text",
                    N_("give the original text, its reading or a translation"),
                )
                continue
            cited = item.get("sources", [])
            if not isinstance(cited, list) or not all(
                isinstance(n, int) and 1 <= n <= sources for n in cited
            ):
                self.error(
                    f"{name}.sources",
                    "inscriptions.sources",
                    N_("must list numbers of this site's sources, from 1 to %(count)s"),
                    count=sources,
                )
                continue
            result.append(
                Inscription(
                    kind=item["kind"],
                    location=_texts(item.get("location")),
                    original=_text(item, "original"),
                    reading=_text(item, "reading"),
                    translation=_texts(item.get("translation")),
                    sources=tuple(cited),
                )
            )
        return result

    def media(self) -> list[Media]:
        raw = self.data.get("media", [])
        if not isinstance(raw, list):
            self.error(
                "media", "media.list", N_('must be a list: media = [{ file = "photo.jpg", ... }]')
            )
            return []
        result = []
        for index, item in enumerate(raw):
            name = f"media[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("file"), str):
                self.error(
                    f"{name}.file",
                    "media.file_missing",
                    N_('missing: write { file = "photo.jpg", credit = "..." }'),
                )
                continue
            file = item["file"]
            if not is_safe_relative_path(file):
                self.error(
                    f"{name}.file",
                    "media.unsafe",
                    N_(
                        "%(file)s is not a safe path: name a file inside the site's folder, "
                        "without '..' or a leading '/'"
                    ),
                    file=repr(file),
                )
                continue
            if not file.lower().endswith(PHOTO_SUFFIXES + AUDIO_SUFFIXES):
                self.error(
                    f"{name}.file",
                    "media.kind",
                    N_("%(file)s: use a photo (.jpg, .png, .webp) or audio (.mp3, .m4a, .ogg)"),
                    file=repr(file),
                )
                continue
            caption = item.get("caption", {})
            if not isinstance(caption, dict):
                self.error(
                    f"{name}.caption",
                    "media.caption",
                    N_('write caption = { vi = "...", en = "..." }'),
                )
                caption = {}
            media = Media(
                file=file,
                caption={str(k): str(v) for k, v in caption.items()},
                credit=str(item.get("credit", "")),
                licence=str(item.get("licence", "")),
            )
            texts = [("file", file), ("credit", media.credit), ("licence", media.licence)]
            texts += [(f"caption.{k}", v) for k, v in media.caption.items()]
            if any(self.refuse(f"{name}.{part}", junk_problem(text)) for part, text in texts):
                continue
            result.append(media)
        return result


_KNOWN_FIELDS = {
    "code",
    "slug",
    "status",
    "kind",
    "rank",
    "lat",
    "lon",
    "address",
    "ward",
    "area",
    "visit_minutes",
    "opening_hours",
    "tags",
    "name",
    "sources",
    "media",
    "inscriptions",
    *RANK_FIELDS,
}


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key, "")
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"": value}
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def read_site(
    folder: Path,
    config: CatalogueConfig,
    areas: Areas,
    label: str | None = None,
    parsed: ParsedFiles | None = None,
) -> tuple[Site | None, list[Problem]]:
    """Read one site folder; return the site (None when it has errors) and its problems."""
    path = folder / SITE_FILE
    label = label or str(path)
    parsed = parsed or ParsedFiles(None)
    try:
        data = parsed.load(path, f"{folder.name}/{SITE_FILE}")
    except FileNotFoundError:
        missing = N_("missing: every site folder needs a %(file)s")
        return None, [Problem.of(label, "", "file.missing", missing, file=SITE_FILE)]
    except UnicodeDecodeError as error:
        encoding = N_("is not UTF-8 text (%(error)s): save it as UTF-8")
        return None, [Problem.of(label, "", "file.encoding", encoding, error=error)]
    except tomllib.TOMLDecodeError as error:
        toml = N_("is not valid TOML: %(error)s")
        return None, [Problem.of(label, "", "file.toml", toml, error=error)]
    return site_from_dict(data, label, config, areas, folder)


def site_from_dict(
    data: dict[str, Any],
    label: str,
    config: CatalogueConfig,
    areas: Areas,
    folder: Path | None = None,
) -> tuple[Site | None, list[Problem]]:
    """Validate the facts of one site; return the site (None on errors) and its problems."""
    reader = _SiteReader(data, label, config, areas)
    site = reader.read()
    if site is not None and folder is not None:
        site.folder = folder
        present = set(os.listdir(folder))
        site.story_languages = tuple(
            language for language in config.languages if f"story.{language}.md" in present
        )
        for language in site.story_languages:
            _check_story(reader, folder / f"story.{language}.md")
            if language not in site.name:
                reader.error(
                    f"name.{language}",
                    "name.story",
                    N_(
                        'story.%(language)s.md exists but the site has no name in "%(language)s": '
                        'add %(language)s = "..." under [name]'
                    ),
                    language=language,
                )
        if reader.has_errors:
            site = None
    return site, reader.problems


def _check_story(reader: _SiteReader, path: Path) -> None:
    """Refuse a narrative that is not UTF-8 or holds control or bidi characters."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        reader.error(
            name,
            "file.encoding",
            N_("is not UTF-8 text (%(error)s): save it as UTF-8"),
            error=error,
        )
        return
    reader.refuse(name, junk_problem(text, multiline=True))


class Catalogue:
    """All sites of a catalogue folder, indexed by code, slug, area and position."""

    def __init__(
        self,
        root: Path,
        config: CatalogueConfig,
        areas: Areas,
        sites: Iterable[Site],
        problems: Iterable[Problem] = (),
    ) -> None:
        self.root = Path(root)
        self.config = config
        self.areas = areas
        self.problems: list[Problem] = list(problems)
        self.sites: list[Site] = []
        self._by_code: dict[str, Site] = {}
        self._by_slug: dict[str, Site] = {}
        for site in sites:
            label = str(self.root / site.slug / SITE_FILE)
            if site.code in self._by_code:
                other = self._by_code[site.code]
                self.problems.append(
                    Problem.of(
                        label,
                        "code",
                        "code.duplicate",
                        N_(
                            "%(code)s is already the code of %(other)s: codes are unique, "
                            "so one of the two needs a new code (never change a printed one)"
                        ),
                        code=site.code,
                        other=other.slug,
                    )
                )
                continue
            if site.slug in self._by_slug:
                self.problems.append(
                    Problem.of(
                        label,
                        "slug",
                        "slug.duplicate",
                        N_("%(slug)s is used twice: slugs are unique"),
                        slug=repr(site.slug),
                    )
                )
                continue
            self._by_code[site.code] = site
            self._by_slug[site.slug] = site
            self.sites.append(site)
        self._located = [site for site in self.sites if site.has_location]
        self.tours: dict[str, Tour] = {}
        self._index: PointIndex | None = None

    def __len__(self) -> int:
        return len(self.sites)

    def __iter__(self) -> Iterator[Site]:
        return iter(self.sites)

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that make a site unusable."""
        return [p for p in self.problems if p.level == "error"]

    def by_code(self, code: str) -> Site | None:
        """Return the site with this code in any letter case, or None."""
        return self._by_code.get(codes.normalize(code))

    def by_slug(self, slug: str) -> Site | None:
        """Return the site with this slug, or None."""
        return self._by_slug.get(slug)

    def published(self) -> list[Site]:
        """Return the published sites."""
        return [site for site in self.sites if site.status == "published"]

    def filter(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        rank: str | None = None,
        area: str | None = None,
        tag: str | None = None,
        q: str | None = None,
    ) -> list[Site]:
        """Return the sites matching every given filter; ``q`` ignores case and diacritics."""
        found = []
        for site in self.sites:
            if status and site.status != status:
                continue
            if kind and fold(site.kind) != fold(kind):
                continue
            if rank and fold(rank) not in fold(site.rank):
                continue
            if area and site.area != area:
                continue
            if tag and fold(tag) not in {fold(t) for t in site.tags}:
                continue
            if q and not matches(q, site.search_text()):
                continue
            found.append(site)
        return found

    def in_area(self, area_id: str) -> list[Site]:
        """Return the sites that lie in an area."""
        return [site for site in self.sites if site.area == area_id]

    def nearby(
        self, lat: float, lon: float, radius_m: float, *, status: str | None = None
    ) -> list[tuple[Site, float]]:
        """Return (site, metres) for sites within ``radius_m`` metres, nearest first."""
        if self._index is None:
            self._index = PointIndex([(s.lat, s.lon) for s in self._located])  # type: ignore[misc]
        found = []
        for position, metres in self._index.within(lat, lon, radius_m):
            site = self._located[position]
            if status is None or site.status == status:
                found.append((site, metres))
        return found


def load_catalogue(root: Path | str, use_cache: bool = True) -> Catalogue:
    """Load every site under ``root``; a broken site is reported in ``problems`` and skipped.

    Parsed files are cached in ``root/.cache`` (see ``guide.catalogue.parse_cache``) unless
    ``use_cache`` is false.
    """
    root = Path(root)
    config = read_config(root)
    areas_path = root / config.areas_file
    if not areas_path.is_file():
        raise CatalogueError(
            f"{root / CONFIG_FILE}: areas.file: {config.areas_file!r} not found in {root}"
        )
    areas = Areas.from_geojson(areas_path, config.area_id_property, config.area_name_property)
    sites: list[Site] = []
    problems: list[Problem] = []
    entries = sorted(
        (entry.name for entry in os.scandir(root) if entry.is_dir()),
    )
    parsed = ParsedFiles(root / CACHE_FOLDER / "sites.json" if use_cache else None)
    for name in entries:
        if name.startswith((".", "_")):
            continue
        site, found = read_site(root / name, config, areas, parsed=parsed)
        problems.extend(found)
        if site is not None:
            sites.append(site)
    parsed.forget_except({f"{name}/{SITE_FILE}" for name in entries})
    parsed.save()
    catalogue = Catalogue(root, config, areas, sites, problems)
    for tour, found in read_tours(root / TOURS_FOLDER, catalogue):
        problems_of_tour = [p for p in found if p.level == "error"]
        catalogue.problems.extend(found)
        if tour is not None and not problems_of_tour:
            catalogue.tours[tour.slug] = tour
    return catalogue


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
