"""Photos and recordings in the staff workspace: captions, order, removal, putting back.

Every change goes through ``guide.workspace.editing.save_site`` like any other save of a
site: the catalogue's lock, the conflict check against the digest of the files
the page was made from, an atomic write of ``site.toml`` and a revision. A photo
or recording removed from the site only leaves the site's ``media`` list: the
file stays in the site's folder (where the revisions that list it still find
it), so it can be put back from the editor or by restoring a revision.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from guide.catalogue.layout import SITE_FILE
from guide.catalogue.model import Media, Site
from guide.web.admin.common import (
    after_save,
    bp,
    languages,
    raw_facts,
    require_edit,
    site_or_404,
    user_name,
)
from guide.web.admin.editor import fill_form, render_editor
from guide.web.admin.media_list import (
    MAX_ROWS,
    MediaConflict,
    MediaRow,
    MediaSection,
    describe_media_changes,
    entries_of,
    is_narration,
    last_known_entry,
    media_section,
    removed_files,
)
from guide.web.forms import (
    MAX_CAPTION,
    MAX_CREDIT,
    MAX_LICENCE,
    MediaListForm,
    site_form,
)
from guide.workspace.database import audit
from guide.workspace.editing import (
    EditConflict,
    diff_files,
    digest,
    revisions,
    save_site,
    site_files,
    snapshot,
)
from guide.workspace.validation import order_facts


def save_media(site: Site, entries: list[dict[str, Any]], base_digest: str | None, summary: str):
    """Write the site's ``site.toml`` with a new media list, through the editor's save path."""
    assert site.folder is not None
    facts = raw_facts(site)
    facts["media"] = entries
    return save_site(
        site.folder.parent,
        site.slug,
        {SITE_FILE: site_files(order_facts(facts), {})[SITE_FILE]},
        languages(),
        base_digest=base_digest,
        user_name=user_name(),
        summary=summary,
    )


def media_anchor(slug: str) -> str:
    """Return the address of the media part of a site's editor."""
    return url_for("admin.edit_site", slug=slug) + "#media"


def editor_with_media(site: Site, section: MediaSection, status: int):
    """Render the editor showing the site as stored, with this media section."""
    assert site.folder is not None
    form = site_form(languages())
    fill_form(form, site)
    form.base_digest.data = digest(snapshot(site.folder, languages()))
    return render_editor(form, site, status=status, media=section)


# ---------------------------------------------------------------------------------------
# Captions, credits, licences, order and removal


def submitted_rows() -> list[dict[str, Any]]:
    """Return the rows of the media list form as sent: file, captions, credit and licence."""
    rows = []
    for number in range(MAX_ROWS):
        file = request.form.get(f"item-{number}-file")
        if file is None:
            break
        prefix = f"item-{number}-"
        rows.append(
            {
                "file": file,
                "caption": {
                    language: request.form.get(f"{prefix}caption-{language}", "").strip()
                    for language in languages()
                },
                "credit": request.form.get(f"{prefix}credit", "").strip(),
                "licence": request.form.get(f"{prefix}licence", "").strip(),
            }
        )
    return rows


def check_rows(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Return {input name: messages} for texts that are too long."""
    errors: dict[str, list[str]] = {}
    for number, row in enumerate(rows):
        limits = [
            (f"item-{number}-caption-{language}", text, MAX_CAPTION)
            for language, text in row["caption"].items()
        ]
        limits += [
            (f"item-{number}-credit", row["credit"], MAX_CREDIT),
            (f"item-{number}-licence", row["licence"], MAX_LICENCE),
        ]
        for name, text, limit in limits:
            if len(text) > limit:
                errors.setdefault(name, []).append(
                    _(
                        "At most %(max)d characters (this has %(length)d): shorten it.",
                        max=limit,
                        length=len(text),
                    )
                )
    return errors


def apply_row(entry: dict[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``entry`` with the captions, credit and licence of a submitted row.

    Captions in languages the catalogue no longer lists are kept as they are;
    an empty caption is dropped.
    """
    langs = languages()
    old_caption = entry.get("caption", {}) if isinstance(entry.get("caption"), dict) else {}
    caption = {k: v for k, v in old_caption.items() if k not in langs}
    caption.update({language: text for language, text in row["caption"].items() if text})
    changed = dict(entry)
    changed["caption"] = {language: caption[language] for language in sorted(caption, key=_order)}
    changed["credit"] = row["credit"]
    changed["licence"] = row["licence"]
    return changed


def _order(language: str) -> tuple[int, str]:
    langs = languages()
    return (langs.index(language) if language in langs else len(langs), language)


def apply_action(entries: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    """Return the list after ``up-N``, ``down-N`` or ``remove-N``; ``save`` changes nothing."""
    if action == "save":
        return entries
    verb, _dash, number_text = action.partition("-")
    if verb not in ("up", "down", "remove") or not number_text.isdigit():
        abort(400, _("Unknown action."))
    number = int(number_text)
    if number >= len(entries):
        abort(400, _("Unknown action."))
    entries = list(entries)
    if verb == "remove":
        entries.pop(number)
    else:
        other = number - 1 if verb == "up" else number + 1
        if 0 <= other < len(entries):
            entries[number], entries[other] = entries[other], entries[number]
    return entries


@bp.post("/sites/<slug>/media/list")
def edit_media(slug: str):
    """Save the captions, credits, licences and order of a site's media, or remove one."""
    site = site_or_404(slug)
    require_edit(site)
    form = MediaListForm(prefix="list")
    form.validate_on_submit()
    folder: Path = site.folder  # type: ignore[assignment]
    rows = submitted_rows()
    entries = entries_of(raw_facts(site))
    by_file = {entry["file"]: entry for entry in entries}
    listed = [entry["file"] for entry in entries]
    base = form.base_digest.data or ""
    errors = check_rows(rows)
    if errors:
        section = MediaSection(
            rows=[MediaRow(apply_row(by_file.get(row["file"], {}), row)) for row in rows],
            base_digest=base,
            removed=removed_files(folder, set(listed)),
            errors=errors,
        )
        return editor_with_media(site, section, 422)
    if [row["file"] for row in rows] != listed or digest(snapshot(folder, languages())) != base:
        return media_conflict(site, rows)
    edited = [apply_row(by_file[row["file"]], row) for row in rows]
    changed = apply_action(edited, request.form.get("action", "save"))
    if changed == entries:
        flash(_("Nothing changed."))
        return redirect(media_anchor(slug))
    summary = describe_media_changes(entries, changed)
    try:
        save_media(site, changed, base, summary)
    except EditConflict:
        return media_conflict(site, rows)
    except OSError as error:
        current_app.logger.exception("saving the media of %s failed", slug)
        section = media_section(site)
        section.rows = [MediaRow(entry) for entry in edited]
        section.errors[""] = [
            _(
                "The site could not be saved (%(error)s); nothing was changed. Try again.",
                error=error.strerror or error,
            )
        ]
        return editor_with_media(site, section, 500)
    audit(user_name(), "site.media", slug, summary)
    after_save()
    flash(_("Saved: %(summary)s.", summary=summary))
    return redirect(media_anchor(slug))


def media_conflict(site: Site, rows: list[dict[str, Any]]):
    """Show the media list as stored now, with the person's own texts filled in (409)."""
    assert site.folder is not None
    current = entries_of(raw_facts(site))
    mine_by_file = {row["file"]: row for row in rows}
    merged = [
        apply_row(entry, mine_by_file[entry["file"]]) if entry["file"] in mine_by_file else entry
        for entry in current
    ]
    facts = raw_facts(site)
    theirs_text = (site.folder / SITE_FILE).read_text(encoding="utf-8")
    facts["media"] = merged
    mine_text = site_files(order_facts(facts), {})[SITE_FILE] or ""
    audit(user_name(), "site.conflict", site.slug, "photos and recordings")
    section = MediaSection(
        rows=[MediaRow(entry) for entry in merged],
        base_digest=digest(snapshot(site.folder, languages())),
        removed=removed_files(site.folder, {entry["file"] for entry in current}),
        conflict=MediaConflict(
            diffs=diff_files({SITE_FILE: theirs_text}, {SITE_FILE: mine_text}),
            latest=(revisions(site.slug) or [None])[0],
        ),
    )
    return editor_with_media(site, section, 409)


# ---------------------------------------------------------------------------------------
# Putting a removed file back


@bp.post("/sites/<slug>/media/put-back")
def put_back_media(slug: str):
    """List a photo or recording kept in the site's folder on the site again."""
    site = site_or_404(slug)
    require_edit(site)
    form = MediaListForm(prefix="back")
    form.validate_on_submit()
    folder: Path = site.folder  # type: ignore[assignment]
    entries = entries_of(raw_facts(site))
    file = request.form.get("file", "")
    if file not in removed_files(folder, {entry["file"] for entry in entries}):
        abort(404, _("%(file)s is not a removed photo or recording of this site.", file=file))
    entry = last_known_entry(slug, file) or {"file": file, "caption": {}, "credit": ""}
    entry.setdefault("licence", "")
    language = Media(file).language
    if language is not None:
        # One narration per language: the one it replaces stays in the folder too.
        entries = [e for e in entries if not is_narration(e["file"], language)]
    entries.append(entry)
    summary = f"{file} put back"
    try:
        save_media(site, entries, form.base_digest.data or "", summary)
    except EditConflict:
        flash(_("The site changed meanwhile; look at it again and retry."), "error")
        return redirect(media_anchor(slug))
    audit(user_name(), "site.media", slug, summary)
    after_save()
    flash(_("Put back on the site: %(file)s.", file=file))
    return redirect(media_anchor(slug))
