"""Staff accounts: who may sign in, with which role, and in which areas they may edit.

Roles: ``admin`` may do everything; ``editor`` may create and edit sites whose
point lies in one of their areas; ``viewer`` may only look. Passwords are kept
as scrypt hashes. Failed sign-ins are stored in the database and counted per
account and per network address, so guessing is slowed down even across
restarts and several server processes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from guide.workspace.db import LoginFailure, User, audit, db, utcnow

ROLES = ("admin", "editor", "viewer")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 10
# Checked against when the account does not exist, so that both cases take as long.
_DUMMY_HASH = generate_password_hash("not a password of anybody", method="scrypt")


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def normalize_name(name: str) -> str:
    """Return the canonical (lower-case, trimmed) form of an account name."""
    return name.strip().lower()


def add_user(name: str, password: str, role: str, areas: Iterable[str] = ()) -> User:
    """Create an account; raise AccountError naming the bad input."""
    name = normalize_name(name)
    areas = list(dict.fromkeys(areas))
    if not NAME_RE.match(name):
        raise AccountError(
            f"name {name!r}: use 2 to 64 lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if role not in ROLES:
        raise AccountError(f"role {role!r}: choose one of {', '.join(ROLES)}")
    if role == "editor" and not areas:
        raise AccountError("an editor needs at least one --area to edit in")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters"
        )
    if find_user(name) is not None:
        raise AccountError(f"an account named {name!r} exists already")
    user = User(
        name=name,
        password_hash=generate_password_hash(password, method="scrypt"),
        role=role,
        area_ids=" ".join(areas) if role == "editor" else "",
    )
    db.session.add(user)
    db.session.commit()
    audit("(command line)", "user.add", name, f"role {role}; areas {' '.join(areas) or '-'}")
    return user


def remove_user(name: str) -> None:
    """Delete an account; raise AccountError when there is none of that name."""
    user = find_user(name)
    if user is None:
        raise AccountError(f"no account named {normalize_name(name)!r}")
    db.session.delete(user)
    db.session.commit()
    audit("(command line)", "user.remove", user.name)


def find_user(name: str) -> User | None:
    """Return the account with this name, or None."""
    return db.session.scalar(select(User).where(User.name == normalize_name(name)))


def list_users() -> list[User]:
    """Return every account, by name."""
    return list(db.session.scalars(select(User).order_by(User.name)))


@dataclass(frozen=True)
class Throttle:
    """How many failed sign-ins are allowed, and over how long."""

    max_failures: int
    window: timedelta

    def refuses(self, name: str, address: str) -> bool:
        """Return whether further attempts for this account or address are refused now."""
        since = utcnow() - self.window
        for column, value, limit in (
            (LoginFailure.name, normalize_name(name), self.max_failures),
            (LoginFailure.address, address, self.max_failures * 4),
        ):
            count = db.session.scalar(
                select(func.count()).where(column == value, LoginFailure.at >= since)
            )
            if (count or 0) >= limit:
                return True
        return False


def authenticate(name: str, password: str, address: str, throttle: Throttle) -> User | None:
    """Return the account when the password is right; record a failure otherwise.

    Raise ``PermissionError`` without checking the password when too many
    attempts failed lately for this account or from this address.
    """
    if throttle.refuses(name, address):
        raise PermissionError("too many failed sign-ins")
    user = find_user(name)
    good = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not good:
        db.session.add(LoginFailure(name=normalize_name(name)[:64], address=address[:64]))
        db.session.commit()
        return None
    db.session.execute(delete(LoginFailure).where(LoginFailure.name == user.name))
    db.session.commit()
    return user


def may_view(user: User | None) -> bool:
    """Return whether the person may look at the workspace."""
    return bool(user is not None and getattr(user, "role", None) in ROLES)


def may_edit_area(user: User | None, area_id: str) -> bool:
    """Return whether the person may create or change a site in the area ``area_id``."""
    if user is None or not may_view(user):
        return False
    if user.role == "admin":
        return True
    return user.role == "editor" and bool(area_id) and area_id in user.areas


def may_edit_somewhere(user: User | None) -> bool:
    """Return whether the person may create sites at all."""
    return may_view(user) and user.role in ("admin", "editor")  # type: ignore[union-attr]


def is_admin(user: User | None) -> bool:
    """Return whether the person is an administrator."""
    return may_view(user) and user.role == "admin"  # type: ignore[union-attr]
