"""Read catalogue files: each site's ``site.toml`` and narratives.

Every problem is collected with the file and field it concerns; a site with
errors is left out. Nothing here imports Flask.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from guide.catalogue import codes, toml_text
from guide.catalogue.geo import Area, Areas
from guide.catalogue.layout import SITE_FILE, site_file, story_name
from guide.catalogue.model import (
    DEFAULT_VISIT_MINUTES,
    SLUG_RE,
    STATUSES,
    CatalogueConfig,
    Problem,
    Site,
)
from guide.catalogue.site_parts import SiteParts
from guide.catalogue.text_rules import hours_problem, junk_problem, name_problem
from guide.catalogue.vocabulary import RANK_FIELDS, check_terms
from guide.messages import N_, Message


def folder_name(path: str) -> str:
    """Return the name of the folder a file's path names, as ``PurePosixPath(path).parent.name``.

    Without making a path object: a first load asks it of every ``site.toml``.
    """
    parts = [part for part in path.split("/") if part and part != "."]
    return parts[-2] if len(parts) > 1 else ""


class SiteReader(SiteParts):
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
        folder = folder_name(self.path)
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
        needs_story = self.data.get("needs_story", False)
        if not isinstance(needs_story, bool):
            self.error(
                "needs_story",
                "needs_story.bool",
                N_("%(value)s must be true or false, without quotes"),
                value=repr(needs_story),
            )
            needs_story = False
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
            needs_story=needs_story,
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
    "needs_story",
    "tags",
    "name",
    "sources",
    "media",
    "inscriptions",
    *RANK_FIELDS,
}


# A site.toml that is not TOML: what ``site_facts`` raises.
FactsError = tomllib.TOMLDecodeError


def read_text(path: str) -> str:
    """Return a UTF-8 text file's text, its line ends made "\\n" (as ``Path.read_text``).

    Read as bytes and decoded at once: a third of the time of a text stream, which
    counts when a first load reads 80,000 files. Raise OSError or UnicodeDecodeError.
    """
    with open(path, "rb", buffering=0) as file:
        text = file.read().decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def site_facts(text: str) -> dict[str, Any]:
    """Return the fields of a ``site.toml`` text as written, unknown ones too; raise FactsError."""
    return toml_text.loads(text)


def stored_facts(folder: Path) -> dict[str, Any]:
    """Return the fields of a site folder's ``site.toml`` as stored; raise FactsError."""
    return site_facts(site_file(folder).read_text(encoding="utf-8"))


def read_site(
    folder: Path | str,
    config: CatalogueConfig,
    areas: Areas,
    label: str | None = None,
    present: Iterable[str] | None = None,
) -> tuple[Site | None, list[Problem]]:
    """Read one site folder; return the site (None when it has errors) and its problems.

    ``present`` is the folder's listing when the caller has just taken it.
    """
    path = os.path.join(folder, SITE_FILE)
    label = label or path
    try:
        data = toml_text.loads(read_text(path))
    except FileNotFoundError:
        missing = N_("missing: every site folder needs a %(file)s")
        return None, [Problem.of(label, "", "file.missing", missing, file=SITE_FILE)]
    except UnicodeDecodeError as error:
        encoding = N_("is not UTF-8 text (%(error)s): save it as UTF-8")
        return None, [Problem.of(label, "", "file.encoding", encoding, error=error)]
    except tomllib.TOMLDecodeError as error:
        toml = N_("is not valid TOML: %(error)s")
        return None, [Problem.of(label, "", "file.toml", toml, error=error)]
    return site_from_dict(data, label, config, areas, folder, present)


def site_from_dict(
    data: dict[str, Any],
    label: str,
    config: CatalogueConfig,
    areas: Areas,
    folder: Path | str | None = None,
    present: Iterable[str] | None = None,
) -> tuple[Site | None, list[Problem]]:
    """Validate the facts of one site; return the site (None on errors) and its problems.

    ``present`` is the listing of ``folder`` when the caller has it (else it is listed).
    """
    reader = SiteReader(data, label, config, areas)
    site = reader.read()
    if site is not None and folder is not None:
        site.folder = folder
        present = set(os.listdir(folder) if present is None else present)
        site.story_languages = tuple(
            language for language in config.languages if story_name(language) in present
        )
        for language in site.story_languages:
            _check_story(reader, folder, story_name(language))
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


def _check_story(reader: SiteReader, folder: Path | str, name: str) -> None:
    """Refuse a narrative that is not UTF-8 or holds control or bidi characters."""
    try:
        text = read_text(os.path.join(folder, name))
    except UnicodeDecodeError as error:
        reader.error(
            name,
            "file.encoding",
            N_("is not UTF-8 text (%(error)s): save it as UTF-8"),
            error=error,
        )
        return
    reader.refuse(name, junk_problem(text, multiline=True))
