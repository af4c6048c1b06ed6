"""The plaque register in the staff workspace, and the last check of every issued code.

Scoped like editing: editors see and change the plaques of sites in their areas,
administrators all of them, viewers read everything and change nothing. A plaque
belongs to its site's area, or to the area recorded when it was printed once the
site has left the catalogue (so a dead code still reaches its area's editors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site
from guide.listening import plaques as library
from guide.listening.words import PLAQUE_STATES
from guide.web.admin.common import never_cache, require_sign_in
from guide.web.admin.errors import error_page
from guide.web.forms import GuideForm, longest
from guide.web.i18n import translated
from guide.web.loaded import get_catalogue
from guide.workspace.accounts import may_edit_area
from guide.workspace.coords import PointFormatError, parse_point
from guide.workspace.database import db

if TYPE_CHECKING:
    from guide.listening.models import Plaque, PlaqueCheck


bp = Blueprint("plaques_admin", __name__, url_prefix="/admin/plaques")
# The workspace's own sign-in, cache rules and error pages.
bp.before_request(require_sign_in)
bp.after_request(never_cache)
for _code in (400, 401, 403, 404):
    bp.register_error_handler(_code, error_page)


def state_labels() -> dict[str, str]:
    """Return the names of the plaque states in the page's language."""
    return {
        "ordered": _("ordered"),
        "installed": _("installed"),
        "damaged": _("damaged"),
        "replaced": _("replaced"),
        "removed": _("removed"),
    }


class PlaqueForm(GuideForm):
    """Where a plaque hangs (a note, optionally a point) and its state."""

    state = SelectField(_l("State"), choices=[SelectChoice(s, s) for s in PLAQUE_STATES])
    where = TextAreaField(
        _l("Where it hangs"),
        validators=[Optional(), longest(1000)],
        description=_l("Such as: left of the gate, 1.6 m high, facing the street."),
    )
    lat = StringField(_l("Latitude"), validators=[Optional(), longest(40)])
    lon = StringField(_l("Longitude"), validators=[Optional(), longest(40)])


@dataclass
class Entry:
    """A plaque of the register as the pages show it."""

    plaque: Plaque
    site: Site | None
    area: str
    check: PlaqueCheck | None


def site_of(catalogue: Catalogue, code: str, slug: str) -> Site | None:
    """Return the site a plaque or a check is about: by code, else by slug."""
    return catalogue.by_code(code) or (catalogue.by_slug(slug) if slug else None)


def visible_areas() -> list[str] | None:
    """Return the areas whose plaques the signed-in person sees (None: every area)."""
    return current_user.areas if current_user.role == "editor" else None


def area_of(catalogue: Catalogue, plaque: Plaque) -> str:
    """Return the area a plaque belongs to: its site's now, else the one recorded at printing."""
    site = site_of(catalogue, plaque.code, plaque.slug)
    return (site.area if site else "") or plaque.area or ""


def may_see(area: str) -> bool:
    """Return whether the signed-in person sees what belongs to ``area``."""
    shown = visible_areas()
    return shown is None or area in shown


def register_areas(catalogue: Catalogue) -> dict[str, str]:
    """Return {code: area} of every plaque in the register (for checks of removed sites)."""
    from sqlalchemy import select

    from guide.listening.models import Plaque

    areas: dict[str, str] = {}
    for plaque in db.session.execute(select(Plaque)).scalars():
        areas.setdefault(plaque.code.upper(), area_of(catalogue, plaque))
    return areas


@bp.get("/")
def register() -> str:
    """List the plaques the signed-in person may see, filtered by area, state and site."""
    from sqlalchemy import select

    from guide.listening.models import Plaque

    args = request.args
    cat = get_catalogue()
    state = args.get("state", "")
    state = state if state in PLAQUE_STATES else ""
    area = args.get("area", "")[:64]
    site_filter = args.get("site", "").strip()[:200]
    checks = library.latest_checks()
    entries = []
    for plaque in db.session.execute(
        select(Plaque).order_by(Plaque.code, Plaque.printed_on.desc(), Plaque.id.desc())
    ).scalars():
        plaque_area = area_of(cat, plaque)
        if not may_see(plaque_area) or (area and plaque_area != area):
            continue
        if state and plaque.state != state:
            continue
        if site_filter and site_filter.lower() not in (plaque.slug, plaque.code.lower()):
            continue
        site = site_of(cat, plaque.code, plaque.slug)
        entries.append(Entry(plaque, site, plaque_area, checks.get(plaque.code.upper())))
    shown = visible_areas()
    return render_template(
        "listening/plaques.html",
        entries=entries,
        areas=[a for a in cat.areas if shown is None or a.id in shown],
        filters={"area": area, "state": state, "site": site_filter},
        states=state_labels(),
        may_change=may_edit_area,
    )


def plaque_or_404(plaque_id: int) -> tuple[Plaque, Site | None, str]:
    """Return a plaque the signed-in person may see, its site and area; 404 or 403 otherwise."""
    from guide.listening.models import Plaque

    plaque = db.session.get(Plaque, plaque_id)
    if plaque is None:
        abort(404)
    cat = get_catalogue()
    area = area_of(cat, plaque)
    if not may_see(area):
        abort(403, _("You may only see the plaques of sites in your areas."))
    return plaque, site_of(cat, plaque.code, plaque.slug), area


DEGREES_RE = re.compile(r"[-+]?\d{1,3}(?:\.\d+)?")


def read_point(form: PlaqueForm) -> tuple[bool, float | None, float | None]:
    """Return (ok, lat, lon) from the form's two fields; put what is wrong on the field.

    Each field must be decimal degrees (a comma is read as the decimal point), so
    NaN, infinities and exponents are refused; the range is the catalogue's
    coordinate parsing's (guide.workspace.coords).
    """
    texts = {field: (field.data or "").strip().replace(",", ".") for field in (form.lat, form.lon)}
    if not any(texts.values()):
        return True, None, None
    for field, text in texts.items():
        if not text:
            field.errors = [_("Give both latitude and longitude, or neither.")]
            return False, None, None
        if not DEGREES_RE.fullmatch(text):
            field.errors = [_("%(text)r is not a number of degrees, such as 21.094072.", text=text)]
            return False, None, None
    try:
        lat, lon = parse_point(f"{texts[form.lat]}, {texts[form.lon]}")
    except PointFormatError as error:
        field = form.lon if "longitude" in error.text.template else form.lat
        field.errors = [translated(error)]
        return False, None, None
    if not -90 <= lat <= 90:
        # The parser lets a swapped pair through for the catalogue's check to explain.
        form.lat.errors = [_("A latitude is between -90 and 90: are the two swapped?")]
        return False, None, None
    return True, lat, lon


@bp.route("/<int:plaque_id>", methods=["GET", "POST"])
def edit(plaque_id: int) -> Response | str:
    """Show one plaque; let those who may change its area set where it hangs and its state."""
    plaque, site, area = plaque_or_404(plaque_id)
    allowed = may_edit_area(current_user, area)
    form = PlaqueForm(obj=None if request.method == "POST" else plaque)
    form.state.choices = [SelectChoice(value, label) for value, label in state_labels().items()]
    if request.method == "GET":
        form.lat.data = "" if plaque.lat is None else str(plaque.lat)
        form.lon.data = "" if plaque.lon is None else str(plaque.lon)
    if request.method == "POST":
        if not allowed:
            abort(403, _("You may only change the plaques of sites in your areas."))
        valid = form.validate()
        point_ok, lat, lon = read_point(form)
        if valid and point_ok:
            changes = library.update_plaque(
                plaque,
                form.state.data,
                (form.where.data or "").strip(),
                lat,
                lon,
                current_user.name,
            )
            if changes:
                flash(_("Plaque %(code)s saved.", code=plaque.code))
            else:
                flash(_("Nothing changed."))
            return redirect(url_for("plaques_admin.edit", plaque_id=plaque.id), 303)
        bad = ", ".join(str(f.label.text) for f in form if f.errors and f.name != "csrf_token")
        flash(_("Not saved: correct %(fields)s.", fields=bad or _("the form")), "error")
    status = 400 if request.method == "POST" else 200
    body = render_template(
        "listening/plaque_edit.html",
        plaque=plaque,
        site=site,
        area=area,
        form=form,
        allowed=allowed,
        states=state_labels(),
        check=library.latest_checks().get(plaque.code.upper()),
        reprint_url=reprint_url(plaque, site),
    )
    return body if status == 200 else Response(body, status=status)


def reprint_url(plaque: Plaque, site: Site | None) -> str:
    """Return the sign PDF of a damaged plaque's site, same size (same code); or ""."""
    if plaque.state != "damaged" or site is None or not site.is_public:
        return ""
    return url_for("signs.sign_pdf", slug=site.slug, size=plaque.size)


@bp.get("/checks")
def last_check() -> str:
    """Show the most recent check: when, at which address, each dead or wrong code (by area)."""
    cat = get_catalogue()
    run = library.last_run()
    areas = register_areas(cat)
    shown = []
    for result in run:
        site = site_of(cat, result.code, result.slug)
        area = (site.area if site else "") or areas.get(result.code.upper(), "")
        if may_see(area):
            shown.append((result, site, area))
    return render_template(
        "listening/plaque_checks.html",
        run_at=run[0].run_at if run else None,
        base_url=run[0].base_url if run else "",
        checked=len(shown),
        failed=[item for item in shown if not item[0].ok],
    )


def init_app(app: Flask) -> None:
    """Register the plaque register's pages on ``app``."""
    app.register_blueprint(bp)
