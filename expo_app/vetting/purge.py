"""Personal data with an end: after the event and its retention period, identity
documents and photos are erased (the CLI and the organiser's button call this)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from expo_app.audit.services import record
from expo_app.delegations.models import Participant
from expo_app.errors import DomainError
from expo_app.events.models import Event
from expo_app.extensions import db
from expo_app.vetting.models import IdentityDocument

DEFAULT_RETENTION_DAYS = 30


def retention_days(event) -> int:
    """Days after the event that personal data is kept: the organiser's, else 30."""
    return event.retention_days if event.retention_days is not None else DEFAULT_RETENTION_DAYS


MAX_RETENTION_DAYS = 3650


class TooEarly(DomainError):
    status = 409


@dataclass(frozen=True)
class Purged:
    documents: int
    photos: int


def purge_date(event: Event) -> date:
    """The first day personal data may be erased."""
    return event.end_date + timedelta(days=retention_days(event))


def purge_personal_data(event: Event, today: date | None = None) -> Purged:
    """Erase the event's identity documents and photos once the retention period is over;
    the database rows go in this transaction, the photo files after it commits."""
    from expo_app.delegations.services import photo_file

    today = today or date.today()
    if today < purge_date(event):
        raise TooEarly(
            _l("Personal data is kept until %(date)s.", date=purge_date(event).isoformat())
        )
    documents = db.session.scalar(
        select(func.count())
        .select_from(IdentityDocument)
        .join(Participant)
        .where(Participant.event_id == event.id)
    )
    db.session.execute(
        delete(IdentityDocument).where(
            IdentityDocument.participant_id.in_(
                select(Participant.id).where(Participant.event_id == event.id)
            )
        )
    )
    photographed = db.session.execute(
        select(Participant).where(
            Participant.event_id == event.id, Participant.photo_path.is_not(None)
        )
    ).scalars()
    files = []
    for person in photographed:
        path = photo_file(person)
        if path is not None:
            files.append(path)
        person.photo_path = None
    db.session.flush()
    record(
        "event.personal_data_purged",
        event,
        event_id=event.id,
        after={"documents": documents, "photos": len(files)},
    )
    _remove_after_commit(files)
    return Purged(documents=documents, photos=len(files))


def _remove_after_commit(files) -> None:
    """Files cannot roll back: remove them only once the erasure has committed."""
    from sqlalchemy import event as sa_event

    session = db.session()

    def remove(_session) -> None:
        for path in files:
            path.unlink(missing_ok=True)

    sa_event.listen(session, "after_commit", remove, once=True)
