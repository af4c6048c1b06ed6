"""The staff workspace: list, create, edit, publish and restore sites under ``/admin/``.

Every view checks the signed-in person's role and areas on the server; the
templates only hide buttons for convenience. Site files are written through
``guide.workspace.editing`` (lock, conflict check, atomic writes, revision), then the
application's catalogue is reloaded.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from guide.catalogue import codes
from guide.catalogue.checks import check_catalogue, find_duplicate
from guide.catalogue.core import (
    SITE_FILE,
    SLUG_RE,
    Catalogue,
    Problem,
    Site,
    Source,
    site_from_dict,
)
from guide.catalogue.geo import in_range
from guide.catalogue.store import write_site_folder
from guide.catalogue.text import fold, similar_names
from guide.catalogue.text_rules import junk_problem
from guide.web import get_catalogue, reload_catalogue
from guide.web.forms import ActionForm, MediaListForm, SiteFormBase, media_form, site_form
from guide.web.i18n import translated
from guide.workspace.accounts import is_admin, may_edit_area, may_edit_somewhere
from guide.workspace.coords import PointFormatError, parse_point
from guide.workspace.db import AuditEntry, audit, db
from guide.workspace.editing import (
    EditConflict,
    diff_files,
    digest,
    get_revision,
    previous_files,
    restore_files,
    revisions,
    save_site,
    site_files,
    snapshot,
)

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
    return tomllib.loads((site.folder / SITE_FILE).read_text(encoding="utf-8"))


def after_save() -> None:
    """Load the catalogue again so every page shows the saved files."""
    reload_catalogue(current_app._get_current_object())  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# The list of sites and what needs attention


@dataclass
class Row:
    """One line of the site list."""

    site: Site
    flags: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    editable: bool = False


@bp.get("/")
def sites():
    """List the sites, those needing attention first, with filters."""
    cat = catalogue()
    radius = float(current_app.config["GUIDE_DUPLICATE_RADIUS_M"])
    problems = check_catalogue(cat, radius)
    by_path: dict[str, list[Problem]] = {}
    for problem in problems:
        by_path.setdefault(problem.path, []).append(problem)
    rows = []
    for site in cat:
        row = Row(site, editable=may_edit_area(current_user, site.area))
        if site.status == "draft":
            row.flags.append(_("draft"))
        if site.needs_location:
            row.flags.append(_("needs location"))
        for language in languages()[1:]:
            if language not in site.story_languages:
                row.flags.append(_("no %(language)s narrative", language=language.upper()))
        if not site.photos():
            row.flags.append(_("no photo"))
        row.warnings = by_path.get(str(cat.root / site.slug / SITE_FILE), [])
        rows.append(row)
    loaded = {str(cat.root / site.slug / SITE_FILE) for site in cat}
    broken = [p for p in problems if p.level == "error" and p.path not in loaded]
    query = request.args.get("q", "").strip()
    area = request.args.get("area", "")
    attention = request.args.get("attention", "")
    mine = request.args.get("mine", "")
    if query:
        rows = [row for row in rows if fold(query) in row.site.search_text()]
    if area:
        rows = [row for row in rows if row.site.area == area]
    if attention:
        rows = [row for row in rows if row.flags or row.warnings]
    if mine:
        rows = [row for row in rows if row.editable]
    rows.sort(key=lambda row: (not (row.flags or row.warnings), fold(row.site.display_name("vi"))))
    return render_template(
        "admin/sites.html",
        rows=rows,
        broken=broken,
        areas=sorted(cat.areas, key=lambda a: fold(a.name)),
        query=query,
        area=area,
        attention=attention,
        mine=mine,
        may_create=may_edit_somewhere(current_user),
    )


# ---------------------------------------------------------------------------------------
# Checking a site's facts as ``guide check`` does, before saving


FIELD_OF_PROBLEM = {
    "lat/lon": "point",
    "lat": "point",
    "lon": "point",
    "code": "slug",
    "status": "slug",
}


@dataclass
class Checked:
    """The facts and narratives built from a form, with what is wrong with them."""

    facts: dict[str, Any]
    stories: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    duplicate: Site | None = None

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def warn(self, name: str, message: str) -> None:
        self.warnings.setdefault(name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_float(text: str) -> float:
    """Return a number typed with a point or a comma as decimal separator.

    Raise ValueError for NaN and infinities, which float() accepts but no place has.
    """
    number = float(text.strip().replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number")
    return number


def slug_from_name(name: str) -> str:
    """Return a slug made from a site's name.

    >>> slug_from_name("Đình Chèm (Đền Chèm)")
    'dinh-chem-den-chem'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:80]


def point_problems(
    lat: float | None,
    lon: float | None,
    *,
    slug: str,
    name: str,
    cat: Catalogue,
    radius_m: float,
) -> tuple[str, list[tuple[str, str]], Site | None]:
    """Return the area id of a point, (level, message) problems, and a likely duplicate.

    The same rules as ``guide check`` (through ``site_from_dict``), plus the
    editor's areas and ``find_duplicate``.
    """
    found: list[tuple[str, str]] = []
    if lat is None or lon is None:
        return "", found, None
    here = cat.areas.locate(lat, lon) if in_range(lat, lon) else None
    probe = {"code": "ZZZZ", "slug": "probe", "status": "draft", "kind": "-", "name": {"vi": "-"}}
    probe.update({"lat": lat, "lon": lon, "area": here.id if here else ""})
    _probe, problems = site_from_dict(probe, "point", cat.config, cat.areas)
    for problem in problems:
        if problem.field in ("lat/lon", "lat", "lon"):
            found.append((problem.level, translated(problem)))
    if here is not None and not may_edit_area(current_user, here.id):
        found.append(
            (
                "error",
                _(
                    "This point lies in %(area)s, outside your areas (%(yours)s): you may not "
                    "place a site there.",
                    area=here.name,
                    yours=", ".join(cat.areas.name_of(a) for a in current_user.areas) or "-",
                ),
            )
        )
    duplicate = None
    if here is not None and name:
        existing = cat.by_slug(slug) if slug else None
        if existing is None:
            duplicate = find_duplicate(cat, "", name, lat, lon, radius_m)
        else:
            for other, _metres in cat.nearby(lat, lon, radius_m):
                if other.slug != slug and similar_names(name, other.name.get("vi", "")):
                    duplicate = other
                    break
        if duplicate is not None:
            found.append(
                (
                    "warning",
                    _(
                        "%(other)s (%(slug)s) is within %(radius)d m and has a similar name: "
                        "is it the same place?",
                        other=duplicate.display_name("vi"),
                        slug=duplicate.slug,
                        radius=round(radius_m),
                    ),
                )
            )
    return (here.id if here else ""), found, duplicate


def check_form(form: SiteFormBase, site: Site | None) -> Checked:
    """Build a site's facts from the form and check them like ``guide check`` does."""
    cat = catalogue()
    langs = languages()
    names = {
        language: (getattr(form, f"name_{language}").data or "").strip()
        for language in langs
        if (getattr(form, f"name_{language}").data or "").strip()
    }
    stories = {language: getattr(form, f"story_{language}").data or "" for language in langs}
    facts: dict[str, Any] = raw_facts(site) if site is not None else {
        "code": "ZZZZ", "status": "draft", "media": []
    }  # fmt: skip
    checked = Checked(facts, stories)
    # Field-level errors of WTForms (required, ranges) come first.
    for name, messages in form.errors.items():
        for message in messages:
            checked.error(name, str(message))
    slug = site.slug if site is not None else (form.slug.data or "").strip()
    if site is None:
        slug = slug or slug_from_name(names.get(langs[0], ""))
        if not SLUG_RE.match(slug):
            checked.error(
                "slug",
                _(
                    "%(slug)r is not a safe slug: use lower-case letters a-z, digits and single "
                    "hyphens, such as dinh-chem",
                    slug=slug,
                ),
            )
        form.slug.data = slug
    # The point: pasted text wins over the two number fields.
    lat = lon = None
    if (form.point_text.data or "").strip():
        try:
            lat, lon = parse_point(form.point_text.data)
            form.lat.data, form.lon.data = str(lat), str(lon)
            form.point_text.data = ""
        except PointFormatError as error:
            checked.error("point_text", translated(error))
    else:
        lat_text, lon_text = (form.lat.data or "").strip(), (form.lon.data or "").strip()
        if lat_text or lon_text:
            try:
                lat, lon = read_float(lat_text), read_float(lon_text)
            except ValueError:
                checked.error(
                    "point",
                    _("Latitude and longitude must both be numbers of degrees, such as 21.094072."),
                )
    radius = float(current_app.config["GUIDE_DUPLICATE_RADIUS_M"])
    area, problems, duplicate = point_problems(
        lat, lon, slug=slug, name=names.get(langs[0], ""), cat=cat, radius_m=radius
    )
    for level, message in problems:
        (checked.error if level == "error" else checked.warn)("point", message)
    if duplicate is not None and not form.confirm_different.data:
        checked.duplicate = duplicate
        checked.error(
            "point",
            _("Tick “I checked: this is a different place” to save it anyway."),
        )
    if lat is None:
        area = form.area.data or ""
        if not area:
            checked.error("area", _("Choose the area of this site, or give it a point."))
        elif not may_edit_area(current_user, area):
            checked.error("area", _("You may not place sites in this area."))
    sources = []
    # A line left as the editor showed it keeps the source's publisher and notes per language.
    shown = {source_line(s): s for s in (site.sources if site else [])}
    for number, line in enumerate((form.sources.data or "").splitlines(), start=1):
        if not line.strip():
            continue
        url, _bar, supports = line.partition("|")
        if not url.strip().startswith(("http://", "https://")):
            checked.error(
                "sources",
                _("Line %(number)d: start with a link (http:// or https://).", number=number),
            )
            continue
        kept = shown.get(f"{url.strip()} | {supports.strip()}".removesuffix(" | "))
        sources.append(
            kept.to_dict() if kept else {"url": url.strip(), "supports": supports.strip()}
        )
    facts.update(
        {
            "slug": slug,
            "kind": (form.kind.data or "").strip(),
            "rank": (form.rank.data or "").strip(),
            "address": (form.address.data or "").strip(),
            "ward": (form.ward.data or "").strip(),
            "area": area,
            "visit_minutes": form.visit_minutes.data if form.visit_minutes.data else 30,
            "opening_hours": (form.opening_hours.data or "").strip(),
            "tags": [t.strip() for t in (form.tags.data or "").split(",") if t.strip()],
            "name": names,
            "sources": sources,
        }
    )
    inscription_rows = admin_inscriptions.apply(facts, request.form, checked, langs)
    facts.pop("lat", None)
    facts.pop("lon", None)
    if lat is not None and lon is not None:
        facts["lat"], facts["lon"] = lat, lon
    facts = order_facts(facts)
    checked.facts = facts
    if lat is not None and "point" in checked.errors:
        return checked  # the point's own problems are already reported
    _site, found = site_from_dict(facts, SITE_FILE, cat.config, cat.areas)
    for problem in found:
        name = problem.field
        if name.startswith("name."):
            name = "name_" + name[5:]
        elif name.startswith(("sources", "tags")):
            name = name.partition("[")[0]
        elif name.startswith("inscriptions"):
            name = admin_inscriptions.field_name(name, inscription_rows)
        else:
            name = FIELD_OF_PROBLEM.get(name, name)
        if name == "area" and lat is not None:
            name = "point"
        (checked.error if problem.level == "error" else checked.warn)(name, translated(problem))
    for name in TEXT_FIELDS + tuple(
        f"{kind}_{lang}" for kind in ("name", "story") for lang in langs
    ):
        if _UNDECODED_RE.search(getattr(form, name).data or ""):
            # Werkzeug leaves bytes that are not UTF-8 percent-encoded in the value.
            checked.error(
                name,
                _(
                    "This text was not sent as valid UTF-8 (it holds codes such as %%FF): "
                    "type it again."
                ),
            )
    for language, text in stories.items():
        junk = junk_problem(text, multiline=True)
        if junk is not None:
            checked.error(f"story_{language}", translated(junk))
        if text.strip() and language not in names:
            checked.error(
                f"name_{language}",
                _(
                    "A narrative in %(language)s needs the name in %(language)s.",
                    language=language.upper(),
                ),
            )
    return checked


# Form fields of plain text; sources are links, where percent-escapes are normal.
TEXT_FIELDS = ("kind", "rank", "address", "ward", "opening_hours", "tags")
_UNDECODED_RE = re.compile(r"%[89a-fA-F][0-9a-fA-F]")


FACT_ORDER = ("code", "slug", "status", "kind", "rank", "lat", "lon", "address", "ward", "area",
              "visit_minutes", "opening_hours", "tags", "media", "sources", "name")  # fmt: skip


def order_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Return the facts in the order ``site.toml`` files use, unknown fields last."""
    ordered = {key: facts[key] for key in FACT_ORDER if key in facts}
    ordered.update({key: value for key, value in facts.items() if key not in ordered})
    return ordered


def source_line(source: Source) -> str:
    """Return a source as one line of the editor's sources box: the link, then what it supports."""
    note = source.note(languages()[0])
    return f"{source.url} | {note}" if note else source.url


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
    form.sources.data = "\n".join(source_line(s) for s in site.sources)
    for language in languages():
        getattr(form, f"name_{language}").data = site.name.get(language, "")
        getattr(form, f"story_{language}").data = site.story(language) or ""


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
    from guide.web.admin.media import media_section

    form.area.choices = area_choices()
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
    from guide.workspace.geocode import GeocoderUnreachable, lookup_address

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
    from guide.workspace.editing import catalogue_lock, record_revision

    with catalogue_lock(root):
        if (root / slug).exists():
            checked.error(
                "slug", _("A folder named %(slug)s exists already: choose another slug.", slug=slug)
            )
            return render_editor(form, None, checked, 422)
        taken = set(codes.read_ledger(root)) | {site.code for site in cat}
        code = codes.issue(taken)
        checked.facts["code"] = code
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
                from guide.web.admin.conflict import merge_late_save, render_conflict

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


@bp.get("/sites/<slug>/preview")
def preview(slug: str):
    """Show the site's story page as visitors will see it, drafts included."""
    from guide.web.public.views import render_story

    site = site_or_404(slug)
    return render_story(site)


@bp.get("/sites/<slug>/files/<path:name>")
def site_file(slug: str, name: str):
    """Serve a photo or recording of a site to staff (drafts' media are not public yet)."""
    site = site_or_404(slug)
    from guide.catalogue.core import is_safe_relative_path

    if not is_safe_relative_path(name):
        abort(404)
    return send_from_directory(site.folder, name)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# History: revisions, diffs and restore


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
    from guide.web.admin.media import MediaRow, entries_of

    try:
        listed = entries_of(tomllib.loads(found.files.get(SITE_FILE, "")))
    except tomllib.TOMLDecodeError:
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
    facts = tomllib.loads(found.files.get(SITE_FILE, ""))
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


# ---------------------------------------------------------------------------------------
# Small JSON helpers for the editor's page (the form works without them)


@bp.get("/api/point")
def api_point():
    """Check a point (typed, pasted or clicked) and say where it lies and what is wrong."""
    cat = catalogue()
    text = request.args.get("text", "").strip()
    try:
        if text:
            lat, lon = parse_point(text)
        else:
            lat, lon = (
                read_float(request.args.get("lat", "")),
                read_float(request.args.get("lon", "")),
            )
    except (PointFormatError, ValueError) as error:
        message = translated(error) if isinstance(error, PointFormatError) else _("Not a point.")
        return jsonify({"ok": False, "problems": [{"level": "error", "message": message}]}), 400
    area, problems, duplicate = point_problems(
        lat,
        lon,
        slug=request.args.get("slug", ""),
        name=request.args.get("name", ""),
        cat=cat,
        radius_m=float(current_app.config["GUIDE_DUPLICATE_RADIUS_M"]),
    )
    return jsonify(
        {
            "ok": not any(level == "error" for level, _m in problems),
            "lat": lat,
            "lon": lon,
            "area": area,
            "area_name": cat.areas.name_of(area) if area else "",
            "problems": [{"level": level, "message": message} for level, message in problems],
            "duplicate": duplicate.slug if duplicate else None,
        }
    )


@bp.post("/api/preview")
def api_preview():
    """Return the sanitized HTML of a Markdown narrative, for the preview next to it."""
    from guide.render.markdown import render_markdown

    return jsonify({"html": render_markdown(request.form.get("text", ""))})


@bp.get("/api/geocode")
def api_geocode():
    """Look an address up; say so in words when the geocoder cannot be reached."""
    from guide.workspace.geocode import GeocoderUnreachable, lookup_address

    config = current_app.config
    try:
        found = lookup_address(
            request.args.get("q", ""),
            config["GUIDE_GEOCODER_URL"],
            config["GUIDE_GEOCODER_USER_AGENT"],
            float(config["GUIDE_GEOCODER_TIMEOUT_S"]),
        )
    except GeocoderUnreachable as error:
        return jsonify({"ok": False, "message": translated(error), "candidates": []}), 503
    return jsonify(
        {"ok": True, "candidates": [{"label": c.label, "lat": c.lat, "lon": c.lon} for c in found]}
    )


# ---------------------------------------------------------------------------------------
# The audit log


@bp.get("/audit")
def audit_log():
    """Show the latest entries of the audit log (administrators only)."""
    if not is_admin(current_user):
        abort(403, _("Only administrators may read the audit log."))
    from sqlalchemy import select

    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500))
    return render_template("admin/audit.html", entries=list(entries))


# ---------------------------------------------------------------------------------------
# Error pages and set-up


def error_page(error):
    """Show a refused request in words, inside the workspace's layout."""
    from flask_wtf.csrf import CSRFError
    from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

    from guide.web.sizes import too_large

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


def init_app(app) -> None:
    """Register the workspace, its error pages, upload limits and the Leaflet assets."""
    import xstatic.pkg.leaflet
    from flask_wtf.csrf import CSRFError

    from guide.web.assets import register_root

    register_root("leaflet", Path(xstatic.pkg.leaflet.BASE_DIR))
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        # Flask's own default is None (no limit), so setdefault would never set it.
        app.config["MAX_CONTENT_LENGTH"] = (
            max(app.config["GUIDE_PHOTO_MAX_BYTES"], app.config["GUIDE_AUDIO_MAX_BYTES"])
            + 1_000_000
        )
    app.register_blueprint(bp)
    app.register_error_handler(CSRFError, csrf_error)
    from guide.render.markdown import render_markdown

    app.jinja_env.globals["render_markdown"] = render_markdown
    app.jinja_env.globals["may_edit_area"] = lambda area: may_edit_area(current_user, area)


for _code in (400, 401, 403, 404, 413):
    bp.register_error_handler(_code, error_page)

# The satellites add their views to bp.
from guide.web.admin import imports as admin_import  # noqa: E402, F401
from guide.web.admin import inscriptions as admin_inscriptions  # noqa: E402
from guide.web.admin import media as admin_media  # noqa: E402, F401
