"""Who someone is at an event: the predicates the access registry (expo_app/web/access.py)
asks. Views never call them to decide; they name a level and the request path asks it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from expo_app.accounts.models import EventOrganiser, Role, User
from expo_app.extensions import db, login_manager


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The session (or remember-me) cookie carries a sign-in's token, not the account id:
    the account comes back only while that sign-in is open and the account active."""
    from expo_app.accounts.signins import user_for_token

    return user_for_token(token)


def _has_role(user: Any, role: Role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role == role


def _attached_to(user: Any, event_id: int, role: Role) -> bool:
    """Organiser, gate and security accounts act only at the events they are attached to."""
    if not _has_role(user, role):
        return False
    return db.session.get(EventOrganiser, (user.id, event_id)) is not None


def is_organiser_of(user: Any, event_id: int) -> bool:
    """Organisers manage only the events they are attached to."""
    return _attached_to(user, event_id, Role.ORGANISER)


def is_gate_staff_of(user: Any, event_id: int) -> bool:
    """Gate accounts check badges only at the events they are attached to."""
    return _attached_to(user, event_id, Role.GATE)


def is_security_officer_of(user: Any, event_id: int) -> bool:
    """Security officers vet the participants (and read their identity documents) only
    of the events they are attached to."""
    return _attached_to(user, event_id, Role.SECURITY)


def exhibitor_of(user: Any, event_id: int):
    """The exhibitor this account represents at the event, or None."""
    from expo_app.exhibitors.models import Exhibitor

    if not _has_role(user, Role.EXHIBITOR):
        return None
    return db.session.execute(
        select(Exhibitor).filter_by(event_id=event_id, user_id=user.id)
    ).scalar_one_or_none()


def participant_of(user: Any, event_id: int):
    """The participant (delegate, staff...) this account is at the event, or None."""
    from expo_app.delegations.models import Participant

    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.execute(
        select(Participant).filter_by(event_id=event_id, user_id=user.id)
    ).scalar_one_or_none()
