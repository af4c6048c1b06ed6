"""Read ``catalogue.toml``: the catalogue's title, languages, areas and vocabularies.

A problem names the file and the field; nothing here imports Flask.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from guide.catalogue.layout import config_file
from guide.catalogue.model import CatalogueConfig
from guide.catalogue.vocabulary import VocabularyError, read_vocabulary


class CatalogueError(Exception):
    """The catalogue as a whole cannot be read (no config, no areas file)."""


def read_config(root: Path) -> CatalogueConfig:
    """Read ``catalogue.toml``; raise CatalogueError naming the file and the field."""
    path = config_file(root)
    if not path.is_file():
        raise CatalogueError(
            f"{path}: not found. Is {root} a catalogue folder? Pass --sites DIR or set GUIDE_SITES."
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{path}: not valid TOML: {error}") from error
    areas = data.get("areas", {})
    languages = tuple(data.get("languages", ("vi", "en")))
    if not languages:
        raise CatalogueError(f"{path}: languages: list at least one language, such as ['vi', 'en']")
    interface = data.get("interface_languages", list(languages))
    if (
        not isinstance(interface, list)
        or not interface
        or not all(isinstance(code, str) and _is_language_code(code) for code in interface)
    ):
        raise CatalogueError(
            f"{path}: interface_languages: list language codes in quotes, "
            f"such as ['vi', 'en', 'zh_Hans', 'fr'], not {interface!r}"
        )
    try:
        vocabulary = read_vocabulary(data)
    except VocabularyError as error:
        raise CatalogueError(f"{path}: {error}") from error
    if "file" not in areas:
        raise CatalogueError(f"{path}: areas.file: name the boundary GeoJSON file of the areas")
    area_names = areas.get("names", {})
    if not isinstance(area_names, dict) or not all(
        isinstance(table, dict) and all(isinstance(v, str) and v.strip() for v in table.values())
        for table in area_names.values()
    ):
        raise CatalogueError(
            f"{path}: areas.names: write one table per language of names or first words, "
            'such as [areas.names.en] "Quận" = "{name} District"'
        )
    return CatalogueConfig(
        title=dict(data.get("title", {})),
        languages=languages,
        areas_file=str(areas["file"]),
        area_id_property=str(areas.get("id_property", "id")),
        area_name_property=str(areas.get("name_property", "name")),
        attribution=[str(line) for line in data.get("attribution", [])],
        interface_languages=tuple(interface),
        vocabulary=vocabulary,
        area_names={str(lang): dict(table) for lang, table in area_names.items()},
    )


def _is_language_code(code: str) -> bool:
    """Return whether ``code`` names a language Babel knows, such as "vi" or "zh_Hans"."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True
