"""Visitors' feedback: check what they sent, keep it once, and let staff handle it.

A visitor may say whether a story page was useful, leave a comment and report a
mistake (which fact is wrong, in their words, and a contact if they want an answer).
Nothing here knows who sent it: no address, browser or cookie is kept, and the
same words about the same site on the same day are stored once (``digest``).
Nothing a visitor writes is ever shown on a public page.

>>> print(field_problem("comment", "Cảm ơn!"))
None
>>> print(field_problem("contact", "x" * 201))
at most 200 characters (this has 201)
>>> editor_anchor("hours", "vi")
'opening_hours'
>>> is_email("ban@example.vn"), is_email("0912 345 678")
(True, False)
"""

from __future__ import annotations

import hashlib
import re
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from guide.catalogue.text_rules import junk_problem
from guide.listening.words import FEEDBACK_STATUSES, REPORT_TOPICS
from guide.messages import N_, Message, MessageError
from guide.workspace.database import audit, db, utcnow

if TYPE_CHECKING:
    from guide.listening.models import Feedback


# Longest text accepted in each field, in characters.
LIMITS = {"comment": 2000, "report": 2000, "contact": 200, "answer": 5000}
# Where each kind of mistake is corrected in the site editor (its element ids).
ANCHORS = {"location": "point", "hours": "opening_hours", "photo": "media"}
# A plain check: an answer is mailed only to something that looks like an address.
_EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
HANDLED = ("resolved", "dismissed", "answered")


class FeedbackError(MessageError):
    """What a visitor sent cannot be kept; ``field`` names the field at fault."""

    def __init__(self, field: str, template: str, /, **params: object) -> None:
        super().__init__(template, **params)
        self.field = field

    def __str__(self) -> str:
        """Return the English message, after the field's name."""
        return f"{self.field}: {self.text}"


def field_problem(name: str, text: str) -> Message | None:
    """Return what is wrong with one field's text (too long, control characters), or None."""
    limit = LIMITS[name]
    if len(text) > limit:
        return Message.of(
            N_("at most %(limit)s characters (this has %(length)s)"),
            limit=limit,
            length=len(text),
        )
    return junk_problem(text, multiline=name != "contact")


@dataclass(frozen=True)
class Submission:
    """What one visitor sent about one site, checked and trimmed."""

    useful: bool | None
    comment: str
    topic: str
    report: str
    contact: str
    language: str

    def digest(self, slug: str) -> str:
        """Return the digest of the site and the words, the same for the same message."""
        words = [
            slug,
            {True: "yes", False: "no", None: ""}[self.useful],
            " ".join(self.comment.split()).casefold(),
            self.topic,
            " ".join(self.report.split()).casefold(),
        ]
        return hashlib.sha256("\x1f".join(words).encode("utf-8")).hexdigest()


def read_submission(form: Mapping[str, str], languages: tuple[str, ...]) -> Submission:
    """Return the checked submission of a posted form; raise FeedbackError naming the field."""
    for name in ("comment", "report", "contact"):
        problem = field_problem(name, form.get(name, ""))
        if problem is not None:
            raise FeedbackError(name, problem.template, **dict(problem.params))
    useful = {"yes": True, "no": False, "": None}.get(form.get("useful", ""), "bad")
    if useful == "bad":
        raise FeedbackError("useful", N_("answer yes or no"))
    topic = form.get("topic", "")
    if topic and topic not in REPORT_TOPICS:
        raise FeedbackError(
            "topic", N_("choose one of %(choices)s"), choices=", ".join(REPORT_TOPICS)
        )
    comment = form.get("comment", "").strip()
    report = form.get("report", "").strip()
    if report and not topic:
        topic = "other"
    if useful is None and not comment and not topic:
        raise FeedbackError("useful", N_("say whether the page was useful, or write something"))
    language = form.get("language", "")
    return Submission(
        useful=useful,  # type: ignore[arg-type]
        comment=comment,
        topic=topic,
        report=report,
        contact=form.get("contact", "").strip() if topic or comment else "",
        language=language if language in languages else languages[0],
    )


def store(submission: Submission, slug: str, area: str, today: date) -> tuple[Feedback, bool]:
    """Keep a submission unless the same words came for the site today; return (row, new)."""
    from sqlalchemy import select

    from guide.listening.models import Feedback

    digest = submission.digest(slug)
    found = db.session.scalar(
        select(Feedback).where(Feedback.digest == digest, Feedback.received_on == today).limit(1)
    )
    if found is not None:
        return found, False
    row = Feedback(
        slug=slug,
        area=area,
        received_on=today,
        language=submission.language,
        useful=submission.useful,
        comment=submission.comment,
        topic=submission.topic,
        report=submission.report,
        contact=submission.contact,
        digest=digest,
        status="new",
    )
    db.session.add(row)
    db.session.commit()
    return row, True


def query(
    *,
    areas: list[str] | None = None,
    status: str = "",
    area: str = "",
    slug: str = "",
    kind: str = "",
) -> list[Feedback]:
    """Return feedback, newest first, filtered; ``areas`` limits it to those areas (None: all).

    ``kind`` is ``report`` (a mistake), ``comment``, ``useful`` or ``not-useful``.
    """
    from sqlalchemy import select

    from guide.listening.models import Feedback

    statement = select(Feedback).order_by(Feedback.received_on.desc(), Feedback.id.desc())
    if areas is not None:
        statement = statement.where(Feedback.area.in_(areas))
    if status:
        statement = statement.where(Feedback.status == status)
    if area:
        statement = statement.where(Feedback.area == area)
    if slug:
        statement = statement.where(Feedback.slug == slug)
    if kind == "report":
        statement = statement.where(Feedback.topic != "")
    elif kind == "comment":
        statement = statement.where(Feedback.comment != "")
    elif kind == "useful":
        statement = statement.where(Feedback.useful.is_(True))
    elif kind == "not-useful":
        statement = statement.where(Feedback.useful.is_(False))
    return list(db.session.scalars(statement))


KINDS = ("report", "comment", "useful", "not-useful")


def editor_anchor(topic: str, language: str) -> str:
    """Return the id of the editor's field where a reported mistake is corrected ("" for none)."""
    if topic == "story":
        return f"story_{language or 'vi'}"
    return ANCHORS.get(topic, "")


def is_email(contact: str) -> bool:
    """Return whether a contact is an e-mail address an answer can be sent to."""
    return bool(_EMAIL_RE.match(contact.strip()))


def mail_configured(config: Mapping[str, Any]) -> bool:
    """Return whether the settings name a mail server and a sender."""
    return bool(config.get("GUIDE_MAIL_SERVER") and config.get("GUIDE_MAIL_FROM"))


def send_answer(config: Mapping[str, Any], to: str, subject: str, body: str) -> None:
    """Send one answer by e-mail through the configured SMTP server; raise when it fails."""
    message = EmailMessage()
    message["From"] = str(config["GUIDE_MAIL_FROM"])
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    port = int(config.get("GUIDE_MAIL_PORT") or 25)
    with smtplib.SMTP(str(config["GUIDE_MAIL_SERVER"]), port, timeout=15) as smtp:
        if config.get("GUIDE_MAIL_TLS"):
            smtp.starttls()
        if config.get("GUIDE_MAIL_USER"):
            smtp.login(str(config["GUIDE_MAIL_USER"]), str(config.get("GUIDE_MAIL_PASSWORD", "")))
        smtp.send_message(message)


def handle(row: Feedback, status: str, user_name: str, answer: str = "", detail: str = "") -> None:
    """Mark feedback resolved, dismissed or answered by ``user_name``, and log it in the audit."""
    if status not in FEEDBACK_STATUSES or status == "new":
        raise ValueError(f"not a handled status: {status!r}")
    row.status = status
    row.handled_by = user_name
    row.handled_at = utcnow()
    if answer:
        row.answer = answer
    db.session.commit()
    audit(user_name, f"feedback.{status}", f"feedback {row.id} ({row.slug})", detail)
