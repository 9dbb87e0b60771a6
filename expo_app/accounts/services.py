"""Account rules: creating users, checking logins, linking users to events."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from expo_app.accounts.models import ROLES, EventOrganiser, User
from expo_app.errors import DomainError
from expo_app.extensions import db

MIN_PASSWORD_LENGTH = 8


class AccountError(DomainError):
    """A user-caused problem with an account (duplicate email, weak password...)."""


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()


def create_user(email: str, password: str, role: str, display_name: str | None = None) -> User:
    """Make an account (flushed, not committed: the request path or the CLI commits);
    the database refuses a second account with the same email."""
    email = email.strip()
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not a valid email address: {email!r}")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if find_user_by_email(email) is not None:
        raise AccountError(f"an account with email {email} already exists")
    user = User(email=email, role=role, display_name=display_name)
    user.set_password(password)
    try:
        # A savepoint: losing the race undoes only this account, the caller's work stays.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as exc:  # a concurrent sign-up with the same address won the race
        raise AccountError(f"an account with email {email} already exists") from exc
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None."""
    user = find_user_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def make_organiser_of(user: User, event_id: int) -> None:
    exists = db.session.get(EventOrganiser, (user.id, event_id))
    if exists is None:
        db.session.add(EventOrganiser(user_id=user.id, event_id=event_id))
