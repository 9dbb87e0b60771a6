"""Database helpers shared by the interchange tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from expo_app.events.services import get_event
from expo_app.extensions import db
from expo_app.interchange import export_event, import_event
from expo_app.interchange.importer import delete_event_rows


def row_counts() -> dict[str, int]:
    """How many rows every table holds."""
    return {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables
    }


def exported(slug: str) -> dict[str, Any]:
    """The event with this slug as a document, read afresh from the database."""
    db.session.expire_all()
    event = get_event(slug)
    assert event is not None, f"no event {slug}"
    return export_event(event)


def round_trip(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Import and export; then, the event deleted, import that export and export it again."""
    first = export_event(import_event(document))
    delete_event_rows(get_event(document["event"]["slug"]).id)
    db.session.commit()
    assert sum(row_counts().values()) == 0, "deleting the event left rows behind"
    second = export_event(import_event(first))
    return first, second
