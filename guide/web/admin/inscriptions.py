"""The inscriptions part of the site editor: one fieldset per inscription, plus blank ones.

The fieldsets are plain inputs named ``ins-<n>-<key>`` (their number changes
with the site), so the editor works without JavaScript: a site's inscriptions
are shown with ``BLANK_ROWS`` empty fieldsets after them, and filling one adds
an inscription. What the form sends becomes the ``[[inscriptions]]`` of the
facts, which the catalogue's reader then validates like ``guide check`` does;
its problems are shown next to the fieldset they concern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from guide.catalogue.checks import ORIGINAL_WITHOUT_HAN
from guide.catalogue.han import has_han
from guide.catalogue.model import Site
from guide.catalogue.text_rules import junk_problem
from guide.web.i18n import translated
from guide.web.vocabulary import inscription_kind_label, vocabulary

BLANK_ROWS = 2
# The number of fieldsets the page showed: without it (another form, an old page) the
# stored inscriptions are kept as they are.
MARKER = "ins-rows"
MAX_ROWS = 200
# The kind a new fieldset starts with, when the catalogue lists it.
DEFAULT_KIND = "stele"
_PROBLEM_RE = re.compile(r"^inscriptions\[(\d+)\](?:\.(\w+))?")


@dataclass
class Row:
    """One inscription fieldset as the editor shows it."""

    number: int
    kind: str = ""
    location: dict[str, str] = field(default_factory=dict)
    original: str = ""
    reading: str = ""
    translation: dict[str, str] = field(default_factory=dict)
    sources: str = ""
    remove: bool = False

    @property
    def is_blank(self) -> bool:
        """Return whether nothing was written in the fieldset."""
        texts = [self.original, self.reading, self.sources]
        texts += [*self.location.values(), *self.translation.values()]
        return not any(text.strip() for text in texts)

    @property
    def prefix(self) -> str:
        """Return the name of the fieldset, which its inputs' names start with."""
        return f"ins-{self.number}"

    def name(self, key: str) -> str:
        """Return the form name of one input of this fieldset."""
        return f"{self.prefix}-{key}"


def kind_choices(current: str) -> list[tuple[str, str]]:
    """Return (id, label) of the catalogue's inscription kinds, keeping an unknown stored kind.

    An unknown kind stays selectable so the page shows what is stored; saving it
    is refused by the reader with the list of kinds.
    """
    choices = [
        (term.id, inscription_kind_label(term.id)) for term in vocabulary().inscription_kinds
    ]
    if current and current not in {value for value, _label in choices}:
        choices.insert(0, (current, current))
    return choices


def _default_kind() -> str:
    kinds = vocabulary().inscription_kinds
    ids = [term.id for term in kinds]
    return DEFAULT_KIND if DEFAULT_KIND in ids else (ids[0] if ids else DEFAULT_KIND)


def rows_from_site(site: Site | None) -> list[Row]:
    """Return the site's inscriptions as fieldsets."""
    if site is None:
        return []
    return [
        Row(
            number,
            item.kind,
            dict(item.location),
            item.original,
            item.reading,
            dict(item.translation),
            ", ".join(str(n) for n in item.sources),
        )
        for number, item in enumerate(site.inscriptions)
    ]


def rows_from_form(data: MultiDict[str, str], languages: tuple[str, ...]) -> list[Row]:
    """Return the fieldsets as the form sent them."""
    try:
        count = min(max(int(data.get(MARKER, "0")), 0), MAX_ROWS)
    except ValueError:
        count = 0
    rows = []
    for number in range(count):

        def value(key: str, number: int = number) -> str:
            return data.get(f"ins-{number}-{key}", "")

        rows.append(
            Row(
                number,
                value("kind").strip() or _default_kind(),
                {lang: value(f"location-{lang}") for lang in languages},
                value("original"),
                value("reading"),
                {lang: value(f"translation-{lang}") for lang in languages},
                value("sources"),
                bool(value("remove")),
            )
        )
    return rows


def editor_rows(site: Site | None, languages: tuple[str, ...]) -> list[Row]:
    """Return the fieldsets to show: as sent (numbers kept for the messages), else stored.

    Stored inscriptions are followed by ``BLANK_ROWS`` blank fieldsets.
    """
    if request.method == "POST" and MARKER in request.form:
        return rows_from_form(request.form, languages)
    rows = rows_from_site(site)
    kind = _default_kind()
    return rows + [Row(len(rows) + offset, kind) for offset in range(BLANK_ROWS)]


def apply(
    facts: dict[str, Any], data: MultiDict[str, str], checked: Any, languages: tuple[str, ...]
) -> list[int]:
    """Put the sent inscriptions into ``facts``; return the fieldset number of each one.

    Texts with control characters and source lists that are not numbers are
    reported on ``checked`` next to their input; the rest is left to the reader.
    """
    if MARKER not in data:
        return list(range(len(facts.get("inscriptions", []))))
    items, numbers = [], []
    for row in rows_from_form(data, languages):
        if row.remove or row.is_blank:
            continue
        texts = [("original", row.original), ("reading", row.reading)]
        texts += [(f"location-{lang}", text) for lang, text in row.location.items()]
        texts += [(f"translation-{lang}", text) for lang, text in row.translation.items()]
        for key, text in texts:
            problem = junk_problem(text, multiline=True)
            if problem is not None:
                checked.error(row.name(key), translated(problem))
        if row.original.strip() and not has_han(row.original):
            checked.warn(row.name("original"), _(ORIGINAL_WITHOUT_HAN))
        parts = [part.strip() for part in row.sources.replace(";", ",").split(",")]
        if not all(part.isdigit() for part in parts if part):
            checked.error(
                row.name("sources"),
                _("Write the numbers of the sources this inscription cites, such as 1, 2."),
            )
        item: dict[str, Any] = {"kind": row.kind}
        location = {lang: text.strip() for lang, text in row.location.items() if text.strip()}
        translation = {lang: text.strip() for lang, text in row.translation.items() if text.strip()}
        if location:
            item["location"] = location
        if row.original.strip():
            item["original"] = row.original.strip()
        if row.reading.strip():
            item["reading"] = row.reading.strip()
        if translation:
            item["translation"] = translation
        item["sources"] = [int(part) for part in parts if part.isdigit()]
        items.append(item)
        numbers.append(row.number)
    if items:
        facts["inscriptions"] = items
    else:
        facts.pop("inscriptions", None)
    return numbers


def field_name(problem_field: str, numbers: list[int]) -> str:
    """Return the editor's input name for a reader problem about ``inscriptions[i]...``."""
    found = _PROBLEM_RE.match(problem_field)
    if found is None or int(found.group(1)) >= len(numbers):
        return "inscriptions"
    row = f"ins-{numbers[int(found.group(1))]}"
    return f"{row}-{found.group(2)}" if found.group(2) else row


def init_app(app: Flask) -> None:
    """Offer the fieldsets and kinds to the editor's template."""
    app.jinja_env.globals["inscription_rows"] = editor_rows
    app.jinja_env.globals["inscription_kinds"] = kind_choices
