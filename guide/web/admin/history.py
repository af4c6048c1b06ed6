"""A site's history in the workspace: its revisions, what each changed, and restoring one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from guide.catalogue.layout import SITE_FILE
from guide.catalogue.reader import FactsError, site_facts, site_from_dict
from guide.web.admin.common import (
    after_save,
    bp,
    catalogue,
    languages,
    require_edit,
    site_or_404,
    user_may_edit,
    user_name,
)
from guide.web.admin.media_list import MediaRow, entries_of
from guide.web.forms import ActionForm
from guide.web.i18n import translated
from guide.workspace.accounts import may_edit_area
from guide.workspace.database import audit
from guide.workspace.editing import (
    EditConflict,
    diff_files,
    digest,
    get_revision,
    previous_files,
    restore_files,
    revisions,
    save_site,
    snapshot,
)


@bp.get("/sites/<slug>/history")
def history(slug: str):
    """List a site's revisions, newest first."""
    site = site_or_404(slug)
    return render_template("admin/history.html", site=site, revisions=revisions(slug))


@bp.get("/sites/<slug>/history/<int:number>")
def revision(slug: str, number: int):
    """Show what one revision changed, with a button to restore it."""
    site = site_or_404(slug)
    found = get_revision(slug, number)
    if found is None:
        abort(404)

    try:
        listed = entries_of(site_facts(found.files.get(SITE_FILE, "")))
    except FactsError:
        listed = []
    return render_template(
        "admin/revision.html",
        site=site,
        revision=found,
        media=[(MediaRow(entry), (site.folder / entry["file"]).is_file()) for entry in listed],  # type: ignore[operator]
        diffs=diff_files(previous_files(found), found.files),
        current_diffs=diff_files(snapshot(site.folder, languages()), found.files),  # type: ignore[arg-type]
        form=ActionForm(),
        editable=user_may_edit(site),
    )


@bp.post("/sites/<slug>/history/<int:number>/restore")
def restore(slug: str, number: int):
    """Bring a site back to a revision, as a new revision (nothing is lost)."""
    site = site_or_404(slug)
    require_edit(site)
    ActionForm().validate_on_submit()
    found = get_revision(slug, number)
    if found is None:
        abort(404)
    cat = catalogue()
    facts = site_facts(found.files.get(SITE_FILE, ""))
    restored, problems = site_from_dict(facts, SITE_FILE, cat.config, cat.areas)
    errors = [p for p in problems if p.level == "error"]
    if restored is None or errors:
        for problem in errors:
            flash(
                _("Not restored: %(problem)s", problem=f"{problem.field}: {translated(problem)}"),
                "error",
            )
        return redirect(url_for("admin.revision", slug=slug, number=number))
    if not may_edit_area(current_user, restored.area):
        abort(403, _("That revision places the site outside your areas."))
    missing = [item.file for item in restored.media if not (site.folder / item.file).is_file()]  # type: ignore[operator]
    if missing:
        flash(
            _(
                "Not restored: this revision lists %(files)s, no longer in the site's folder "
                "%(folder)s. Put the file back there, then restore.",
                files=", ".join(missing),
                folder=str(site.folder),
            ),
            "error",
        )
        return redirect(url_for("admin.revision", slug=slug, number=number))
    current = snapshot(site.folder, languages())  # type: ignore[arg-type]
    try:
        result = save_site(
            cat.root,
            slug,
            restore_files(found, current),
            languages(),
            base_digest=digest(current),
            user_name=user_name(),
            summary=f"restored revision {number}",
            restored_from=found.id,
        )
    except EditConflict:
        flash(_("The site changed meanwhile; look at it again and retry."), "error")
        return redirect(url_for("admin.revision", slug=slug, number=number))
    audit(user_name(), "site.restore", slug, f"revision {number}")
    after_save()
    if result.revision is None:
        flash(_("The site is already as in revision %(number)d.", number=number))
    else:
        flash(_("Restored revision %(number)d.", number=number))
    return redirect(url_for("admin.history", slug=slug))
