"""Staff accounts: who may sign in, with which role, and in which areas they may edit.

Roles: ``admin`` may do everything; ``editor`` may create and edit sites whose
point lies in one of their areas; ``viewer`` may only look. Passwords are kept
as scrypt hashes. Each account has a session key carried in its session
cookies; signing out, a new password or removing the account ends every
session made with the old key. Password guessing is slowed down by the web
side (``guide.web.admin.throttle``), in memory only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.security import check_password_hash, generate_password_hash

from guide.workspace.database import audit, db

if TYPE_CHECKING:
    from guide.workspace.db import User

ROLES = ("admin", "editor", "viewer")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 10
# Checked against when the account does not exist, so that both cases take as long. It is
# generate_password_hash("not a password of anybody", method="scrypt") written out: making
# it at import took a quarter of a second of every server's start. A test checks that it
# still has the parameters werkzeug gives new passwords.
_DUMMY_HASH = (
    "scrypt:32768:8:1$X9qAuc29OGlpTfvH$02d43f5dc6d8770586f837c249201678b620dc0cde70e13b9fa4"
    "bda14f569dea2fd82b9b31244ea275d41bd632428f6daa231ffdc0df8320f8ae4558fbc7ea1d"
)


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
    check_password(password)
    from guide.workspace.db import User

    if find_user(name) is not None:
        raise AccountError(f"an account named {name!r} exists already")
    user = User(
        name=name,
        password_hash=generate_password_hash(password, method="scrypt"),
        role=role,
        area_ids=" ".join(areas) if role == "editor" else "",
    )
    user.new_session_key()
    db.session.add(user)
    db.session.commit()
    audit("(command line)", "user.add", name, f"role {role}; areas {' '.join(areas) or '-'}")
    return user


def check_password(password: str) -> None:
    """Raise AccountError when a new password is too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters"
        )


def set_password(name: str, password: str) -> User:
    """Give an account a new password and sign out every session it has."""
    user = find_user(name)
    if user is None:
        raise AccountError(f"no account named {normalize_name(name)!r}")
    check_password(password)
    user.password_hash = generate_password_hash(password, method="scrypt")
    user.new_session_key()
    db.session.commit()
    audit("(command line)", "user.password", user.name)
    return user


def end_sessions(user: User) -> None:
    """Sign out every session of ``user``, on every device, and commit."""
    user.new_session_key()
    db.session.commit()


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
    from sqlalchemy import select

    from guide.workspace.db import User

    return db.session.scalar(select(User).where(User.name == normalize_name(name)))


def list_users() -> list[User]:
    """Return every account, by name."""
    from sqlalchemy import select

    from guide.workspace.db import User

    return list(db.session.scalars(select(User).order_by(User.name)))


def authenticate(name: str, password: str) -> User | None:
    """Return the account when the password is right, else None (taking as long either way)."""
    user = find_user(name)
    good = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not good:
        return None
    if not user.session_key:
        # An account from before session keys: it gets one at its first sign-in.
        end_sessions(user)
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
