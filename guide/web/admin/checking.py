"""Build a site's facts from the editor's form and check them as ``guide check`` does.

The form is read here (names, point, area, sources); the facts are then checked
by ``guide.workspace.validation`` with the catalogue's reader, plus what only
the workspace knows: the signed-in person's areas and a likely duplicate nearby.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from guide.catalogue.checks import find_duplicate
from guide.catalogue.geo import in_range
from guide.catalogue.index import Catalogue
from guide.catalogue.model import SLUG_RE, Site, Source
from guide.catalogue.text import similar_names
from guide.catalogue.text_rules import junk_problem
from guide.web.admin import inscriptions as admin_inscriptions
from guide.web.admin.common import catalogue, languages, raw_facts
from guide.web.forms import SiteFormBase
from guide.web.i18n import translated
from guide.workspace import validation
from guide.workspace.accounts import may_edit_area
from guide.workspace.coords import PointFormatError, parse_point
from guide.workspace.validation import order_facts, read_float, slug_from_name


@dataclass
class Checked:
    """The facts and narratives built from a form, with what is wrong with them."""

    facts: dict[str, Any]
    stories: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    duplicate: Site | None = None

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def warn(self, name: str, message: str) -> None:
        self.warnings.setdefault(name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


def point_problems(
    lat: float | None,
    lon: float | None,
    *,
    slug: str,
    name: str,
    cat: Catalogue,
    radius_m: float,
) -> tuple[str, list[tuple[str, str]], Site | None]:
    """Return the area id of a point, (level, message) problems, and a likely duplicate.

    The same rules as ``guide check`` (``guide.workspace.validation``), plus the
    editor's areas and ``find_duplicate``.
    """
    found: list[tuple[str, str]] = []
    if lat is None or lon is None:
        return "", found, None
    here = cat.areas.locate(lat, lon) if in_range(lat, lon) else None
    for problem in validation.point_problems(lat, lon, cat.config, cat.areas):
        found.append((problem.level, translated(problem)))
    if here is not None and not may_edit_area(current_user, here.id):
        found.append(
            (
                "error",
                _(
                    "This point lies in %(area)s, outside your areas (%(yours)s): you may not "
                    "place a site there.",
                    area=here.name,
                    yours=", ".join(cat.areas.name_of(a) for a in current_user.areas) or "-",
                ),
            )
        )
    duplicate = None
    if here is not None and name:
        existing = cat.by_slug(slug) if slug else None
        if existing is None:
            duplicate = find_duplicate(cat, "", name, lat, lon, radius_m)
        else:
            for other, _metres in cat.nearby(lat, lon, radius_m):
                if other.slug != slug and similar_names(name, other.name.get("vi", "")):
                    duplicate = other
                    break
        if duplicate is not None:
            found.append(
                (
                    "warning",
                    _(
                        "%(other)s (%(slug)s) is within %(radius)d m and has a similar name: "
                        "is it the same place?",
                        other=duplicate.display_name("vi"),
                        slug=duplicate.slug,
                        radius=round(radius_m),
                    ),
                )
            )
    return (here.id if here else ""), found, duplicate


def check_form(form: SiteFormBase, site: Site | None) -> Checked:
    """Build a site's facts from the form and check them like ``guide check`` does."""
    cat = catalogue()
    langs = languages()
    names = {
        language: (getattr(form, f"name_{language}").data or "").strip()
        for language in langs
        if (getattr(form, f"name_{language}").data or "").strip()
    }
    stories = {language: getattr(form, f"story_{language}").data or "" for language in langs}
    # A new site's code is issued when it is saved; until then its facts have none.
    facts: dict[str, Any] = (
        raw_facts(site) if site is not None else {"status": "draft", "media": []}
    )
    checked = Checked(facts, stories)
    # Field-level errors of WTForms (required, ranges) come first.
    for name, messages in form.errors.items():
        for message in messages:
            checked.error(name, str(message))
    slug = site.slug if site is not None else (form.slug.data or "").strip()
    if site is None:
        slug = slug or slug_from_name(names.get(langs[0], ""))
        if not SLUG_RE.match(slug):
            checked.error(
                "slug",
                _(
                    "%(slug)r is not a safe slug: use lower-case letters a-z, digits and single "
                    "hyphens, such as dinh-chem",
                    slug=slug,
                ),
            )
        form.slug.data = slug
    # The point: pasted text wins over the two number fields.
    lat = lon = None
    if (form.point_text.data or "").strip():
        try:
            lat, lon = parse_point(form.point_text.data)
            form.lat.data, form.lon.data = str(lat), str(lon)
            form.point_text.data = ""
        except PointFormatError as error:
            checked.error("point_text", translated(error))
    else:
        lat_text, lon_text = (form.lat.data or "").strip(), (form.lon.data or "").strip()
        if lat_text or lon_text:
            try:
                lat, lon = read_float(lat_text), read_float(lon_text)
            except ValueError:
                checked.error(
                    "point",
                    _("Latitude and longitude must both be numbers of degrees, such as 21.094072."),
                )
    radius = float(current_app.config["GUIDE_DUPLICATE_RADIUS_M"])
    area, problems, duplicate = point_problems(
        lat, lon, slug=slug, name=names.get(langs[0], ""), cat=cat, radius_m=radius
    )
    for level, message in problems:
        (checked.error if level == "error" else checked.warn)("point", message)
    if duplicate is not None and not form.confirm_different.data:
        checked.duplicate = duplicate
        checked.error(
            "point",
            _("Tick “I checked: this is a different place” to save it anyway."),
        )
    if lat is None:
        area = form.area.data or ""
        if not area:
            checked.error("area", _("Choose the area of this site, or give it a point."))
        elif not may_edit_area(current_user, area):
            checked.error("area", _("You may not place sites in this area."))
    sources = []
    # A line left as the editor showed it keeps the source's publisher and notes per language.
    shown = {source_line(s): s for s in (site.sources if site else [])}
    for number, line in enumerate((form.sources.data or "").splitlines(), start=1):
        if not line.strip():
            continue
        url, _bar, supports = line.partition("|")
        if not url.strip().startswith(("http://", "https://")):
            checked.error(
                "sources",
                _("Line %(number)d: start with a link (http:// or https://).", number=number),
            )
            continue
        kept = shown.get(f"{url.strip()} | {supports.strip()}".removesuffix(" | "))
        sources.append(
            kept.to_dict() if kept else {"url": url.strip(), "supports": supports.strip()}
        )
    facts.update(
        {
            "slug": slug,
            "kind": (form.kind.data or "").strip(),
            "rank": (form.rank.data or "").strip(),
            "address": (form.address.data or "").strip(),
            "ward": (form.ward.data or "").strip(),
            "area": area,
            "visit_minutes": form.visit_minutes.data if form.visit_minutes.data else 30,
            "opening_hours": (form.opening_hours.data or "").strip(),
            "tags": [t.strip() for t in (form.tags.data or "").split(",") if t.strip()],
            "name": names,
            "sources": sources,
        }
    )
    inscription_rows = admin_inscriptions.apply(facts, request.form, checked, langs)
    facts.pop("lat", None)
    facts.pop("lon", None)
    facts.pop("needs_story", None)
    if form.needs_story.data:
        facts["needs_story"] = True
    if lat is not None and lon is not None:
        facts["lat"], facts["lon"] = lat, lon
    facts = order_facts(facts)
    checked.facts = facts
    if lat is not None and "point" in checked.errors:
        return checked  # the point's own problems are already reported
    for problem in validation.check_facts(facts, cat.config, cat.areas):
        if problem.field.startswith("inscriptions"):
            name = admin_inscriptions.field_name(problem.field, inscription_rows)
        else:
            name = validation.form_field(problem, has_point=lat is not None)
        (checked.error if problem.level == "error" else checked.warn)(name, translated(problem))
    for name in TEXT_FIELDS + tuple(
        f"{kind}_{lang}" for kind in ("name", "story") for lang in langs
    ):
        if _UNDECODED_RE.search(getattr(form, name).data or ""):
            # Werkzeug leaves bytes that are not UTF-8 percent-encoded in the value.
            checked.error(
                name,
                _(
                    "This text was not sent as valid UTF-8 (it holds codes such as %%FF): "
                    "type it again."
                ),
            )
    for language, text in stories.items():
        junk = junk_problem(text, multiline=True)
        if junk is not None:
            checked.error(f"story_{language}", translated(junk))
        if text.strip() and language not in names:
            checked.error(
                f"name_{language}",
                _(
                    "A narrative in %(language)s needs the name in %(language)s.",
                    language=language.upper(),
                ),
            )
    return checked


# Form fields of plain text; sources are links, where percent-escapes are normal.
TEXT_FIELDS = ("kind", "rank", "address", "ward", "opening_hours", "tags")

_UNDECODED_RE = re.compile(r"%[89a-fA-F][0-9a-fA-F]")


def source_line(source: Source) -> str:
    """Return a source as one line of the editor's sources box: the link, then what it supports."""
    note = source.note(languages()[0])
    return f"{source.url} | {note}" if note else source.url
