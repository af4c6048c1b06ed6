"""The plaque register and the check that every issued code still leads to its site.

A plaque is recorded when its sign is printed; staff mark later where it hangs and
its state. The check requests each issued code through the public address exactly
as a phone opening the plaque's QR code would, and says which codes are dead or
lead to the wrong page, so that a lapsed domain or a removed site is noticed.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from guide.catalogue.index import Catalogue
from guide.catalogue.model import Site
from guide.listening.scans import CHECK_HEADER, PLAQUE_MARKER
from guide.listening.words import PLAQUE_STATES
from guide.workspace.database import audit, db, utcnow

if TYPE_CHECKING:
    from guide.listening.models import Plaque, PlaqueCheck


# What the check sends: a phone's Accept, and the header that keeps it out of the scan counts.
CHECK_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "vi-VN,vi;q=0.9,en;q=0.8",
    "User-Agent": "Mozilla/5.0 (Linux; Android 14; Mobile) red-addresses-guide plaque check",
    CHECK_HEADER: "1",
}
CHECK_TIMEOUT_S = 15.0


class CheckBaseUrlError(ValueError):
    """The base URL of a check is not an http(s) address."""


def check_base_url(url: str) -> str:
    """Return the base URL as codes print it (scheme and host upper-case, no trailing slash).

    Unlike printing, a check may run against this computer (a test or a staging server).
    """
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as error:
        raise CheckBaseUrlError(f"{raw!r} is not a URL: {error}") from error
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise CheckBaseUrlError(
            f"{raw!r} is not the guide's public address: write it like https://ditich.example.vn"
        )
    if parts.query or parts.fragment:
        raise CheckBaseUrlError(f"{raw!r} has a '?' query or '#' fragment: give the address only")
    netloc = parts.hostname.upper() + (f":{port}" if port is not None else "")
    return f"{parts.scheme.upper()}://{netloc}{parts.path.rstrip('/')}"


def record_printed(sites: Iterable[Site], size: str, by: str, day: date) -> list[Plaque]:
    """Add a register row (state "ordered") for each printed sign; commit them.

    A damaged plaque of the same code is then marked replaced (the reprint exists).
    """
    from guide.listening.models import Plaque

    rows = [
        Plaque(
            code=site.code,
            slug=site.slug,
            area=site.area or "",
            size=size,
            printed_on=day,
            printed_by=by[:64],
        )
        for site in sites
    ]
    db.session.add_all(rows)
    db.session.commit()
    for row in rows:
        replace_damaged(row.code, row, by)
    db.session.commit()
    return rows


def issued_codes(catalogue: Catalogue, every_code: bool = False) -> list[tuple[str, Site | None]]:
    """Return (code, site) of each code to check: on a plaque not removed, or every one.

    A code of the register whose site is no longer in the catalogue comes with None.
    """
    from guide.listening.models import Plaque

    if every_code:
        return sorted((site.code, site) for site in catalogue.sites if site.code)
    codes: dict[str, Site | None] = {}
    for plaque in db.session.query(Plaque).filter(Plaque.state != "removed"):
        codes[plaque.code.upper()] = catalogue.by_code(plaque.code)
    return sorted(codes.items(), key=lambda item: item[0])


class _Heading(HTMLParser):
    """Collect the text of the page's first h1."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.done = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "h1" and not self.done:
            self.depth += 1
        elif self.depth:
            self.depth += 1 if tag not in ("br", "img", "wbr") else 0

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            if self.depth == 0:
                self.done = True

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def first_heading(html: str) -> str:
    """Return the text of the first h1 of an HTML page, spaces collapsed."""
    parser = _Heading()
    parser.feed(html)
    return " ".join("".join(parser.text).split())


@dataclass
class CheckResult:
    """What one code gave when opened as a phone would."""

    code: str
    slug: str
    ok: bool
    status: int | None
    final_url: str
    problem: str


def check_code(base: str, code: str, site: Site | None) -> CheckResult:
    """Open a plaque's exact URL, following redirects; say whether it ends on its site's page."""
    url = f"{base}/S/{code}/{PLAQUE_MARKER}"
    slug = site.slug if site else ""
    request = urllib.request.Request(url, headers=CHECK_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=CHECK_TIMEOUT_S) as response:
            status, final = response.status, response.geturl()
            body = response.read(2_000_000).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return CheckResult(
            code, slug, False, error.code, error.geturl() or url, f"HTTP {error.code}"
        )
    except OSError as error:  # URLError and timeouts are OSErrors
        reason = getattr(error, "reason", error)
        return CheckResult(code, slug, False, None, url, f"no answer: {reason}")
    if site is None:
        return CheckResult(
            code, slug, False, status, final, "no site of the catalogue has this code"
        )
    heading = first_heading(body)
    names = {" ".join(name.split()) for name in site.name.values() if name}
    if heading not in names:
        return CheckResult(
            code, slug, False, status, final, f"ends on a page headed {heading!r}, not {site.slug}"
        )
    return CheckResult(code, slug, True, status, final, "")


def record_checks(base: str, results: Iterable[CheckResult], at: datetime) -> None:
    """Keep the results of one check run in the register's history; commit."""
    from guide.listening.models import PlaqueCheck

    db.session.add_all(
        PlaqueCheck(
            run_at=at,
            base_url=base[:300],
            code=r.code,
            slug=r.slug,
            ok=r.ok,
            status=r.status,
            final_url=r.final_url[:500],
            problem=r.problem,
        )
        for r in results
    )
    db.session.commit()


def replace_damaged(code: str, new_row: Plaque, by: str) -> list[Plaque]:
    """Mark the damaged plaques of ``code`` replaced by ``new_row``; audit and commit.

    A reprint keeps the site's code, so the new row and the damaged one share it.
    """
    from guide.listening.models import Plaque

    old = (
        db.session.query(Plaque)
        .filter(Plaque.code == code, Plaque.state == "damaged", Plaque.id != new_row.id)
        .all()
    )
    for plaque in old:
        plaque.state = "replaced"
        plaque.updated_at = utcnow()
        audit(by, "plaque.replace", code, f"plaque {plaque.id} replaced by plaque {new_row.id}")
    return old


def latest_checks() -> dict[str, PlaqueCheck]:
    """Return each code's most recent check result, by upper-case code."""
    from sqlalchemy import func, select

    from guide.listening.models import PlaqueCheck

    newest = (
        select(PlaqueCheck.code, func.max(PlaqueCheck.id).label("id"))
        .group_by(PlaqueCheck.code)
        .subquery()
    )
    rows = db.session.execute(
        select(PlaqueCheck).join(newest, PlaqueCheck.id == newest.c.id)
    ).scalars()
    return {row.code.upper(): row for row in rows}


def last_run() -> list[PlaqueCheck]:
    """Return the results of the most recent check run (empty when none ran), by code."""
    from sqlalchemy import func, select

    from guide.listening.models import PlaqueCheck

    at = db.session.execute(select(func.max(PlaqueCheck.run_at))).scalar()
    if at is None:
        return []
    return list(
        db.session.execute(
            select(PlaqueCheck).where(PlaqueCheck.run_at == at).order_by(PlaqueCheck.code)
        ).scalars()
    )


def update_plaque(
    plaque: Plaque, state: str, where: str, lat: float | None, lon: float | None, by: str
) -> list[str]:
    """Set where a plaque hangs and its state; audit what changed and commit.

    Return the changed fields' descriptions (empty when nothing changed).
    """
    if state not in PLAQUE_STATES:
        raise ValueError(f"state {state!r}: choose one of {', '.join(PLAQUE_STATES)}")
    changes = []
    for name, value in (("state", state), ("where", where), ("lat", lat), ("lon", lon)):
        before = getattr(plaque, name)
        if before != value:
            changes.append(f"{name}: {before!r} → {value!r}")
            setattr(plaque, name, value)
    if changes:
        plaque.updated_at = utcnow()
        audit(by, "plaque.edit", plaque.code, f"plaque {plaque.id}: " + "; ".join(changes))
    return changes
