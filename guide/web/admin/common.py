"""What every workspace page shares: the blueprint, sign-in, the catalogue and who may edit.

Every view checks the signed-in person's role and areas on the server; the
templates only hide buttons for convenience. Site files are written through
``guide.workspace.editing`` (lock, conflict check, atomic writes, revision), then the
application's catalogue is reloaded with ``after_save``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from guide.catalogue.index import Catalogue
from guide.catalogue.model import SLUG_RE, Site
from guide.catalogue.reader import stored_facts
from guide.web.loaded import get_catalogue, reload_catalogue
from guide.workspace.accounts import may_edit_area

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_sign_in():
    """Send anonymous visitors to the sign-in page; nothing here is public."""
    if not current_user.is_authenticated:
        if request.method == "GET" and not request.path.startswith("/admin/api/"):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)
    return None


@bp.after_request
def never_cache(response: Response) -> Response:
    """Keep staff pages out of shared caches and search engines."""
    response.cache_control.private = True
    response.cache_control.no_store = True
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def user_name() -> str:
    """Return the signed-in person's account name."""
    return current_user.name


def catalogue() -> Catalogue:
    """Return the loaded catalogue."""
    return get_catalogue()


def site_or_404(slug: str) -> Site:
    """Return the site with this slug, or answer 404."""
    if not SLUG_RE.match(slug):
        abort(404)
    site = catalogue().by_slug(slug)
    if site is None:
        abort(404)
    return site


def require_edit(site: Site) -> None:
    """Answer 403 unless the signed-in person may change this site."""
    if not may_edit_area(current_user, site.area):
        abort(
            403,
            _(
                "You may not change %(site)s: it lies in %(area)s, outside your areas.",
                site=site.display_name("vi"),
                area=catalogue().areas.name_of(site.area) or "?",
            ),
        )


def user_may_edit(site: Site) -> bool:
    """Return whether the signed-in person may change ``site`` (for templates)."""
    return may_edit_area(current_user, site.area)


def languages() -> tuple[str, ...]:
    """Return the catalogue's languages."""
    return catalogue().config.languages


def raw_facts(site: Site) -> dict[str, Any]:
    """Return the site's ``site.toml`` exactly as stored (unknown fields included)."""
    assert site.folder is not None
    return stored_facts(site.folder)


def after_save() -> None:
    """Load the catalogue again so every page shows the saved files."""
    reload_catalogue(current_app._get_current_object())  # type: ignore[attr-defined]
