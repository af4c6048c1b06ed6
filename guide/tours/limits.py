"""What one tour plan may cost the server: orders kept, a few computed at once, a CPU limit.

Ordering many stops is the one expensive step of a plan (``guide.tours.ordering``),
and anyone may ask for plans. So an order once found is kept (least recently
used first out), per loaded catalogue and keyed by what the order depends on:
the places in planning order, the mode, the kind of tour and how distances
were found. Visit minutes and the start time change only the timetable, so
plans that differ only in those share one order. An order not kept is computed
by at most ``concurrency`` requests at a time, each for at most ``cpu_seconds``
of CPU; a request that finds every slot taken is refused at once with
``PlannerBusy`` (the web answers 503 with Retry-After) instead of queueing
behind the others. Small tours are cheap and never refused.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from threading import BoundedSemaphore, Lock
from typing import Any
from weakref import WeakKeyDictionary

from guide.catalogue.index import Catalogue
from guide.tours.ordering import Ordering

# Points to order (besides a fixed start) up to which ordering takes a few
# milliseconds (Held-Karp), no more than rendering a page: never refused.
CHEAP_POINTS = 10


class PlannerBusy(Exception):
    """Every slot for computing a new order is taken: ask again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the planner is busy: retry in {retry_after} s")
        self.retry_after = retry_after


class PlanLimits:
    """The planner's limits of one application, and the orders it keeps."""

    def __init__(
        self,
        *,
        concurrency: int = 1,
        cache_size: int = 256,
        cpu_seconds: float | None = 0.3,
        retry_after: int = 2,
    ) -> None:
        self.concurrency = max(1, int(concurrency))
        self.cache_size = max(0, int(cache_size))
        self.cpu_seconds = cpu_seconds
        self.retry_after = max(1, int(retry_after))
        self._slots = BoundedSemaphore(self.concurrency)
        self._stores: WeakKeyDictionary[Catalogue, OrderedDict[Hashable, Ordering]] = (
            WeakKeyDictionary()
        )
        self._lock = Lock()

    @classmethod
    def from_settings(cls, config: Mapping[str, Any]) -> PlanLimits:
        """Return the limits of the given settings (``guide.settings``)."""
        cpu = float(config["GUIDE_PLAN_CPU_S"])
        return cls(
            concurrency=int(config["GUIDE_PLAN_CONCURRENCY"]),
            cache_size=int(config["GUIDE_PLAN_CACHE_SIZE"]),
            cpu_seconds=cpu if cpu > 0 else None,
            retry_after=int(config["GUIDE_PLAN_RETRY_AFTER_S"]),
        )

    def kept(self, catalogue: Catalogue, key: Hashable) -> Ordering | None:
        """Return the order kept for ``key`` with this catalogue, or None."""
        with self._lock:
            store = self._stores.get(catalogue)
            if store is None or key not in store:
                return None
            store.move_to_end(key)
            return store[key]

    def order(
        self,
        catalogue: Catalogue,
        key: Hashable,
        points: int,
        compute: Callable[[float | None], Ordering],
    ) -> Ordering:
        """Return the kept order for ``key``, or compute it with ``compute(cpu_seconds)``.

        ``points`` is how many points the order chooses among; above
        ``CHEAP_POINTS`` the computation needs a free slot, or PlannerBusy is raised.
        """
        found = self.kept(catalogue, key)
        if found is not None:
            return found
        if points <= CHEAP_POINTS:
            found = compute(self.cpu_seconds)
        else:
            if not self._slots.acquire(blocking=False):
                raise PlannerBusy(self.retry_after)
            try:
                found = compute(self.cpu_seconds)
            finally:
                self._slots.release()
        if self.cache_size:
            with self._lock:
                store = self._stores.get(catalogue)
                if store is None:
                    store = self._stores[catalogue] = OrderedDict()
                store[key] = found
                while len(store) > self.cache_size:
                    store.popitem(last=False)
        return found

    def hold(self) -> Callable[[], None]:
        """Take every slot, as if that many plans were being computed; return the release.

        For tests and benchmarks: a saturated planner without racing threads.
        """
        taken = 0
        while self._slots.acquire(blocking=False):
            taken += 1

        def release() -> None:
            for _ in range(taken):
                self._slots.release()

        return release
