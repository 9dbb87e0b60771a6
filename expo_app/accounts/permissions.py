"""Who may do what: every role check of the web UI goes through here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from expo_app.accounts.models import EventOrganiser, User
from expo_app.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def is_organiser_of(user: Any, event_id: int) -> bool:
    """Organisers manage only the events they are attached to."""
    if not getattr(user, "is_authenticated", False) or user.role != "organiser":
        return False
    link = db.session.execute(
        select(EventOrganiser).filter_by(user_id=user.id, event_id=event_id)
    ).scalar_one_or_none()
    return link is not None


def is_gate_staff_of(user: Any, event_id: int) -> bool:
    """Gate accounts check badges only at the events they are attached to."""
    if not getattr(user, "is_authenticated", False) or user.role != "gate":
        return False
    return db.session.get(EventOrganiser, (user.id, event_id)) is not None


def role_required(*roles: str) -> Callable:
    """Let only logged-in accounts with one of `roles` through; others log in or get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def exhibitor_of(user: Any, event_id: int):
    """The exhibitor this account represents at the event, or None."""
    from expo_app.exhibitors.models import Exhibitor

    if not getattr(user, "is_authenticated", False) or user.role != "exhibitor":
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
