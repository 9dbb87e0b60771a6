"""Reading matchmaking: free slots, open requests, someone's meetings and requests, places.

Reads only: nothing here writes, so pages may call it on GET. A request's state is read
at the moment of asking (`MeetingRequest.is_open_at`), so an unanswered request past its
deadline counts as expired whether or not the `expire-requests` job has run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from expo_app.delegations.models import Participant
from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from expo_app.matchmaking.models import (
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    Unavailability,
)
from expo_app.modelkit import utcnow


@dataclass(frozen=True)
class SlotOption:
    """A slot in which a delegate and an exhibitor can still meet."""

    slot: MeetingSlot
    tables_free: int | None  # None: the event has no tables (meetings at the stand)
    places_free: int  # the exhibitor's capacity left in the slot


def table_count(event: Event) -> int:
    return db.session.execute(
        select(func.count()).select_from(MeetingTable).where(MeetingTable.event_id == event.id)
    ).scalar_one()


def event_slots(event: Event) -> list[MeetingSlot]:
    """The event's meeting slots in time order."""
    return list(
        db.session.execute(
            select(MeetingSlot).where(MeetingSlot.event_id == event.id).order_by(MeetingSlot.start)
        ).scalars()
    )


def slot_of_event(event: Event, slot_id: int | None) -> MeetingSlot | None:
    """One of the event's slots, or None (another event's slot is not found)."""
    if slot_id is None:
        return None
    return db.session.execute(
        select(MeetingSlot).where(MeetingSlot.id == slot_id, MeetingSlot.event_id == event.id)
    ).scalar_one_or_none()


def free_slots(event: Event, *, delegate: Participant, exhibitor: Exhibitor) -> list[SlotOption]:
    """Slots, in time order, where the exhibitor has a capacity place left, the delegate has
    no meeting, neither blocked the slot, and (if the event has tables) a table is free.

    A fixed handful of queries, whatever the size of the event.
    """
    slots = event_slots(event)
    capacity = db.session.execute(
        select(Exhibitor.meeting_capacity).where(Exhibitor.id == exhibitor.id)
    ).scalar_one()
    exhibitor_used = dict(
        db.session.execute(
            select(Meeting.slot_id, func.count())
            .where(Meeting.exhibitor_id == exhibitor.id)
            .group_by(Meeting.slot_id)
        ).all()
    )
    delegate_busy = set(
        db.session.execute(
            select(Meeting.slot_id).where(Meeting.delegate_id == delegate.id)
        ).scalars()
    )
    blocked = set(
        db.session.execute(
            select(Unavailability.slot_id).where(
                or_(
                    Unavailability.participant_id == delegate.id,
                    Unavailability.exhibitor_id == exhibitor.id,
                )
            )
        ).scalars()
    )
    tables = table_count(event)
    tables_used: dict[int, int] = {}
    if tables:
        tables_used = dict(
            db.session.execute(
                select(Meeting.slot_id, func.count())
                .where(Meeting.event_id == event.id, Meeting.table_id.is_not(None))
                .group_by(Meeting.slot_id)
            ).all()
        )
    options = []
    for slot in slots:
        places = capacity - exhibitor_used.get(slot.id, 0)
        if places <= 0 or slot.id in delegate_busy or slot.id in blocked:
            continue
        tables_free = None
        if tables:
            tables_free = tables - tables_used.get(slot.id, 0)
            if tables_free <= 0:
                continue
        options.append(SlotOption(slot=slot, tables_free=tables_free, places_free=places))
    return options


def slots_by_day(options: Iterable[SlotOption]) -> list[tuple[date, list[SlotOption]]]:
    """Slot options grouped by day, in day order (as pages list them)."""
    grouped: dict[date, list[SlotOption]] = defaultdict(list)
    for option in options:
        grouped[option.slot.start.date()].append(option)
    return sorted(grouped.items())


def open_request(
    delegate: Participant, exhibitor: Exhibitor, *, now: datetime | None = None
) -> MeetingRequest | None:
    """The pair's request that is still open at `now` (default: this moment): pending and
    not past its deadline, or accepted, and without a meeting yet."""
    return (
        db.session.execute(
            select(MeetingRequest)
            .outerjoin(Meeting, Meeting.request_id == MeetingRequest.id)
            .where(
                MeetingRequest.delegate_id == delegate.id,
                MeetingRequest.exhibitor_id == exhibitor.id,
                MeetingRequest.is_open_at(now or utcnow()),
                Meeting.id.is_(None),
            )
            .order_by(MeetingRequest.id)
        )
        .scalars()
        .first()
    )


def blocked_slot_ids(
    *, participant: Participant | None = None, exhibitor: Exhibitor | None = None
) -> set[int]:
    """The slots one participant (or one exhibitor) marked as unavailable."""
    if (participant is None) == (exhibitor is None):
        raise ValueError("blocked_slot_ids needs exactly one of participant or exhibitor")
    column, party = (
        (Unavailability.participant_id, participant)
        if participant is not None
        else (Unavailability.exhibitor_id, exhibitor)
    )
    return set(
        db.session.execute(select(Unavailability.slot_id).where(column == party.id)).scalars()
    )


def meetings_of(event: Event, participant_ids: Iterable[int]) -> list[Meeting]:
    """The meetings of these delegates, in time order, ready to list."""
    ids = list(participant_ids)
    if not ids:
        return []
    return list(
        db.session.execute(
            select(Meeting)
            .join(MeetingSlot, MeetingSlot.id == Meeting.slot_id)
            .where(Meeting.event_id == event.id, Meeting.delegate_id.in_(ids))
            .options(
                joinedload(Meeting.slot),
                joinedload(Meeting.table).joinedload(MeetingTable.location),
                joinedload(Meeting.request),
                joinedload(Meeting.exhibitor).selectinload(Exhibitor.stands),
                joinedload(Meeting.delegate),
            )
            .order_by(MeetingSlot.start, Meeting.id)
        )
        .unique()
        .scalars()
    )


def requests_of(event: Event, participant_ids: Iterable[int]) -> list[MeetingRequest]:
    """These delegates' requests, newest first, with their exhibitor and meeting."""
    ids = list(participant_ids)
    if not ids:
        return []
    return list(
        db.session.execute(
            select(MeetingRequest)
            .where(MeetingRequest.event_id == event.id, MeetingRequest.delegate_id.in_(ids))
            .options(
                joinedload(MeetingRequest.exhibitor),
                joinedload(MeetingRequest.delegate),
                selectinload(MeetingRequest.meeting),
            )
            .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
        )
        .unique()
        .scalars()
    )


def meeting_place(meeting: Meeting, exhibitor: Exhibitor | None = None) -> str:
    """Where a meeting is held, in words: its table, else the exhibitor's (first) stand.

    `exhibitor` (with its stands loaded) saves the lazy load when listing many."""
    if meeting.table is not None:
        return _(
            "Table %(table)s — %(place)s",
            table=meeting.table.ref,
            place=meeting.table.location.name,
        )
    exhibitor = exhibitor if exhibitor is not None else meeting.exhibitor
    stand = exhibitor.stands[0] if exhibitor.stands else None
    if stand is not None:
        return _("Stand %(code)s — %(place)s", code=stand.ref, place=stand.location.name)
    return _("At the exhibitor's stand")
