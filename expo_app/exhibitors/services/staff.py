"""The people on an exhibitor's stand: the badge allowance its stand space gives, adding
and removing staff (who wait for accreditation like everyone else)."""

from __future__ import annotations

import math
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from expo_app.audit.services import record, snapshot
from expo_app.delegations.models import Accreditation, Participant, ParticipantRole
from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor
from expo_app.exhibitors.services.common import (
    ExhibitorError,
    StaffLimitReached,
    lock_exhibitor,
    require_approved,
)
from expo_app.exhibitors.services.stands import total_stand_area
from expo_app.extensions import db

STAFF = ParticipantRole.EXHIBITOR_STAFF.value


def badge_allowance(exhibitor: Exhibitor, event: Event | None = None) -> int:
    """Staff badges: floor(stand m² / 9) x the event's badges per 9 m², and at least one."""
    event = event or exhibitor.event
    blocks = math.floor(round(total_stand_area(exhibitor), 6) / 9)
    return max(1, blocks * event.staff_badges_per_9m2)


def staff_of(exhibitor: Exhibitor) -> list[Participant]:
    return list(
        db.session.execute(
            select(Participant)
            .where(Participant.exhibitor_id == exhibitor.id, Participant.role == STAFF)
            .order_by(func.lower(Participant.name), Participant.id)
        ).scalars()
    )


def badges_used(exhibitor: Exhibitor) -> int:
    """Staff who hold or wait for a badge (a rejected person does not use one)."""
    return db.session.execute(
        select(func.count()).where(
            Participant.exhibitor_id == exhibitor.id,
            Participant.role == STAFF,
            Participant.accreditation != Accreditation.REJECTED.value,
        )
    ).scalar_one()


def add_staff(
    exhibitor: Exhibitor,
    *,
    name: str,
    email: str,
    title: str | None = None,
    country: str | None = None,
) -> Participant:
    """Put a person on the stand; they wait for accreditation like everyone else."""
    require_approved(exhibitor)
    lock_exhibitor(exhibitor)
    allowance = badge_allowance(exhibitor)
    if badges_used(exhibitor) >= allowance:
        raise StaffLimitReached(
            _l(
                "Your stands allow %(count)s staff badges and all are used. Remove someone, "
                "or book more stand space (the organiser gives %(per)s badges per 9 m²).",
                count=allowance,
                per=exhibitor.event.staff_badges_per_9m2,
            )
        )
    email = email.strip()
    taken = db.session.execute(
        select(Participant.id).where(
            Participant.event_id == exhibitor.event_id,
            func.lower(Participant.email) == email.lower(),
        )
    ).first()
    email_taken = ExhibitorError(
        _l("Someone with this email is already registered for the event."), field="email"
    )
    if taken:
        raise email_taken
    person = Participant(
        event_id=exhibitor.event_id,
        ref=f"{exhibitor.ref[:40]}-staff-{secrets.token_hex(4)}",
        name=name.strip(),
        email=email,
        role=STAFF,
        organisation=exhibitor.name,
        title=title or None,
        country=(country or exhibitor.country or "").upper() or None,
        exhibitor_id=exhibitor.id,
        accreditation=Accreditation.PENDING.value,
    )
    db.session.add(person)
    try:
        db.session.flush()
    except IntegrityError:  # the same email added from another tab at the same moment
        db.session.rollback()
        raise email_taken from None
    record(
        "staff.add",
        person,
        after=snapshot(person, ["name", "email", "title", "country", "exhibitor_id"]),
    )
    return person


def staff_member(exhibitor: Exhibitor, participant_id: int) -> Participant | None:
    """One of this exhibitor's staff, or None (another exhibitor's people are not found)."""
    return db.session.execute(
        select(Participant).where(
            Participant.id == participant_id,
            Participant.exhibitor_id == exhibitor.id,
            Participant.role == STAFF,
        )
    ).scalar_one_or_none()


def remove_staff(exhibitor: Exhibitor, person: Participant) -> None:
    if person.exhibitor_id != exhibitor.id or person.role != STAFF:
        raise ExhibitorError(_l("This person is not on your staff."))
    record("staff.remove", person, before=snapshot(person, ["name", "email", "accreditation"]))
    db.session.delete(person)
    db.session.flush()
