"""Count arrivals through plaque codes without tracking anybody.

A scan is one more in a daily counter keyed by (day, code, language, way, event):
nothing about the visitor is kept. Counts gather in memory under a lock and a
background thread adds them to the database every ``GUIDE_SCAN_FLUSH_S`` seconds
(and at exit), so counting never slows or breaks the redirect: when the database
is down or locked, that batch is lost and one line without personal data is logged.

Bots, link-preview fetchers, browser prefetches and the guide's own plaque
checks are left out by the shape of the request, read in memory only.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, Request

from guide.listening.words import EVENT_ARRIVAL, EVENT_VIEW, VIA_LINK
from guide.workspace.database import db

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

EXTENSION = "guide.scans"
DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"

PLAQUE_MARKER = "Q"
"""Last path segment of the URL printed in a plaque's QR code: ``<BASE>/S/<CODE>/Q``.

A typed or shared link (``/S/<CODE>``) lacks it, so an arrival with it came from a
plaque. One upper-case letter keeps the URL in QR's alphanumeric mode, and a
path (not a query) can be written as a folder by a static export.
"""

CHECK_HEADER = "X-Guide-Check"
"""Header the plaque check sends with every request so that it is never counted."""

# Words in a User-Agent of crawlers and link-preview fetchers (matched case-insensitively).
BOT_WORDS = (
    "bot",
    "crawler",
    "spider",
    "preview",
    "facebookexternalhit",
    "zalo",
    "slurp",
    "curl",
    "wget",
    "python-requests",
    "httpx",
    "headless",
    "lighthouse",
)
_BOT_PATTERN = re.compile("|".join(re.escape(word) for word in BOT_WORDS), re.I)

ScanKey = tuple[date, str, str, str, str]


def time_zone(config: Mapping[str, Any]) -> ZoneInfo:
    """Return the catalogue's time zone from ``GUIDE_TIME_ZONE``, Hà Nội's when absent."""
    name = str(config.get("GUIDE_TIME_ZONE") or DEFAULT_TIME_ZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"GUIDE_TIME_ZONE: {name!r} is not a time zone name such as Asia/Ho_Chi_Minh"
        ) from error


def is_countable(request: Request) -> bool:
    """Tell whether a request looks like a person opening the page (not a bot, preview or check)."""
    if request.method != "GET":
        return False
    headers = request.headers
    if "text/html" not in headers.get("Accept", ""):
        return False
    if headers.get(CHECK_HEADER):
        return False
    purpose = (headers.get("Sec-Purpose", "") + " " + headers.get("Purpose", "")).lower()
    if "prefetch" in purpose or "prerender" in purpose:
        return False
    if headers.get("X-Moz", "").lower() == "prefetch":
        return False
    return not _BOT_PATTERN.search(headers.get("User-Agent", ""))


def is_bot(request: Request) -> bool:
    """Tell whether a request comes from a program (a crawler, a check) rather than a person."""
    return bool(request.headers.get(CHECK_HEADER)) or bool(
        _BOT_PATTERN.search(request.headers.get("User-Agent", ""))
    )


class ScanCounter:
    """Thread-safe daily counts kept in memory and added to the database in batches."""

    def __init__(self, app: Flask) -> None:
        """Prepare the counter of ``app``; the flushing thread starts with the first count."""
        self.app = app
        self.zone = time_zone(app.config)
        self.interval = float(app.config.get("GUIDE_SCAN_FLUSH_S", 5.0))
        self.retention = int(app.config.get("GUIDE_SCAN_RETENTION_DAYS", 730))
        self._pending: Counter[ScanKey] = Counter()
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pruned_on: date | None = None

    def today(self) -> date:
        """Return today's date in the catalogue's time zone."""
        return datetime.now(self.zone).date()

    def add(self, code: str, language: str, via: str, event: str = EVENT_ARRIVAL) -> None:
        """Count one arrival (or view) today; cheap enough to call in every request."""
        key = (self.today(), code, language, via, event)
        with self._lock:
            self._pending[key] += 1
            if self._thread is None:
                self._start()

    def pending(self) -> int:
        """Return how many counts wait for the next flush."""
        with self._lock:
            return sum(self._pending.values())

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="guide-scan-flush", daemon=True)
        self._thread.start()
        atexit.register(self.flush)

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            self.flush()

    def flush(self) -> int:
        """Add the waiting counts to the database and return how many were written.

        A failing database loses this batch (logged in one line); it never raises.
        """
        with self._flush_lock:
            with self._lock:
                batch, self._pending = self._pending, Counter()
            if not batch:
                return 0
            # Imported with the first batch: a server starts without the database layer.
            from sqlalchemy.exc import SQLAlchemyError

            try:
                with self.app.app_context():
                    engine = db.engine
                    write_counts(engine, batch)
                    self._prune(engine)
            except SQLAlchemyError as error:
                log.warning(
                    "scan counts lost: %d arrivals not written (%s)",
                    sum(batch.values()),
                    type(error).__name__,
                )
                return 0
            return sum(batch.values())

    def _prune(self, engine: Engine) -> None:
        from sqlalchemy import delete

        from guide.listening.models import ScanCount

        today = self.today()
        if self._pruned_on == today or self.retention <= 0:
            return
        oldest = today - timedelta(days=self.retention)
        with engine.begin() as connection:
            connection.execute(delete(ScanCount).where(ScanCount.day < oldest))
        self._pruned_on = today


def write_counts(engine: Engine, batch: Mapping[ScanKey, int]) -> None:
    """Add ``batch`` to the daily rows in one transaction: ``count = count + n`` per key."""
    from sqlalchemy import select, update

    from guide.listening.models import ScanCount

    rows = [
        {"day": d, "code": c, "language": lang, "via": v, "event": e, "count": n}
        for (d, c, lang, v, e), n in batch.items()
    ]
    table = ScanCount.__table__
    keys = ["day", "code", "language", "via", "event"]
    dialect = engine.dialect.name
    with engine.begin() as connection:
        if dialect in ("sqlite", "postgresql"):
            # Imported here: a start needs neither module's upsert (PostgreSQL's pulls
            # in all its drivers' modules, a tenth of a second).
            if dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert
            else:
                from sqlalchemy.dialects.postgresql import insert
            statement = insert(table)
            statement = statement.on_conflict_do_update(
                index_elements=keys, set_={"count": table.c.count + statement.excluded.count}
            )
            connection.execute(statement, rows)
            return
        # Other databases: read and write row by row inside the transaction.
        for row in rows:
            match = [table.c[key] == row[key] for key in keys]
            found = connection.execute(select(table.c.count).where(*match)).first()
            if found is None:
                connection.execute(table.insert(), row)
            else:
                connection.execute(
                    update(table).where(*match).values(count=table.c.count + row["count"])
                )


def init_app(app: Flask) -> None:
    """Give ``app`` its scan counter (when ``GUIDE_COUNT_SCANS`` is on)."""
    time_zone(app.config)  # a wrong name stops the start with a clear message
    if app.config.get("GUIDE_COUNT_SCANS", True):
        app.extensions[EXTENSION] = ScanCounter(app)


def counter(app: Flask) -> ScanCounter | None:
    """Return the scan counter of ``app``, or None when counting is off."""
    return app.extensions.get(EXTENSION)


def count_view(app: Flask, request: Request, code: str, language: str) -> None:
    """Count one view of a site's story page, under the same rules as arrivals.

    Only when ``GUIDE_COUNT_VIEWS`` (and scan counting) is on; with ``GUIDE_API_URL``
    set the story page counts itself with a beacon instead. The way is always
    "link": a page view cannot tell a plaque from a link without tracking, and an
    arrival through ``/S/`` is counted there already (its view counts once here).
    """
    scans = counter(app)
    if scans is None or not code or not app.config.get("GUIDE_COUNT_VIEWS", True):
        return
    if is_countable(request):
        scans.add(code, language, VIA_LINK, EVENT_VIEW)
