"""The edit-conflict page: merge a late save into the other person's, field by field.

When a save finds the site changed since the editor opened it, the fields this
person changed (compared with the revision they started from) are laid over
the saved version, and nothing else of theirs is touched. Fields both people
changed differently are shown side by side with a choice for each. The page
always asks for a look first (409); sending it again saves the merge, unless
the site changed once more in between (then the page is shown anew).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from flask_babel import gettext as _

from guide.catalogue.index import Catalogue
from guide.catalogue.layout import SITE_FILE
from guide.catalogue.reader import site_from_dict
from guide.web.forms import SiteFormBase
from guide.web.i18n import translated
from guide.workspace.database import db
from guide.workspace.editing import diff_files, digest, site_files
from guide.workspace.merge import POINT, Merge, facts_and_stories, fields_of, merge_fields
from guide.workspace.validation import order_facts

CHOICES = ("theirs", "mine")


def files_at(slug: str, files_digest: str) -> dict[str, str] | None:
    """Return the site's files at the latest revision with this digest, or None if unknown."""
    from sqlalchemy import select

    from guide.workspace.db import Revision

    if not files_digest:
        return None
    revision = db.session.scalar(
        select(Revision)
        .where(Revision.slug == slug, Revision.digest == files_digest)
        .order_by(Revision.number.desc())
        .limit(1)
    )
    return revision.files if revision is not None else None


@dataclass
class ConflictMerge:
    """A late save merged into the saved version: what to write, or what to ask."""

    merge: Merge
    theirs: dict[str, Any]
    mine: dict[str, Any]
    current: dict[str, str]
    files: dict[str, str | None]
    unresolved: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    base_known: bool = True

    def ready(self, seen_digest: str | None) -> bool:
        """Return whether the merge may be written: seen as it is, decided, valid."""
        return seen_digest == digest(self.current) and not self.unresolved and not self.problems


def merge_late_save(
    slug: str,
    base_digest: str,
    current: dict[str, str],
    mine_files: Mapping[str, str | None],
    languages: tuple[str, ...],
    choices: Mapping[str, str],
    catalogue: Catalogue,
) -> ConflictMerge:
    """Merge this person's files into ``current`` from the revision of ``base_digest``."""
    base_files = files_at(slug, base_digest)
    base = fields_of(base_files or {}, languages)
    theirs = fields_of(current, languages)
    mine = fields_of(mine_files, languages)
    merge = merge_fields(base, theirs, mine)
    unresolved = []
    for key in merge.conflicts:
        choice = choices.get(f"resolve-{key}")
        if choice == "theirs":
            if key in theirs:
                merge.fields[key] = theirs[key]
            else:
                merge.fields.pop(key, None)
        elif choice != "mine":
            unresolved.append(key)
    facts, stories = facts_and_stories(merge.fields, languages)
    facts = order_facts(facts)
    problems = []
    _site, found = site_from_dict(facts, SITE_FILE, catalogue.config, catalogue.areas)
    problems += [f"{p.field}: {translated(p)}" for p in found if p.level == "error"]
    for language, text in stories.items():
        if text.strip() and not facts["name"].get(language):
            problems.append(
                _(
                    "A narrative in %(language)s needs the name in %(language)s.",
                    language=language.upper(),
                )
            )
    return ConflictMerge(
        merge=merge,
        theirs=theirs,
        mine=mine,
        current=current,
        files=site_files(facts, stories),
        unresolved=unresolved,
        problems=problems,
        base_known=base_files is not None,
    )


def fill_form_from_fields(
    form: SiteFormBase, fields: Mapping[str, Any], languages: tuple[str, ...]
) -> None:
    """Put merged fields into the site form, as the editor shows them."""
    for name in ("kind", "rank", "address", "ward", "opening_hours", "area"):
        getattr(form, name).data = fields.get(name, "")
    form.visit_minutes.data = fields.get("visit_minutes", 30)
    lat, lon = fields.get(POINT, (None, None))
    form.lat.data = "" if lat is None else str(lat)
    form.lon.data = "" if lon is None else str(lon)
    form.point_text.data = ""
    form.tags.data = ", ".join(fields.get("tags", []))
    form.sources.data = source_lines(fields.get("sources", []))
    for language in languages:
        getattr(form, f"name_{language}").data = fields.get(f"name.{language}", "")
        getattr(form, f"story_{language}").data = fields.get(f"story.{language}", "").rstrip()


def source_lines(sources: list[dict[str, str]]) -> str:
    """Return sources as the editor's lines: the link, then | and what it supports."""
    return "\n".join(
        f"{s.get('url', '')} | {s['supports']}" if s.get("supports") else s.get("url", "")
        for s in sources
    )


def value_text(key: str, value: Any) -> str:
    """Return a field's value as a person reads it."""
    if value is None or value == "":
        return _("(empty)")
    if key == POINT:
        return ", ".join("" if part is None else str(part) for part in value)
    if key == "sources":
        return source_lines(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def field_label(form: SiteFormBase, key: str) -> str:
    """Return the editor's label of a field (its key when the form has none)."""
    if key == POINT:
        return _("Point")
    name = key.replace(".", "_")
    if name in form:
        return str(form[name].label.text)
    return key


def render_conflict(site, form: SiteFormBase, merged: ConflictMerge, languages, by):
    """Show the merge for a look, with a choice for each field both people changed (409)."""
    fill_form_from_fields(form, merged.merge.fields, languages)
    form.seen_digest.data = digest(merged.current)
    mine_now = {name: text for name, text in merged.files.items() if text is not None}
    conflicts = [
        {
            "key": key,
            "label": field_label(form, key),
            "theirs": value_text(key, merged.theirs.get(key)),
            "mine": value_text(key, merged.mine.get(key)),
            "unresolved": key in merged.unresolved,
        }
        for key in merged.merge.conflicts
    ]
    return (
        render_template(
            "admin/conflict.html",
            site=site,
            form=form,
            site_languages=languages,
            theirs=merged.current,
            mine=mine_now,
            diffs=diff_files(merged.current, mine_now),
            by=by,
            conflicts=conflicts,
            theirs_changed=[field_label(form, k) for k in merged.merge.theirs_changed],
            mine_changed=[field_label(form, k) for k in merged.merge.mine_changed],
            problems=merged.problems,
            base_known=merged.base_known,
        ),
        409,
    )
