"""Text helpers for Vietnamese: search keys that ignore diacritics and case."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# "đ" is a letter of its own, not "d" plus a mark, so NFD leaves it alone.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Return ``text`` lower-cased and stripped of diacritics, for matching.

    >>> fold("Đình Chèm")
    'dinh chem'
    >>> fold("  ĐÌNH   CHÈM ")
    'dinh chem'
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def matches(query: str, *texts: str) -> bool:
    """Return whether every word of ``query`` occurs in one of ``texts``, ignoring diacritics.

    >>> matches("dinh chem", "Đình Chèm (Đền Chèm)")
    True
    >>> matches("chem dinh", "Đình Chèm")
    True
    >>> matches("chua", "Đình Chèm")
    False
    """
    haystack = " ".join(fold(text) for text in texts)
    return all(word in haystack for word in fold(query).split())


def similar_names(first: str, second: str, threshold: float = 0.6) -> bool:
    """Return whether two site names are alike enough to be the same place.

    >>> similar_names("Đình Chèm", "Dinh Chem (Den Chem)")
    True
    >>> similar_names("Đình Chèm", "Chùa Một Cột")
    False
    """
    a, b = fold(first), fold(second)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return SequenceMatcher(None, a, b).ratio() >= threshold


# A narrative's paragraph names the sources it rests on as [1][3]: 1-based places in the
# site's [[sources]] list.
CITATION = re.compile(r"\[(\d{1,3})\]")


def cited_sources(markdown: str) -> list[int]:
    """Return the source numbers a narrative cites, in the order they first appear.

    >>> cited_sources("Dựng năm 1639. [2][1]\\n\\nTrùng tu. [2]")
    [2, 1]
    """
    return list(dict.fromkeys(int(n) for n in CITATION.findall(markdown)))
