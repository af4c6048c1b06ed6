"""Refused requests in the workspace, in words and inside its layout (or as JSON for its API)."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from guide.web.admin.common import bp
from guide.web.sizes import too_large


def error_page(error):
    """Show a refused request in words, inside the workspace's layout."""
    if isinstance(error, CSRFError):
        return csrf_error(error)
    if isinstance(error, RequestEntityTooLarge):
        return too_large(error)
    code = error.code if isinstance(error, HTTPException) else 500
    messages = {
        400: _("The request could not be understood."),
        401: _("Sign in first."),
        403: _("You may not do this."),
        404: _("Not found."),
    }
    description = getattr(error, "description", "")
    default = getattr(type(error), "description", "")
    message = description if description and description != default else messages.get(code, "")
    if request.accept_mimetypes.best == "application/json" or request.path.startswith(
        "/admin/api/"
    ):
        return jsonify({"ok": False, "message": str(message)}), code
    return render_template("admin/message.html", code=code, message=message), code


def csrf_error(error):
    """Explain a form refused for lack of a valid CSRF token."""
    message = _(
        "This form has expired or lacks its security token (%(reason)s): go back, reload the "
        "page and send it again.",
        reason=error.description,
    )
    if request.path.startswith("/admin/api/"):
        return jsonify({"ok": False, "message": message}), 400
    return render_template("admin/message.html", code=400, message=message), 400


for _code in (400, 401, 403, 404, 413):
    bp.register_error_handler(_code, error_page)
