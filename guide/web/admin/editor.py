"""The site editor: create a site, correct its facts and narratives, change its status.

Saving goes through ``guide.workspace.editing.save_site``; a save that comes
after someone else's is merged field by field (``guide.web.admin.conflict``).
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from guide.catalogue import codes
from guide.catalogue.geo import in_range
from guide.catalogue.layout import SITE_FILE
from guide.catalogue.model import Site
from guide.catalogue.reader import site_from_dict
from guide.catalogue.store import write_site_folder
from guide.catalogue.text import fold
from guide.web.admin.checking import Checked, check_form, source_line
from guide.web.admin.common import (
    after_save,
    bp,
    catalogue,
    languages,
    raw_facts,
    require_edit,
    site_or_404,
    user_may_edit,
    user_name,
)
from guide.web.admin.conflict import merge_late_save, render_conflict
from guide.web.admin.media_list import media_section
from guide.web.admin.publishing import open_problems, render_publish_check, short_story
from guide.web.forms import ActionForm, MediaListForm, SiteFormBase, media_form, site_form
from guide.web.i18n import translated
from guide.web.vocabulary import kind_label, rank_label
from guide.workspace.accounts import may_edit_area, may_edit_somewhere
from guide.workspace.database import audit
from guide.workspace.editing import (
    EditConflict,
    catalogue_lock,
    digest,
    record_revision,
    revisions,
    save_site,
    site_files,
    snapshot,
)
from guide.workspace.geocode import GeocoderUnreachable, lookup_address
from guide.workspace.validation import order_facts, read_float


def fill_form(form: SiteFormBase, site: Site) -> None:
    """Put a site's stored facts and narratives into the form."""
    form.kind.data = site.kind
    form.rank.data = site.rank
    form.lat.data = "" if site.lat is None else str(site.lat)
    form.lon.data = "" if site.lon is None else str(site.lon)
    form.area.data = site.area
    form.address.data = site.address
    form.ward.data = site.ward
    form.opening_hours.data = site.opening_hours
    form.visit_minutes.data = site.visit_minutes
    form.tags.data = ", ".join(site.tags)
    form.needs_story.data = site.needs_story
    form.sources.data = "\n".join(source_line(s) for s in site.sources)
    for language in languages():
        getattr(form, f"name_{language}").data = site.name.get(language, "")
        getattr(form, f"story_{language}").data = site.story(language) or ""


def vocabulary_choices(form: SiteFormBase) -> None:
    """Offer the catalogue's kinds and ranks, in its order and the page's language."""
    vocabulary = catalogue().config.vocabulary
    form.kind.choices = [(k.id, kind_label(k.id)) for k in vocabulary.kinds]
    form.rank.choices = [("", rank_label("unranked"))] + [
        (r.id, rank_label(r.id)) for r in vocabulary.ranks if r.id != "unranked"
    ]
    if form.kind.data and form.kind.data not in {k.id for k in vocabulary.kinds}:
        form.kind.choices.insert(0, (form.kind.data, form.kind.data))


def area_choices() -> list[SelectChoice]:
    """Return the areas the signed-in person may choose, by name."""
    cat = catalogue()
    allowed = [a for a in cat.areas if may_edit_area(current_user, a.id)]
    ordered = sorted(allowed, key=lambda a: fold(a.name))
    return [SelectChoice("", "—")] + [SelectChoice(a.id, a.name) for a in ordered]


def map_bounds() -> tuple[float, float, float, float]:
    """Return (south, west, north, east) of the signed-in editor's areas, or of all areas."""
    cat = catalogue()
    if current_user.role == "editor":
        mine = [cat.areas.get(a) for a in current_user.areas]
        boxes = [a.bounds for a in mine if a is not None]
        if boxes:
            return (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
    return cat.areas.bounds


def render_editor(
    form: SiteFormBase,
    site: Site | None,
    checked: Checked | None = None,
    status: int = 200,
    media: Any = None,
):
    """Render the site editor with the form, its messages and the site's media.

    ``media`` is the media part (``admin_media.MediaSection``) when a request
    about the photos is answered with the editor; by default the stored list.
    """
    form.area.choices = area_choices()
    vocabulary_choices(form)
    if media is None and site is not None:
        media = media_section(site)
    return (
        render_template(
            "admin/edit.html",
            form=form,
            site=site,
            checked=checked,
            site_languages=languages(),
            editable=site is None or user_may_edit(site),
            bounds=map_bounds(),
            action_form=ActionForm(),
            media_form=media_form(languages(), prefix="media"),
            media=media,
            list_form=MediaListForm(prefix="list"),
            back_form=MediaListForm(prefix="back"),
            proposal=proposal(),
            candidates=getattr(form, "_candidates", None),
            lookup_error=getattr(form, "_lookup_error", None),
        ),
        status,
    )


def proposal() -> tuple[float, float] | None:
    """Return a point proposed in the query string (from a photo's GPS), if any."""
    try:
        lat, lon = read_float(request.args["propose_lat"]), read_float(request.args["propose_lon"])
    except (KeyError, ValueError):
        return None
    return (lat, lon) if in_range(lat, lon) else None


def do_lookup(form: SiteFormBase) -> None:
    """Look the form's address up with the geocoder; keep candidates or the reason it failed."""
    config = current_app.config
    query = ", ".join(filter(None, [form.address.data, form.ward.data]))
    try:
        form._candidates = lookup_address(  # type: ignore[attr-defined]
            query,
            config["GUIDE_GEOCODER_URL"],
            config["GUIDE_GEOCODER_USER_AGENT"],
            float(config["GUIDE_GEOCODER_TIMEOUT_S"]),
        )
    except GeocoderUnreachable as error:
        form._lookup_error = translated(error)  # type: ignore[attr-defined]


@bp.route("/sites/new", methods=["GET", "POST"])
def new_site():
    """Create a site: it starts as a draft with a new permanent code."""
    if not may_edit_somewhere(current_user):
        abort(403, _("Viewers may not create sites."))
    form = site_form(languages())
    form.area.choices = area_choices()
    vocabulary_choices(form)
    if request.method == "GET":
        point = proposal()
        if point:
            form.lat.data, form.lon.data = str(point[0]), str(point[1])
        return render_editor(form, None)
    form.validate()
    action = request.form.get("action", "save")
    if action == "lookup":
        do_lookup(form)
        return render_editor(form, None)
    checked = check_form(form, None)
    if action != "save" or not checked.ok:
        return render_editor(form, None, checked, 200 if action != "save" else 422)
    cat = catalogue()
    slug = checked.facts["slug"]
    root = cat.root

    with catalogue_lock(root):
        if (root / slug).exists():
            checked.error(
                "slug", _("A folder named %(slug)s exists already: choose another slug.", slug=slug)
            )
            return render_editor(form, None, checked, 422)
        taken = set(codes.read_ledger(root)) | {site.code for site in cat}
        code = codes.issue(taken)
        checked.facts = order_facts({**checked.facts, "code": code})
        codes.record(root, [(code, slug)])
        files = site_files(checked.facts, checked.stories)
        stories = {name: text for name, text in files.items() if name != SITE_FILE and text}
        write_site_folder(
            root,
            slug,
            checked.facts,
            {name.split(".")[1]: text for name, text in stories.items()},
        )
        record_revision(slug, snapshot(root / slug, languages()), user_name(), "created")
    audit(user_name(), "site.create", slug, f"code {code}")
    after_save()
    flash(_("Created %(slug)s as a draft, with the code %(code)s.", slug=slug, code=code))
    return redirect(url_for("admin.edit_site", slug=slug))


@bp.route("/sites/<slug>", methods=["GET", "POST"])
def edit_site(slug: str):
    """Show a site's facts; save changes, unless someone else saved in between."""
    site = site_or_404(slug)
    form = site_form(languages())
    form.area.choices = area_choices()
    vocabulary_choices(form)
    if request.method == "GET":
        fill_form(form, site)
        form.base_digest.data = digest(snapshot(site.folder, languages()))  # type: ignore[arg-type]
        point = proposal()
        if point:
            form.lat.data, form.lon.data = str(point[0]), str(point[1])
        return render_editor(form, site)
    require_edit(site)
    form.validate()
    action = request.form.get("action", "save")
    if action == "lookup":
        do_lookup(form)
        return render_editor(form, site)
    checked = check_form(form, site)
    if action != "save" or not checked.ok:
        return render_editor(form, site, checked, 200 if action != "save" else 422)
    mine = files = site_files(checked.facts, checked.stories)
    base = form.base_digest.data or ""
    try:
        # Twice at most: a late save is merged, and written when the person saw the merge.
        for attempt in range(2):
            try:
                result = save_site(
                    site.folder.parent,  # type: ignore[union-attr]
                    slug,
                    files,
                    languages(),
                    base_digest=base,
                    user_name=user_name(),
                )
                break
            except EditConflict as conflict:
                merged = merge_late_save(
                    slug,
                    form.base_digest.data or "",
                    conflict.current,
                    mine,
                    languages(),
                    request.form,
                    catalogue(),
                )
                if attempt or not merged.ready(form.seen_digest.data):
                    audit(user_name(), "site.conflict", slug)
                    return render_conflict(site, form, merged, languages(), revisions(slug)[:1])
                files, base = merged.files, digest(conflict.current)
    except OSError as error:
        current_app.logger.exception("saving %s failed", slug)
        checked.error(
            "",
            _(
                "The site could not be saved (%(error)s); nothing was changed. Try again.",
                error=error.strerror or error,
            ),
        )
        return render_editor(form, site, checked, 500)
    if result.revision is not None:
        audit(user_name(), "site.save", slug, result.revision.summary)
        flash(_("Saved: %(summary)s.", summary=result.revision.summary))
    else:
        flash(_("Nothing changed."))
    after_save()
    return redirect(url_for("admin.edit_site", slug=slug))


STATUS_ACTIONS = {"publish": "published", "archive": "archived", "draft": "draft"}


@bp.post("/sites/<slug>/status")
def set_status(slug: str):
    """Publish, archive or return a site to draft, if its facts allow it."""
    site = site_or_404(slug)
    require_edit(site)
    form = ActionForm()
    form.validate_on_submit()
    status = STATUS_ACTIONS.get(request.form.get("status", ""))
    if status is None:
        abort(400, _("Unknown status."))
    cat = catalogue()
    loaded = snapshot(site.folder, languages())  # type: ignore[arg-type]
    facts = raw_facts(site)
    facts["status"] = status
    _site, problems = site_from_dict(facts, SITE_FILE, cat.config, cat.areas, site.folder)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        for problem in errors:
            flash(
                _("Not changed: %(problem)s", problem=f"{problem.field}: {translated(problem)}"),
                "error",
            )
        return redirect(url_for("admin.edit_site", slug=slug))
    if status == "published" and site.status != "published":
        # Open problems are shown first; the confirmation page's button sends confirm=1.
        problems = open_problems(site)
        if problems and request.form.get("confirm") != "1":
            return render_publish_check(site, problems)
        if short_story(site):
            facts["needs_story"] = True
    try:
        save_site(
            cat.root,
            slug,
            {SITE_FILE: site_files(facts, {})[SITE_FILE]},
            languages(),
            base_digest=digest(loaded),
            user_name=user_name(),
            summary=f"status {site.status} → {status}",
        )
    except EditConflict:
        flash(_("The site changed meanwhile; look at it again and retry."), "error")
        return redirect(url_for("admin.edit_site", slug=slug))
    audit(user_name(), f"site.{request.form['status']}", slug)
    after_save()
    labels = {"published": _("published"), "archived": _("archived"), "draft": _("draft")}
    flash(_("Status: %(status)s.", status=labels[status]))
    return redirect(url_for("admin.edit_site", slug=slug))
