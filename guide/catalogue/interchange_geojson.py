"""GeoJSON for import and export: features read into rows, sites written as features.

A feature's shape errors (not an object, a property that is a list, a geometry
that is not a Point) travel in the row's ``_errors`` and are reported with the
row, as ``SHAPE_MESSAGES`` phrase them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from guide.catalogue.index import Catalogue
from guide.catalogue.interchange_rows import JSON_COLUMNS, OBJECTS_MESSAGE, ImportFileError
from guide.catalogue.model import Site
from guide.messages import N_


def geojson_rows(path: Path, text: str) -> Iterator[tuple[str, dict[str, str]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"{path}: not valid JSON: {error}") from error
    except RecursionError as error:
        # The parser recurses once per nested bracket; a hostile file is refused, not a crash.
        raise ImportFileError(f"{path}: nested too deeply to be GeoJSON") from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFileError(f"{path}: expected a GeoJSON FeatureCollection of Point features")
    features = data.get("features") or []
    if not isinstance(features, list):
        raise ImportFileError(f"{path}: features: must be a list of GeoJSON Features")
    for number, feature in enumerate(features, start=1):
        yield f"{path.name} feature {number}", feature_row(feature)


def feature_row(feature: object) -> dict[str, str]:
    """Return the row of one GeoJSON feature; its shape errors go in ``_errors``."""
    errors: list[tuple[str, str]] = []
    row: dict[str, str] = {}
    if not isinstance(feature, dict):
        row["_errors"] = json.dumps([("feature", "feature.object")])
        return row
    properties = feature.get("properties")
    if properties is None:
        properties = {}
    elif not isinstance(properties, dict):
        errors.append(("properties", "properties.object"))
        properties = {}
    for key, value in properties.items():
        if key == "names" or key.startswith("_"):
            continue  # "_" keys are the import's own notes
        if key in JSON_COLUMNS.values():
            column = next(c for c, name in JSON_COLUMNS.items() if name == key)
            if isinstance(value, list) and all(isinstance(item, dict) for item in value):
                row[column] = json.dumps(value, ensure_ascii=False)
            elif value is not None:
                errors.append((key, "property.objects"))
        elif key == "tags" and isinstance(value, list):
            if all(isinstance(tag, str) for tag in value):
                row["tags"] = ";".join(value)
            else:
                errors.append(("tags", "property.scalar"))
        elif value is None:
            row[key] = ""
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            row[key] = str(value)
        else:
            errors.append((key, "property.scalar"))
    geometry = feature.get("geometry")
    if geometry is not None:
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if (
            not isinstance(geometry, dict)
            or geometry.get("type") != "Point"
            or not isinstance(coordinates, list)
            or len(coordinates) < 2
        ):
            errors.append(("geometry", "geometry.point"))
        else:
            row["lon"], row["lat"] = str(coordinates[0]), str(coordinates[1])
    if errors:
        row["_errors"] = json.dumps(errors)
    return row


SHAPE_MESSAGES = {
    "feature.object": N_("must be a GeoJSON Feature object with geometry and properties"),
    "properties.object": N_('must be an object of names and values, such as {"slug": "..."}'),
    "property.scalar": N_("must be text or a number, not a list or an object"),
    "geometry.point": N_("must be a Point with [lon, lat] coordinates"),
    "property.objects": OBJECTS_MESSAGE,
}


def site_feature(site: Site, catalogue: Catalogue) -> dict[str, Any]:
    """Return a GeoJSON Feature for a site, coordinates in [lon, lat] order."""
    geometry = {"type": "Point", "coordinates": [site.lon, site.lat]} if site.has_location else None
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "code": site.code,
            "slug": site.slug,
            "names": dict(site.name),
            **{f"name_{language}": name for language, name in site.name.items()},
            "kind": site.kind,
            "rank": site.rank,
            "area": site.area,
            "district": catalogue.areas.name_of(site.area),
            "status": site.status,
            "address": site.address,
            "ward": site.ward,
            "tags": list(site.tags),
            "url": f"/sites/{site.slug}",
            "source_url": site.sources[0].url if site.sources else "",
            "sources": [source.to_dict() for source in site.sources],
            "inscriptions": [item.to_dict() for item in site.inscriptions],
        },
    }


def export_geojson(catalogue: Catalogue, statuses: tuple[str, ...] = ("published",)) -> str:
    """Return the catalogue as a GeoJSON FeatureCollection."""
    features = [site_feature(site, catalogue) for site in catalogue if site.status in statuses]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
