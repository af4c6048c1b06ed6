"""The catalogue's things: sites, their sources and media, problems, configuration, tours.

Nothing here reads files (see ``guide.catalogue.reader``) or imports Flask.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from guide.catalogue.layout import AUDIO_SUFFIXES, story_file
from guide.catalogue.text import fold
from guide.catalogue.vocabulary import RankDetail, Vocabulary
from guide.messages import Message

STATUSES = ("draft", "published", "archived")
DEFAULT_VISIT_MINUTES = 30
# The ways a tour can be travelled; the planner knows a speed for each.
TOUR_MODES = ("walk", "bike", "car")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
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


# One-word notes the guide's pages translate themselves ("coordinate" → "tọa độ"); any
# other note written as one text shows the same words on every page, so the check warns.
STANDARD_NOTES = ("coordinate", "point", "description", "address", "history", "festival", "rank")


@dataclass(frozen=True, slots=True)
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

    @property
    def standard_note(self) -> str | None:
        """Return the word of ``STANDARD_NOTES`` the source's one-text note is, if it is one."""
        word = self.supports.strip().lower()
        return word if not self.notes and word in STANDARD_NOTES else None

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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


# Slots: a large catalogue holds tens of thousands of sites, and a dict per site
# would be most of the memory a server keeps.
@dataclass(slots=True)
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
    # A writer's declaration that the sources support no longer story than the one written.
    needs_story: bool = False
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
        return story_file(self.folder, language)

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
                **({"needs_story": True} if self.needs_story else {}),
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


# A site read from the snapshot keeps its folder as text until the folder is first used:
# making a Path for each of 40,000 sites is a good part of loading a large catalogue.
_FOLDER_SLOT = Site.folder


def _folder(site: Site) -> Path | None:
    value = _FOLDER_SLOT.__get__(site, Site)
    if isinstance(value, str):
        value = Path(value)
        _FOLDER_SLOT.__set__(site, value)
    return value


Site.folder = property(_folder, _FOLDER_SLOT.__set__)  # type: ignore[assignment,method-assign]


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
    # Area names in other languages: per language, a name or its first words and
    # what they become ("Quận" = "{name} District"); see ``geo.localized_names``.
    area_names: dict[str, dict[str, str]] = field(default_factory=dict)

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
