"""What the delegate portal's pages show, read in one place so views only render.

Reads only: nothing here writes, so a GET can call any of it. Each page's data comes as
one small object whose booleans and sentences are decided here (who may book, what a
request's state means to the delegate), never in a view or a template.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from expo_app.accounts.models import Role
from expo_app.accounts.permissions import participant_of
from expo_app.delegations import seats
from expo_app.delegations.models import Delegation, FollowedSession, Participant
from expo_app.events.models import Event, EventSession, SessionKind
from expo_app.exhibitors.admission import admitted_to_demo, demo_allow_lists
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from expo_app.matchmaking import booking
from expo_app.matchmaking import queries as matchmaking
from expo_app.matchmaking.agenda import AgendaDay, agenda
from expo_app.matchmaking.models import Meeting, MeetingRequest, MeetingSlot, RequestStatus, Side
from expo_app.web.params import parse_int

# --------------------------------------------------------------------------- who acts for whom


def led_delegations(head: Participant) -> list[Delegation]:
    """The delegations this participant heads at their event (usually one, or none)."""
    return list(
        db.session.execute(
            select(Delegation)
            .where(Delegation.head_id == head.id, Delegation.event_id == head.event_id)
            .order_by(Delegation.id)
        ).scalars()
    )


def delegation_members(head: Participant, led: list[Delegation] | None = None) -> list[Participant]:
    """The people a head of delegation acts for (themselves first), else just the person."""
    led = led_delegations(head) if led is None else led
    if not led:
        return [head]
    members = db.session.execute(
        select(Participant)
        .where(Participant.delegation_id.in_([d.id for d in led]), Participant.id != head.id)
        .order_by(Participant.name, Participant.id)
    ).scalars()
    return [head, *members]


# --------------------------------------------------------------------------- registration


class RegistrationStep(Enum):
    """Where an account stands with registering for an event."""

    NEW_ACCOUNT = "new_account"  # anonymous: the form makes the account too
    SIGNED_IN = "signed_in"  # a delegate account not registered here yet
    REGISTERED = "registered"  # registered already: their portal
    OTHER_ROLE = "other_role"  # exhibitor, organiser...: not a delegate's account


def standing(user: Any, event: Event) -> tuple[RegistrationStep, Participant | None]:
    """The account's registration step at the event, and its participant once registered."""
    if not getattr(user, "is_authenticated", False):
        return RegistrationStep.NEW_ACCOUNT, None
    if user.role != Role.DELEGATE:
        return RegistrationStep.OTHER_ROLE, None
    me = participant_of(user, event.id)
    if me is None:
        return RegistrationStep.SIGNED_IN, None
    return RegistrationStep.REGISTERED, me


def registration_step(user: Any, event: Event) -> RegistrationStep:
    return standing(user, event)[0]


# --------------------------------------------------------------------------- booking


def booking_refusal(event: Event, person: Participant) -> str | None:
    """Why this person cannot book a meeting now, in words (the booking rule's own
    refusal); None when they can."""
    refusal = booking.meeting_refusal(event, person)
    return str(refusal) if refusal is not None else None


def free_days(event: Event, person: Participant, exhibitor: Exhibitor) -> list:
    """The pair's free slots, by day."""
    options = matchmaking.free_slots(event, delegate=person, exhibitor=exhibitor)
    return matchmaking.slots_by_day(options)


@dataclass(frozen=True)
class BookingBox:
    """What an exhibitor's public page says about meeting it, for whoever is looking."""

    shown: bool = True  # False for accounts that do not book meetings (exhibitors, staff)
    needs_sign_in: bool = False
    needs_registration: bool = False
    awaits_accreditation: bool = False
    refused: bool = False
    can_book: bool = False
    days: list = field(default_factory=list)


def booking_box(event: Event, exhibitor: Exhibitor, user: Any) -> BookingBox:
    """The free slots for an accredited delegate, else why they cannot book (yet)."""
    step, me = standing(user, event)
    if step is RegistrationStep.NEW_ACCOUNT:
        return BookingBox(needs_sign_in=True)
    if step is RegistrationStep.OTHER_ROLE:
        return BookingBox(shown=False)
    if me is None:
        return BookingBox(needs_registration=True)
    if me.is_refused:
        return BookingBox(refused=True)
    if not me.is_accredited:
        return BookingBox(awaits_accreditation=True)
    if not me.may_meet:
        return BookingBox(shown=False)  # press and the like attend, but book no meetings
    return BookingBox(can_book=True, days=free_days(event, me, exhibitor))


@dataclass
class BookPage:
    """The 'meet this exhibitor' page for one person: their free slots, or why not."""

    refusal: str | None
    days: list
    open_request: MeetingRequest | None

    @property
    def can_book(self) -> bool:
        return self.refusal is None


def book_page(event: Event, exhibitor: Exhibitor, person: Participant) -> BookPage:
    refusal = booking_refusal(event, person)
    return BookPage(
        refusal=refusal,
        days=[] if refusal else free_days(event, person, exhibitor),
        open_request=matchmaking.open_request(person, exhibitor),
    )


def slot_of(event: Event, value: Any) -> MeetingSlot | None:
    """The meeting slot a form names (a string id), if it is one of this event's."""
    return matchmaking.slot_of_event(event, parse_int(value, lo=1))


# --------------------------------------------------------------------------- meetings and requests

_SENTENCES = {
    RequestStatus.ACCEPTED: _l(
        "Accepted: choose a slot, or the organisers' scheduler will place the meeting."
    ),
    RequestStatus.DECLINED: _l("Declined."),
    RequestStatus.CANCELLED: _l("Cancelled."),
    RequestStatus.EXPIRED: _l("Expired without an answer."),
}


def request_sentence(request: MeetingRequest) -> str:
    """What a request means to the delegate, in the state it is in now."""
    if request.answerable_by(Side.DELEGATE):
        return _("The exhibitor invites you to a meeting.")
    if request.awaits_answer_from(Side.DELEGATE):
        return _("Waiting for the exhibitor's answer.")
    return str(_SENTENCES.get(request.state, request.state_label))


@dataclass
class Overview:
    """The dashboard's meetings box: the next meetings and the invitations to answer."""

    meetings: list[Meeting]
    invitations: int


def overview(event: Event, people_ids: list[int]) -> Overview:
    requests = matchmaking.requests_of(event, people_ids)
    return Overview(
        meetings=matchmaking.meetings_of(event, people_ids),
        invitations=sum(1 for r in requests if r.answerable_by(Side.DELEGATE)),
    )


# --------------------------------------------------------------------------- availability


@dataclass
class AvailabilityPage:
    """Every slot of the event by day, with the person's meetings and blocked slots."""

    days: list[tuple[date, list[MeetingSlot]]]
    busy: set[int]
    blocked: set[int]


def availability_page(event: Event, person: Participant) -> AvailabilityPage:
    grouped: dict[date, list[MeetingSlot]] = defaultdict(list)
    for slot in matchmaking.event_slots(event):
        grouped[slot.start.date()].append(slot)
    return AvailabilityPage(
        days=sorted(grouped.items()),
        busy={m.slot_id for m in matchmaking.meetings_of(event, [person.id])},
        blocked=matchmaking.blocked_slot_ids(participant=person),
    )


# --------------------------------------------------------------------------- agenda


def followable_sessions(event: Event, person: Participant) -> list[EventSession]:
    """Programme sessions this person can add to an agenda (matchmaking blocks are the
    meetings; a demo only if they are admitted to it)."""
    sessions = db.session.execute(
        select(EventSession)
        .where(EventSession.event_id == event.id, EventSession.kind != SessionKind.MATCHMAKING)
        .options(joinedload(EventSession.location))
        .order_by(EventSession.start, EventSession.id)
    ).scalars()
    allow_lists = demo_allow_lists(event.id)
    return [
        session
        for session in sessions
        if session.kind != SessionKind.DEMO or admitted_to_demo(person, session, allow_lists)
    ]


def followed_sessions(participant: Participant) -> dict[int, FollowedSession]:
    return {
        row.session_id: row
        for row in db.session.execute(
            select(FollowedSession).where(FollowedSession.participant_id == participant.id)
        ).scalars()
    }


@dataclass
class AgendaPage:
    """A person's agenda, and the programme sessions they may add to it, with the seats
    taken in each and their place on any waitlist."""

    days: list[AgendaDay]
    sessions_by_day: list[tuple[date, list[EventSession]]]
    followed: set[int]
    taken: dict[int, int]
    waiting: dict[int, int]  # session id -> their place in its line (1: next)

    def is_full(self, session: EventSession) -> bool:
        return session.capacity is not None and self.taken.get(session.id, 0) >= session.capacity


def agenda_page(event: Event, person: Participant) -> AgendaPage:
    by_day: dict[date, list[EventSession]] = defaultdict(list)
    sessions = followable_sessions(event, person)
    for session in sessions:
        by_day[session.start.date()].append(session)
    rows = followed_sessions(person)
    return AgendaPage(
        days=agenda(event, participant=person),
        sessions_by_day=sorted(by_day.items()),
        followed=set(rows),
        taken=seats.seats_taken([s.id for s in sessions if s.capacity is not None]),
        waiting={
            session_id: seats.waitlist_position(row)
            for session_id, row in rows.items()
            if row.waitlisted
        },
    )
