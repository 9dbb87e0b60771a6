"""Stands: an exhibitor's hold (one conditional UPDATE, so two clicks never both win), and
the organiser's confirm and release. The one implementation of each, whoever calls."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from expo_app.audit.services import record
from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor, Stand, StandStatus
from expo_app.exhibitors.services.common import (
    StandNotHeld,
    StandUnavailable,
    lock_exhibitor,
    require_approved,
)
from expo_app.extensions import db
from expo_app.modelkit import utcnow


def _freed() -> dict:
    """The column values of a stand nobody holds."""
    return {
        "exhibitor_id": None,
        "status": StandStatus.AVAILABLE.value,
        "held_at": None,
        "version": Stand.version + 1,
    }


def _change(*where, values: dict) -> bool:
    """One conditional UPDATE of stands; True if exactly one row changed (the race won)."""
    result = db.session.execute(
        update(Stand).where(*where).values(**values).execution_options(synchronize_session="fetch")
    )
    return result.rowcount == 1


def _reloaded(stand_id: int) -> Stand:
    return db.session.get(Stand, stand_id, populate_existing=True)


def reserve_stand(stand_id: int, exhibitor_id: int) -> None:
    """Hold a free stand for an exhibitor, atomically.

    One conditional UPDATE: of two exhibitors clicking the same stand at once,
    the database lets exactly one row change; the other sees 0 rows and is told.
    """
    held = _change(
        Stand.id == stand_id,
        Stand.exhibitor_id.is_(None),
        Stand.is_available,
        values={
            "exhibitor_id": exhibitor_id,
            "status": StandStatus.RESERVED.value,
            "held_at": utcnow(),
            "version": Stand.version + 1,
        },
    )
    if not held:
        # Nothing written, so the caller's transaction stays; but the stand this session
        # knows is stale: reload it, so the page shows who holds it now.
        known = db.session.get(Stand, stand_id)
        if known is not None:
            db.session.expire(known)
        raise StandUnavailable(stand_id)
    db.session.flush()


def stand_of_event(event: Event, stand_id: int) -> Stand | None:
    return db.session.execute(
        select(Stand).where(Stand.id == stand_id, Stand.event_id == event.id)
    ).scalar_one_or_none()


def current_hold(exhibitor: Exhibitor) -> Stand | None:
    """The stand this exhibitor holds without confirmation yet (one at a time)."""
    return (
        db.session.execute(
            select(Stand)
            .where(Stand.exhibitor_id == exhibitor.id, Stand.status == StandStatus.RESERVED.value)
            .order_by(Stand.id)
        )
        .scalars()
        .first()
    )


def _taken(stand_id: int, code: str) -> StandUnavailable:
    return StandUnavailable(
        stand_id,
        _l(
            "Sorry, stand %(code)s has just been taken by another exhibitor. The plan below "
            "is up to date: please choose another stand.",
            code=code,
        ),
    )


def hold_stand(exhibitor: Exhibitor, stand_id: int) -> Stand:
    """Reserve a free stand for an approved exhibitor; if it already holds an unconfirmed
    stand, move the hold there (reserve the new one, then free the old one, in one
    transaction: the exhibitor is never left with none, nor with two).

    Of two exhibitors clicking one stand at once, exactly one wins (`reserve_stand`'s
    conditional UPDATE); the other gets StandUnavailable, naming the stand.
    """
    require_approved(exhibitor)
    event_id, exhibitor_id = exhibitor.event_id, exhibitor.id
    lock_exhibitor(exhibitor)
    stand = db.session.execute(
        select(Stand).where(Stand.id == stand_id, Stand.event_id == event_id)
    ).scalar_one_or_none()
    if stand is None:
        db.session.rollback()
        raise _taken(stand_id, "?")
    if stand.exhibitor_id == exhibitor_id:
        return stand
    code = stand.ref
    previous = current_hold(exhibitor)
    previous_id = previous.id if previous is not None else None
    try:
        reserve_stand(stand_id, exhibitor_id)  # rolls back and raises if taken
    except StandUnavailable:
        raise _taken(stand_id, code) from None
    if previous_id is not None:
        _free_hold(previous_id, exhibitor_id)
    stand = _reloaded(stand_id)
    record(
        "stand.reserve",
        stand,
        after={"exhibitor_id": exhibitor_id, "status": "reserved", "moved_from": previous_id},
    )
    return stand


def _free_hold(stand_id: int, exhibitor_id: int) -> None:
    freed = _change(
        Stand.id == stand_id,
        Stand.exhibitor_id == exhibitor_id,
        Stand.status == StandStatus.RESERVED.value,
        values=_freed(),
    )
    if not freed:
        db.session.rollback()
        raise StandNotHeld(
            _l("This stand is no longer yours to change: the organiser has confirmed it.")
        )


def cancel_hold(exhibitor: Exhibitor, stand_id: int) -> None:
    """Give back an unconfirmed stand; a confirmed one only the organiser can release."""
    exhibitor_id = exhibitor.id
    _free_hold(stand_id, exhibitor_id)
    record(
        "stand.cancel",
        _reloaded(stand_id),
        before={"exhibitor_id": exhibitor_id, "status": "reserved"},
    )


def free_unconfirmed_holds(exhibitor: Exhibitor) -> None:
    """Give back every stand the exhibitor holds without confirmation (a refused company)."""
    _change(
        Stand.exhibitor_id == exhibitor.id,
        Stand.status == StandStatus.RESERVED.value,
        values=_freed(),
    )


def confirm_stand(stand: Stand) -> None:
    """Organiser: turn an exhibitor's hold into a confirmed booking."""
    stand_id = stand.id
    confirmed = _change(
        Stand.id == stand_id,
        Stand.status == StandStatus.RESERVED.value,
        values={"status": StandStatus.CONFIRMED.value, "version": Stand.version + 1},
    )
    if not confirmed:
        db.session.rollback()
        raise StandNotHeld(_l("This stand is not on hold any more."))
    record("stand.confirm", _reloaded(stand_id), after={"status": "confirmed"})


def release_stand(stand: Stand) -> None:
    """Organiser: free a held or confirmed stand."""
    stand_id = stand.id
    holder = stand.exhibitor_id
    if not _change(Stand.id == stand_id, ~Stand.is_available, values=_freed()):
        db.session.rollback()
        raise StandNotHeld(_l("This stand is already free."))
    record(
        "stand.release",
        _reloaded(stand_id),
        before={"exhibitor_id": holder},
        after={"exhibitor_id": None},
    )


def held_stands(exhibitor: Exhibitor) -> list[Stand]:
    return list(
        db.session.execute(
            select(Stand)
            .where(Stand.exhibitor_id == exhibitor.id)
            .options(selectinload(Stand.location))
            .order_by(Stand.ref)
        ).scalars()
    )


def stands_on_hold(event: Event) -> list[Stand]:
    """The holds waiting for the organiser's confirmation, oldest first."""
    return list(
        db.session.execute(
            select(Stand)
            .where(Stand.event_id == event.id, Stand.status == StandStatus.RESERVED.value)
            .options(selectinload(Stand.exhibitor), selectinload(Stand.location))
            .order_by(Stand.held_at, Stand.ref)
        ).scalars()
    )


def total_stand_area(exhibitor: Exhibitor) -> float:
    """Square metres of every stand the exhibitor holds, reserved or confirmed."""
    area = db.session.execute(
        select(func.coalesce(func.sum(Stand.width_m * Stand.depth_m), 0)).where(
            Stand.exhibitor_id == exhibitor.id
        )
    ).scalar_one()
    return float(area)
