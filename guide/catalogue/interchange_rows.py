"""The rows sites travel in between the catalogue and CSV or GeoJSON files: their columns.

The columns are those of the shipped ``hanoi_sites.csv``; a file that cannot be
read at all raises ``ImportFileError`` naming it. A site's sources and its
inscriptions travel as JSON lists of objects in the columns of ``JSON_COLUMNS``;
``json_list`` reads one back, naming the column when it is not such a list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from guide.messages import N_, Message

COLUMNS = (
    "slug",
    "name_vi",
    "name_en",
    "lat",
    "lon",
    "address",
    "ward",
    "district",
    "kind",
    "rank",
    "source_url",
    "description_vi_or_en",
)


EXTRA_COLUMNS = ("code", "status", "area", "tags", "sources_json", "inscriptions")
# Columns holding a JSON list of objects, and the GeoJSON property each comes from.
JSON_COLUMNS = {"sources_json": "sources", "inscriptions": "inscriptions"}
OBJECTS_MESSAGE = N_("must be a list of objects, as [[%(name)s]] in site.toml")
_JSON_EXAMPLES = {
    "sources_json": '[{"url": "https://...", "supports": {"vi": "...", "en": "..."}}]',
    "inscriptions": '[{"kind": "parallel-sentences", "reading": "...", "sources": [1]}]',
}


# What a source given only by its URL supports, in the catalogue's languages.
URL_SOURCE_NOTES = {
    "coordinate": {"vi": "tọa độ", "en": "coordinate"},
    "description": {"vi": "mô tả", "en": "description"},
}


REQUIRED_COLUMNS = ("slug", "name_vi", "kind")


class ImportFileError(Exception):
    """The import file cannot be read at all."""


@dataclass(frozen=True)
class Reason:
    """Why a row was not imported: the column concerned and a translatable message."""

    column: str
    message: Message

    def __str__(self) -> str:
        return f"{self.column}: {self.message}" if self.column else str(self.message)


def json_list(row: dict[str, str], column: str, reasons: list[Reason]) -> list[Any] | None:
    """Return the list of objects written as JSON in ``column``; None when absent or refused."""
    text = row.get(column, "")
    if not text:
        return None
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        detail = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
        reasons.append(
            Reason(
                column,
                Message.of(
                    N_("is not valid JSON (%(error)s): write a list such as %(example)s"),
                    error=detail,
                    example=_JSON_EXAMPLES[column],
                ),
            )
        )
        return None
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        reasons.append(Reason(column, Message.of(OBJECTS_MESSAGE, name=JSON_COLUMNS[column])))
        return None
    return value


def json_text(items: list[dict[str, Any]]) -> str:
    """Return ``items`` as the JSON text of a column, empty for no items."""
    return json.dumps(items, ensure_ascii=False) if items else ""
