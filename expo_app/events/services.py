"""Reading the event and its programme, shared by the public pages, PDFs and the CLI."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from expo_app.events.models import (
    Event,
    EventDay,
    EventSession,
    Location,
    LocationKind,
    SessionKind,
)
from expo_app.extensions import db

if TYPE_CHECKING:
    from expo_app.exhibitors.admission import DemoViewer, ShownSession


class EventNotFound(LookupError):
    """No event with that slug (or, with none given, not exactly one event)."""


def get_event(slug: str) -> Event | None:
    return db.session.execute(select(Event).filter_by(slug=slug)).scalar_one_or_none()


def list_events() -> list[Event]:
    return list(db.session.execute(select(Event).order_by(Event.start_date.desc())).scalars())


def resolve_event(slug: str | None) -> Event:
    """The event a command means: the slug given, or the only event in the database."""
    if slug:
        event = get_event(slug)
        if event is None:
            raise EventNotFound(f"no event with slug {slug!r}")
        return event
    events = list_events()
    if len(events) != 1:
        known = ", ".join(e.slug for e in events) or "none"
        raise EventNotFound(
            f"--event is required when the database holds {len(events)} events (known: {known})"
        )
    return events[0]


@dataclass
class ProgrammeDay:
    """One day of the programme: its kinds and its sessions, grouped by location."""

    day: EventDay
    sessions: list[ShownSession] = field(default_factory=list)

    @property
    def by_location(self) -> list[tuple[Location, list[ShownSession]]]:
        groups: dict[int, list[ShownSession]] = defaultdict(list)
        locations: dict[int, Location] = {}
        for session in self.sessions:
            groups[session.location_id].append(session)
            locations[session.location_id] = session.location
        return [(locations[key], groups[key]) for key in sorted(groups, key=lambda k: k)]


def programme(event: Event, viewer: DemoViewer | None = None) -> list[ProgrammeDay]:
    """Every day of the event with its sessions in time order, in three queries, as
    `viewer` may see them: a restricted demo's title and description only for those it
    admits (no viewer: the public, as in the public PDF)."""
    from expo_app.exhibitors.admission import public_viewer

    viewer = viewer or public_viewer(event.id)
    sessions = db.session.execute(
        select(EventSession)
        .where(EventSession.event_id == event.id)
        .options(joinedload(EventSession.location), joinedload(EventSession.exhibitor))
        .order_by(EventSession.start, EventSession.location_id, EventSession.id)
    ).scalars()
    days = {day.date: ProgrammeDay(day) for day in event.days}
    for session in sessions:
        bucket = days.get(session.start.date())
        if bucket is not None:
            bucket.sessions.append(viewer.shown(session))
    return [days[key] for key in sorted(days)]


def sessions_of_exhibitor(
    event: Event, exhibitor_id: int, viewer: DemoViewer | None = None
) -> list[ShownSession]:
    """An exhibitor's demos and sessions in time order, as `viewer` may see them (a
    restricted demo's details only for those it admits)."""
    from expo_app.exhibitors.admission import public_viewer

    viewer = viewer or public_viewer(event.id)
    sessions = db.session.execute(
        select(EventSession)
        .where(EventSession.event_id == event.id, EventSession.exhibitor_id == exhibitor_id)
        .options(joinedload(EventSession.location))
        .order_by(EventSession.start, EventSession.id)
    ).scalars()
    return [viewer.shown(session) for session in sessions]


def event_counts(event: Event) -> dict[str, int]:
    """Headline figures for the overview page, in one query per table."""
    from expo_app.delegations.models import Delegation, Participant
    from expo_app.exhibitors.models import Exhibitor

    def count(model) -> int:
        return db.session.execute(
            select(func.count()).select_from(model).where(model.event_id == event.id)
        ).scalar_one()

    return {
        "exhibitors": count(Exhibitor),
        "delegations": count(Delegation),
        "participants": count(Participant),
        "sessions": count(EventSession),
    }


def day_of(event: Event, when: date) -> EventDay | None:
    return next((day for day in event.days if day.date == when), None)


# What a location usually holds: the schedule editor proposes this kind for a session drawn
# in the location's column (the organiser may pick another).
USUAL_SESSION_KIND = {
    LocationKind.MEETING_AREA: SessionKind.MATCHMAKING,
    LocationKind.DEMO_ZONE: SessionKind.DEMO,
    LocationKind.CEREMONY: SessionKind.CEREMONY,
    LocationKind.HALL: SessionKind.STATIC_DISPLAY,
    LocationKind.OUTDOOR: SessionKind.STATIC_DISPLAY,
}


def usual_session_kind(location: Location) -> SessionKind:
    return USUAL_SESSION_KIND.get(location.kind, SessionKind.OTHER)


def locations_of_kind(event: Event, kind: LocationKind) -> list[Location]:
    """The event's locations of one kind (demo zones, meeting areas), in their order."""
    return [location for location in event.locations if location.kind == kind]
