"""Read the catalogue's controlled vocabularies: kinds of site, heritage ranks, inscription kinds.

``catalogue.toml`` lists them, in the order every page shows them::

    [[kinds]]
    id = "communal-house"
    colour = "#d55e00"
    shape = "circle"
    label = { vi = "Đình", en = "Communal house" }

    [[ranks]]
    id = "special-national"
    label = { vi = "Di tích quốc gia đặc biệt", en = "Special national relic" }

    [[ranks]]
    id = "within-special-national"
    label = { vi = "Thuộc di tích quốc gia đặc biệt", en = "Part of a special national relic" }
    aliases = ["Thuộc DTQGĐB"]

    [[inscription_kinds]]
    id = "horizontal-board"
    label = { vi = "Hoành phi", en = "Horizontal board" }
    aliases = ["hoành phi"]

A site's ``kind`` and ``rank``, and each inscription's ``kind``, are ids from
these lists. A label missing in a language falls back to English, then to the
first label given. ``aliases`` are other words for an entry, as older lists (the
city's own table of red addresses) write them: an import accepts a kind (of site
or of inscription) by id, label or alias, and reads a rank
written as free text ("Di tích quốc gia đặc biệt (Đợt 8, 2017)") as the first
rank, in the list's order, whose label or alias it contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from guide.catalogue.text import fold

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
SHAPES = ("circle", "square", "diamond")
# The rank of a site no source ranks; ``rank = ""`` in site.toml means the same.
UNRANKED = "unranked"


class VocabularyError(ValueError):
    """A ``[[kinds]]`` or ``[[ranks]]`` entry of catalogue.toml is malformed."""


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: an id, a label per language and, for kinds, a marker style."""

    id: str
    labels: dict[str, str]
    colour: str = "#555555"
    shape: str = "circle"
    aliases: tuple[str, ...] = ()

    def label(self, language: str) -> str:
        """Return the label in ``language``, else in English, else the first one given."""
        return (
            self.labels.get(language)
            or self.labels.get("en")
            or next(iter(self.labels.values()), self.id)
        )


@dataclass(frozen=True)
class Vocabulary:
    """The kinds, the ranks and the inscription kinds of a catalogue, in their display order."""

    kinds: tuple[Term, ...] = ()
    ranks: tuple[Term, ...] = ()
    inscription_kinds: tuple[Term, ...] = ()
    _kinds: dict[str, Term] = field(default_factory=dict, repr=False, compare=False)
    _ranks: dict[str, Term] = field(default_factory=dict, repr=False, compare=False)
    _inscriptions: dict[str, Term] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._kinds.update({term.id: term for term in self.kinds})
        self._ranks.update({term.id: term for term in self.ranks})
        self._inscriptions.update({term.id: term for term in self.inscription_kinds})

    def inscription_kind(self, kind_id: str) -> Term | None:
        """Return the inscription kind with this id, or None."""
        return self._inscriptions.get(kind_id)

    def inscription_kind_label(self, kind_id: str, language: str) -> str:
        """Return the label of an inscription kind in ``language``; an unknown id as it is."""
        term = self.inscription_kind(kind_id)
        return term.label(language) if term else kind_id

    def find_inscription_kind(self, text: str) -> Term | None:
        """Return the inscription kind whose id, label or alias is ``text`` (accents aside)."""
        return _find(self.inscription_kinds, text)

    def kind(self, kind_id: str) -> Term | None:
        """Return the kind with this id, or None."""
        return self._kinds.get(kind_id)

    def rank(self, rank_id: str) -> Term | None:
        """Return the rank with this id (``""`` is unranked), or None."""
        return self._ranks.get(rank_id or UNRANKED)

    def kind_label(self, kind_id: str, language: str) -> str:
        """Return the label of a kind in ``language``; an unknown id is shown as it is."""
        term = self.kind(kind_id)
        return term.label(language) if term else kind_id

    def rank_label(self, rank_id: str, language: str) -> str:
        """Return the label of a rank in ``language``; an unknown id is shown as it is."""
        term = self.rank(rank_id)
        return term.label(language) if term else rank_id

    def find_kind(self, text: str) -> Term | None:
        """Return the kind whose id or label in any language is ``text`` (case, accents aside)."""
        return _find(self.kinds, text)

    def find_rank(self, text: str) -> Term | None:
        """Return the rank whose id or label in any language is ``text`` (case, accents aside)."""
        return _find(self.ranks, text) if text.strip() else self.rank(UNRANKED)

    def read_rank(self, text: str) -> tuple[Term | None, int | None, int | None]:
        """Return the rank a free text names, with the batch and year it gives ("Đợt 8, 2017").

        >>> words = Vocabulary(ranks=(
        ...     Term("special-national", {"vi": "Di tích quốc gia đặc biệt"}),
        ...     Term("within", {"vi": "Thuộc di tích"}, aliases=("Thuộc DTQGĐB",)),
        ...     Term("national", {"vi": "Di tích quốc gia"}),
        ...     Term("unranked", {"vi": "Chưa xếp hạng"})))
        >>> term, batch, year = words.read_rank("Di tích quốc gia đặc biệt (Đợt 8, 2017)")
        >>> term.id, batch, year
        ('special-national', 8, 2017)
        >>> words.read_rank("Di tích quốc gia (1962)")[0].id, words.read_rank("Bảo vật")[0]
        ('national', None)
        >>> words.read_rank("Thuộc DTQGĐB Cổ Loa")[0].id
        'within'
        """
        term = self.find_rank(text)
        if term is not None:
            return term, None, None
        folded = fold(text)
        term = next(
            (term for term in self.ranks if any(word in folded for word in _words(term))), None
        )
        if term is None:
            return None, None, None
        batch = _BATCH_RE.search(text)
        if batch:
            return term, int(batch[1]), int(batch[2]) if batch[2] else None
        return term, None, None


def rank_facts(vocabulary: Vocabulary, text: str) -> dict[str, Any]:
    """Return the site.toml rank fields a free-text rank gives: its id, batch and year."""
    term, batch, year = vocabulary.read_rank(text)
    if term is None:
        return {"rank": text}  # refused by the site's checks, with the list of ranks
    facts: dict[str, Any] = {"rank": "" if term.id == UNRANKED else term.id}
    if batch is not None:
        facts["rank_batch"] = batch
    if year is not None:
        facts["rank_year"] = year
    return facts


# "Đợt 8, 2017" or "Đợt 12" in a rank written as free text.
_BATCH_RE = re.compile(r"Đợt\s+(\d{1,2})(?:\s*,\s*(\d{4}))?", re.IGNORECASE)


def _words(term: Term) -> set[str]:
    return {fold(word) for word in (*term.labels.values(), *term.aliases)}


def _find(terms: tuple[Term, ...], text: str) -> Term | None:
    wanted = fold(text.strip())
    for term in terms:
        if wanted == term.id or wanted in _words(term):
            return term
    return None


def read_vocabulary(data: dict[str, Any]) -> Vocabulary:
    """Return the vocabulary of a parsed catalogue.toml; raise VocabularyError naming the entry."""
    kinds = _terms(data.get("kinds", []), "kinds", styled=True)
    ranks = _terms(data.get("ranks", []), "ranks", styled=False)
    if ranks and UNRANKED not in {term.id for term in ranks}:
        raise VocabularyError(f'ranks: add an entry with id = "{UNRANKED}" (sites no source ranks)')
    inscriptions = _terms(data.get("inscription_kinds", []), "inscription_kinds", styled=False)
    return Vocabulary(kinds=kinds, ranks=ranks, inscription_kinds=inscriptions)


def _terms(raw: Any, name: str, *, styled: bool) -> tuple[Term, ...]:
    if not isinstance(raw, list):
        raise VocabularyError(f"{name}: write one [[{name}]] table per entry, with id and label")
    terms: list[Term] = []
    for index, item in enumerate(raw):
        where = f"{name}[{index}]"
        if not isinstance(item, dict):
            raise VocabularyError(f"{where}: must be a table with id and label")
        term_id = item.get("id")
        if not isinstance(term_id, str) or not ID_RE.match(term_id):
            raise VocabularyError(
                f"{where}.id: {term_id!r} is not an id: use lower-case a-z, 0-9 and hyphens"
            )
        if term_id in {term.id for term in terms}:
            raise VocabularyError(f"{where}.id: {term_id!r} is listed twice")
        labels = item.get("label")
        if (
            not isinstance(labels, dict)
            or not labels
            or not all(isinstance(v, str) and v.strip() for v in labels.values())
        ):
            raise VocabularyError(
                f'{where}.label: give a label per language, such as {{ vi = "...", en = "..." }}'
            )
        style: dict[str, str] = {}
        if styled:
            colour, shape = item.get("colour", "#555555"), item.get("shape", "circle")
            if not isinstance(colour, str) or not COLOUR_RE.match(colour):
                raise VocabularyError(f"{where}.colour: {colour!r} is not a colour like #d55e00")
            if shape not in SHAPES:
                raise VocabularyError(f"{where}.shape: {shape!r} is not one of {', '.join(SHAPES)}")
            style = {"colour": colour, "shape": shape}
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) and a.strip() for a in aliases
        ):
            raise VocabularyError(f'{where}.aliases: must be a list of words, such as ["đền"]')
        labels = {str(k): v.strip() for k, v in labels.items()}
        terms.append(Term(term_id, labels, aliases=tuple(a.strip() for a in aliases), **style))
    return tuple(terms)


# The fields of site.toml that say more about a site's rank, in file order.
RANK_FIELDS = ("rank_year", "rank_batch", "rank_date", "rank_decision", "rank_source")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class RankDetail:
    """When and by what decision a site was ranked, and which of its sources say so."""

    year: int | None = None
    batch: int | None = None
    date: str = ""
    decision: str = ""
    sources: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as site.toml writes them; empty ones are left out."""
        data: dict[str, Any] = {
            "rank_year": self.year,
            "rank_batch": self.batch,
            "rank_date": self.date,
            "rank_decision": self.decision,
            "rank_source": list(self.sources),
        }
        return {key: value for key, value in data.items() if value}


# (field, problem kind, English template, parameters) of one complaint.
Complaint = tuple[str, str, str, dict[str, object]]


def check_terms(
    data: dict[str, Any], vocabulary: Vocabulary, sources: int
) -> tuple[RankDetail, list[Complaint]]:
    """Return a site's rank detail and what is wrong with its kind, rank and rank fields."""
    from guide.messages import N_

    complaints: list[Complaint] = []
    kind, rank = data.get("kind"), data.get("rank", "")
    known_kind = not isinstance(kind, str) or not kind.strip() or vocabulary.kind(kind.strip())
    if vocabulary.kinds and not known_kind:
        complaints.append(
            (
                "kind",
                "kind.unknown",
                N_("%(kind)s is not a kind of the catalogue: use one of %(kinds)s"),
                {"kind": repr(kind), "kinds": ", ".join(t.id for t in vocabulary.kinds)},
            )
        )
    if vocabulary.ranks and isinstance(rank, str) and vocabulary.rank(rank.strip()) is None:
        complaints.append(
            (
                "rank",
                "rank.unknown",
                N_("%(rank)s is not a rank of the catalogue: use one of %(ranks)s"),
                {"rank": repr(rank), "ranks": ", ".join(t.id for t in vocabulary.ranks)},
            )
        )
    numbers: dict[str, int | None] = {}
    for name, low, high in (("rank_year", 1900, 2100), ("rank_batch", 1, 99)):
        value = data.get(name)
        ok = value is None or (not isinstance(value, bool) and isinstance(value, int))
        if not ok or (value is not None and not low <= value <= high):
            complaints.append(
                (
                    name,
                    "rank.number",
                    N_("%(value)s must be a whole number from %(low)s to %(high)s"),
                    {"value": repr(value), "low": low, "high": high},
                )
            )
            value = None
        numbers[name] = value
    date = data.get("rank_date", "")
    found = _DATE_RE.match(date) if isinstance(date, str) else None
    if date and (found is None or not ("01" <= found[2] <= "12" and "01" <= found[3] <= "31")):
        complaints.append(
            (
                "rank_date",
                "rank.date",
                N_("%(value)s is not a date: write it as YYYY-MM-DD, such as 2013-12-09"),
                {"value": repr(date)},
            )
        )
        date = ""
    elif found and numbers["rank_year"] is not None and int(found[1]) != numbers["rank_year"]:
        complaints.append(
            (
                "rank_year",
                "rank.year",
                N_("%(year)s differs from the year of rank_date %(date)s"),
                {"year": numbers["rank_year"], "date": date},
            )
        )
    decision = data.get("rank_decision", "")
    if not isinstance(decision, str):
        complaints.append(
            (
                "rank_decision",
                "rank.decision",
                N_('must be text in quotes, such as "93/QĐ-TTg"'),
                {},
            )
        )
        decision = ""
    cited = data.get("rank_source", [])
    if not isinstance(cited, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= sources for n in cited
    ):
        complaints.append(
            (
                "rank_source",
                "rank.sources",
                N_("must list numbers of this site's sources, from 1 to %(count)s"),
                {"count": sources},
            )
        )
        cited = []
    detail = RankDetail(
        year=numbers["rank_year"] or (int(found[1]) if found else None),
        batch=numbers["rank_batch"],
        date=date if isinstance(date, str) else "",
        decision=decision.strip(),
        sources=tuple(cited),
    )
    return detail, complaints
