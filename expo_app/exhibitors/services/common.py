"""What every part of the exhibitor services shares: the refusals they raise, the limits
they enforce, and the two guards (approved first; one change at a time per exhibitor)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from expo_app.errors import DomainError
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db

MAX_SECTORS = 10
MAX_MEETING_CAPACITY = 20


class StandUnavailable(DomainError):
    """Another exhibitor holds the stand already (or it does not exist)."""

    default_message = _l("This stand was just taken by another exhibitor. Please choose another.")

    def __init__(self, stand_id: int | None = None, message: Any = None) -> None:
        super().__init__(message)
        self.stand_id = stand_id


class ExhibitorError(DomainError):
    """A refusal the person can understand; `field` names the form field it belongs to."""

    def __init__(self, message: Any = None, field: str | None = None) -> None:
        super().__init__(message, field=field)


class NotApproved(ExhibitorError):
    """The organiser has not approved this exhibitor (yet)."""


class StandNotHeld(ExhibitorError):
    """The stand is not (or no longer) this exhibitor's unconfirmed hold."""


class StaffLimitReached(ExhibitorError):
    """Adding this person would exceed the badge allowance of the stand."""


class LogoRejected(ExhibitorError):
    default_field = "logo"


class DemoConflict(ExhibitorError):
    """The demo cannot be placed there and then."""


def require_approved(exhibitor: Exhibitor) -> None:
    """Stands, staff and demos are for approved exhibitors only, whoever calls."""
    if not exhibitor.is_approved:
        raise NotApproved(_l("The organiser has not approved your company yet."))


def lock_exhibitor(exhibitor: Exhibitor) -> None:
    """Serialise one exhibitor's own changes (two tabs at once) on PostgreSQL.

    SQLite needs nothing: every transaction there starts with BEGIN IMMEDIATE.
    """
    db.session.execute(select(Exhibitor.id).where(Exhibitor.id == exhibitor.id).with_for_update())


def escape_like(text: str) -> str:
    """Make typed text literal inside a LIKE pattern (used with escape="\\")."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
