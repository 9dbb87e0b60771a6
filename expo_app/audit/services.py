"""Recording changes: every service that changes data on a person's behalf calls record()."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import inspect

from expo_app.audit.models import AuditEntry
from expo_app.extensions import db


def snapshot(obj: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe copy of a model's column values, for the before/after of an entry."""
    mapper = inspect(obj).mapper
    names = fields or [column.key for column in mapper.column_attrs]
    return {name: _json_safe(getattr(obj, name)) for name in names}


def record(
    action: str,
    obj: Any,
    *,
    event_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    user_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (it commits or rolls back with it).

    `before`/`after` keep only the fields that changed when both are given.
    """
    if before is not None and after is not None:
        changed = [key for key in after if before.get(key) != after.get(key)]
        before = {key: before.get(key) for key in changed}
        after = {key: after[key] for key in changed}
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    entry = AuditEntry(
        event_id=event_id if event_id is not None else getattr(obj, "event_id", None),
        user_id=user_id,
        action=action,
        entity=type(obj).__name__,
        entity_id=getattr(obj, "id", None),
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
