"""Uploads in the staff workspace: a photo or a narration recording added to a site.

An upload is checked by its content (``guide.workspace.media``), stored under a name
that carries a piece of its hash, so it never replaces a different file, and listed
on the site through the same save path as every other media change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext as _

from guide.catalogue.store import atomic_write_bytes
from guide.web.admin.common import (
    after_save,
    bp,
    languages,
    raw_facts,
    require_edit,
    site_or_404,
    user_name,
)
from guide.web.admin.media import media_anchor, save_media
from guide.web.admin.media_list import (
    entries_of,
    is_narration,
)
from guide.web.forms import (
    media_form,
)
from guide.web.i18n import translated
from guide.workspace.database import audit
from guide.workspace.editing import (
    EditConflict,
    digest,
    snapshot,
)
from guide.workspace.media import UploadError, accept_audio, accept_photo, web_copy_name
from guide.workspace.validation import slug_from_name


def stored_name(folder: Path, original: str, data: bytes, suffix: str, subfolder: str) -> str:
    """Return a name for an uploaded file that never replaces a different file.

    The name carries a piece of the content's hash: the same photo uploaded
    twice gets the same name, and a different one never overwrites it.
    """
    stem = slug_from_name(Path(original or "file").stem)[:40] or "file"
    hashed = hashlib.sha256(data).hexdigest()
    for length in (8, 16, 64):
        name = f"{subfolder}/{stem}-{hashed[:length]}{suffix}"
        path = folder / name
        if not path.exists() or path.read_bytes() == data:
            return name
    raise RuntimeError(f"{folder}: no free name for {original}")


def narration_name(folder: Path, data: bytes, language: str, suffix: str) -> str:
    """Return the name of a narration recording (``audio/<hash>.story.<lang>.<ext>``)."""
    hashed = hashlib.sha256(data).hexdigest()
    for length in (8, 16, 64):
        name = f"audio/{hashed[:length]}.story.{language}{suffix}"
        path = folder / name
        if not path.exists() or path.read_bytes() == data:
            return name
    raise RuntimeError(f"{folder}: no free name for a recording")


def listed_copy(folder: Path, entries: list[dict[str, Any]], data: bytes) -> str | None:
    """Return the listed file whose content is ``data`` (the same upload made twice)."""
    for entry in entries:
        other = folder / entry["file"]
        same_size = other.is_file() and other.stat().st_size == len(data)
        if same_size and other.read_bytes() == data:
            return entry["file"]
    return None


@bp.post("/sites/<slug>/media")
def upload_media(slug: str):
    """Add a photo or a narration recording to a site, checked by its content."""
    site = site_or_404(slug)
    require_edit(site)
    form = media_form(languages(), prefix="media")
    if not form.validate_on_submit():
        for name, messages in form.errors.items():
            for message in messages:
                flash(f"{getattr(form, name).label.text}: {message}", "error")
        return redirect(media_anchor(slug))
    upload = form.file.data
    data = upload.read()
    config = current_app.config
    folder: Path = site.folder  # type: ignore[assignment]
    loaded = snapshot(folder, languages())
    entries = entries_of(raw_facts(site))
    captions = {
        language: (getattr(form, f"caption_{language}").data or "").strip()
        for language in languages()
    }
    entry: dict[str, Any] = {
        "caption": {language: text for language, text in captions.items() if text},
        "credit": (form.credit.data or "").strip(),
        "licence": (form.licence.data or "").strip(),
    }
    gps = None
    try:
        if form.kind.data == "photo":
            photo = accept_photo(
                data, config["GUIDE_PHOTO_MAX_BYTES"], config["GUIDE_PHOTO_MAX_PIXELS"]
            )
            same = listed_copy(folder, entries, photo.data)
            if same is not None:
                flash(_("This photo is on the site already, as %(file)s.", file=same))
                return redirect(media_anchor(slug))
            name = stored_name(folder, upload.filename, photo.data, photo.suffix, "photos")
            for width, copy in photo.web.items():
                atomic_write_bytes(folder / web_copy_name(name, width), copy)
            atomic_write_bytes(folder / name, photo.data)
            gps = photo.gps
            summary = f"photo {name} added"
        else:
            language = form.language.data if form.language.data in languages() else languages()[0]
            recording = accept_audio(data, config["GUIDE_AUDIO_MAX_BYTES"])
            same = listed_copy(folder, entries, data)
            if same is not None:
                flash(_("This recording is on the site already, as %(file)s.", file=same))
                return redirect(media_anchor(slug))
            name = narration_name(folder, data, language, recording.suffix)
            atomic_write_bytes(folder / name, data)
            # One narration per language: the earlier file stays on disk and in the revisions.
            entries = [e for e in entries if not is_narration(e["file"], language)]
            summary = f"recording {name} ({language}) added"
    except UploadError as error:
        flash(
            _(
                "%(file)s refused: %(reason)s",
                file=upload.filename or "?",
                reason=translated(error),
            ),
            "error",
        )
        return redirect(media_anchor(slug))
    entries.append({"file": name, **entry})
    try:
        save_media(site, entries, digest(loaded), summary)
    except EditConflict:
        flash(_("The site changed meanwhile; upload the file again."), "error")
        return redirect(media_anchor(slug))
    audit(user_name(), "site.media", slug, summary)
    after_save()
    flash(_("Added %(file)s.", file=name))
    target = url_for("admin.edit_site", slug=slug)
    if gps is not None:
        flash(_("The photo was taken at %(lat)s, %(lon)s.", lat=gps[0], lon=gps[1]))
        if site.needs_location or (site.lat, site.lon) != gps:
            target = url_for("admin.edit_site", slug=slug, propose_lat=gps[0], propose_lon=gps[1])
    return redirect(target + "#point")
