"""Matchmaking as the exhibitor sees it: its capacity and blocked slots, whom it can ask,
the requests to answer, to schedule and sent, and the times it can book. The booking
rules themselves are matchmaking's (booking, queries, MeetingRequest's predicates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from expo_app.audit.services import record
from expo_app.countries import country_name
from expo_app.delegations.models import Delegation, DelegationKind, Participant
from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor
from expo_app.exhibitors.services.common import MAX_MEETING_CAPACITY, ExhibitorError, escape_like
from expo_app.extensions import db
from expo_app.matchmaking import booking
from expo_app.matchmaking.models import (
    Meeting,
    MeetingRequest,
    MeetingSlot,
    RequestStatus,
    Side,
)
from expo_app.matchmaking.queries import blocked_slot_ids, event_slots, free_slots, slots_by_day
from expo_app.modelkit import utcnow
from expo_app.web.params import parse_int

DELEGATION_KIND_ORDER = tuple(
    kind.value
    for kind in (
        DelegationKind.GOVERNMENT,
        DelegationKind.MILITARY,
        DelegationKind.INDUSTRY,
        DelegationKind.OTHER,
        DelegationKind.PRESS,
    )
)
# How the request form groups delegations (its option groups), by kind.
DELEGATION_GROUPS = {
    DelegationKind.GOVERNMENT: _l("Government delegations"),
    DelegationKind.MILITARY: _l("Military delegations"),
    DelegationKind.INDUSTRY: _l("Industry delegations"),
    DelegationKind.PRESS: _l("Press"),
    DelegationKind.OTHER: _l("Other delegations"),
}
PRIORITY_LABELS = {1: _l("normal priority"), 2: _l("high priority"), 3: _l("very high priority")}


def priority_label(value: int) -> str:
    return str(PRIORITY_LABELS.get(value, value))


# --- Capacity and availability -------------------------------------------------------


def set_meeting_capacity(exhibitor: Exhibitor, capacity: int) -> None:
    """How many meetings the exhibitor holds at once; never below what is booked."""
    if not 1 <= capacity <= MAX_MEETING_CAPACITY:
        raise ExhibitorError(
            _l("Choose between 1 and %(max)s.", max=MAX_MEETING_CAPACITY), field="capacity"
        )
    before = exhibitor.meeting_capacity
    if before == capacity:
        return
    exhibitor.meeting_capacity = capacity
    try:
        db.session.flush()
    except IntegrityError:
        # Meetings copy the capacity (ON UPDATE CASCADE); the database refuses to lower it
        # under a slot's booked places.
        db.session.rollback()
        raise ExhibitorError(
            _l(
                "Some slots already have more meetings than %(count)s. Cancel or move "
                "meetings first.",
                count=capacity,
            ),
            field="capacity",
        ) from None
    record(
        "exhibitor.capacity",
        exhibitor,
        before={"meeting_capacity": before},
        after={"meeting_capacity": capacity},
    )


@dataclass
class SlotState:
    """One matchmaking slot from the exhibitor's side: booked places and whether blocked."""

    slot: MeetingSlot
    booked: int
    blocked: bool


def slot_states(event: Event, exhibitor: Exhibitor) -> list[tuple[date, list[SlotState]]]:
    """Every slot of the event, per day, with the exhibitor's meetings and blocks (3 queries)."""
    booked = dict(
        db.session.execute(
            select(Meeting.slot_id, func.count())
            .where(Meeting.exhibitor_id == exhibitor.id)
            .group_by(Meeting.slot_id)
        ).all()
    )
    blocked = blocked_slot_ids(exhibitor=exhibitor)
    days: dict[date, list[SlotState]] = {}
    for slot in event_slots(event):
        days.setdefault(slot.start.date(), []).append(
            SlotState(slot=slot, booked=booked.get(slot.id, 0), blocked=slot.id in blocked)
        )
    return sorted(days.items())


def save_availability(
    event: Event, exhibitor: Exhibitor, *, shown: set[int], blocked: set[int]
) -> int:
    """Block the ticked slots among those the form showed, free the others, all or
    nothing (booking.AvailabilityRefused lists every slot that could not change)."""
    changes = [
        (state.slot, state.slot.id in blocked)
        for _day, states in slot_states(event, exhibitor)
        for state in states
        if state.slot.id in shown and (state.slot.id in blocked) != state.blocked
    ]
    return booking.save_availability(event, changes, exhibitor=exhibitor)


# --- Whom to ask --------------------------------------------------------------------


def _meets(person: Participant | None) -> bool:
    """On the delegate side of meetings and accredited: a request can go to this person."""
    return person is not None and person.may_meet and person.is_accredited


_MEETS = and_(Participant.may_meet, Participant.is_accredited)


def delegations_to_meet(event: Event) -> list[tuple[Delegation, Participant]]:
    """Delegations an exhibitor can ask for a meeting, each with the person the request goes
    to (its head if accredited, else its first accredited member who meets): government
    delegations first, then military, industry..., each A to Z. Three queries whatever
    the size."""
    rank = case(
        {kind: position for position, kind in enumerate(DELEGATION_KIND_ORDER)},
        value=Delegation.kind,
        else_=len(DELEGATION_KIND_ORDER),
    )
    delegations = list(
        db.session.execute(
            select(Delegation)
            .where(Delegation.event_id == event.id)
            .options(selectinload(Delegation.head))
            .order_by(rank, func.lower(Delegation.name), Delegation.id)
        ).scalars()
    )
    headless = [d.id for d in delegations if not _meets(d.head)]
    fallback: dict[int, Participant] = {}
    if headless:
        first = (
            select(func.min(Participant.id))
            .where(Participant.delegation_id.in_(headless), _MEETS)
            .group_by(Participant.delegation_id)
        )
        for person in db.session.execute(
            select(Participant).where(Participant.id.in_(first))
        ).scalars():
            fallback[person.delegation_id] = person
    pairs = []
    for delegation in delegations:
        contact = delegation.head if _meets(delegation.head) else fallback.get(delegation.id)
        if contact is not None:
            pairs.append((delegation, contact))
    return pairs


def delegation_contact(delegation: Delegation) -> Participant | None:
    """Whom a request to a delegation goes to: its head if accredited, else a member."""
    if _meets(delegation.head):
        return delegation.head
    return (
        db.session.execute(
            select(Participant)
            .where(Participant.delegation_id == delegation.id, _MEETS)
            .order_by(Participant.id)
            .limit(1)
        )
        .scalars()
        .first()
    )


def find_delegates(event: Event, query: str, limit: int = 25) -> list[Participant]:
    """Accredited people who may meet (delegates and VIPs, MEETING_ROLES) whose name or
    organisation contains `query`, A to Z."""
    pattern = f"%{escape_like(query.strip())}%"
    return list(
        db.session.execute(
            select(Participant)
            .where(
                Participant.event_id == event.id,
                _MEETS,
                Participant.name.ilike(pattern, escape="\\")
                | Participant.organisation.ilike(pattern, escape="\\"),
            )
            .options(selectinload(Participant.delegation))
            .order_by(func.lower(Participant.name), Participant.id)
            .limit(limit)
        ).scalars()
    )


def _person_text(person: Participant) -> str:
    where = person.delegation.name if person.delegation else person.organisation
    return " — ".join(part for part in (person.name, person.title, where) if part)


def request_choices(event: Event, query: str = "") -> dict[str, list[tuple[str, str]]]:
    """Whom to meet, as option groups: the people matching the search (if any), then the
    delegations by kind, government first (a request to a delegation goes to its contact)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    if query:
        label = _("Delegates matching “%(text)s”", text=query)
        groups[label] = [
            (f"person:{person.id}", _person_text(person)) for person in find_delegates(event, query)
        ]
    for delegation, contact in delegations_to_meet(event):
        label = str(DELEGATION_GROUPS.get(delegation.kind, DELEGATION_GROUPS[DelegationKind.OTHER]))
        text = _(
            "%(delegation)s (%(country)s), through %(name)s",
            delegation=delegation.name,
            country=country_name(delegation.country),
            name=contact.name,
        )
        groups.setdefault(label, []).append((f"delegation:{delegation.id}", text))
    return groups


def meeting_target(event: Event, value: str | None) -> Participant | None:
    """The person a request form's choice ("delegation:7", "person:12") names at this
    event: a delegation's contact, or the person; None for anything else."""
    kind, _sep, raw = (value or "").partition(":")
    wanted = parse_int(raw, lo=1)
    if wanted is None:
        return None
    if kind == "delegation":
        delegation = db.session.get(Delegation, wanted)
        if delegation is None or delegation.event_id != event.id:
            return None
        return delegation_contact(delegation)
    if kind == "person":
        person = db.session.get(Participant, wanted)
        return person if person is not None and person.event_id == event.id else None
    return None


# --- The exhibitor's requests and meetings ------------------------------------------


def _requests(exhibitor: Exhibitor):
    return (
        select(MeetingRequest)
        .where(MeetingRequest.exhibitor_id == exhibitor.id)
        .options(
            joinedload(MeetingRequest.delegate).joinedload(Participant.delegation),
            selectinload(MeetingRequest.meeting),
        )
    )


def incoming_requests(exhibitor: Exhibitor) -> list[MeetingRequest]:
    """Requests the exhibitor may answer now (MeetingRequest.answerable_by), most wanted
    first. An unanswered request past its deadline is expired, so not listed."""
    pending = db.session.execute(
        _requests(exhibitor)
        .where(MeetingRequest.state_at(utcnow()) == RequestStatus.PENDING.value)
        .order_by(MeetingRequest.priority.desc(), MeetingRequest.created_at, MeetingRequest.id)
    )
    return [wish for wish in pending.unique().scalars() if wish.answerable_by(Side.EXHIBITOR)]


def requests_waiting_for_a_time(exhibitor: Exhibitor) -> list[MeetingRequest]:
    """Accepted requests that have no meeting yet (MeetingRequest.waits_for_slot)."""
    return list(
        db.session.execute(
            _requests(exhibitor)
            .outerjoin(Meeting, Meeting.request_id == MeetingRequest.id)
            .where(MeetingRequest.status == RequestStatus.ACCEPTED.value, Meeting.id.is_(None))
            .order_by(MeetingRequest.responded_at, MeetingRequest.id)
        )
        .unique()
        .scalars()
    )


def sent_requests(exhibitor: Exhibitor, limit: int = 100) -> list[MeetingRequest]:
    """Requests the exhibitor sent, newest first."""
    return list(
        db.session.execute(
            _requests(exhibitor)
            .where(MeetingRequest.requested_by == Side.EXHIBITOR.value)
            .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
            .limit(limit)
        )
        .unique()
        .scalars()
    )


def request_of(exhibitor: Exhibitor, request_id: int) -> MeetingRequest | None:
    """One of this exhibitor's requests, or None (another exhibitor's are not found)."""
    return (
        db.session.execute(_requests(exhibitor).where(MeetingRequest.id == request_id))
        .unique()
        .scalar_one_or_none()
    )


def meeting_of(exhibitor: Exhibitor, meeting_id: int) -> Meeting | None:
    return db.session.execute(
        select(Meeting).where(Meeting.id == meeting_id, Meeting.exhibitor_id == exhibitor.id)
    ).scalar_one_or_none()


def schedule_options(event: Event, exhibitor: Exhibitor, wish: MeetingRequest):
    """The free times, per day, to offer for a request, only if the exhibitor may book it
    now (MeetingRequest.bookable_by): never on its own unanswered invitation."""
    if not wish.bookable_by(Side.EXHIBITOR):
        return []
    return slots_by_day(free_slots(event, delegate=wish.delegate, exhibitor=exhibitor))


def matchmaking_summary(exhibitor: Exhibitor) -> dict[str, int]:
    meetings = db.session.execute(
        select(func.count()).where(Meeting.exhibitor_id == exhibitor.id)
    ).scalar_one()
    return {"incoming": len(incoming_requests(exhibitor)), "meetings": meetings}
