"""The listening tables: daily scan counts, visitors' feedback, printed plaques and their checks.

None of them holds an IP address, a User-Agent, a cookie or any other identifier of
a visitor: a scan is one more in a daily counter, a feedback row holds only what the
visitor typed (and a contact only when they chose to leave one).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from guide.listening.words import (  # noqa: F401 - re-exported
    EVENT_ARRIVAL,
    EVENT_VIEW,
    FEEDBACK_STATUSES,
    PLAQUE_STATES,
    REPORT_TOPICS,
    VIA_LINK,
    VIA_PLAQUE,
    VIAS,
)
from guide.workspace.db import db, utcnow


class ScanCount(db.Model):
    """How many arrivals (or views) one code had on one day, in one language, by one way."""

    __tablename__ = "scan_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    via: Mapped[str] = mapped_column(String(16), primary_key=True)
    event: Mapped[str] = mapped_column(String(16), primary_key=True, default=EVENT_ARRIVAL)
    count: Mapped[int] = mapped_column(Integer, default=0)


class Feedback(db.Model):
    """What one visitor said about one site: useful or not, a comment, a mistake to correct."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), index=True)
    area: Mapped[str] = mapped_column(String(64), default="", index=True)
    # The day only: the minute a visitor wrote is not needed to handle what they wrote.
    received_on: Mapped[date] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(16), default="")
    useful: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(16), default="")  # one of REPORT_TOPICS, or ""
    report: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    # A digest of the site and the words, to drop the same message sent twice; no identifier.
    digest: Mapped[str] = mapped_column(String(64), index=True, default="")
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    handled_by: Mapped[str] = mapped_column(String(64), default="")
    handled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    # How an answer reached the visitor: "mail" (sent by the guide) or "elsewhere".
    answered_via: Mapped[str] = mapped_column(String(16), default="")


class Plaque(db.Model):
    """A plaque printed for a site's code: its size, when and by whom, where it hangs, its state."""

    __tablename__ = "plaques"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), index=True)
    slug: Mapped[str] = mapped_column(String(200), index=True)
    # The site's area when printed: the plaque stays in its area's register (and checks)
    # after the site leaves the catalogue.
    area: Mapped[str] = mapped_column(String(64), default="", index=True)
    size: Mapped[str] = mapped_column(String(16))
    printed_on: Mapped[date] = mapped_column(Date)
    printed_by: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default="ordered")
    where: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PlaqueCheck(db.Model):
    """One code requested through the public address as a phone would, and what came back."""

    __tablename__ = "plaque_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    base_url: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(16), index=True)
    slug: Mapped[str] = mapped_column(String(200), default="")
    ok: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    final_url: Mapped[str] = mapped_column(String(500), default="")
    problem: Mapped[str] = mapped_column(Text, default="")
