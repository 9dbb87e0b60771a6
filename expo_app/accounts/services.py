"""Account rules: creating users, the password rule, checking logins, ending sign-ins,
linking users to events."""

from __future__ import annotations

import re
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from expo_app.accounts.models import ROLES, EventOrganiser, User
from expo_app.accounts.signins import end_all_sign_ins  # noqa: F401  (the reset calls it)
from expo_app.errors import DomainError
from expo_app.extensions import db

MIN_PASSWORD_LENGTH = 8
# zxcvbn slows down on long input, and hashing a megabyte-long password is a cheap way to
# keep a worker busy: a pass phrase of 128 characters is long enough for anyone.
MAX_PASSWORD_LENGTH = 128
# zxcvbn's score: 0 "too guessable", 1 "very guessable" (about 10^6 guesses), 2 and up
# resist an online attack that is also throttled.
MIN_PASSWORD_SCORE = 2
# Words a guesser would try first against this site's accounts.
SITE_WORDS = ("expo", "bamex", "exhibitor", "delegate", "organiser", "gate")


class AccountError(DomainError):
    """A user-caused problem with an account (duplicate email, weak password...)."""


def check_password_rule(
    password: str, *, email: str | None = None, name: str | None = None
) -> None:
    """The one password rule (sign-up, account page, CLI): 8 to 128 characters, and not
    easy to guess (zxcvbn's common-password, names, keyboard-pattern and repetition lists,
    plus the account's own email and name). Raises AccountError on the password field."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _l("The password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            _l("The password may have at most %(n)d characters.", n=MAX_PASSWORD_LENGTH),
            field="password",
        )
    if (
        zxcvbn(password, user_inputs=_user_inputs(email, name), max_length=MAX_PASSWORD_LENGTH)[
            "score"
        ]
        < MIN_PASSWORD_SCORE
    ):
        raise AccountError(
            _l(
                "This password is too easy to guess (a common word, name, pattern or "
                "your own email). Add a few uncommon words."
            ),
            field="password",
        )


def _user_inputs(email: str | None, name: str | None) -> list[str]:
    """The words zxcvbn should treat as known to a guesser: the site's, and the account's
    email (whole, its local part, each word of it) and name."""
    words = list(SITE_WORDS)
    for text in (email, name):
        if text:
            text = text.strip().lower()
            words.extend([text, text.split("@")[0]])
            words.extend(re.findall(r"[^\W\d_]{3,}|\d{3,}", text))
    return words


@cache
def _dummy_hash() -> str:
    """A hash made like the real ones (same method, same cost), once per process."""
    return generate_password_hash("not a password of anyone")


def spend_hash_work(password: str) -> None:
    """Check `password` against a dummy hash: as slow as checking a real account's, so a
    refusal for an unknown email (or a taken one at registration) takes as long as one
    for a known email and tells nobody which addresses have an account."""
    check_password_hash(_dummy_hash(), (password or "")[:MAX_PASSWORD_LENGTH])


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()


def create_user(
    email: str, password: str | None, role: str, display_name: str | None = None
) -> User:
    """Make an account (flushed, not committed: the request path or the CLI commits);
    the database refuses a second account with the same email. No password (None): an
    invited team member, who chooses one through the invitation link (accounts.team)."""
    email = email.strip()
    if "@" not in email or len(email) > 254:
        raise AccountError(_l("This is not a valid email address."), field="email")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r} (one of {', '.join(ROLES)})", field="role")
    if password is not None:
        check_password_rule(password, email=email, name=display_name)
    if find_user_by_email(email) is not None:
        raise AccountError(_l("An account with this email already exists."), field="email")
    user = User(email=email, role=role, display_name=display_name)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    try:
        # A savepoint: losing the race undoes only this account, the caller's work stays.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as exc:  # a concurrent sign-up with the same address won the race
        raise AccountError(_l("An account with this email already exists."), field="email") from exc
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None. An unknown email or an
    inactive account costs the same hash check as a wrong password (constant work)."""
    password = password or ""
    user = find_user_by_email(email or "")
    if (
        user is None
        or not user.active
        or not user.has_usable_password  # invited, no password chosen yet
        or len(password) > MAX_PASSWORD_LENGTH
    ):
        spend_hash_work(password)
        return None
    if not user.check_password(password):
        return None
    return user


def change_password(user: User, current_password: str, new_password: str) -> int:
    """The account page: the current password proves it is the owner at the keyboard,
    the new one follows the password rule; every other sign-in of the account ends (this
    one stays). Flushes; returns how many other sign-ins ended."""
    if not user.check_password((current_password or "")[:MAX_PASSWORD_LENGTH]):
        raise AccountError(_l("This is not your current password."), field="current_password")
    check_password_rule(new_password, email=user.email, name=user.display_name)
    user.set_password(new_password)
    return end_all_sign_ins(user, keep=user.current_sign_in)


def reset_password(user: User, new_password: str) -> int:
    """A new password without the old one (`expo set-password`, later the mailed reset):
    the password rule, then every sign-in of the account ends. Flushes."""
    check_password_rule(new_password, email=user.email, name=user.display_name)
    user.set_password(new_password)
    return end_all_sign_ins(user)


def make_organiser_of(user: User, event_id: int) -> None:
    exists = db.session.get(EventOrganiser, (user.id, event_id))
    if exists is None:
        db.session.add(EventOrganiser(user_id=user.id, event_id=event_id))
