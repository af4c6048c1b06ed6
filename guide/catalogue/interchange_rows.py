"""The rows sites travel in between the catalogue and CSV or GeoJSON files: their columns.

The columns are those of the shipped ``hanoi_sites.csv``; a file that cannot be
read at all raises ``ImportFileError`` naming it.
"""

from __future__ import annotations

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


EXTRA_COLUMNS = ("code", "status", "area", "tags")


REQUIRED_COLUMNS = ("slug", "name_vi", "kind")


class ImportFileError(Exception):
    """The import file cannot be read at all."""
