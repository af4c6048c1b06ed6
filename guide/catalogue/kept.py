"""Keep answers computed from a loaded catalogue for as long as that catalogue lives.

A reload makes a new ``Catalogue`` object: answers of the old one must neither be
served nor keep it in memory. A least-recently-used cache keyed by the catalogue
keeps the last few catalogues alive (at 40,000 sites, tens of megabytes each);
these stores are keyed weakly, so an answer goes when its catalogue goes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from guide.catalogue.index import Catalogue

P = ParamSpec("P")
T = TypeVar("T")


def per_catalogue(
    function: Callable[Concatenate[Catalogue, P], T],
) -> Callable[Concatenate[Catalogue, P], T]:
    """Keep ``function``'s answer for each catalogue and further arguments, dropped with it.

    The further arguments must be hashable and few in kind (each distinct tuple is kept
    as long as the catalogue). Two threads asking at once may both compute the answer;
    either answer is the same.
    """
    stores: WeakKeyDictionary[Catalogue, dict[Hashable, T]] = WeakKeyDictionary()

    @wraps(function)
    def kept(catalogue: Catalogue, *args: P.args, **kwargs: P.kwargs) -> T:
        answers = stores.get(catalogue)
        if answers is None:
            answers = stores.setdefault(catalogue, {})
        key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        try:
            return answers[key]
        except KeyError:
            answer = answers[key] = function(catalogue, *args, **kwargs)
            return answer

    kept.cache_clear = stores.clear  # type: ignore[attr-defined]
    return kept
