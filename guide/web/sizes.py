"""Refuse a request over the size limit with 413 and the limit in words, before anything reads it.

The limit is Flask's ``MAX_CONTENT_LENGTH`` (by default the largest photo or
recording plus room for the form's other fields). A request that declares a
larger body is refused before the CSRF check runs, so the person is told the
file was too large rather than that the form expired.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge


def limit_in_words(size: int) -> str:
    """Return a byte count as megabytes for people, such as ``20 MB``.

    >>> limit_in_words(31_000_000)
    '31 MB'
    >>> limit_in_words(10_000)
    '0.01 MB'
    """
    megabytes = size / 1_000_000
    return f"{megabytes:.0f} MB" if megabytes >= 1 else f"{megabytes:.2g} MB"


def refuse_oversized_requests() -> None:
    """Answer 413 at once when the declared body is over the limit (before CSRF reads it)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def too_large(error: RequestEntityTooLarge):
    """Say that the request was too large and what the limit is, in the page's language."""
    config = current_app.config
    message = _(
        "Too large: the limit is %(limit)s for everything sent at once.",
        limit=limit_in_words(int(config.get("MAX_CONTENT_LENGTH") or 0)),
    )
    if request.path.startswith("/admin/") and not request.path.startswith("/admin/api/"):
        message += " " + _(
            "Photos may be at most %(photo)s and recordings %(audio)s.",
            photo=limit_in_words(int(config["GUIDE_PHOTO_MAX_BYTES"])),
            audio=limit_in_words(int(config["GUIDE_AUDIO_MAX_BYTES"])),
        )
        return render_template("admin/message.html", code=413, message=message), 413
    return jsonify({"ok": False, "message": message}), 413


def init_app(app: Flask) -> None:
    """Check sizes first of all request handlers and answer 413 in words everywhere."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_oversized_requests)
    app.register_error_handler(413, too_large)
