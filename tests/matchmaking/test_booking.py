"""Booking one meeting at a time: requests, instant booking, availability, agendas, and
races for the last place settled by the database (on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import icalendar
import pytest
from sqlalchemy import func, select

from expo_app.audit.models import AuditEntry
from expo_app.delegations.models import FollowedSession, ParticipantZone
from expo_app.events.models import Event, EventSession
from expo_app.extensions import db
from expo_app.matchmaking import booking
from expo_app.matchmaking.booking import NotAllowed, RequestClosed, SlotTaken
from expo_app.matchmaking.models import Meeting, MeetingRequest, MeetingSlot, Unavailability
from expo_app.modelkit import utcnow
from expo_app.models import Exhibitor, Participant
from tests import factories as f


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


def test_instant_booking_takes_lowest_place_and_a_table_atomically(fair):
    event, exhibitor, (slot, _), tables = fair
    first, second = f.make_delegate(event), f.make_delegate(event)
    one = booking.book_meeting(event, delegate=first, exhibitor=exhibitor, slot=slot)
    two = booking.book_meeting(event, delegate=second, exhibitor=exhibitor, slot=slot)
    assert (one.capacity_place, two.capacity_place) == (1, 2)
    # The exhibitor holds one table for the day while it is free; a second meeting at the
    # same time needs the other one.
    assert {one.table_id, two.table_id} == {t.id for t in tables}
    assert one.request.status == "accepted" and one.request.requested_by == "delegate"
    assert count(AuditEntry, AuditEntry.action == "meeting.booked") == 2


def test_full_slot_is_refused_with_the_slots_still_free(fair):
    event, exhibitor, (slot, later), _ = fair
    for _ in range(2):
        booking.book_meeting(event, delegate=f.make_delegate(event), exhibitor=exhibitor, slot=slot)
    third = f.make_delegate(event)
    db.session.commit()
    with pytest.raises(SlotTaken) as refused:
        booking.book_meeting(event, delegate=third, exhibitor=exhibitor, slot=slot)
    assert [option.slot.id for option in refused.value.alternatives] == [later.id]
    # Nothing left behind: no request for the refused booking.
    assert count(MeetingRequest, MeetingRequest.delegate_id == third.id) == 0


def test_free_slots_leave_out_busy_blocked_full_and_tableless_slots(fair):
    event, exhibitor, (nine, half_past), tables = fair
    delegate = f.make_delegate(event)
    assert [
        o.slot.id for o in booking.free_slots(event, delegate=delegate, exhibitor=exhibitor)
    ] == [
        nine.id,
        half_past.id,
    ]
    option = booking.free_slots(event, delegate=delegate, exhibitor=exhibitor)[0]
    assert (option.places_free, option.tables_free) == (2, 2)
    booking.set_blocked(event, slot=nine, exhibitor=exhibitor, blocked=True)
    assert [
        o.slot.id for o in booking.free_slots(event, delegate=delegate, exhibitor=exhibitor)
    ] == [half_past.id]
    booking.set_blocked(event, slot=nine, exhibitor=exhibitor, blocked=False)
    # Both tables taken at 9:00 by other exhibitors' meetings: no table, no slot.
    for _ in tables:
        booking.book_meeting(
            event, delegate=f.make_delegate(event), exhibitor=f.make_exhibitor(event), slot=nine
        )
    assert [
        o.slot.id for o in booking.free_slots(event, delegate=delegate, exhibitor=exhibitor)
    ] == [half_past.id]
    booking.set_blocked(event, slot=half_past, participant=delegate, blocked=True)
    assert booking.free_slots(event, delegate=delegate, exhibitor=exhibitor) == []


def test_without_tables_meetings_are_at_the_stand_and_capacity_limits(app):
    event = f.make_event()
    exhibitor = f.make_exhibitor(event, capacity=1)
    slot = f.make_slot(event)
    meeting = booking.book_meeting(
        event, delegate=f.make_delegate(event), exhibitor=exhibitor, slot=slot
    )
    assert meeting.table_id is None
    option_count = booking.free_slots(event, delegate=f.make_delegate(event), exhibitor=exhibitor)
    assert option_count == []


def test_only_approved_delegates_and_exhibitors_meet(fair):
    event, exhibitor, (slot, _), _ = fair
    pending = f.make_delegate(event, accreditation="pending")
    with pytest.raises(NotAllowed):
        booking.book_meeting(event, delegate=pending, exhibitor=exhibitor, slot=slot)
    with pytest.raises(NotAllowed):
        booking.send_request(event, delegate=pending, exhibitor=exhibitor, requested_by="delegate")
    exhibitor.approval = "pending"
    db.session.commit()
    with pytest.raises(NotAllowed):
        booking.book_meeting(event, delegate=f.make_delegate(event), exhibitor=exhibitor, slot=slot)


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
    assert request.status == "pending" and request.priority == 3
    assert request.expires_at - request.created_at == timedelta(hours=48)
    with pytest.raises(NotAllowed):  # one open request per pair
        booking.send_request(event, delegate=delegate, exhibitor=exhibitor, requested_by="delegate")
    booking.respond_to_request(request, accept=True, message="Avec plaisir")
    assert request.status == "accepted" and request.response_message == "Avec plaisir"
    with pytest.raises(RequestClosed):
        booking.respond_to_request(request, accept=False)
    meeting = booking.book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=slot)
    assert meeting.request_id == request.id
    assert count(MeetingRequest) == 1


def test_declined_request_cannot_be_booked(fair):
    event, exhibitor, (slot, _), _ = fair
    delegate = f.make_delegate(event)
    request = booking.send_request(
        event, delegate=delegate, exhibitor=exhibitor, requested_by="exhibitor"
    )
    booking.respond_to_request(request, accept=False)
    with pytest.raises(RequestClosed):
        booking.book_meeting(
            event, delegate=delegate, exhibitor=exhibitor, slot=slot, request=request
        )


def test_cancel_request_removes_its_meeting_first(fair):
    event, exhibitor, (slot, _), _ = fair
    delegate = f.make_delegate(event)
    meeting = booking.book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=slot)
    request = meeting.request
    booking.cancel_request(request)
    assert request.status == "cancelled"
    assert count(Meeting) == 0
    with pytest.raises(RequestClosed):
        booking.cancel_request(request)


def test_cancelled_meeting_leaves_an_accepted_request_to_book_again(fair):
    event, exhibitor, (slot, later), _ = fair
    delegate = f.make_delegate(event)
    meeting = booking.book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=slot)
    request_id = meeting.request_id
    booking.cancel_meeting(meeting)
    assert db.session.get(MeetingRequest, request_id).status == "accepted"
    again = booking.book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=later)
    assert again.request_id == request_id


def test_reschedule_keeps_the_table_and_refuses_a_busy_slot(fair):
    event, exhibitor, (nine, half_past), _ = fair
    delegate = f.make_delegate(event)
    meeting = booking.book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=nine)
    table = meeting.table_id
    moved = booking.reschedule_meeting(meeting, half_past)
    assert (moved.id, moved.slot_id, moved.table_id) == (meeting.id, half_past.id, table)
    other = f.make_exhibitor(event)
    booking.book_meeting(event, delegate=delegate, exhibitor=other, slot=nine)
    with pytest.raises(SlotTaken) as refused:
        booking.reschedule_meeting(moved, nine)
    assert "already has a meeting" in str(refused.value)
    assert db.session.get(Meeting, meeting.id).slot_id == half_past.id


def test_blocking_a_slot_with_a_meeting_is_refused(fair):
    event, exhibitor, (slot, _), _ = fair
    delegate = f.make_delegate(event)
    booking.book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=slot)
    with pytest.raises(NotAllowed) as refused:
        booking.set_blocked(event, slot=slot, participant=delegate, blocked=True)
    assert "cancel or move it" in str(refused.value)
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
        booking.book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=slot)
    assert [o.slot.id for o in refused.value.alternatives] == [later.id]


def test_unanswered_requests_expire(fair):
    event, exhibitor, _, _ = fair
    event.request_expiry_hours = 24
    early = booking.send_request(
        event, delegate=f.make_delegate(event), exhibitor=exhibitor, requested_by="delegate"
    )
    late = booking.send_request(
        event, delegate=f.make_delegate(event), exhibitor=exhibitor, requested_by="delegate"
    )
    late.expires_at = utcnow() + timedelta(days=3)
    db.session.commit()
    assert booking.expire_requests(event, now=utcnow() + timedelta(hours=25)) == 1
    assert (early.status, late.status) == ("expired", "pending")
    late.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(RequestClosed):
        booking.respond_to_request(late, accept=True)
    assert db.session.get(MeetingRequest, late.id).status == "expired"


def test_agenda_lists_meetings_followed_sessions_and_admitted_demos_in_time_order(fair):
    event, exhibitor, (nine, half_past), _ = fair
    delegate = f.make_delegate(event)
    demo_zone = f.make_location(event, kind="demo_zone", name="Range", restricted=True)
    hall = f.make_location(event, name="Ceremony hall")
    demo = EventSession(
        event_id=event.id,
        ref="demo-1",
        title="UAV flight",
        kind="demo",
        start=datetime(2025, 11, 12, 9),
        end=datetime(2025, 11, 12, 10),
        location_id=demo_zone.id,
        exhibitor_id=exhibitor.id,
    )
    opening = EventSession(
        event_id=event.id,
        ref="open",
        title="Opening",
        kind="ceremony",
        start=datetime(2025, 11, 11, 8),
        end=datetime(2025, 11, 11, 8, 45),
        location_id=hall.id,
    )
    db.session.add_all([demo, opening])
    db.session.flush()
    booking.book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=half_past)
    days = booking.agenda(event, participant=delegate)
    assert [[i.title for i in d.items] for d in days] == [["Meeting with Baykar"]]
    db.session.add(FollowedSession(participant_id=delegate.id, session_id=opening.id))
    db.session.add(ParticipantZone(participant_id=delegate.id, location_id=demo_zone.id))
    db.session.commit()
    db.session.expire_all()
    days = booking.agenda(event, participant=db.session.get(Participant, delegate.id))
    assert [[(i.kind, i.title) for i in d.items] for d in days] == [
        [("session", "Opening"), ("meeting", "Meeting with Baykar")],
        [("demo", "UAV flight")],
    ]
    meeting_item = days[0].items[1]
    assert meeting_item.where.startswith("Table T") and "Lounge" in meeting_item.where
    # The exhibitor's side: the delegate's meeting and its own demo.
    ex_days = booking.agenda(event, exhibitor=exhibitor)
    assert [[i.kind for i in d.items] for d in ex_days] == [["meeting"], ["demo"]]
    assert ex_days[0].items[0].other_party == delegate.name


def test_ics_has_local_times_with_the_event_timezone(fair):
    event, exhibitor, (nine, _), _ = fair
    event.timezone = "Europe/Paris"  # not UTC, so a wrong shift would show
    delegate = f.make_delegate(event)
    meeting = booking.book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=nine)
    data = booking.agenda_ics(event, participant=delegate)
    assert b"DTSTART;TZID=Europe/Paris:20251111T090000" in data
    calendar = icalendar.Calendar.from_ical(data)
    (entry,) = calendar.walk("VEVENT")
    start = entry.decoded("dtstart")
    assert (start.hour, str(start.tzinfo)) == (9, "Europe/Paris")
    assert str(entry["summary"]) == "Meeting with Baykar"
    assert str(entry["uid"]).startswith(f"meeting-{meeting.id}-")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_bamako_timezone_keeps_its_name_in_the_calendar(fair):
    event, exhibitor, (nine, _), _ = fair
    delegate = f.make_delegate(event)
    booking.book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=nine)
    calendar = icalendar.Calendar.from_ical(booking.agenda_ics(event, participant=delegate))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Africa/Bamako"]
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("dtstart").replace(tzinfo=None) == datetime(2025, 11, 11, 9)


# ----------------------------------------------------------------- races, both databases


def _race(app, attempts, worker_count: int = 20):
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
        booking.book_meeting(
            db.session.get(Event, event_id),
            delegate=db.session.get(Participant, delegate_id),
            exhibitor=db.session.get(Exhibitor, exhibitor_id),
            slot=db.session.get(MeetingSlot, slot_id),
        )
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


def test_export_controlled_demo_admits_by_delegation_nationality_or_delegation_country(fair):
    from expo_app.delegations.models import Delegation
    from expo_app.exhibitors.models import DemoAllowedCountry, DemoRequest

    event, exhibitor, _, _ = fair
    zone = f.make_location(event, kind="demo_zone", name="Range", restricted=True)
    demo = EventSession(
        event_id=event.id,
        ref="demo-x",
        title="Guided munition",
        kind="demo",
        start=datetime(2025, 11, 12, 9),
        end=datetime(2025, 11, 12, 10),
        location_id=zone.id,
        exhibitor_id=exhibitor.id,
    )
    malians = Delegation(event_id=event.id, ref="d-ml", name="Mali", country="ML")
    ghanaians = Delegation(event_id=event.id, ref="d-gh", name="Ghana", country="GH")
    db.session.add_all([demo, malians, ghanaians])
    db.session.flush()
    request = DemoRequest(
        event_id=event.id,
        exhibitor_id=exhibitor.id,
        title="Guided munition",
        duration_min=60,
        status="placed",
        session_id=demo.id,
    )
    request.allowed_countries.append(DemoAllowedCountry(country="ML"))
    db.session.add(request)

    def person(delegation, country):
        p = f.make_delegate(event, delegation=delegation)
        p.country = country
        db.session.add(ParticipantZone(participant_id=p.id, location_id=zone.id))
        return p

    no_country_malian = person(malians, None)
    malian_national = person(None, "ML")
    ghanaian = person(ghanaians, "GH")
    db.session.commit()
    db.session.expire_all()

    def admitted(p):
        return booking.admitted_to_demo(db.session.get(Participant, p.id), demo)

    assert admitted(no_country_malian) and admitted(malian_national)
    assert not admitted(ghanaian)
