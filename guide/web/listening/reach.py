"""The reach pages: an area's scans, silent plaques and feedback, its monthly report and CSV.

Staff only, under ``/admin/reach``: editors see their own areas, administrators
and viewers every area and the whole city. The figures come from
``guide.listening.reach``; the charts are SVG drawn by the templates, so the
pages work without JavaScript and print.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from guide.listening import periods
from guide.listening import reach as figures_of
from guide.web.admin.common import never_cache, require_sign_in
from guide.web.admin.errors import error_page
from guide.web.i18n import select_language
from guide.web.loaded import get_catalogue

bp = Blueprint("listening_reach", __name__, url_prefix="/admin/reach")
bp.before_request(require_sign_in)
bp.after_request(never_cache)
for _code in (400, 401, 403, 404):
    bp.register_error_handler(_code, error_page)

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
# Spreadsheets run a cell that starts with one of these as a formula: site names are user text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def zone() -> str:
    """Return the catalogue's time zone name."""
    return current_app.config.get("GUIDE_TIME_ZONE") or DEFAULT_ZONE


def visible_areas() -> list[str]:
    """Return the area ids the signed-in person may look at, in the catalogue's order."""
    ids = [area.id for area in get_catalogue().areas]
    if current_user.role == "editor":
        return [area for area in ids if area in current_user.areas]
    return ids


def chosen_area() -> str:
    """Return the asked area ('' for the whole city), answering 403 or 404 when it may not be."""
    area = request.args.get("area", "").strip()
    if current_user.role == "editor" and not area:
        mine = visible_areas()
        if not mine:
            abort(403, _("Your account has no area to look at."))
        return mine[0]
    if not area:
        return ""
    if get_catalogue().areas.get(area) is None:
        abort(404, _("There is no area %(area)s in the catalogue.", area=area))
    if area not in visible_areas():
        abort(
            403,
            _(
                "You may not look at %(area)s: it is outside your areas.",
                area=get_catalogue().areas.name_of(area),
            ),
        )
    return area


def period_or_400(default_month: bool = False) -> periods.Period:
    """Return the period asked in ``since``/``until``/``month``, answering 400 when unreadable."""
    today = periods.local_today(zone())
    month = request.args.get("month", "").strip()
    asked_days = request.args.get("since", "").strip() or request.args.get("until", "").strip()
    if default_month and not month and not asked_days:
        last_month = today.replace(day=1) - timedelta(days=1)
        month = last_month.strftime("%Y-%m")
    try:
        return periods.parse_period(
            today,
            since=request.args.get("since", ""),
            until=request.args.get("until", ""),
            month=month,
        )
    except periods.PeriodError as error:
        abort(400, _(error.msgid, field=error.field, value=error.value))


def figures(area: str, period: periods.Period) -> figures_of.Reach:
    """Return the figures of ``area`` ('' for the city) over ``period``."""
    places = figures_of.places_of(get_catalogue(), area)
    return figures_of.reach(
        places,
        period,
        periods.local_today(zone()),
        area=area,
        silent_days=int(current_app.config.get("GUIDE_SILENT_DAYS", 30)),
        zone=zone(),
    )


def area_name(area: str) -> str:
    """Return the area's name, or 'the whole city'."""
    return get_catalogue().areas.name_of(area) if area else _("the whole city")


def _context(area: str, period: periods.Period) -> dict:
    return {
        "area": area,
        "area_name": area_name(area),
        "areas": [(a, get_catalogue().areas.name_of(a)) for a in visible_areas()],
        "whole_city": current_user.role != "editor",
        "period": period,
        "figures": figures(area, period),
        "language": select_language(),
        "today": periods.local_today(zone()),
    }


@bp.get("")
def page() -> str:
    """Show an area's reach over a period (the last 30 days unless asked otherwise)."""
    area = chosen_area()
    return render_template("listening/reach.html", **_context(area, period_or_400()))


@bp.get("/report")
def report() -> str:
    """Show the monthly report of an area, laid out to print on one or two A4 pages."""
    area = chosen_area()
    period = period_or_400(default_month=True)
    return render_template("listening/report.html", **_context(area, period))


@bp.get("/report.csv")
def report_csv() -> Response:
    """Send the monthly report's figures as CSV (UTF-8 with a byte-order mark for spreadsheets)."""
    area = chosen_area()
    period = period_or_400(default_month=True)
    rows = figures_of.csv_rows(figures(area, period), select_language(), {"area": area_name(area)})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    name = f"reach-{area or 'city'}-{period.month or _span(period.since, period.until)}.csv"
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _cell(value: str) -> str:
    """Keep user text from being run as a spreadsheet formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _span(since: date, until: date) -> str:
    return f"{since.isoformat()}_{until.isoformat()}"
