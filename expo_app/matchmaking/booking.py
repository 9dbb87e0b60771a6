"""Booking meetings one at a time: the rules and the writes (requests, bookings, blocks).

The one place that writes a single meeting. Web views (delegate and exhibitor
portals), the CLI and the scheduler's apply step all go through `place_meeting`, so
the capacity place and the table are always chosen the same way. Reads live in
`queries`, the personal agenda in `agenda`.

Races are settled by the database, not by Python: a meeting takes a numbered
capacity place (unique per slot and exhibitor), a table (unique per slot) and the
delegate's slot (unique per delegate). Of two bookings racing for the last place,
the database refuses the second insert (on PostgreSQL when the first commits; on
SQLite the second transaction only starts, BEGIN IMMEDIATE, once the first is done
and so sees the place taken). The loser retries with another place or table inside
a savepoint, a bounded number of times, and otherwise gets `SlotTaken` with the
slots still free.

Nothing here commits: every function flushes, leaves nothing behind when it raises
(its writes sit in a savepoint), and the caller (the request path, a CLI command)
commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from expo_app.audit.services import record, snapshot
from expo_app.delegations.models import Participant
from expo_app.errors import DomainError
from expo_app.events.clock import naive_utc, slot_label
from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from expo_app.matchmaking.models import (
    REQUESTERS,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    RequestStatus,
    Side,
    Unavailability,
)
from expo_app.matchmaking.queries import SlotOption, free_slots, open_request
from expo_app.modelkit import utcnow

# How many times a booking that lost a race tries another place or table.
MAX_ATTEMPTS = 5
MAX_MESSAGE_LENGTH = 2000


# --------------------------------------------------------------------------- errors


class BookingError(DomainError):
    """A booking a person cannot make; `str()` gives the message in the current language."""

    default_message = _l("This booking is not possible.")


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
    return utcnow() if now is None else naive_utc(now)


def _new_ref(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def meeting_refusal(event: Event, delegate: Participant) -> NotAllowed | None:
    """Why this person cannot be the delegate side of a meeting at this event (None: they
    can): the one rule the booking writes enforce and the booking pages explain."""
    if delegate.event_id != event.id or not delegate.may_meet:
        return NotAllowed(_l("Only delegates of this event can have meetings."))
    if not delegate.is_accredited:
        return NotAllowed(
            _l(
                "%(name)s is not accredited yet: meetings open once the organisers "
                "approve the registration.",
                name=delegate.name,
            )
        )
    return None


def _check_delegate(event: Event, delegate: Participant) -> None:
    refusal = meeting_refusal(event, delegate)
    if refusal is not None:
        raise refusal


def _check_exhibitor(event: Event, exhibitor: Exhibitor) -> None:
    if exhibitor.event_id != event.id or not exhibitor.is_approved:
        raise NotAllowed(_l("This exhibitor does not take meetings at this event."))


def _check_slot(event: Event, slot: MeetingSlot) -> None:
    if slot.event_id != event.id:
        raise NotAllowed(_l("This slot is not part of this event."))


def _event_of(obj: Any) -> Event:
    return db.session.get(Event, obj.event_id)


def _blocked_party(slot: MeetingSlot, delegate: Participant, exhibitor: Exhibitor) -> Side | None:
    """Which side blocked this slot (the delegate first), or None."""
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
        return Side.DELEGATE
    if rows:
        return Side.EXHIBITOR
    return None


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
    accepted = db.session.execute(
        select(MeetingRequest.id).where(
            MeetingRequest.id == request_id, MeetingRequest.status == RequestStatus.ACCEPTED
        )
    ).first()
    if accepted is None:
        raise RequestClosed()
    accredited = db.session.execute(
        select(Participant.id).where(Participant.id == delegate_id, Participant.is_accredited)
    ).first()
    if accredited is None:
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
                    written = Meeting.for_request(
                        request, slot, table_id=table_id, capacity=capacity, place=place
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


def send_request(
    event: Event,
    *,
    delegate: Participant,
    exhibitor: Exhibitor,
    requested_by: str,
    message: str | None = None,
    priority: int = 1,
) -> MeetingRequest:
    """Ask to meet; the other side accepts or declines. One open request per pair."""
    if requested_by not in REQUESTERS:
        raise NotAllowed(_l("A request comes from the delegate or from the exhibitor."))
    if priority not in (1, 2, 3):
        raise NotAllowed(_l("Priority is 1 (low), 2 or 3 (high)."))
    message = _checked_message(message)
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
    return _new_request(
        event,
        delegate,
        exhibitor,
        now,
        "request.sent",
        requested_by=requested_by,
        status=RequestStatus.PENDING.value,
        priority=priority,
        message=message,
        expires_at=expires_at,
    )


def _new_request(
    event: Event,
    delegate: Participant,
    exhibitor: Exhibitor,
    now: datetime,
    action: str,
    **values: Any,
) -> MeetingRequest:
    """Write a new request of the pair, with its audit entry (`action`)."""
    request = MeetingRequest(
        event_id=event.id,
        ref=_new_ref("r"),
        delegate_id=delegate.id,
        exhibitor_id=exhibitor.id,
        created_at=now,
        **values,
    )
    db.session.add(request)
    db.session.flush()
    record(action, request, after=snapshot(request))
    db.session.flush()
    return request


def _checked_message(message: str | None) -> str | None:
    """A message to the other side, trimmed (None when empty); refused when too long."""
    message = (message or "").strip() or None
    if message and len(message) > MAX_MESSAGE_LENGTH:
        raise NotAllowed(
            _l("The message is too long (at most %(max)d characters).", max=MAX_MESSAGE_LENGTH)
        )
    return message


def _refuse_unless(
    allowed: bool, request: MeetingRequest, not_yours: Any, *, still_actionable: bool
) -> None:
    """Say why a side may not act on a request: closed for everyone (expired, or past the
    state the action needs: `still_actionable` False), or not this side's to do."""
    if allowed:
        return
    if request.state == RequestStatus.EXPIRED:
        raise RequestClosed(_l("This request has expired."))
    if not still_actionable:
        raise RequestClosed()
    raise NotAllowed(not_yours)


def respond_to_request(
    request: MeetingRequest, *, by: str, accept: bool, message: str | None = None
) -> MeetingRequest:
    """The invited side (`by`) accepts or declines a pending request. An accepted one waits
    for a slot: a party books one or the automatic scheduler places it. The side that
    asked cannot answer its own request (MeetingRequest.answerable_by)."""
    message = _checked_message(message)
    _refuse_unless(
        request.answerable_by(by),
        request,
        _l("Only the invited side answers a request; you can withdraw yours instead."),
        still_actionable=request.is_pending,  # answered already: closed, whoever asks
    )
    if accept:
        delegate = db.session.get(Participant, request.delegate_id)
        if not delegate.is_accredited:
            raise NotAllowed(
                _l("%(name)s is not accredited, so no meeting can be held.", name=delegate.name)
            )
    before = snapshot(request, ["status", "response_message", "responded_at"])
    request.status = (RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED).value
    request.response_message = message
    request.responded_at = utcnow()
    record(
        "request.accepted" if accept else "request.declined",
        request,
        before=before,
        after=snapshot(request, ["status", "response_message", "responded_at"]),
    )
    db.session.flush()
    return request


def _delete_meeting(meeting: Meeting, action: str) -> None:
    request = meeting.request
    record(action, meeting, before=snapshot(meeting))
    db.session.delete(meeting)
    db.session.flush()
    if request is not None:
        db.session.expire(request, ["meeting"])


def cancel_request(request: MeetingRequest, *, by: str | None) -> None:
    """Withdraw a request (`by` a side, see MeetingRequest.cancellable_by; None: the
    organisers, e.g. when a delegate's accreditation is refused): its meeting goes first
    (the database insists), then the request."""
    if not request.is_open:
        raise RequestClosed(_l("This request is already closed."))
    if by is not None:
        _refuse_unless(
            request.cancellable_by(by),
            request,
            _l("An invitation you received is declined, not cancelled."),
            still_actionable=True,  # open: checked above
        )
    meeting = db.session.execute(
        select(Meeting).where(Meeting.request_id == request.id)
    ).scalar_one_or_none()
    if meeting is not None:
        _delete_meeting(meeting, "meeting.cancelled")
    before = snapshot(request, ["status"])
    request.status = RequestStatus.CANCELLED.value
    record("request.cancelled", request, before=before, after=snapshot(request, ["status"]))
    db.session.flush()


def expire_requests(event: Event, now: datetime | None = None) -> int:
    """Write 'expired' on the pending requests nobody answered in time; returns how many.

    A job (`expo expire-requests`), never part of a page: reads already see such a request
    as expired (MeetingRequest.state), this only makes the stored status say so too."""
    moment = _now(now)
    stale = list(
        db.session.execute(
            select(MeetingRequest).where(
                MeetingRequest.event_id == event.id,
                MeetingRequest.status == RequestStatus.PENDING.value,
                MeetingRequest.state_at(moment) == RequestStatus.EXPIRED.value,
            )
        ).scalars()
    )
    for request in stale:
        request.status = RequestStatus.EXPIRED.value
        record(
            "request.expired",
            request,
            before={"status": RequestStatus.PENDING.value},
            after={"status": RequestStatus.EXPIRED.value},
        )
    if stale:
        db.session.flush()
    return len(stale)


# --------------------------------------------------------------------------- meetings


def _request_for_booking(
    event: Event,
    delegate: Participant,
    exhibitor: Exhibitor,
    request: MeetingRequest | None,
    by: str,
) -> MeetingRequest:
    """The accepted request a booking by `by` stands on: the one given, the pair's open
    one, or (a delegate's instant booking) a new one. Booking a pending request accepts
    it, so only a side allowed to accept it may (MeetingRequest.bookable_by)."""
    if request is not None:
        if request.delegate_id != delegate.id or request.exhibitor_id != exhibitor.id:
            raise NotAllowed(_l("This request is for another delegate or exhibitor."))
    else:
        request = open_request(delegate, exhibitor)
    if request is not None:
        if request.meeting is not None and request.is_open:
            raise NotAllowed(_l("This request already has a meeting: move that meeting instead."))
        _refuse_unless(
            request.bookable_by(by),
            request,
            _l("The delegate has not answered your invitation yet."),
            still_actionable=request.is_open,
        )
    elif by != Side.DELEGATE:
        raise NotAllowed(_l("Meetings are booked on a request the delegate made or accepted."))
    if request is None:
        now = utcnow()
        request = _new_request(
            event,
            delegate,
            exhibitor,
            now,
            "request.booked",
            requested_by=Side.DELEGATE.value,
            status=RequestStatus.ACCEPTED.value,
            priority=1,
            responded_at=now,
        )
    elif request.is_pending:
        before = snapshot(request, ["status", "responded_at"])
        request.status = RequestStatus.ACCEPTED.value
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
    if who == Side.DELEGATE:
        raise SlotTaken(_l("%(name)s marked this slot as unavailable.", name=delegate.name))
    if who == Side.EXHIBITOR:
        raise SlotTaken(_l("%(name)s is not available in this slot.", name=exhibitor.name))


def book_meeting(
    event: Event,
    *,
    delegate: Participant,
    exhibitor: Exhibitor,
    slot: MeetingSlot,
    by: str,
    request: MeetingRequest | None = None,
) -> Meeting:
    """Instant booking: the accepted request (given, reused or new) and the meeting with
    its capacity place and table, all or nothing. SlotTaken carries the free alternatives."""
    try:
        _check_delegate(event, delegate)
        _check_exhibitor(event, exhibitor)
        _check_slot(event, slot)
        with db.session.begin_nested():  # a refusal leaves no request behind
            _refuse_blocked(slot, delegate, exhibitor)
            accepted = _request_for_booking(event, delegate, exhibitor, request, by)
            meeting = place_meeting(accepted, slot)
            record("meeting.booked", meeting, after=snapshot(meeting))
    except BookingError as error:
        if isinstance(error, SlotTaken) and not error.alternatives:
            error.alternatives = free_slots(event, delegate=delegate, exhibitor=exhibitor)
        raise
    db.session.flush()
    return meeting


def cancel_meeting(meeting: Meeting) -> None:
    """Free the meeting's slot, table and place. Its request stays accepted: it waits for
    another slot (picked by the delegate, or by the scheduler). To drop both, cancel_request."""
    _delete_meeting(meeting, "meeting.cancelled")
    db.session.flush()


def reschedule_meeting(meeting: Meeting, slot: MeetingSlot) -> Meeting:
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
        raise
    db.session.flush()
    return meeting


# --------------------------------------------------------------------------- availability


def set_blocked(
    event: Event,
    *,
    slot: MeetingSlot,
    participant: Participant | None = None,
    exhibitor: Exhibitor | None = None,
    blocked: bool,
) -> None:
    """Mark a slot as unavailable (or available again) for one participant or exhibitor.
    A slot that holds one of their meetings cannot be blocked: move or cancel it first."""
    if (participant is None) == (exhibitor is None):
        raise ValueError("set_blocked needs exactly one of participant or exhibitor")
    party = participant if participant is not None else exhibitor
    _check_slot(event, slot)
    if party.event_id != event.id:
        raise NotAllowed()
    if participant is not None:
        column, meeting_column = Unavailability.participant_id, Meeting.delegate_id
        lock_parties(delegate_id=participant.id)
    else:
        column, meeting_column = Unavailability.exhibitor_id, Meeting.exhibitor_id
        lock_parties(exhibitor_id=exhibitor.id)
    existing = db.session.execute(
        select(Unavailability).where(Unavailability.slot_id == slot.id, column == party.id)
    ).scalar_one_or_none()
    if blocked and existing is None:
        has_meeting = db.session.execute(
            select(Meeting.id)
            .where(Meeting.slot_id == slot.id, meeting_column == party.id)
            .limit(1)
        ).first()
        if has_meeting:
            raise NotAllowed(
                _l(
                    "There is a meeting on %(when)s: cancel or move it before blocking this slot.",
                    when=slot_label(slot),
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
    db.session.flush()


class AvailabilityRefused(BookingError):
    """Some of the slots asked for cannot change; `problems` says why, one per slot."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else None)
        self.problems = list(problems)


def save_availability(
    event: Event,
    changes: Iterable[tuple[MeetingSlot, bool]],
    *,
    participant: Participant | None = None,
    exhibitor: Exhibitor | None = None,
) -> int:
    """Block or free several slots of one party, all or nothing: every change is tried,
    and if any is refused (a slot that holds a meeting) none is kept and
    AvailabilityRefused lists every reason. Returns how many slots changed."""
    problems: list[str] = []
    changed = 0
    with db.session.begin_nested():
        for slot, block in changes:
            try:
                set_blocked(
                    event, slot=slot, participant=participant, exhibitor=exhibitor, blocked=block
                )
                changed += 1
            except BookingError as error:
                problems.append(str(error))
        if problems:
            raise AvailabilityRefused(problems)  # leaving the savepoint undoes the rest
    return changed


__all__ = [
    "AvailabilityRefused",
    "MAX_MESSAGE_LENGTH",
    "BookingError",
    "NotAllowed",
    "RequestClosed",
    "SlotTaken",
    "book_meeting",
    "cancel_meeting",
    "cancel_request",
    "choose_table",
    "expire_requests",
    "first_free_place",
    "lock_parties",
    "lowest_free_place",
    "meeting_refusal",
    "place_meeting",
    "reschedule_meeting",
    "save_availability",
    "respond_to_request",
    "send_request",
    "set_blocked",
]
