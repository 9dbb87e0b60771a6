"""Booking one meeting at a time: requests, who may answer and book them, instant booking,
availability, and races for the last place settled by the database (on SQLite and
PostgreSQL). The services flush and never commit: a test commits where it needs the
rows to be seen by another transaction."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from expo_app.audit.models import AuditEntry
from expo_app.events.models import Event
from expo_app.exhibitors.models import Approval
from expo_app.extensions import db
from expo_app.matchmaking import booking, queries
from expo_app.matchmaking.booking import NotAllowed, RequestClosed, SlotTaken
from expo_app.matchmaking.models import (
    Meeting,
    MeetingRequest,
    MeetingSlot,
    RequestStatus,
    Side,
    Unavailability,
)
from expo_app.modelkit import utcnow
from expo_app.models import Exhibitor, Participant
from tests.kit import factories as f

DELEGATE, EXHIBITOR = Side.DELEGATE, Side.EXHIBITOR


@pytest.fixture
def fair(app):
    """An event with two 30-minute slots, two tables, an exhibitor of capacity 2."""
    event = f.make_event()
    area = f.make_location(event, kind="meeting_area", name="Lounge")
    hall = f.make_location(event, name="Hall A")
    stand = f.make_stand(event, hall, code="A-01")
    exhibitor = f.make_exhibitor(event, name="Baykar", capacity=2)
    stand.exhibitor_id, stand.status = exhibitor.id, "reserved"
    slots = [f.make_slot(event, 9), f.make_slot(event, 9, 30)]
    tables = [f.make_table(event, area), f.make_table(event, area)]
    db.session.commit()
    return event, exhibitor, slots, tables


def count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def book(event, delegate, exhibitor, slot, *, by=DELEGATE, request=None) -> Meeting:
    return booking.book_meeting(
        event, delegate=delegate, exhibitor=exhibitor, slot=slot, by=by, request=request
    )


def stored_status(request: MeetingRequest) -> str:
    """The status as the database holds it, not as the session remembers it."""
    return db.session.execute(
        select(MeetingRequest.status).where(MeetingRequest.id == request.id)
    ).scalar_one()


def free_slot_ids(event, delegate, exhibitor) -> list[int]:
    return [o.slot.id for o in queries.free_slots(event, delegate=delegate, exhibitor=exhibitor)]


def test_instant_booking_takes_lowest_place_and_a_table_atomically(fair):
    event, exhibitor, (slot, _), tables = fair
    first, second = f.make_delegate(event), f.make_delegate(event)
    one = book(event, first, exhibitor, slot)
    two = book(event, second, exhibitor, slot)
    assert (one.capacity_place, two.capacity_place) == (1, 2)
    # The exhibitor holds one table for the day while it is free; a second meeting at the
    # same time needs the other one.
    assert {one.table_id, two.table_id} == {t.id for t in tables}
    assert one.request.is_accepted and one.request.requested_by == Side.DELEGATE
    assert count(AuditEntry, AuditEntry.action == "meeting.booked") == 2


def test_full_slot_is_refused_with_the_slots_still_free(fair):
    event, exhibitor, (slot, later), _ = fair
    for _ in range(2):
        book(event, f.make_delegate(event), exhibitor, slot)
    third = f.make_delegate(event)
    db.session.commit()
    with pytest.raises(SlotTaken) as refused:
        book(event, third, exhibitor, slot)
    assert [option.slot.id for option in refused.value.alternatives] == [later.id]
    # Nothing left behind: no request for the refused booking.
    assert count(MeetingRequest, MeetingRequest.delegate_id == third.id) == 0


def test_free_slots_leave_out_busy_blocked_full_and_tableless_slots(fair):
    event, exhibitor, (nine, half_past), tables = fair
    delegate = f.make_delegate(event)
    assert free_slot_ids(event, delegate, exhibitor) == [nine.id, half_past.id]
    option = queries.free_slots(event, delegate=delegate, exhibitor=exhibitor)[0]
    assert (option.places_free, option.tables_free) == (2, 2)
    booking.set_blocked(event, slot=nine, exhibitor=exhibitor, blocked=True)
    assert free_slot_ids(event, delegate, exhibitor) == [half_past.id]
    booking.set_blocked(event, slot=nine, exhibitor=exhibitor, blocked=False)
    # Both tables taken at 9:00 by other exhibitors' meetings: no table, no slot.
    for _ in tables:
        book(event, f.make_delegate(event), f.make_exhibitor(event), nine)
    assert free_slot_ids(event, delegate, exhibitor) == [half_past.id]
    booking.set_blocked(event, slot=half_past, participant=delegate, blocked=True)
    assert free_slot_ids(event, delegate, exhibitor) == []
    assert queries.blocked_slot_ids(participant=delegate) == {half_past.id}


def test_without_tables_meetings_are_at_the_stand_and_capacity_limits(app):
    event = f.make_event()
    exhibitor = f.make_exhibitor(event, capacity=1)
    slot = f.make_slot(event)
    meeting = book(event, f.make_delegate(event), exhibitor, slot)
    assert meeting.table_id is None
    assert free_slot_ids(event, f.make_delegate(event), exhibitor) == []


def test_only_approved_delegates_and_exhibitors_meet(fair):
    event, exhibitor, (slot, _), _ = fair
    pending = f.make_delegate(event, accreditation="pending")
    with pytest.raises(NotAllowed):
        book(event, pending, exhibitor, slot)
    with pytest.raises(NotAllowed):
        booking.send_request(event, delegate=pending, exhibitor=exhibitor, requested_by="delegate")
    exhibitor.approval = Approval.PENDING.value
    db.session.commit()
    with pytest.raises(NotAllowed):
        book(event, f.make_delegate(event), exhibitor, slot)


def test_request_accepted_then_booked_uses_that_request(fair):
    event, exhibitor, (slot, _), _ = fair
    event.request_expiry_hours = 48
    delegate = f.make_delegate(event)
    request = booking.send_request(
        event,
        delegate=delegate,
        exhibitor=exhibitor,
        requested_by="delegate",
        message="Parlons du TB2.",
        priority=3,
    )
    assert request.is_pending and request.priority == 3
    assert request.expires_at - request.created_at == timedelta(hours=48)
    with pytest.raises(NotAllowed):  # one open request per pair
        booking.send_request(event, delegate=delegate, exhibitor=exhibitor, requested_by="delegate")
    booking.respond_to_request(request, by=EXHIBITOR, accept=True, message="Avec plaisir")
    assert request.is_accepted and request.response_message == "Avec plaisir"
    with pytest.raises(RequestClosed):  # answered already, whoever asks
        booking.respond_to_request(request, by=EXHIBITOR, accept=False)
    meeting = book(event, delegate, exhibitor, slot)
    assert meeting.request_id == request.id
    assert count(MeetingRequest) == 1


def test_declined_request_cannot_be_booked(fair):
    event, exhibitor, (slot, _), _ = fair
    delegate = f.make_delegate(event)
    request = booking.send_request(
        event, delegate=delegate, exhibitor=exhibitor, requested_by="exhibitor"
    )
    booking.respond_to_request(request, by=DELEGATE, accept=False)
    with pytest.raises(RequestClosed):
        book(event, delegate, exhibitor, slot, request=request)


def test_an_exhibitor_cannot_answer_its_own_invitation(fair):
    event, exhibitor, _, _ = fair
    delegate = f.make_delegate(event)
    invitation = booking.send_request(
        event, delegate=delegate, exhibitor=exhibitor, requested_by="exhibitor"
    )
    db.session.commit()
    with pytest.raises(NotAllowed):
        booking.respond_to_request(invitation, by=EXHIBITOR, accept=True)
    db.session.rollback()
    assert stored_status(invitation) == RequestStatus.PENDING
    # The delegate, who was invited, answers it.
    booking.respond_to_request(invitation, by=DELEGATE, accept=True)
    assert invitation.is_accepted


def test_a_delegate_cannot_answer_its_own_request(fair):
    event, exhibitor, _, _ = fair
    request = booking.send_request(
        event, delegate=f.make_delegate(event), exhibitor=exhibitor, requested_by="delegate"
    )
    with pytest.raises(NotAllowed):
        booking.respond_to_request(request, by=DELEGATE, accept=True)
    assert request.is_pending


def test_an_exhibitor_cannot_book_its_own_unanswered_invitation_but_the_delegate_can(fair):
    event, exhibitor, (slot, _), _ = fair
    delegate = f.make_delegate(event)
    invitation = booking.send_request(
        event, delegate=delegate, exhibitor=exhibitor, requested_by="exhibitor"
    )
    db.session.commit()
    with pytest.raises(NotAllowed):
        book(event, delegate, exhibitor, slot, by=EXHIBITOR, request=invitation)
    with pytest.raises(NotAllowed):  # nor by leaving the request out: the pair's open one
        book(event, delegate, exhibitor, slot, by=EXHIBITOR)
    db.session.rollback()
    assert count(Meeting) == 0
    assert stored_status(invitation) == RequestStatus.PENDING
    # Booking is accepting: the delegate, who was invited, may.
    meeting = book(event, delegate, exhibitor, slot, by=DELEGATE, request=invitation)
    assert meeting.request_id == invitation.id and invitation.is_accepted
    assert count(Meeting) == 1


def test_an_exhibitor_books_an_accepted_request_but_never_makes_one_up(fair):
    event, exhibitor, (slot, _), _ = fair
    delegate = f.make_delegate(event)
    with pytest.raises(NotAllowed):  # no request at all: the delegate never agreed
        book(event, delegate, exhibitor, slot, by=EXHIBITOR)
    assert count(MeetingRequest) == 0
    request = booking.send_request(
        event, delegate=delegate, exhibitor=exhibitor, requested_by="delegate"
    )
    meeting = book(event, delegate, exhibitor, slot, by=EXHIBITOR, request=request)
    assert meeting.request_id == request.id and request.is_accepted


def test_cancel_request_removes_its_meeting_first(fair):
    event, exhibitor, (slot, _), _ = fair
    delegate = f.make_delegate(event)
    meeting = book(event, delegate, exhibitor, slot)
    request = meeting.request
    booking.cancel_request(request, by=DELEGATE)
    assert request.status == RequestStatus.CANCELLED
    assert count(Meeting) == 0
    with pytest.raises(RequestClosed):
        booking.cancel_request(request, by=DELEGATE)


def test_an_invitation_received_is_declined_not_cancelled(fair):
    event, exhibitor, _, _ = fair
    invitation = booking.send_request(
        event, delegate=f.make_delegate(event), exhibitor=exhibitor, requested_by="exhibitor"
    )
    with pytest.raises(NotAllowed):
        booking.cancel_request(invitation, by=DELEGATE)
    booking.cancel_request(invitation, by=EXHIBITOR)  # the side that asked withdraws it
    assert invitation.status == RequestStatus.CANCELLED


def test_cancelled_meeting_leaves_an_accepted_request_to_book_again(fair):
    event, exhibitor, (slot, later), _ = fair
    delegate = f.make_delegate(event)
    meeting = book(event, delegate, exhibitor, slot)
    request_id = meeting.request_id
    booking.cancel_meeting(meeting)
    assert db.session.get(MeetingRequest, request_id).is_accepted
    again = book(event, delegate, exhibitor, later)
    assert again.request_id == request_id


def test_reschedule_keeps_the_table_and_refuses_a_busy_slot(fair):
    event, exhibitor, (nine, half_past), _ = fair
    delegate = f.make_delegate(event)
    meeting = book(event, delegate, exhibitor, nine)
    table = meeting.table_id
    moved = booking.reschedule_meeting(meeting, half_past)
    assert (moved.id, moved.slot_id, moved.table_id) == (meeting.id, half_past.id, table)
    book(event, delegate, f.make_exhibitor(event), nine)
    with pytest.raises(SlotTaken) as refused:
        booking.reschedule_meeting(moved, nine)
    assert "already has a meeting" in str(refused.value)
    assert db.session.get(Meeting, meeting.id).slot_id == half_past.id


def test_blocking_a_slot_with_a_meeting_is_refused(fair):
    event, exhibitor, (slot, _), _ = fair
    delegate = f.make_delegate(event)
    book(event, delegate, exhibitor, slot)
    with pytest.raises(NotAllowed) as refused:
        booking.set_blocked(event, slot=slot, participant=delegate, blocked=True)
    assert "cancel or move it" in str(refused.value)
    assert "Tuesday, 11 November 2025, 09:00" in str(refused.value)  # events.clock.slot_label
    with pytest.raises(NotAllowed):
        booking.set_blocked(event, slot=slot, exhibitor=exhibitor, blocked=True)
    assert count(Unavailability) == 0


def test_blocked_slot_cannot_be_booked(fair):
    event, exhibitor, (slot, later), _ = fair
    delegate = f.make_delegate(event)
    booking.set_blocked(event, slot=slot, participant=delegate, blocked=True)
    booking.set_blocked(event, slot=slot, participant=delegate, blocked=True)  # idempotent
    assert count(Unavailability) == 1
    with pytest.raises(SlotTaken) as refused:
        book(event, delegate, exhibitor, slot)
    assert [o.slot.id for o in refused.value.alternatives] == [later.id]


def test_an_expired_request_is_closed_to_answers_and_bookings_without_a_write(fair):
    event, exhibitor, (slot, _), _ = fair
    delegate = f.make_delegate(event)
    request = booking.send_request(
        event, delegate=delegate, exhibitor=exhibitor, requested_by="delegate"
    )
    request.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(RequestClosed, match="expired"):
        booking.respond_to_request(request, by=EXHIBITOR, accept=True)
    with pytest.raises(RequestClosed, match="expired"):
        book(event, delegate, exhibitor, slot, request=request)
    db.session.rollback()
    assert stored_status(request) == RequestStatus.PENDING  # nothing written: reads only
    assert request.state == RequestStatus.EXPIRED
    # The pair may start afresh: the lapsed request is not "open" any more.
    again = booking.send_request(
        event, delegate=delegate, exhibitor=exhibitor, requested_by="delegate"
    )
    assert again.id != request.id


# ----------------------------------------------------------------- races, both databases


def _race(app, attempts):
    """Run `attempts` (callables) at once from threads, each in its own app context."""
    barrier = threading.Barrier(len(attempts))

    def run(attempt):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                return attempt()
            except SlotTaken:
                return "taken"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts))


def _booker(event_id: int, delegate_id: int, exhibitor_id: int, slot_id: int):
    def attempt():
        book(
            db.session.get(Event, event_id),
            db.session.get(Participant, delegate_id),
            db.session.get(Exhibitor, exhibitor_id),
            db.session.get(MeetingSlot, slot_id),
        )
        db.session.commit()  # what the request path does after the view
        return "booked"

    return attempt


def _race_setup(capacity: int, delegates: int, tables: int = 3):
    event = f.make_event()
    area = f.make_location(event, kind="meeting_area")
    for _ in range(tables):
        f.make_table(event, area)
    exhibitor = f.make_exhibitor(event, capacity=capacity)
    slot = f.make_slot(event)
    people = [f.make_delegate(event) for _ in range(delegates)]
    ids = (event.id, [p.id for p in people], exhibitor.id, slot.id)
    db.session.commit()
    return ids


def test_hundred_parallel_bookings_of_the_last_place_make_one_meeting(backend_app):
    event_id, delegate_ids, exhibitor_id, slot_id = _race_setup(capacity=1, delegates=100)
    results = _race(
        backend_app, [_booker(event_id, d, exhibitor_id, slot_id) for d in delegate_ids]
    )
    assert results.count("booked") == 1
    assert results.count("taken") == 99
    db.session.remove()
    assert count(Meeting) == 1
    # The losers left nothing behind: one accepted request, for the winner.
    assert count(MeetingRequest) == 1


def test_parallel_bookings_fill_every_place_once_with_distinct_tables(backend_app):
    event_id, delegate_ids, exhibitor_id, slot_id = _race_setup(capacity=3, delegates=24)
    results = _race(
        backend_app, [_booker(event_id, d, exhibitor_id, slot_id) for d in delegate_ids]
    )
    assert results.count("booked") == 3
    db.session.remove()
    meetings = db.session.execute(select(Meeting)).scalars().all()
    assert sorted(m.capacity_place for m in meetings) == [1, 2, 3]
    assert len({m.table_id for m in meetings}) == 3


def test_one_delegate_booking_two_exhibitors_in_one_slot_from_two_tabs(backend_app):
    event = f.make_event()
    area = f.make_location(event, kind="meeting_area")
    f.make_table(event, area), f.make_table(event, area)
    slots = [f.make_slot(event, 9 + n) for n in range(5)]
    exhibitors = [f.make_exhibitor(event), f.make_exhibitor(event)]
    delegate = f.make_delegate(event)
    ids = (event.id, delegate.id, [e.id for e in exhibitors], [s.id for s in slots])
    db.session.commit()
    event_id, delegate_id, exhibitor_ids, slot_ids = ids
    for slot_id in slot_ids:  # several rounds: more chances for a true race
        results = _race(
            backend_app, [_booker(event_id, delegate_id, e, slot_id) for e in exhibitor_ids]
        )
        assert sorted(results) == ["booked", "taken"]
    db.session.remove()
    assert count(Meeting) == len(slot_ids)


def _blocker(event_id: int, delegate_id: int, slot_id: int):
    def attempt():
        try:
            booking.set_blocked(
                db.session.get(Event, event_id),
                slot=db.session.get(MeetingSlot, slot_id),
                participant=db.session.get(Participant, delegate_id),
                blocked=True,
            )
        except NotAllowed:
            return "refused"
        db.session.commit()
        return "blocked"

    return attempt


def test_a_booking_and_a_block_of_one_slot_never_both_land(backend_app):
    event = f.make_event()
    f.make_table(event, f.make_location(event, kind="meeting_area"))
    exhibitor = f.make_exhibitor(event)
    slots = [f.make_slot(event, 9 + n) for n in range(6)]
    delegate = f.make_delegate(event)
    event_id, delegate_id, exhibitor_id = event.id, delegate.id, exhibitor.id
    slot_ids = [slot.id for slot in slots]
    db.session.commit()
    for slot_id in slot_ids:  # the delegate books in one tab and blocks the slot in another
        results = _race(
            backend_app,
            [
                _booker(event_id, delegate_id, exhibitor_id, slot_id),
                _blocker(event_id, delegate_id, slot_id),
            ],
        )
        assert sorted(results) in (["booked", "refused"], ["blocked", "taken"]), results
    db.session.remove()
    booked = set(db.session.execute(select(Meeting.slot_id)).scalars())
    blocked = set(db.session.execute(select(Unavailability.slot_id)).scalars())
    assert not booked & blocked
    assert booked | blocked == set(slot_ids)
