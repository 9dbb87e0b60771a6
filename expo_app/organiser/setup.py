"""Event setup: a new event (blank, or last year's copied onto new dates), its details,
days, locations, the matchmaking slots generated from the matchmaking sessions, and the
meeting tables. Every change is recorded in the audit log."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from expo_app.accounts.models import EventOrganiser
from expo_app.accounts.services import make_organiser_of
from expo_app.audit.services import record, snapshot
from expo_app.events.models import (
    DayKind,
    Event,
    EventDay,
    EventSession,
    Location,
    LocationKind,
    SessionKind,
)
from expo_app.events.services import locations_of_kind
from expo_app.exhibitors.models import Stand, StandStatus
from expo_app.extensions import db
from expo_app.links import web_address
from expo_app.matchmaking.models import MeetingSlot, MeetingTable
from expo_app.organiser.services import OrganiserError

DETAIL_FIELDS = ["name", "theme", "venue", "city", "website"]


def events_organised_by(user) -> list[Event]:
    return list(
        db.session.execute(
            select(Event)
            .join(EventOrganiser, EventOrganiser.event_id == Event.id)
            .where(EventOrganiser.user_id == user.id)
            .order_by(Event.start_date.desc())
        ).scalars()
    )


def update_details(event: Event, **values) -> None:
    """Change the event's details (DETAIL_FIELDS); LinkRefused (field "website") before
    anything changes when the website does not pass the URL rule."""
    if "website" in values:
        values["website"] = web_address(values["website"])
    before = snapshot(event, DETAIL_FIELDS)
    for key, value in values.items():
        setattr(event, key, value)
    record(
        "event.update",
        event,
        event_id=event.id,
        before=before,
        after=snapshot(event, DETAIL_FIELDS),
    )


def update_day(day: EventDay, *, kinds: list[str], opens: time | None, closes: time | None) -> None:
    fields = ["kinds_csv", "opens", "closes"]
    before = snapshot(day, fields)
    day.kinds = kinds
    day.opens, day.closes = opens, closes
    record("day.update", day, before=before, after=snapshot(day, fields))


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "place"


def add_location(
    event: Event, *, name: str, kind: str, capacity: int | None, restricted: bool
) -> Location:
    taken = {location.ref for location in event.locations}
    base = _slugify(name)
    ref, number = base, 2
    while ref in taken:
        ref, number = f"{base}-{number}", number + 1
    location = Location(
        event_id=event.id,
        ref=ref,
        name=name,
        kind=kind,
        capacity=capacity,
        restricted=restricted,
    )
    db.session.add(location)
    db.session.flush()
    record("location.create", location, after=snapshot(location))
    return location


LOCATION_FIELDS = ["name", "kind", "capacity", "restricted"]


def update_location(
    location: Location, *, name: str, kind: str, capacity: int | None, restricted: bool
) -> None:
    """Rename, re-kind, resize or restrict a location; its sessions, stands and tables stay."""
    before = snapshot(location, LOCATION_FIELDS)
    location.name, location.kind = name, kind
    location.capacity, location.restricted = capacity, restricted
    record("location.update", location, before=before, after=snapshot(location, LOCATION_FIELDS))


def meeting_areas(event: Event) -> list[Location]:
    """Where meeting tables stand."""
    return locations_of_kind(event, LocationKind.MEETING_AREA)


def _matchmaking_of(event: Event) -> tuple:
    """The event's matchmaking sessions, whose hours the meeting slots fill."""
    return (EventSession.event_id == event.id, EventSession.kind == SessionKind.MATCHMAKING.value)


def matchmaking_summary(event: Event) -> dict[str, int]:
    sessions = db.session.execute(select(func.count()).where(*_matchmaking_of(event))).scalar_one()
    slots = db.session.execute(
        select(func.count()).where(MeetingSlot.event_id == event.id)
    ).scalar_one()
    tables = db.session.execute(
        select(func.count()).where(MeetingTable.event_id == event.id)
    ).scalar_one()
    return {"sessions": sessions, "slots": slots, "tables": tables}


def slot_times(
    start: datetime,
    end: datetime,
    *,
    length: int,
    gap: int,
    pause: tuple[time, time] | None = None,
) -> list[tuple[datetime, datetime]]:
    """Meeting slots of `length` minutes from `start` to `end`, `gap` minutes apart, none
    overlapping the pause (e.g. lunch): a slot that would, starts after it."""
    slots = []
    cursor = start
    step, rest = timedelta(minutes=length), timedelta(minutes=gap)
    while cursor + step <= end:
        if pause is not None:
            pause_start = datetime.combine(cursor.date(), pause[0])
            pause_end = datetime.combine(cursor.date(), pause[1])
            if cursor < pause_end and cursor + step > pause_start:
                cursor = max(cursor, pause_end)
                continue
        slots.append((cursor, cursor + step))
        cursor += step + rest
    return slots


def generate_slots(
    event: Event, *, length: int, gap: int, pause: tuple[time, time] | None = None
) -> int:
    """Meeting slots over every matchmaking session of the event. Slots that already exist
    stay as they are (meetings may be booked in them); a new slot never overlaps one."""
    sessions = db.session.execute(
        select(EventSession).where(*_matchmaking_of(event)).order_by(EventSession.start)
    ).scalars()
    existing = list(
        db.session.execute(
            select(MeetingSlot.start, MeetingSlot.end).where(MeetingSlot.event_id == event.id)
        ).all()
    )
    refs = set(
        db.session.execute(
            select(MeetingSlot.ref).where(MeetingSlot.event_id == event.id)
        ).scalars()
    )
    made = []
    for session in sessions:
        for start, end in slot_times(
            session.start, session.end, length=length, gap=gap, pause=pause
        ):
            if any(start < other_end and other_start < end for other_start, other_end in existing):
                continue
            ref = f"s-{start:%m%d-%H%M}"
            while ref in refs:
                ref += "b"
            refs.add(ref)
            existing.append((start, end))
            slot = MeetingSlot(event_id=event.id, ref=ref, start=start, end=end)
            db.session.add(slot)
            made.append(slot)
    db.session.flush()
    if made:
        record(
            "slots.generate",
            event,
            event_id=event.id,
            after={"count": len(made), "length": length, "gap": gap},
        )
    return len(made)


def add_tables(event: Event, location_id: int | None, count: int, prefix: str) -> int:
    location = db.session.get(Location, location_id) if location_id else None
    if location is None or location.event_id != event.id:
        raise OrganiserError(_l("Choose a meeting area of this event."), field="location")
    taken = set(
        db.session.execute(
            select(MeetingTable.ref).where(MeetingTable.event_id == event.id)
        ).scalars()
    )
    number, made = 1, 0
    while made < count:
        ref = f"{prefix}{number}"
        number += 1
        if ref in taken:
            continue
        db.session.add(MeetingTable(event_id=event.id, ref=ref, location_id=location.id))
        made += 1
    db.session.flush()
    record("tables.add", location, after={"count": count, "prefix": prefix})
    return made


def create_event(
    user,
    *,
    slug: str,
    name: str,
    start: date,
    end: date | None,
    timezone: str,
    venue: str | None = None,
    city: str | None = None,
    copy_from: int | None = None,
) -> Event:
    """A new event the user organises: blank (one day per date, static display), or a
    copy of one of their events (days, locations, stands and sessions, every date shifted
    so the first day falls on `start`; holders, people and meetings are not copied)."""
    if db.session.execute(select(Event.id).where(Event.slug == slug)).first():
        raise OrganiserError(_l("Another event has this short name."), field="slug")
    source = None
    if copy_from:
        source = next((e for e in events_organised_by(user) if e.id == copy_from), None)
        if source is None:
            raise OrganiserError(_l("Choose one of your events."), field="copy_from")
    shift = (start - source.start_date) if source else timedelta(0)
    if end is None:
        end = source.end_date + shift if source else start
    if end < start:
        raise OrganiserError(_l("The last day cannot be before the first day."), field="end_date")
    event = Event(
        slug=slug,
        name=name,
        timezone=timezone or "UTC",
        start_date=start,
        end_date=end,
        venue=venue or (source.venue if source else None),
        city=city or (source.city if source else None),
        country=source.country if source else None,
        theme=source.theme if source else None,
        organiser=source.organiser if source else None,
        website=None,
        request_expiry_hours=source.request_expiry_hours if source else None,
        staff_badges_per_9m2=source.staff_badges_per_9m2 if source else 2,
    )
    db.session.add(event)
    db.session.flush()
    make_organiser_of(user, event.id)
    if source is None:
        day = start
        while day <= end:
            db.session.add(
                EventDay(
                    event_id=event.id,
                    date=day,
                    kinds_csv=DayKind.STATIC_DISPLAY.value,
                    opens=time(9),
                    closes=time(18),
                )
            )
            day += timedelta(days=1)
    else:
        _copy(source, event, shift)
    db.session.flush()
    record(
        "event.create",
        event,
        event_id=event.id,
        after={"slug": slug, "copied_from": source.slug if source else None},
    )
    return event


def _copy(source: Event, event: Event, shift: timedelta) -> None:
    for day in source.days:
        moved = day.date + shift
        if event.start_date <= moved <= event.end_date:
            db.session.add(
                EventDay(
                    event_id=event.id,
                    date=moved,
                    kinds_csv=day.kinds_csv,
                    opens=day.opens,
                    closes=day.closes,
                )
            )
    location_ids = {}
    for location in source.locations:
        copy = Location(
            event_id=event.id,
            ref=location.ref,
            name=location.name,
            kind=location.kind,
            capacity=location.capacity,
            restricted=location.restricted,
        )
        db.session.add(copy)
        db.session.flush()
        location_ids[location.id] = copy.id
    for stand in db.session.execute(select(Stand).where(Stand.event_id == source.id)).scalars():
        db.session.add(
            Stand(
                event_id=event.id,
                ref=stand.ref,
                location_id=location_ids[stand.location_id],
                width_m=stand.width_m,
                depth_m=stand.depth_m,
                x_m=stand.x_m,
                y_m=stand.y_m,
                price=stand.price,
                currency=stand.currency,
                status=StandStatus.AVAILABLE.value,
            )
        )
    last = datetime.combine(event.end_date, time.max)
    for session in db.session.execute(
        select(EventSession).where(EventSession.event_id == source.id)
    ).scalars():
        if session.exhibitor_id is not None:
            continue  # a demo belongs to last year's exhibitor
        if session.start + shift > last:
            continue
        db.session.add(
            EventSession(
                event_id=event.id,
                ref=session.ref,
                title=session.title,
                kind=session.kind,
                start=session.start + shift,
                end=session.end + shift,
                location_id=location_ids[session.location_id],
                description=session.description,
                capacity=session.capacity,
            )
        )
    for table in db.session.execute(
        select(MeetingTable).where(MeetingTable.event_id == source.id)
    ).scalars():
        db.session.add(
            MeetingTable(
                event_id=event.id, ref=table.ref, location_id=location_ids[table.location_id]
            )
        )
