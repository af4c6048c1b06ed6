"""The audit log of the workspace, for administrators."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from guide.web.admin.common import bp
from guide.workspace.accounts import is_admin
from guide.workspace.database import db


@bp.get("/audit")
def audit_log():
    """Show the latest entries of the audit log (administrators only)."""
    from sqlalchemy import select

    from guide.workspace.db import AuditEntry

    if not is_admin(current_user):
        abort(403, _("Only administrators may read the audit log."))

    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500))
    return render_template("admin/audit.html", entries=list(entries))
