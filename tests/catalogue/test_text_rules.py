"""Junk characters in catalogue text: every refused character is found and named, quickly."""

from __future__ import annotations

import time
import unicodedata

from guide.catalogue.text_rules import BIDI_CONTROLS, REPLACEMENT_CHARACTER, junk_problem


def _refused(character: str, multiline: bool) -> bool:
    if multiline and character in "\n\t\r":
        return False
    return (
        unicodedata.category(character) == "Cc"
        or character in BIDI_CONTROLS
        or character == REPLACEMENT_CHARACTER
    )


def test_every_refused_character_is_named_with_its_position_and_no_other_is():
    for multiline in (False, True):
        for number in range(0x110000):
            character = chr(number)
            if 0xD800 <= number <= 0xDFFF:
                continue  # lone surrogates cannot be in decoded text
            found = junk_problem(f"Đình{character}Chèm", multiline=multiline)
            if not _refused(character, multiline):
                assert found is None, hex(number)
                continue
            text = str(found)
            assert "(at character 5)" in text, hex(number)
            if character != REPLACEMENT_CHARACTER:
                assert f"U+{number:04X}" in text, hex(number)


def test_a_long_narrative_is_checked_in_a_few_milliseconds():
    narrative = "Đình Chèm thờ Lý Ông Trọng.\n\n" * 20_000
    started = time.perf_counter()
    assert junk_problem(narrative, multiline=True) is None
    assert time.perf_counter() - started < 0.05
    late = narrative + "\u202e"
    assert f"(at character {len(late)})" in str(junk_problem(late, multiline=True))
