"""Import sites from CSV or GeoJSON, and export the catalogue to them.

Both formats use the columns of the shipped ``hanoi_sites.csv``:
``slug, name_vi, name_en, lat, lon, address, ward, district, kind, rank,
source_url, description_vi_or_en``, optionally with ``code``, ``status``,
``area`` and ``tags`` (separated by ``;``). A site's full list of sources
and its inscriptions travel as JSON text in the columns ``sources_json`` and
``inscriptions`` (lists of objects written as in ``site.toml``); GeoJSON
carries them as the properties ``sources`` and ``inscriptions``. Every row goes
through the same validation as ``guide check``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guide.catalogue import codes
from guide.catalogue.checks import find_duplicate
from guide.catalogue.geo import distance_m
from guide.catalogue.index import Catalogue
from guide.catalogue.interchange_geojson import (
    SHAPE_MESSAGES,
    export_geojson,
    geojson_rows,
    site_feature,
)
from guide.catalogue.interchange_rows import (
    COLUMNS,
    EXTRA_COLUMNS,
    REQUIRED_COLUMNS,
    URL_SOURCE_NOTES,
    ImportFileError,
    Reason,
    json_list,
    json_text,
)
from guide.catalogue.model import Site
from guide.catalogue.reader import site_from_dict
from guide.catalogue.store import atomic_write_text, remove_stale_staging, write_site_folder
from guide.catalogue.text import similar_names
from guide.catalogue.vocabulary import rank_facts
from guide.messages import N_, Message

__all__ = [
    "COLUMNS",
    "EXTRA_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportFileError",
    "Reason",
    "export_geojson",
    "site_feature",
]


# Row fields are named like site.toml fields; reports use the column names people see.
_COLUMN_OF_FIELD = {"area": "district", "name.vi": "name_vi", "name.en": "name_en"}


@dataclass
class RowResult:
    """What happened to one row of an import."""

    row: str
    slug: str
    outcome: str  # "imported", "present", "rejected"
    reasons: list[Reason] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text()

    def text(self, dry_run: bool = False) -> str:
        """Return the report line; a dry run says "would import" for a row it did not write."""
        detail = "; ".join(map(str, self.reasons))
        outcome = "would import" if dry_run and self.outcome == "imported" else self.outcome
        return f"{self.row}: {self.slug or '(no slug)'}: {outcome}" + (
            f": {detail}" if detail else ""
        )


@dataclass
class ImportReport:
    """Row-by-row results of an import, and the exit status they add up to."""

    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        """Return how many rows had this outcome."""
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def exit_status(self) -> int:
        """Return 0 when every row is imported or already present, 1 when any was rejected."""
        return 1 if self.count("rejected") else 0

    def summary(self) -> str:
        """Return a one-line summary."""
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{verb} {self.count('imported')}, already present {self.count('present')}, "
            f"rejected {self.count('rejected')} of {len(self.rows)} rows"
        )


def read_rows(path: Path) -> list[tuple[str, dict[str, str]]]:
    """Read (row label, fields) from a CSV or GeoJSON file; raise ImportFileError if unreadable."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read: {error.strerror}") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path}: is not UTF-8 text: save it as UTF-8") from error
    if path.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{"):
        return list(geojson_rows(path, text))
    return list(_csv_rows(path, text))


def _csv_rows(path: Path, text: str) -> Iterator[tuple[str, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            f"{path}: the header lacks the column(s) {', '.join(missing)}; "
            f"expected columns: {', '.join(COLUMNS)}"
        )
    try:
        for number, row in enumerate(reader, start=2):
            yield f"{path.name} row {number}", {k: (v or "").strip() for k, v in row.items() if k}
    except csv.Error as error:
        raise ImportFileError(f"{path}: line {reader.line_num}: not valid CSV: {error}") from error


def _number(value: str) -> float | str:
    """Return the number written in ``value``, else ``value`` for the validator to name.

    NaN and infinities are not places: they stay text, so the row is refused.
    """
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return value
    return number if math.isfinite(number) else value


def _whole(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


def _term_id(find: Any, text: str) -> str:
    """Return the vocabulary id a column names by id or label; keep other text for the reader."""
    term = find(text)
    return "" if term is not None and term.id == "unranked" else (term.id if term else text)


def row_facts(row: dict[str, str], catalogue: Catalogue) -> tuple[dict[str, Any], list[Reason]]:
    """Turn an import row into ``site.toml`` facts; return them and any reasons to reject."""
    reasons = []
    for column, kind in json.loads(row.get("_errors", "[]")):
        reasons.append(Reason(column, Message.of(SHAPE_MESSAGES[kind], name=column)))
    facts: dict[str, Any] = {
        "code": row.get("code", "").upper(),
        "slug": row.get("slug", ""),
        "status": row.get("status") or ("published" if row.get("lat") else "draft"),
        "kind": _term_id(catalogue.config.vocabulary.find_kind, row.get("kind", "")),
    }
    facts.update(rank_facts(catalogue.config.vocabulary, row.get("rank", "")))
    if row.get("lat") or row.get("lon"):
        facts["lat"] = _number(row.get("lat", ""))
        facts["lon"] = _number(row.get("lon", ""))
    area = row.get("area", "")
    district = row.get("district", "")
    if not area and district:
        found = catalogue.areas.find_by_name(district)
        if found is None:
            reasons.append(
                Reason(
                    "district",
                    Message.of(
                        N_("%(value)s is not an area of %(file)s"),
                        value=repr(district),
                        file=catalogue.config.areas_file,
                    ),
                )
            )
        else:
            area = found.id
    if not area and "lat" in facts and isinstance(facts["lat"], float):
        here = (
            catalogue.areas.locate(facts["lat"], facts["lon"])
            if isinstance(facts["lon"], float)
            else None
        )
        area = here.id if here else ""
    facts.update(
        {
            "address": row.get("address", ""),
            "ward": row.get("ward", ""),
            "area": area,
            "visit_minutes": _whole(row["visit_minutes"]) if row.get("visit_minutes") else 30,
            "opening_hours": row.get("opening_hours", ""),
            "tags": [tag.strip() for tag in row.get("tags", "").split(";") if tag.strip()],
            "name": {
                language: row[f"name_{language}"]
                for language in catalogue.config.languages
                if row.get(f"name_{language}")
            },
            "sources": [],
            "media": [],
        }
    )
    sources = json_list(row, "sources_json", reasons)
    if sources is not None:
        facts["sources"] = sources
    elif row.get("source_url"):
        supports = URL_SOURCE_NOTES["coordinate" if "lat" in facts else "description"]
        facts["sources"].append({"url": row["source_url"], "supports": dict(supports)})
    inscriptions = json_list(row, "inscriptions", reasons)
    if inscriptions:
        find = catalogue.config.vocabulary.find_inscription_kind
        for item in inscriptions:
            # A kind given by its label or alias ("câu đối") is stored by its id.
            if isinstance(item, dict) and isinstance(item.get("kind"), str):
                term = find(item["kind"])
                item["kind"] = term.id if term else item["kind"]
        facts["inscriptions"] = inscriptions
    return facts, reasons


def _story_language(text: str) -> str:
    """Guess whether a description is Vietnamese (any non-ASCII letter) or English."""
    return "vi" if any(ord(ch) > 127 for ch in text) else "en"


class _AcceptedSites:
    """The rows accepted so far in one import, for catching duplicates within the file."""

    def __init__(self, radius_m: float) -> None:
        self.radius_m = radius_m
        self.by_slug: dict[str, Site] = {}
        # A grid of 0.001-degree cells (about 110 m) finds close points without a full scan.
        self.cells: dict[tuple[int, int], list[Site]] = {}

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return int(lat * 1000 // 1), int(lon * 1000 // 1)

    def add(self, site: Site) -> None:
        self.by_slug[site.slug] = site
        if site.has_location:
            self.cells.setdefault(self._cell(site.lat, site.lon), []).append(site)  # type: ignore[arg-type]

    def duplicate_of(self, slug: str, name: str, point: tuple[float, float] | None) -> Site | None:
        if slug in self.by_slug:
            return self.by_slug[slug]
        if point is None:
            return None
        row, column = self._cell(*point)
        for d_row in (-1, 0, 1):
            for d_column in (-1, 0, 1):
                for other in self.cells.get((row + d_row, column + d_column), []):
                    near = distance_m(point, (other.lat, other.lon)) <= self.radius_m  # type: ignore[arg-type]
                    if near and similar_names(name, other.name.get("vi", "")):
                        return other
        return None


def import_file(
    path: Path, catalogue: Catalogue, *, dry_run: bool = False, duplicate_radius_m: float = 30.0
) -> ImportReport:
    """Import the rows of ``path`` into ``catalogue``'s folder; report each row."""
    rows = read_rows(path)
    report = ImportReport(dry_run=dry_run)
    ledger = codes.read_ledger(catalogue.root)
    taken = set(ledger) | {site.code for site in catalogue}
    accepted: list[tuple[dict[str, Any], dict[str, str]]] = []
    this_file = _AcceptedSites(duplicate_radius_m)
    for label, row in rows:
        slug = row.get("slug", "")
        facts, reasons = row_facts(row, catalogue)
        name = facts["name"].get("vi", "")
        lat, lon = facts.get("lat"), facts.get("lon")
        located = isinstance(lat, float) and isinstance(lon, float)
        point = (lat, lon) if located else None
        duplicate = find_duplicate(
            catalogue, slug, name, *(point or (None, None)), duplicate_radius_m
        ) or this_file.duplicate_of(slug, name, point)
        if duplicate is not None and not reasons:
            why = (
                N_("duplicate of %(slug)s (same slug)")
                if duplicate.slug == slug
                else N_("duplicate of %(slug)s (within 30 m with a similar name)")
            )
            reason = Reason("", Message.of(why, slug=duplicate.slug))
            report.rows.append(RowResult(label, slug, "present", [reason]))
            continue
        code = facts["code"]
        if code and code in taken and ledger.get(code) != slug:
            reasons.append(
                Reason(
                    "code",
                    Message.of(
                        N_("%(code)s is already issued to another site; leave it empty"),
                        code=code,
                    ),
                )
            )
        if not code:
            facts["code"] = codes.issue(taken) if not dry_run else "ZZZZ"
        site, problems = site_from_dict(
            facts, label, catalogue.config, catalogue.areas, folder=None
        )
        reasons.extend(
            Reason(
                _COLUMN_OF_FIELD.get(p.field, p.field),
                Message(p.template, p.params) if p.template else Message(p.message),
            )
            for p in problems
            if p.level == "error"
        )
        if reasons or site is None:
            report.rows.append(RowResult(label, slug, "rejected", reasons))
            continue
        taken.add(site.code)
        description = row.get("description_vi_or_en", "")
        stories = {_story_language(description): description + "\n"} if description else {}
        accepted.append((facts, stories))
        this_file.add(site)
        report.rows.append(RowResult(label, slug, "imported"))
    if not dry_run and accepted:
        remove_stale_staging(catalogue.root)
        # The ledger goes first: a code reserved by an interrupted import is simply never used.
        codes.record(catalogue.root, [(facts["code"], facts["slug"]) for facts, _ in accepted])
        for facts, stories in accepted:
            write_site_folder(catalogue.root, facts["slug"], facts, stories)
    return report


def export_rows(catalogue: Catalogue, statuses: tuple[str, ...]) -> list[dict[str, Any]]:
    """Return one row per site with the import columns plus code, status and area."""
    rows = []
    for site in catalogue:
        if site.status not in statuses:
            continue
        story = site.story("vi") or site.story("en") or ""
        rows.append(
            {
                "slug": site.slug,
                "name_vi": site.name.get("vi", ""),
                "name_en": site.name.get("en", ""),
                "lat": "" if site.lat is None else site.lat,
                "lon": "" if site.lon is None else site.lon,
                "address": site.address,
                "ward": site.ward,
                "district": catalogue.areas.name_of(site.area),
                "kind": site.kind,
                "rank": site.rank,
                "source_url": site.sources[0].url if site.sources else "",
                "description_vi_or_en": story.strip(),
                "code": site.code,
                "status": site.status,
                "area": site.area,
                "tags": ";".join(site.tags),
                "sources_json": json_text([source.to_dict() for source in site.sources]),
                "inscriptions": json_text([item.to_dict() for item in site.inscriptions]),
            }
        )
    return rows


def export_csv(catalogue: Catalogue, statuses: tuple[str, ...] = ("published",)) -> str:
    """Return the catalogue as CSV text with the import columns."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*COLUMNS, *EXTRA_COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_rows(catalogue, statuses))
    return buffer.getvalue()


def write_export(text: str, out: Path) -> None:
    """Write an export atomically so a reader never sees half a file."""
    atomic_write_text(out, text)
