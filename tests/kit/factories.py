"""Small builders for tests: a minimal event with the pieces a rule needs."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import count

from expo_app.extensions import db
from expo_app.models import (
    Delegation,
    Event,
    EventDay,
    Exhibitor,
    Location,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    Participant,
    Stand,
)

_serial = count(1)


def make_event(slug: str = "test-expo") -> Event:
    event = Event(
        slug=slug,
        name="Test Expo",
        timezone="Africa/Bamako",
        start_date=date(2025, 11, 11),
        end_date=date(2025, 11, 12),
    )
    db.session.add(event)
    db.session.flush()
    for offset in (0, 1):
        day = EventDay(
            event_id=event.id, date=date(2025, 11, 11 + offset), opens=time(9), closes=time(18)
        )
        day.kinds = ["static_display", "matchmaking"]
        db.session.add(day)
    db.session.flush()
    return event


def make_location(event: Event, kind: str = "hall", **values) -> Location:
    n = next(_serial)
    values.setdefault("name", f"Location {n}")
    location = Location(event_id=event.id, ref=f"loc-{n}", kind=kind, **values)
    db.session.add(location)
    db.session.flush()
    return location


def make_exhibitor(event: Event, name: str | None = None, capacity: int = 1) -> Exhibitor:
    n = next(_serial)
    exhibitor = Exhibitor(
        event_id=event.id,
        ref=f"exh-{n}",
        name=name or f"Exhibitor {n}",
        country="TR",
        meeting_capacity=capacity,
    )
    db.session.add(exhibitor)
    db.session.flush()
    return exhibitor


def make_stand(event: Event, location: Location, code: str | None = None) -> Stand:
    stand = Stand(
        event_id=event.id,
        ref=code or f"S-{next(_serial):03d}",
        location_id=location.id,
        width_m=3,
        depth_m=3,
        x_m=0,
        y_m=0,
        price=2250,
        currency="EUR",
    )
    db.session.add(stand)
    db.session.flush()
    return stand


def make_delegate(
    event: Event,
    accreditation: str = "approved",
    email: str | None = None,
    delegation: Delegation | None = None,
) -> Participant:
    n = next(_serial)
    person = Participant(
        event_id=event.id,
        ref=f"p-{n}",
        name=f"Delegate {n}",
        email=email or f"delegate{n}@example.org",
        role="delegate",
        accreditation=accreditation,
        delegation_id=delegation.id if delegation else None,
    )
    db.session.add(person)
    db.session.flush()
    return person


def make_slot(event: Event, hour: int = 9, minute: int = 0) -> MeetingSlot:
    start = datetime(2025, 11, 11, hour, minute)
    slot = MeetingSlot(
        event_id=event.id,
        ref=f"s-{next(_serial)}",
        start=start,
        end=start.replace(minute=minute + 30)
        if minute < 30
        else start.replace(hour=hour + 1, minute=0),
    )
    db.session.add(slot)
    db.session.flush()
    return slot


def make_table(event: Event, location: Location) -> MeetingTable:
    table = MeetingTable(event_id=event.id, ref=f"T{next(_serial)}", location_id=location.id)
    db.session.add(table)
    db.session.flush()
    return table


def make_request(
    event: Event, delegate: Participant, exhibitor: Exhibitor, status: str = "accepted"
) -> MeetingRequest:
    request = MeetingRequest(
        event_id=event.id,
        ref=f"r-{next(_serial)}",
        delegate_id=delegate.id,
        exhibitor_id=exhibitor.id,
        requested_by="delegate",
        status=status,
    )
    db.session.add(request)
    db.session.flush()
    return request


def make_meeting(
    request: MeetingRequest,
    slot: MeetingSlot,
    table: MeetingTable | None = None,
    place: int = 1,
    **overrides,
) -> Meeting:
    """A meeting row written directly, bypassing the services: what the database alone allows."""
    exhibitor = db.session.get(Exhibitor, request.exhibitor_id)
    copies = {
        "request_status": request.status,
        "delegate_accreditation": db.session.get(Participant, request.delegate_id).accreditation,
        **overrides,
    }
    values = Meeting.row_for(
        request,
        slot_id=slot.id,
        table_id=table.id if table else None,
        capacity=copies.pop("exhibitor_capacity", exhibitor.meeting_capacity),
        place=copies.pop("capacity_place", place),
        **copies,
    )
    meeting = Meeting(**values)
    db.session.add(meeting)
    db.session.flush()
    return meeting
