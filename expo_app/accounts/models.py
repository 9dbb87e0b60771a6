"""User accounts, their role, and which events an organiser runs."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from expo_app.extensions import db
from expo_app.modelkit import Choice, choice_check, set_labels, utcnow


class Role(Choice):
    """What an account does: organisers, gate staff and security officers are attached to
    events (EventOrganiser); exhibitors and delegates through their company or participant."""

    ORGANISER = "organiser"
    EXHIBITOR = "exhibitor"
    DELEGATE = "delegate"
    GATE = "gate"
    SECURITY = "security"


set_labels(
    Role,
    {
        "organiser": _l("Organiser"),
        "exhibitor": _l("Exhibitor"),
        "delegate": _l("Delegate"),
        "gate": _l("Gate staff"),
        "security": _l("Security officer"),
    },
)
ROLES = Role.values()
# The event's team: accounts attached to events through EventOrganiser.
TEAM_ROLES = (Role.ORGANISER, Role.GATE, Role.SECURITY)
# Starts the password hash of an account that has no password yet (an invited team
# member): no "$", so no password ever matches it (see `User.has_usable_password`).
UNUSABLE_PASSWORD = "!"


class User(UserMixin, db.Model):
    """Someone who logs in. Exhibitors and participants point back at their account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10))
    display_name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        choice_check("role", ROLES),
        # One account per address, whatever the letter case.
        Index("uq_users_email_lower", func.lower(email), unique=True),
    )

    # The sign-in this User was loaded through (set by the user loader): Flask-Login
    # keeps its token, never the account id, in the session and the remember-me cookie.
    current_sign_in = None  # type: SignIn | None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What Flask-Login stores in the session and the remember-me cookie: the raw
        token of this sign-in (never the account id), so that ending the sign-in on the
        server makes those cookies worthless. `login_user` on an account loaded without a
        sign-in opens one (accounts.signins.sign_in says whether to remember it)."""
        if self.current_sign_in is None or self.current_sign_in.token is None:
            from expo_app.accounts.signins import open_sign_in

            open_sign_in(self)
        return self.current_sign_in.token

    # One account is one account, whichever sign-in it was loaded through (UserMixin
    # compares get_id(), which is now the sign-in's token).
    def __eq__(self, other: object) -> bool:
        if isinstance(other, User):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = object.__hash__

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def set_unusable_password(self) -> None:
        """No password opens the account (an invitation waits to be accepted); a new
        random tail each time, so the invitation links made before stop working."""
        self.password_hash = UNUSABLE_PASSWORD + secrets.token_urlsafe(32)

    @property
    def has_usable_password(self) -> bool:
        return not (self.password_hash or UNUSABLE_PASSWORD).startswith(UNUSABLE_PASSWORD)

    def check_password(self, password: str) -> bool:
        return self.has_usable_password and check_password_hash(self.password_hash, password)


class EventOrganiser(db.Model):
    """An account attached to one event: an organiser manages it, a gate account checks
    badges at its gates, a security officer vets its participants (and nowhere else)."""

    __tablename__ = "event_organisers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SignIn(db.Model):
    """One open (or ended) sign-in of an account on one device: the session cookie and the
    remember-me cookie carry its random token; only the token's SHA-256 is stored, so a
    copy of the database opens no session. Signing out ends it, and a session cookie
    copied before is then refused."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    remembered: Mapped[bool] = mapped_column(Boolean, default=False)
    device: Mapped[str] = mapped_column(String(200), default="")
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()

    # The raw token, known only in the request that made the sign-in or loaded it.
    token = None  # type: str | None

    @classmethod
    def new_token(cls) -> str:
        return secrets.token_urlsafe(32)

    def open_at(self, now: datetime) -> bool:
        return self.ended_at is None and now < self.expires_at
