"""Demo slots: an exhibitor asks for one (with the allow-list of who may attend), may
withdraw it while it waits, and the organiser places it in a demo zone on a demo day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from expo_app.audit.services import record, snapshot
from expo_app.delegations.models import Delegation, Participant, ParticipantRole
from expo_app.events.models import (
    DayKind,
    Event,
    EventDay,
    EventSession,
    Location,
    LocationKind,
    SessionKind,
)
from expo_app.exhibitors.models import DemoAllowedCountry, DemoRequest, DemoStatus, Exhibitor
from expo_app.exhibitors.services.common import DemoConflict, ExhibitorError, require_approved
from expo_app.extensions import db


def request_demo(
    exhibitor: Exhibitor,
    *,
    title: str,
    duration_min: int,
    equipment: str | None = None,
    description: str | None = None,
    preferred_date: date | None = None,
    delegation_ids: list[int] | None = None,
    countries: list[str] | None = None,
) -> DemoRequest:
    """Ask the organiser for a demo slot; the allow-list says who may attend."""
    require_approved(exhibitor)
    delegations = []
    if delegation_ids:
        delegations = list(
            db.session.execute(
                select(Delegation).where(
                    Delegation.id.in_(delegation_ids), Delegation.event_id == exhibitor.event_id
                )
            ).scalars()
        )
        if len(delegations) != len(set(delegation_ids)):
            raise ExhibitorError(_l("Choose delegations of this event."), field="delegations")
    demo = DemoRequest(
        event_id=exhibitor.event_id,
        exhibitor_id=exhibitor.id,
        title=title.strip(),
        description=description or None,
        duration_min=duration_min,
        equipment=equipment or None,
        preferred_date=preferred_date,
        status=DemoStatus.PENDING.value,
        allowed_delegations=delegations,
        allowed_countries=[
            DemoAllowedCountry(country=code.upper()) for code in sorted(set(countries or []))
        ],
    )
    db.session.add(demo)
    db.session.flush()
    record(
        "demo.request",
        demo,
        after={
            **snapshot(demo, ["title", "duration_min", "equipment", "preferred_date"]),
            "delegations": [d.id for d in delegations],
            "countries": demo.country_codes,
        },
    )
    return demo


def demo_requests_of(exhibitor: Exhibitor) -> list[DemoRequest]:
    return list(
        db.session.execute(
            select(DemoRequest)
            .where(DemoRequest.exhibitor_id == exhibitor.id)
            .options(
                selectinload(DemoRequest.allowed_delegations),
                selectinload(DemoRequest.allowed_countries),
                selectinload(DemoRequest.session),
            )
            .order_by(DemoRequest.created_at.desc(), DemoRequest.id.desc())
        ).scalars()
    )


def demo_request_of(exhibitor: Exhibitor, demo_id: int) -> DemoRequest | None:
    return db.session.execute(
        select(DemoRequest).where(
            DemoRequest.id == demo_id, DemoRequest.exhibitor_id == exhibitor.id
        )
    ).scalar_one_or_none()


def withdraw_demo(demo: DemoRequest) -> None:
    """The exhibitor withdraws a request the organiser has not placed yet."""
    if not demo.is_pending:
        raise ExhibitorError(_l("Only a request that is not scheduled yet can be withdrawn."))
    demo.status = DemoStatus.WITHDRAWN.value
    record("demo.withdraw", demo, after={"status": "withdrawn"})
    try:
        db.session.flush()
    except StaleDataError:  # the organiser placed it meanwhile
        db.session.rollback()
        raise ExhibitorError(_l("The organiser has just scheduled this demo.")) from None


def pending_demo_requests(event: Event) -> list[DemoRequest]:
    return list(
        db.session.execute(
            select(DemoRequest)
            .where(DemoRequest.event_id == event.id, DemoRequest.status == DemoStatus.PENDING.value)
            .options(
                selectinload(DemoRequest.exhibitor),
                selectinload(DemoRequest.allowed_delegations),
                selectinload(DemoRequest.allowed_countries),
            )
            .order_by(DemoRequest.created_at, DemoRequest.id)
        ).scalars()
    )


def place_demo(demo: DemoRequest, *, location: Location, start: datetime) -> EventSession:
    """Organiser: put a requested demo on the schedule, in a demo zone on a demo day."""
    if not demo.is_pending:
        raise DemoConflict(_l("This demo request is not waiting to be scheduled."))
    if location.event_id != demo.event_id or location.kind != LocationKind.DEMO_ZONE:
        raise DemoConflict(_l("Demos take place in a demo zone."), field="location")
    event = db.session.get(Event, demo.event_id)
    day = next((d for d in event.days if d.date == start.date()), None)
    if day is None or not day.has_kind(DayKind.DEMO):
        raise DemoConflict(_l("Choose a demo day of the event."), field="start")
    end = start + timedelta(minutes=demo.duration_min)
    if (day.opens and start.time() < day.opens) or (day.closes and end.time() > day.closes):
        raise DemoConflict(_l("The demo must fit within the day's opening hours."), field="start")
    clash = db.session.execute(
        select(EventSession.title).where(
            EventSession.location_id == location.id,
            EventSession.start < end,
            EventSession.end > start,
        )
    ).first()
    if clash:
        raise DemoConflict(
            _l("The zone is taken then by: %(title)s.", title=clash.title), field="start"
        )
    session = EventSession(
        event_id=demo.event_id,
        ref=f"demo-{demo.id}",
        title=demo.title,
        kind=SessionKind.DEMO.value,
        start=start,
        end=end,
        location_id=location.id,
        description=demo.description,
        exhibitor_id=demo.exhibitor_id,
    )
    db.session.add(session)
    db.session.flush()
    demo.status = DemoStatus.PLACED.value
    demo.session_id = session.id
    try:
        db.session.flush()
    except StaleDataError:  # withdrawn by the exhibitor meanwhile
        db.session.rollback()
        raise DemoConflict(_l("The exhibitor has just withdrawn this request.")) from None
    record("demo.place", demo, after={"session_id": session.id, "start": start.isoformat()})
    return session


def demo_audience(event: Event) -> tuple[list[Delegation], set[str]]:
    """Who an allow-list can name: the event's delegations, and the countries of its
    delegations and delegates."""
    delegations = list(
        db.session.execute(
            select(Delegation)
            .where(Delegation.event_id == event.id)
            .order_by(func.lower(Delegation.name), Delegation.id)
        ).scalars()
    )
    countries = {delegation.country for delegation in delegations}
    countries |= set(
        db.session.execute(
            select(Participant.country)
            .distinct()
            .where(
                Participant.event_id == event.id,
                Participant.role == ParticipantRole.DELEGATE.value,
                Participant.country.is_not(None),
            )
        ).scalars()
    )
    return delegations, countries


def demo_zones(event: Event) -> list[Location]:
    return [location for location in event.locations if location.kind == LocationKind.DEMO_ZONE]


def demo_days(event: Event) -> list[EventDay]:
    """The days an exhibitor may prefer for a demo: the demo days (every day if none is)."""
    return [day for day in event.days if day.has_kind(DayKind.DEMO)] or list(event.days)
