"""Small JSON helpers for the editor's page (the form works without them), and site files.

The preview of a draft's story page and its photos and recordings are here too:
staff see them before visitors may.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify, request, send_from_directory
from flask_babel import gettext as _

from guide.catalogue.layout import is_safe_relative_path
from guide.render.markdown import render_markdown
from guide.web.admin.checking import point_problems
from guide.web.admin.common import bp, catalogue, site_or_404
from guide.web.i18n import translated
from guide.web.public.views import render_story
from guide.workspace.coords import PointFormatError, parse_point
from guide.workspace.geocode import GeocoderUnreachable, lookup_address
from guide.workspace.validation import read_float


@bp.get("/sites/<slug>/preview")
def preview(slug: str):
    """Show the site's story page as visitors will see it, drafts included."""
    site = site_or_404(slug)
    return render_story(site)


@bp.get("/sites/<slug>/files/<path:name>")
def site_file(slug: str, name: str):
    """Serve a photo or recording of a site to staff (drafts' media are not public yet)."""
    site = site_or_404(slug)

    if not is_safe_relative_path(name):
        abort(404)
    return send_from_directory(site.folder, name)  # type: ignore[arg-type]


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
    return jsonify({"html": render_markdown(request.form.get("text", ""))})


@bp.get("/api/geocode")
def api_geocode():
    """Look an address up; say so in words when the geocoder cannot be reached."""
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
