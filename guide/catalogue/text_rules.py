"""What text the catalogue accepts: no control or bidi characters, real names, possible hours.

One set of rules for ``guide check``, the staff editor and imports, all of
which go through the catalogue's validation (``guide.catalogue.reader``). Each check
returns ``None`` for good text, else a ``Message`` saying what to fix.

>>> print(junk_problem("Đình Chèm"))
None
>>> print(junk_problem("Đình\\u202eChèm"))
contains the bidirectional control U+202E (at character 5): remove it
>>> print(name_problem("\\u200b\\u200b"))
has no visible letters (only spaces or invisible characters): write the name
>>> print(hours_problem("17:00-08:00"))  # doctest: +ELLIPSIS
'17:00-08:00': the range ends before it starts; the sites do not open overnight: ...
"""

from __future__ import annotations

import re
import unicodedata

from guide.messages import N_, Message

# Bidirectional embeddings, overrides and isolates: they make text read differently
# from how it is stored (names that display reversed, links that hide their target).
BIDI_CONTROLS = frozenset(chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# What a browser or decoder puts in place of bytes that were not valid UTF-8.
REPLACEMENT_CHARACTER = "\ufffd"
# Every character junk_problem refuses, as one search (a narrative has tens of thousands):
# Cc is U+0000-001F and U+007F-009F; multi-line text keeps tab, line feed and carriage return.
_JUNK = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffd"
_JUNK_RE = re.compile(f"[\x00-\x1f{_JUNK}]")
_JUNK_MULTILINE_RE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_JUNK}]")
_HOURS_RE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_HOURS_HINT = "'08:00-11:30, 13:30-17:00'"
# The Unicode categories of characters that show nothing: formats, controls, separators.
_INVISIBLE = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})


def junk_problem(text: str, multiline: bool = False) -> Message | None:
    """Return what is wrong with the characters of ``text``, or None when they are all fine.

    Refused: control characters (Unicode category Cc, except line feed and tab
    in multi-line text such as narratives), bidirectional controls, and the
    replacement character U+FFFD that marks text which was not valid UTF-8.
    A carriage return is allowed in multi-line text too (browsers send CRLF).
    """
    hit = (_JUNK_MULTILINE_RE if multiline else _JUNK_RE).search(text)
    if hit is None:
        return None
    position, character = hit.start() + 1, hit.group()
    code = f"U+{ord(character):04X}"
    if unicodedata.category(character) == "Cc":
        return Message.of(
            N_("contains the control character %(code)s (at character %(at)s): remove it"),
            code=code,
            at=position,
        )
    if character in BIDI_CONTROLS:
        return Message.of(
            N_("contains the bidirectional control %(code)s (at character %(at)s): remove it"),
            code=code,
            at=position,
        )
    return Message.of(
        N_(
            "contains U+FFFD (at character %(at)s), the mark of text that was not "
            "valid UTF-8: type or paste the text again"
        ),
        at=position,
    )


def visible(text: str) -> str:
    """Return ``text`` without spaces and invisible characters (formats, separators, controls).

    >>> visible(" \\u200b Đình\\u00a0Chèm \\ufeff")
    'ĐìnhChèm'
    """
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)


def name_problem(name: str) -> Message | None:
    """Return what is wrong with a name: junk characters, or nothing visible at all."""
    found = junk_problem(name)
    if found is not None:
        return found
    if not any(unicodedata.category(ch) not in _INVISIBLE for ch in name):
        return Message.of(
            N_("has no visible letters (only spaces or invisible characters): write the name")
        )
    return None


def hours_problem(hours: str) -> Message | None:
    """Return what is wrong with daily opening hours like ``08:00-11:30, 13:30-17:00``.

    Each range is ``HH:MM-HH:MM`` with hours 00 to 23, ending after it starts;
    ranges come in order without overlapping. Overnight ranges are refused: no
    site of the catalogue opens across midnight, so ``17:00-08:00`` is a typo.
    """
    previous_end = -1
    for part in hours.split(","):
        part = part.strip()
        found = _HOURS_RE.match(part)
        if found is None:
            return Message.of(
                N_(
                    "%(hours)s: write time ranges such as '08:00-11:30, 13:30-17:00', "
                    "or leave empty"
                ),
                hours=repr(hours),
            )
        start_h, start_m, end_h, end_m = (int(group) for group in found.groups())
        if start_h > 23 or end_h > 23 or start_m > 59 or end_m > 59:
            return Message.of(
                N_(
                    "%(range)s: no such time of day: hours go from 00 to 23 and minutes "
                    "from 00 to 59 (write 23:59, not 24:00)"
                ),
                range=repr(part),
            )
        start, end = start_h * 60 + start_m, end_h * 60 + end_m
        if end <= start:
            return Message.of(
                N_(
                    "%(range)s: the range ends before it starts; the sites do not open "
                    "overnight: write ranges within one day, such as %(example)s"
                ),
                range=repr(part),
                example=_HOURS_HINT,
            )
        if start <= previous_end:
            return Message.of(
                N_("%(range)s: starts before the previous range ends: list ranges in order"),
                range=repr(part),
            )
        previous_end = end
    return None
