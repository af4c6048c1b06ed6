"""Show the catalogue's labels in the page's language: kinds, ranks, inscription kinds, areas."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _

from guide.catalogue.model import Site
from guide.catalogue.vocabulary import Term, Vocabulary
from guide.web.i18n import select_language
from guide.web.loaded import get_catalogue


def vocabulary() -> Vocabulary:
    """Return the vocabulary of the current application's catalogue."""
    return get_catalogue().config.vocabulary


def _language(language: str | None) -> str:
    return language or select_language()


def kind_label(kind_id: str, language: str | None = None) -> str:
    """Return the label of a kind in the page's language (English when it has none)."""
    return vocabulary().kind_label(kind_id, _language(language))


def rank_label(rank_id: str, language: str | None = None) -> str:
    """Return the label of a rank in the page's language (English when it has none)."""
    return vocabulary().rank_label(rank_id, _language(language))


def inscription_kind_label(kind_id: str, language: str | None = None) -> str:
    """Return the label of an inscription kind in the page's language (English when it has none)."""
    return vocabulary().inscription_kind_label(kind_id, _language(language))


def rank_text(site: Site, language: str | None = None) -> str:
    """Return a site's rank label with its batch and year, e.g. "National relic (1962)"."""
    label = rank_label(site.rank, language)
    detail = site.rank_detail
    parts = []
    if detail.batch:
        parts.append(_("batch %(number)s", number=detail.batch))
    if detail.year:
        parts.append(str(detail.year))
    return f"{label} ({', '.join(parts)})" if parts else label


def area_label(area_id: str | None, language: str | None = None) -> str:
    """Return an area's name in the page's language (English, else the file's, when it has none)."""
    return get_catalogue().areas.name_of(area_id, _language(language))


def kinds() -> tuple[Term, ...]:
    """Return the kinds in the catalogue's order."""
    return vocabulary().kinds


def ranks() -> tuple[Term, ...]:
    """Return the ranks in the catalogue's order."""
    return vocabulary().ranks


def init_app(app: Flask) -> None:
    """Give every template the labels and the lists of kinds and ranks."""
    app.jinja_env.globals.update(
        kind_label=kind_label,
        rank_label=rank_label,
        rank_text=rank_text,
        area_label=area_label,
        inscription_kind_label=inscription_kind_label,
    )
    app.context_processor(lambda: {"kind_groups": kinds()})
