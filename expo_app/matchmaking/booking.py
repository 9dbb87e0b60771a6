"""Booking meetings one at a time: requests, instant booking, availability and agendas.

The one place that writes a single meeting. Web views (delegate and exhibitor
portals), the CLI and the scheduler's apply step all go through `place_meeting`, so
the capacity place and the table are always chosen the same way.

Races are settled by the database, not by Python: a meeting takes a numbered
capacity place (unique per slot and exhibitor), a table (unique per slot) and the
delegate's slot (unique per delegate). Of two bookings racing for the last place,
the database refuses the second insert (on PostgreSQL when the first commits; on
SQLite the second transaction only starts, BEGIN IMMEDIATE, once the first is done
and so sees the place taken). The loser retries with another place or table inside
a savepoint, a bounded number of times, and otherwise gets `SlotTaken` with the
slots still free.

Every public function that changes data takes `commit=True`: it commits on success
and rolls back on a `BookingError`; with `commit=False` it only flushes, leaves
nothing behind when it raises, and the caller commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from expo_app.audit.services import record, snapshot
from expo_app.delegations.models import Delegation, FollowedSession, Participant
from expo_app.events.models import Event, EventSession
from expo_app.exhibitors.models import Exhibitor, Stand
from expo_app.extensions import db
from expo_app.matchmaking.models import (
    REQUESTERS,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    Unavailability,
)
from expo_app.modelkit import utcnow

# How many times a booking that lost a race tries another place or table.
MAX_ATTEMPTS = 5
MAX_MESSAGE_LENGTH = 2000
OPEN_STATUSES = ("pending", "accepted")
CLOSED_STATUSES = ("declined", "cancelled", "expired")
# Roles that sit on the delegate side of a meeting.
MEETING_ROLES = ("delegate", "vip", "press")


# --------------------------------------------------------------------------- errors


def language() -> Any:
    """Messages in the reader's language in a request; elsewhere (CLI, threads, tests) in
    the default language, since the app's locale selector needs a request."""
    if has_request_context():
        return nullcontext()
    return force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))


class BookingError(Exception):
    """A booking a person cannot make; `str()` gives the message in the current language."""

    default_message = _l("This booking is not possible.")

    def __init__(self, message: Any = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        with language():
            return str(self.message)


@dataclass(frozen=True)
class SlotOption:
    """A slot in which a delegate and an exhibitor can still meet."""

    slot: MeetingSlot
    tables_free: int | None  # None: the event has no tables (meetings at the stand)
    places_free: int  # the exhibitor's capacity left in the slot


class SlotTaken(BookingError):
    """The slot is no longer free for this pair; `alternatives` are the slots that are."""

    default_message = _l("This slot has just been taken. Please choose another one.")

    def __init__(self, message: Any = None, alternatives: list[SlotOption] | None = None):
        super().__init__(message)
        self.alternatives: list[SlotOption] = list(alternatives or [])


class NotAllowed(BookingError):
    """The person, the exhibitor or the state of things does not allow it."""

    default_message = _l("This action is not allowed.")


class RequestClosed(BookingError):
    """The request was declined, cancelled or expired, or answered already."""

    default_message = _l("This request is closed: it was answered, cancelled or has expired.")


# --------------------------------------------------------------------------- helpers


def _now(now: datetime | None = None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is not None:
        return now.astimezone(UTC).replace(tzinfo=None)
    return now


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def _new_ref(prefix: str) -> str:
    import secrets

    return f"{prefix}-{secrets.token_hex(6)}"


def _check_delegate(event: Event, delegate: Participant) -> None:
    if delegate.event_id != event.id or delegate.role not in MEETING_ROLES:
        raise NotAllowed(_l("Only delegates of this event can have meetings."))
    if delegate.accreditation != "approved":
        raise NotAllowed(
            _l(
                "%(name)s is not accredited yet: meetings open once the organisers "
                "approve the registration.",
                name=delegate.name,
            )
        )


def _check_exhibitor(event: Event, exhibitor: Exhibitor) -> None:
    if exhibitor.event_id != event.id or exhibitor.approval != "approved":
        raise NotAllowed(_l("This exhibitor does not take meetings at this event."))


def _check_slot(event: Event, slot: MeetingSlot) -> None:
    if slot.event_id != event.id:
        raise NotAllowed(_l("This slot is not part of this event."))


def _event_of(obj: Any) -> Event:
    return db.session.get(Event, obj.event_id)


def _slot_label(slot: MeetingSlot) -> str:
    from babel import dates as babel_dates

    from expo_app.templating import formatting_locale

    with language():
        locale = formatting_locale()
    day = babel_dates.format_date(slot.start, "full", locale=locale)
    hour = babel_dates.format_time(slot.start.time(), "short", locale=locale)
    return f"{day}, {hour}"


def table_count(event: Event) -> int:
    return db.session.execute(
        select(func.count()).select_from(MeetingTable).where(MeetingTable.event_id == event.id)
    ).scalar_one()


def _blocked_party(slot: MeetingSlot, delegate: Participant, exhibitor: Exhibitor) -> str | None:
    """Who blocked this slot: 'delegate', 'exhibitor' or None."""
    rows = db.session.execute(
        select(Unavailability.participant_id, Unavailability.exhibitor_id).where(
            Unavailability.slot_id == slot.id,
            or_(
                Unavailability.participant_id == delegate.id,
                Unavailability.exhibitor_id == exhibitor.id,
            ),
        )
    ).all()
    if any(row.participant_id == delegate.id for row in rows):
        return "delegate"
    if rows:
        return "exhibitor"
    return None


# --------------------------------------------------------------------------- free slots


def free_slots(event: Event, *, delegate: Participant, exhibitor: Exhibitor) -> list[SlotOption]:
    """Slots, in time order, where the exhibitor has a capacity place left, the delegate has
    no meeting, neither blocked the slot, and (if the event has tables) a table is free.

    Five queries whatever the size of the event.
    """
    slots = list(
        db.session.execute(
            select(MeetingSlot).where(MeetingSlot.event_id == event.id).order_by(MeetingSlot.start)
        ).scalars()
    )
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
        db.session.execute(select(Meeting.slot_id).where(Meeting.delegate_id == delegate.id))
        .scalars()
        .all()
    )
    blocked = set(
        db.session.execute(
            select(Unavailability.slot_id).where(
                or_(
                    Unavailability.participant_id == delegate.id,
                    Unavailability.exhibitor_id == exhibitor.id,
                )
            )
        )
        .scalars()
        .all()
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


# --------------------------------------------------------------------------- placing


def first_free_place(taken: Iterable[int], capacity: int) -> int | None:
    """The lowest place 1..capacity not in `taken`, or None: how every meeting, booked by
    hand or by the scheduler, picks its capacity place."""
    used = set(taken)
    return next((place for place in range(1, capacity + 1) if place not in used), None)


def lowest_free_place(exhibitor_id: int, slot_id: int) -> int | None:
    """The lowest capacity place 1..capacity the exhibitor has free in the slot, or None."""
    capacity = db.session.execute(
        select(Exhibitor.meeting_capacity).where(Exhibitor.id == exhibitor_id)
    ).scalar_one()
    taken = set(
        db.session.execute(
            select(Meeting.capacity_place).where(
                Meeting.slot_id == slot_id, Meeting.exhibitor_id == exhibitor_id
            )
        )
        .scalars()
        .all()
    )
    return first_free_place(taken, capacity)


def choose_table(
    event_id: int, exhibitor_id: int, slot: MeetingSlot, prefer: int | None = None
) -> int | None:
    """A free table in the slot, or None when every table is taken.

    Any free table keeps the rules; for the people we prefer, in order: the table asked
    for, a table this exhibitor already uses that day (it stays put), a table nobody uses
    that day, then any free one — the same preference as the scheduler's tables.py.
    """
    tables = list(
        db.session.execute(
            select(MeetingTable.id)
            .where(MeetingTable.event_id == event_id)
            .order_by(MeetingTable.ref, MeetingTable.id)
        )
        .scalars()
        .all()
    )
    taken = set(
        db.session.execute(
            select(Meeting.table_id).where(
                Meeting.slot_id == slot.id, Meeting.table_id.is_not(None)
            )
        )
        .scalars()
        .all()
    )
    free = [table for table in tables if table not in taken]
    if not free:
        return None
    if prefer in free:
        return prefer
    day_start = datetime.combine(slot.start.date(), time.min)
    same_day = db.session.execute(
        select(Meeting.exhibitor_id, Meeting.table_id)
        .join(MeetingSlot, MeetingSlot.id == Meeting.slot_id)
        .where(
            Meeting.event_id == event_id,
            Meeting.table_id.is_not(None),
            MeetingSlot.start >= day_start,
            MeetingSlot.start < day_start + timedelta(days=1),
        )
    ).all()
    own = {row.table_id for row in same_day if row.exhibitor_id == exhibitor_id}
    used_that_day = {row.table_id for row in same_day}
    for candidates in (
        [t for t in free if t in own],
        [t for t in free if t not in used_that_day],
        free,
    ):
        if candidates:
            return candidates[0]
    return None  # pragma: no cover


def _delegate_busy(delegate_id: int, slot_id: int, *, other_than: int | None = None) -> bool:
    statement = select(Meeting.id).where(
        Meeting.delegate_id == delegate_id, Meeting.slot_id == slot_id
    )
    if other_than is not None:
        statement = statement.where(Meeting.id != other_than)
    return db.session.execute(statement.limit(1)).first() is not None


def _explain_refusal(request_id: int, delegate_id: int) -> None:
    """After the database refused a meeting, raise what changed under us, if anything
    other than a place, a table or the delegate's slot (those a retry settles)."""
    status = db.session.execute(
        select(MeetingRequest.status).where(MeetingRequest.id == request_id)
    ).scalar_one_or_none()
    if status != "accepted":
        raise RequestClosed()
    accreditation = db.session.execute(
        select(Participant.accreditation).where(Participant.id == delegate_id)
    ).scalar_one_or_none()
    if accreditation != "approved":
        raise NotAllowed(_l("This delegate is no longer accredited."))


def place_meeting(
    request: MeetingRequest,
    slot: MeetingSlot,
    *,
    prefer_table: int | None = None,
    meeting: Meeting | None = None,
) -> Meeting:
    """Write the meeting of an accepted request in `slot` (or move `meeting` there), with the
    lowest free capacity place and a table when the event has tables. Flushes, never commits.

    The single-meeting writer: book_meeting and reschedule_meeting use it, and the
    scheduler's apply step should too. Raises SlotTaken (no alternatives filled in) when
    the slot is full for this pair after MAX_ATTEMPTS tries.
    """
    has_tables = db.session.execute(
        select(MeetingTable.id).where(MeetingTable.event_id == request.event_id).limit(1)
    ).first()
    delegate = db.session.get(Participant, request.delegate_id)
    for _attempt in range(MAX_ATTEMPTS):
        if _delegate_busy(request.delegate_id, slot.id, other_than=meeting.id if meeting else None):
            raise SlotTaken(_l("%(name)s already has a meeting in this slot.", name=delegate.name))
        place = lowest_free_place(request.exhibitor_id, slot.id)
        table_id = None
        if has_tables:
            table_id = choose_table(request.event_id, request.exhibitor_id, slot, prefer_table)
        if place is None or (has_tables and table_id is None):
            raise SlotTaken()
        capacity = db.session.execute(
            select(Exhibitor.meeting_capacity).where(Exhibitor.id == request.exhibitor_id)
        ).scalar_one()
        try:
            with db.session.begin_nested():
                if meeting is None:
                    written = Meeting(
                        event_id=request.event_id,
                        request_id=request.id,
                        delegate_id=request.delegate_id,
                        exhibitor_id=request.exhibitor_id,
                        slot_id=slot.id,
                        table_id=table_id,
                        request_status="accepted",
                        delegate_accreditation="approved",
                        exhibitor_capacity=capacity,
                        capacity_place=place,
                    )
                    db.session.add(written)
                else:
                    written = meeting
                    written.slot_id = slot.id
                    written.table_id = table_id
                    written.capacity_place = place
                    written.exhibitor_capacity = capacity
                db.session.flush()
            return written
        except IntegrityError:
            # Lost a race (or something changed): the savepoint is rolled back, the
            # transaction goes on; see why, then try the next free place or table.
            if meeting is not None:
                db.session.refresh(meeting)
            _explain_refusal(request.id, request.delegate_id)
    raise SlotTaken()


# --------------------------------------------------------------------------- requests


def open_request(delegate: Participant, exhibitor: Exhibitor) -> MeetingRequest | None:
    """The pair's request that is still open: pending, or accepted with no meeting yet."""
    return (
        db.session.execute(
            select(MeetingRequest)
            .outerjoin(Meeting, Meeting.request_id == MeetingRequest.id)
            .where(
                MeetingRequest.delegate_id == delegate.id,
                MeetingRequest.exhibitor_id == exhibitor.id,
                MeetingRequest.status.in_(OPEN_STATUSES),
                Meeting.id.is_(None),
            )
            .order_by(MeetingRequest.id)
        )
        .scalars()
        .first()
    )


def send_request(
    event: Event,
    *,
    delegate: Participant,
    exhibitor: Exhibitor,
    requested_by: str,
    message: str | None = None,
    priority: int = 1,
    commit: bool = True,
) -> MeetingRequest:
    """Ask to meet; the other side accepts or declines. One open request per pair."""
    try:
        if requested_by not in REQUESTERS:
            raise NotAllowed(_l("A request comes from the delegate or from the exhibitor."))
        if priority not in (1, 2, 3):
            raise NotAllowed(_l("Priority is 1 (low), 2 or 3 (high)."))
        message = (message or "").strip() or None
        if message and len(message) > MAX_MESSAGE_LENGTH:
            raise NotAllowed(
                _l("The message is too long (at most %(max)d characters).", max=MAX_MESSAGE_LENGTH)
            )
        _check_delegate(event, delegate)
        _check_exhibitor(event, exhibitor)
        if open_request(delegate, exhibitor) is not None:
            raise NotAllowed(
                _l(
                    "There is already an open request between %(delegate)s and %(exhibitor)s.",
                    delegate=delegate.name,
                    exhibitor=exhibitor.name,
                )
            )
        now = utcnow()
        expires_at = None
        if event.request_expiry_hours:
            expires_at = now + timedelta(hours=event.request_expiry_hours)
        request = MeetingRequest(
            event_id=event.id,
            ref=_new_ref("r"),
            delegate_id=delegate.id,
            exhibitor_id=exhibitor.id,
            requested_by=requested_by,
            status="pending",
            priority=priority,
            message=message,
            created_at=now,
            expires_at=expires_at,
        )
        db.session.add(request)
        db.session.flush()
        record("request.sent", request, after=snapshot(request))
    except BookingError:
        if commit:
            db.session.rollback()
        raise
    _finish(commit)
    return request


def respond_to_request(
    request: MeetingRequest, *, accept: bool, message: str | None = None, commit: bool = True
) -> MeetingRequest:
    """Accept or decline a pending request. An accepted one waits for a slot: the delegate
    picks one (book_meeting with this request) or the automatic scheduler places it."""
    message = (message or "").strip() or None
    if message and len(message) > MAX_MESSAGE_LENGTH:
        raise NotAllowed(
            _l("The message is too long (at most %(max)d characters).", max=MAX_MESSAGE_LENGTH)
        )
    if request.status == "pending" and request.expires_at and request.expires_at <= utcnow():
        before = snapshot(request, ["status"])
        request.status = "expired"
        record("request.expired", request, before=before, after=snapshot(request, ["status"]))
        _finish(commit)
        raise RequestClosed(_l("This request has expired."))
    if request.status != "pending":
        raise RequestClosed()
    if accept:
        delegate = db.session.get(Participant, request.delegate_id)
        if delegate.accreditation != "approved":
            raise NotAllowed(
                _l("%(name)s is not accredited, so no meeting can be held.", name=delegate.name)
            )
    before = snapshot(request, ["status", "response_message", "responded_at"])
    request.status = "accepted" if accept else "declined"
    request.response_message = message
    request.responded_at = utcnow()
    record(
        "request.accepted" if accept else "request.declined",
        request,
        before=before,
        after=snapshot(request, ["status", "response_message", "responded_at"]),
    )
    _finish(commit)
    return request


def _delete_meeting(meeting: Meeting, action: str) -> None:
    request = meeting.request
    record(action, meeting, before=snapshot(meeting))
    db.session.delete(meeting)
    db.session.flush()
    if request is not None:
        db.session.expire(request, ["meeting"])


def cancel_request(request: MeetingRequest, *, commit: bool = True) -> None:
    """Withdraw a request: its meeting goes first (the database insists), then the request."""
    if request.status in CLOSED_STATUSES:
        raise RequestClosed(_l("This request is already closed."))
    meeting = db.session.execute(
        select(Meeting).where(Meeting.request_id == request.id)
    ).scalar_one_or_none()
    if meeting is not None:
        _delete_meeting(meeting, "meeting.cancelled")
    before = snapshot(request, ["status"])
    request.status = "cancelled"
    record("request.cancelled", request, before=before, after=snapshot(request, ["status"]))
    _finish(commit)


def expire_requests(event: Event, now: datetime | None = None, *, commit: bool = True) -> int:
    """Pending requests nobody answered in time become 'expired'; returns how many."""
    moment = _now(now)
    stale = list(
        db.session.execute(
            select(MeetingRequest).where(
                MeetingRequest.event_id == event.id,
                MeetingRequest.status == "pending",
                MeetingRequest.expires_at.is_not(None),
                MeetingRequest.expires_at <= moment,
            )
        ).scalars()
    )
    for request in stale:
        request.status = "expired"
        record(
            "request.expired", request, before={"status": "pending"}, after={"status": "expired"}
        )
    if stale:
        _finish(commit)
    return len(stale)


# --------------------------------------------------------------------------- meetings


def _request_for_booking(
    event: Event, delegate: Participant, exhibitor: Exhibitor, request: MeetingRequest | None
) -> MeetingRequest:
    """The accepted request an instant booking stands on: the one given, the pair's open
    one, or a new one. A pending request is accepted by booking it."""
    if request is not None:
        if request.delegate_id != delegate.id or request.exhibitor_id != exhibitor.id:
            raise NotAllowed(_l("This request is for another delegate or exhibitor."))
        if request.status in CLOSED_STATUSES:
            raise RequestClosed()
        if request.status == "pending" and request.expires_at and request.expires_at <= utcnow():
            raise RequestClosed(_l("This request has expired."))
        if request.meeting is not None:
            raise NotAllowed(_l("This request already has a meeting: move that meeting instead."))
    else:
        request = open_request(delegate, exhibitor)
    if request is None:
        now = utcnow()
        request = MeetingRequest(
            event_id=event.id,
            ref=_new_ref("r"),
            delegate_id=delegate.id,
            exhibitor_id=exhibitor.id,
            requested_by="delegate",
            status="accepted",
            priority=1,
            created_at=now,
            responded_at=now,
        )
        db.session.add(request)
        db.session.flush()
        record("request.booked", request, after=snapshot(request))
    elif request.status == "pending":
        before = snapshot(request, ["status", "responded_at"])
        request.status = "accepted"
        request.responded_at = utcnow()
        db.session.flush()
        record(
            "request.accepted",
            request,
            before=before,
            after=snapshot(request, ["status", "responded_at"]),
        )
    return request


def lock_parties(*, delegate_id: int | None = None, exhibitor_id: int | None = None) -> None:
    """Hold the delegate's and the exhibitor's rows until the transaction ends.

    A booking and a "block this slot" (set_blocked) each check the other's rows before
    writing their own; holding the party rows makes them take turns, so a booking cannot
    land in a slot blocked at the same moment. PostgreSQL: FOR NO KEY UPDATE, always in the
    order delegate then exhibitor (no deadlock), and it does not stop other transactions
    from inserting rows that merely refer to them. SQLite already runs one writer at a time
    (BEGIN IMMEDIATE) and ignores the clause.
    """
    if delegate_id is not None:
        db.session.execute(
            select(Participant.id)
            .where(Participant.id == delegate_id)
            .with_for_update(key_share=True)
        )
    if exhibitor_id is not None:
        db.session.execute(
            select(Exhibitor.id).where(Exhibitor.id == exhibitor_id).with_for_update(key_share=True)
        )


def _refuse_blocked(slot: MeetingSlot, delegate: Participant, exhibitor: Exhibitor) -> None:
    lock_parties(delegate_id=delegate.id, exhibitor_id=exhibitor.id)
    who = _blocked_party(slot, delegate, exhibitor)
    if who == "delegate":
        raise SlotTaken(_l("%(name)s marked this slot as unavailable.", name=delegate.name))
    if who == "exhibitor":
        raise SlotTaken(_l("%(name)s is not available in this slot.", name=exhibitor.name))


def book_meeting(
    event: Event,
    *,
    delegate: Participant,
    exhibitor: Exhibitor,
    slot: MeetingSlot,
    request: MeetingRequest | None = None,
    commit: bool = True,
) -> Meeting:
    """Instant booking: the accepted request (given, reused or new) and the meeting with
    its capacity place and table, all or nothing. SlotTaken carries the free alternatives."""
    try:
        _check_delegate(event, delegate)
        _check_exhibitor(event, exhibitor)
        _check_slot(event, slot)
        with db.session.begin_nested():  # a refusal leaves no request behind
            _refuse_blocked(slot, delegate, exhibitor)
            accepted = _request_for_booking(event, delegate, exhibitor, request)
            meeting = place_meeting(accepted, slot)
            record("meeting.booked", meeting, after=snapshot(meeting))
    except BookingError as error:
        if isinstance(error, SlotTaken) and not error.alternatives:
            error.alternatives = free_slots(event, delegate=delegate, exhibitor=exhibitor)
        if commit:
            db.session.rollback()
        raise
    _finish(commit)
    return meeting


def cancel_meeting(meeting: Meeting, *, commit: bool = True) -> None:
    """Free the meeting's slot, table and place. Its request stays accepted: it waits for
    another slot (picked by the delegate, or by the scheduler). To drop both, cancel_request."""
    _delete_meeting(meeting, "meeting.cancelled")
    _finish(commit)


def reschedule_meeting(meeting: Meeting, slot: MeetingSlot, *, commit: bool = True) -> Meeting:
    """Move a meeting to another slot, keeping its table if that one is free there."""
    event = _event_of(meeting)
    delegate = db.session.get(Participant, meeting.delegate_id)
    exhibitor = db.session.get(Exhibitor, meeting.exhibitor_id)
    if slot.id == meeting.slot_id:
        return meeting
    try:
        _check_slot(event, slot)
        _check_delegate(event, delegate)
        with db.session.begin_nested():
            _refuse_blocked(slot, delegate, exhibitor)
            before = snapshot(meeting, ["slot_id", "table_id", "capacity_place"])
            place_meeting(meeting.request, slot, prefer_table=meeting.table_id, meeting=meeting)
            record(
                "meeting.moved",
                meeting,
                before=before,
                after=snapshot(meeting, ["slot_id", "table_id", "capacity_place"]),
            )
    except BookingError as error:
        if isinstance(error, SlotTaken) and not error.alternatives:
            error.alternatives = free_slots(event, delegate=delegate, exhibitor=exhibitor)
        if commit:
            db.session.rollback()
        raise
    _finish(commit)
    return meeting


# --------------------------------------------------------------------------- availability


def blocked_slot_ids(*, participant: Participant | None = None, exhibitor=None) -> set[int]:
    column, party = (
        (Unavailability.participant_id, participant)
        if participant is not None
        else (Unavailability.exhibitor_id, exhibitor)
    )
    return set(
        db.session.execute(select(Unavailability.slot_id).where(column == party.id)).scalars()
    )


def set_blocked(
    event: Event,
    *,
    slot: MeetingSlot,
    participant: Participant | None = None,
    exhibitor: Exhibitor | None = None,
    blocked: bool,
    commit: bool = True,
) -> None:
    """Mark a slot as unavailable (or available again) for one participant or exhibitor.
    A slot that holds one of their meetings cannot be blocked: move or cancel it first."""
    if (participant is None) == (exhibitor is None):
        raise ValueError("set_blocked needs exactly one of participant or exhibitor")
    party = participant if participant is not None else exhibitor
    try:
        _check_slot(event, slot)
        if party.event_id != event.id:
            raise NotAllowed()
        column = (
            Unavailability.participant_id
            if participant is not None
            else Unavailability.exhibitor_id
        )
        if participant is not None:
            lock_parties(delegate_id=participant.id)
        else:
            lock_parties(exhibitor_id=exhibitor.id)
        existing = db.session.execute(
            select(Unavailability).where(Unavailability.slot_id == slot.id, column == party.id)
        ).scalar_one_or_none()
        if blocked and existing is None:
            meeting_column = (
                Meeting.delegate_id if participant is not None else Meeting.exhibitor_id
            )
            has_meeting = db.session.execute(
                select(Meeting.id)
                .where(Meeting.slot_id == slot.id, meeting_column == party.id)
                .limit(1)
            ).first()
            if has_meeting:
                raise NotAllowed(
                    _l(
                        "There is a meeting on %(when)s: cancel or move it before "
                        "blocking this slot.",
                        when=_slot_label(slot),
                    )
                )
            row = Unavailability(
                slot_id=slot.id,
                participant_id=participant.id if participant is not None else None,
                exhibitor_id=exhibitor.id if exhibitor is not None else None,
            )
            try:
                with db.session.begin_nested():
                    db.session.add(row)
                    db.session.flush()
            except IntegrityError:
                pass  # blocked at the same moment from another tab: that is what we wanted
            else:
                record("slot.blocked", row, event_id=event.id, after=snapshot(row))
        elif not blocked and existing is not None:
            record("slot.unblocked", existing, event_id=event.id, before=snapshot(existing))
            db.session.delete(existing)
    except BookingError:
        if commit:
            db.session.rollback()
        raise
    _finish(commit)


# --------------------------------------------------------------------------- agenda


@dataclass
class AgendaItem:
    """One line of someone's day: a meeting, a session they follow or a demo they may see."""

    kind: str  # "meeting", "session" or "demo"
    start: datetime
    end: datetime
    title: str
    other_party: str | None = None  # the exhibitor, or the delegate (and delegation)
    where: str | None = None  # "Table T03 — Business Matchmaking Lounge", "Stand A-01 — Hall A"
    meeting: Meeting | None = None
    session: EventSession | None = None


@dataclass
class AgendaDay:
    day: date
    items: list[AgendaItem] = field(default_factory=list)


def _meeting_place(meeting: Meeting, exhibitor: Exhibitor) -> str:
    if meeting.table is not None:
        return _(
            "Table %(table)s — %(place)s",
            table=meeting.table.ref,
            place=meeting.table.location.name,
        )
    stand = exhibitor.stands[0] if exhibitor.stands else None
    if stand is not None:
        return _("Stand %(code)s — %(place)s", code=stand.ref, place=stand.location.name)
    return _("At the exhibitor's stand")


def admitted_to_demo(
    participant: Participant,
    session: EventSession,
    allow_lists: dict[int, tuple[set[int], set[str]]] | None = None,
) -> bool:
    """An accredited participant may attend a demo when the zone admits their badge (a
    restricted location needs it in their zones) and any allow-list of the demo (its
    delegations or countries, for export-controlled systems) includes them: their
    delegation, their own nationality or their delegation's country.

    `allow_lists` (from demo_allow_lists) saves a query per demo when checking many."""
    if participant.accreditation != "approved":
        return False
    if session.location.restricted and session.location_id not in participant.zone_location_ids:
        return False
    if allow_lists is None:
        allow_lists = demo_allow_lists(session.event_id)
    allow = allow_lists.get(session.id)
    if allow is None:
        return True
    delegations, countries = allow
    if not delegations and not countries:
        return True
    if participant.delegation_id in delegations:
        return True
    delegation_country = participant.delegation.country if participant.delegation else None
    return bool({participant.country, delegation_country} & countries)


def demo_allow_lists(event_id: int) -> dict[int, tuple[set[int], set[str]]]:
    """Per placed demo session of the event: its allowed delegation ids and countries."""
    from expo_app.exhibitors.models import DemoRequest

    demos = db.session.execute(
        select(DemoRequest)
        .where(DemoRequest.event_id == event_id, DemoRequest.session_id.is_not(None))
        .options(
            selectinload(DemoRequest.allowed_delegations),
            selectinload(DemoRequest.allowed_countries),
        )
    ).scalars()
    return {
        demo.session_id: (
            {delegation.id for delegation in demo.allowed_delegations},
            set(demo.country_codes),
        )
        for demo in demos
    }


def agenda(
    event: Event, *, participant: Participant | None = None, exhibitor: Exhibitor | None = None
) -> list[AgendaDay]:
    """Someone's days in time order. A participant: their meetings, the sessions they follow,
    and the demos they are admitted to. An exhibitor: its meetings and its own demos."""
    if (participant is None) == (exhibitor is None):
        raise ValueError("agenda needs exactly one of participant or exhibitor")
    with language():
        return _agenda(event, participant, exhibitor)


def _agenda(
    event: Event, participant: Participant | None, exhibitor: Exhibitor | None
) -> list[AgendaDay]:
    items: list[AgendaItem] = []
    statement = (
        select(Meeting)
        .join(MeetingSlot, MeetingSlot.id == Meeting.slot_id)
        .where(Meeting.event_id == event.id)
        .options(
            joinedload(Meeting.slot),
            joinedload(Meeting.table).joinedload(MeetingTable.location),
            joinedload(Meeting.request),
        )
        .order_by(MeetingSlot.start)
    )
    if participant is not None:
        statement = statement.where(Meeting.delegate_id == participant.id)
    else:
        statement = statement.where(Meeting.exhibitor_id == exhibitor.id)
    meetings = list(db.session.execute(statement).unique().scalars())
    exhibitors = (
        {
            e.id: e
            for e in db.session.execute(
                select(Exhibitor)
                .where(Exhibitor.id.in_({m.exhibitor_id for m in meetings}))
                .options(selectinload(Exhibitor.stands).joinedload(Stand.location))
            ).scalars()
        }
        if meetings
        else {}
    )
    delegates = (
        {
            p.id: p
            for p in db.session.execute(
                select(Participant)
                .where(Participant.id.in_({m.delegate_id for m in meetings}))
                .options(joinedload(Participant.delegation))
            ).scalars()
        }
        if meetings and exhibitor is not None
        else {}
    )
    for meeting in meetings:
        their_exhibitor = exhibitors[meeting.exhibitor_id]
        if participant is not None:
            title = _("Meeting with %(name)s", name=their_exhibitor.name)
            other = their_exhibitor.name
        else:
            person = delegates[meeting.delegate_id]
            other = person.name
            if person.delegation is not None:
                other = f"{person.name} ({person.delegation.name})"
            title = _("Meeting with %(name)s", name=other)
        items.append(
            AgendaItem(
                kind="meeting",
                start=meeting.slot.start,
                end=meeting.slot.end,
                title=title,
                other_party=other,
                where=_meeting_place(meeting, their_exhibitor),
                meeting=meeting,
            )
        )
    sessions = db.session.execute(
        select(EventSession)
        .where(EventSession.event_id == event.id)
        .options(joinedload(EventSession.location), joinedload(EventSession.exhibitor))
        .order_by(EventSession.start)
    ).scalars()
    followed: set[int] = set()
    if participant is not None:
        followed = set(
            db.session.execute(
                select(FollowedSession.session_id).where(
                    FollowedSession.participant_id == participant.id
                )
            ).scalars()
        )
    allow_lists = demo_allow_lists(event.id) if participant is not None else {}
    for session in sessions:
        if participant is not None:
            if session.kind == "demo" and admitted_to_demo(participant, session, allow_lists):
                kind = "demo"
            elif session.id in followed:
                kind = "demo" if session.kind == "demo" else "session"
            else:
                continue
        elif session.exhibitor_id == exhibitor.id:
            kind = "demo" if session.kind == "demo" else "session"
        else:
            continue
        items.append(
            AgendaItem(
                kind=kind,
                start=session.start,
                end=session.end,
                title=session.title,
                other_party=session.exhibitor.name if session.exhibitor else None,
                where=session.location.name,
                session=session,
            )
        )
    order = {"meeting": 0, "session": 1, "demo": 2}
    items.sort(key=lambda item: (item.start, order[item.kind], item.title))
    days: dict[date, AgendaDay] = {}
    for item in items:
        days.setdefault(item.start.date(), AgendaDay(item.start.date())).items.append(item)
    return [days[key] for key in sorted(days)]


def event_zone(event: Event) -> ZoneInfo | None:
    try:
        return ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def event_time(event: Event, moment: datetime) -> datetime:
    """A stored UTC timestamp (created_at, expires_at...) as the event's wall-clock time."""
    zone = event_zone(event)
    if zone is None:
        return moment
    return moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def agenda_ics(
    event: Event,
    *,
    participant: Participant | None = None,
    exhibitor: Exhibitor | None = None,
    days: Iterable[AgendaDay] | None = None,
) -> bytes:
    """The agenda as an iCalendar file: local wall-clock times with the event's TZID and its
    VTIMEZONE, stable UIDs (a subscribed calendar updates instead of duplicating)."""
    import icalendar

    days = (
        list(days)
        if days is not None
        else agenda(event, participant=participant, exhibitor=exhibitor)
    )
    owner = participant.name if participant is not None else exhibitor.name
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Expo//Agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{event.name} — {owner}")
    zone = event_zone(event)
    if zone is not None:
        timezone = icalendar.Timezone.from_tzinfo(
            zone,
            first_date=event.start_date - timedelta(days=1),
            last_date=event.end_date + timedelta(days=2),
        )
        timezone["TZID"] = event.timezone  # zones equal to UTC come back named "UTC"
        calendar.add("x-wr-timezone", event.timezone)
        calendar.add_component(timezone)
    stamp = datetime.now(UTC).replace(microsecond=0)
    who = f"p{participant.id}" if participant is not None else f"x{exhibitor.id}"
    for day in days:
        for item in day.items:
            entry = icalendar.Event()
            if item.meeting is not None:
                uid = f"meeting-{item.meeting.id}-{who}@{event.slug}.expo"
            else:
                uid = f"session-{item.session.id}-{who}@{event.slug}.expo"
            entry.add("uid", uid)
            entry.add("dtstamp", stamp)
            for name, value in (("dtstart", item.start), ("dtend", item.end)):
                if zone is not None:
                    entry.add(name, value.replace(tzinfo=None), parameters={"TZID": event.timezone})
                else:
                    entry.add(name, value)
            entry.add("summary", item.title)
            if item.where:
                entry.add("location", item.where)
            if item.other_party and item.kind == "meeting":
                entry.add("description", item.other_party)
            calendar.add_component(entry)
    return calendar.to_ical()


# --------------------------------------------------------------------------- lookups


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


def meeting_place(meeting: Meeting) -> str:
    """Where a meeting is held, in words (its table, else the exhibitor's stand)."""
    return _meeting_place(meeting, meeting.exhibitor)


def slots_by_day(options: Iterable[SlotOption]) -> list[tuple[date, list[SlotOption]]]:
    grouped: dict[date, list[SlotOption]] = defaultdict(list)
    for option in options:
        grouped[option.slot.start.date()].append(option)
    return sorted(grouped.items())


def delegation_members(head: Participant) -> list[Participant]:
    """The people a head of delegation acts for (themselves first), else just the person."""
    led = list(
        db.session.execute(
            select(Delegation).where(
                Delegation.head_id == head.id, Delegation.event_id == head.event_id
            )
        ).scalars()
    )
    if not led:
        return [head]
    members = db.session.execute(
        select(Participant)
        .where(Participant.delegation_id.in_([d.id for d in led]), Participant.id != head.id)
        .order_by(Participant.name, Participant.id)
    ).scalars()
    return [head, *members]


__all__ = [
    "AgendaDay",
    "AgendaItem",
    "BookingError",
    "NotAllowed",
    "RequestClosed",
    "SlotOption",
    "SlotTaken",
    "agenda",
    "agenda_ics",
    "book_meeting",
    "cancel_meeting",
    "cancel_request",
    "expire_requests",
    "free_slots",
    "place_meeting",
    "reschedule_meeting",
    "respond_to_request",
    "send_request",
    "set_blocked",
]
