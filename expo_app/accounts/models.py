"""User accounts, their role, and which events an organiser runs."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from expo_app.extensions import db
from expo_app.modelkit import Choice, choice_check, set_labels, utcnow


class Role(Choice):
    """What an account does: organisers and gate staff are attached to events
    (EventOrganiser); exhibitors and delegates through their company or participant."""

    ORGANISER = "organiser"
    EXHIBITOR = "exhibitor"
    DELEGATE = "delegate"
    GATE = "gate"


set_labels(
    Role,
    {
        "organiser": _l("Organiser"),
        "exhibitor": _l("Exhibitor"),
        "delegate": _l("Delegate"),
        "gate": _l("Gate staff"),
    },
)
ROLES = Role.values()


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

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class EventOrganiser(db.Model):
    """An account attached to one event: an organiser manages it, a gate account checks
    badges at its gates (and nowhere else)."""

    __tablename__ = "event_organisers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
