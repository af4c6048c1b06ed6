"""Bulk import from the browser, with the engine of ``guide import``: dry run, then confirm."""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path

from flask import abort, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from guide.catalogue.interchange import ImportFileError, import_file
from guide.web.admin.common import after_save, bp, catalogue, languages, user_name
from guide.web.forms import ConfirmImportForm, ImportForm
from guide.workspace.accounts import is_admin
from guide.workspace.database import audit
from guide.workspace.editing import catalogue_lock, record_revision, snapshot

SUFFIXES = (".csv", ".geojson", ".json")
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def uploads() -> Path:
    """Return the folder where uploaded import files wait for confirmation."""
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def require_admin() -> None:
    """Answer 403 unless an administrator is signed in."""
    if not is_admin(current_user):
        abort(403, _("Only administrators may import sites in bulk."))


@bp.route("/import", methods=["GET", "POST"])
def bulk_import():
    """Upload a CSV or GeoJSON file and show what importing it would do, row by row."""
    require_admin()
    form = ImportForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("admin/import.html", form=form, report=None), status
    upload = form.file.data
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        form.file.errors = [_("Upload a .csv or .geojson file.")]
        return render_template("admin/import.html", form=form, report=None), 422
    token = secrets.token_hex(16)
    # The file keeps its own (made safe) name, which the row-by-row report shows.
    path = uploads() / token / (secure_filename(upload.filename or "") or f"import{suffix}")
    path.parent.mkdir()
    upload.save(path)
    try:
        report = import_file(
            path,
            catalogue(),
            dry_run=True,
            duplicate_radius_m=float(current_app.config["GUIDE_DUPLICATE_RADIUS_M"]),
        )
    except ImportFileError as error:
        shutil.rmtree(path.parent, ignore_errors=True)
        form.file.errors = [str(error).replace(str(path), path.name)]
        return render_template("admin/import.html", form=form, report=None), 422
    confirm = ConfirmImportForm(token=token)
    return render_template(
        "admin/import.html",
        form=form,
        report=report,
        confirm=confirm,
        file_name=upload.filename,
    )


@bp.post("/import/confirm")
def confirm_import():
    """Import a file checked in a dry run; record a revision for each new site."""
    require_admin()
    form = ConfirmImportForm()
    token = form.token.data or ""
    if not form.validate_on_submit() or not _TOKEN_RE.match(token):
        abort(400, _("This import is unknown or expired: upload the file again."))
    found = sorted((uploads() / token).glob("*")) if _TOKEN_RE.match(token) else []
    if len(found) != 1:
        abort(400, _("This import is unknown or expired: upload the file again."))
    path = found[0]
    cat = catalogue()
    try:
        with catalogue_lock(cat.root):
            report = import_file(
                path,
                cat,
                duplicate_radius_m=float(current_app.config["GUIDE_DUPLICATE_RADIUS_M"]),
            )
            for row in report.rows:
                if row.outcome == "imported":
                    record_revision(
                        row.slug,
                        snapshot(cat.root / row.slug, languages()),
                        user_name(),
                        f"imported from {row.row}",
                    )
    except ImportFileError as error:
        abort(400, str(error))
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    audit(user_name(), "import", "", report.summary())
    after_save()
    flash(report.summary())
    return render_template("admin/import.html", form=ImportForm(), report=report, done=True)
