"""Who may attend a live demo: the one rule, for agendas, pages, the gate and scanners.

A demo of export-controlled systems is shown only to the people its exhibitor named;
the rule is written once here so the delegate's agenda, the exhibitor's pages, the
programme, the gate and an offline scanner can never disagree about who is admitted.
What a viewer may *see* of a restricted demo (its title and description) follows the
same rule: `DemoViewer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from expo_app.delegations.models import Participant
from expo_app.events.models import EventSession, SessionKind
from expo_app.exhibitors.models import DemoRequest
from expo_app.extensions import db

# Per placed demo session id: (allowed delegation ids, allowed country codes).
AllowLists = dict[int, tuple[set[int], set[str]]]

# Why someone is not admitted to a demo (None: admitted).
NOT_ACCREDITED = "not_accredited"
NO_ZONE = "no_zone"
NOT_ON_LIST = "not_on_list"

REFUSALS = {
    NOT_ACCREDITED: _l("Only accredited participants may attend a demonstration."),
    NO_ZONE: _l("Your badge does not give access to the zone of this demonstration."),
    NOT_ON_LIST: _l(
        "This demonstration is restricted by its exhibitor to named delegations and "
        "countries, and yours is not among them."
    ),
}


def on_the_list(participant: Participant, session: EventSession, allow_lists: AllowLists) -> bool:
    """The demo's allow-list part of the rule: no list (open demo), the exhibitor's own
    staff, the participant's delegation, their own nationality or their delegation's
    country."""
    delegations, countries = allow_lists.get(session.id, (set(), set()))
    if not delegations and not countries:
        return True
    if session.exhibitor_id is not None and participant.exhibitor_id == session.exhibitor_id:
        return True
    if participant.delegation_id in delegations:
        return True
    delegation_country = participant.delegation.country if participant.delegation else None
    return bool({participant.country, delegation_country} & countries)


def demo_refusal(
    participant: Participant, session: EventSession, allow_lists: AllowLists | None = None
) -> str | None:
    """Why this participant may not attend this demo, or None when they may.

    Three conditions, all needed:
    1. the participant is accredited;
    2. the demo's zone admits their badge: a restricted location must be among their
       badge zones;
    3. the demo's allow-list, if it has one, includes them (`on_the_list`).

    `allow_lists` (from `demo_allow_lists`) saves a query per demo when checking many.
    """
    if not participant.is_accredited:
        return NOT_ACCREDITED
    if session.location.restricted and session.location_id not in participant.zone_location_ids:
        return NO_ZONE
    if allow_lists is None:
        allow_lists = demo_allow_lists(session.event_id)
    if not on_the_list(participant, session, allow_lists):
        return NOT_ON_LIST
    return None


def admitted_to_demo(
    participant: Participant, session: EventSession, allow_lists: AllowLists | None = None
) -> bool:
    """May this participant attend this demo? (`demo_refusal` says why not.)"""
    return demo_refusal(participant, session, allow_lists) is None


def demo_allow_lists(event_id: int) -> AllowLists:
    """Per placed demo session of the event: its allowed delegation ids and countries
    (one query for the whole event)."""
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


def is_restricted(session: EventSession, allow_lists: AllowLists) -> bool:
    """A demo whose exhibitor named who may attend (export controlled)."""
    delegations, countries = allow_lists.get(session.id, (set(), set()))
    return session.kind == SessionKind.DEMO and bool(delegations or countries)


# --- What a viewer may see -------------------------------------------------------------------


@dataclass
class DemoViewer:
    """Someone looking at the programme. A restricted demo's details are theirs only if
    they organise the event, are its exhibitor, or are a participant admitted to it;
    everyone else (the public, the public PDF) sees that a restricted demo takes place."""

    allow_lists: AllowLists
    organiser: bool = False
    exhibitor_id: int | None = None
    participant: Participant | None = None

    def sees(self, session: EventSession) -> bool:
        if not is_restricted(session, self.allow_lists) or self.organiser:
            return True
        if self.exhibitor_id is not None and session.exhibitor_id == self.exhibitor_id:
            return True
        return self.participant is not None and admitted_to_demo(
            self.participant, session, self.allow_lists
        )

    def shown(self, session: EventSession) -> ShownSession:
        return ShownSession(session, hidden=not self.sees(session))


def public_viewer(event_id: int) -> DemoViewer:
    return DemoViewer(demo_allow_lists(event_id))


def viewer_of(event_id: int, user: Any) -> DemoViewer:
    """The signed-in person (or the anonymous public) as a viewer of this event's demos."""
    from expo_app.accounts import permissions

    viewer = public_viewer(event_id)
    if user is None or not getattr(user, "is_authenticated", False):
        return viewer
    if permissions.is_organiser_of(user, event_id):
        viewer.organiser = True
        return viewer
    exhibitor = permissions.exhibitor_of(user, event_id)
    if exhibitor is not None:
        viewer.exhibitor_id = exhibitor.id
    viewer.participant = permissions.participant_of(user, event_id)
    return viewer


def viewer_for(who: Participant | Any) -> DemoViewer:
    """The owner of a personal agenda (a participant or an exhibitor) as a viewer."""
    viewer = public_viewer(who.event_id)
    if isinstance(who, Participant):
        viewer.participant = who
    else:
        viewer.exhibitor_id = who.id
    return viewer


@dataclass(eq=False)
class ShownSession:
    """A session as one viewer may see it: a restricted demo they are not admitted to
    keeps its time, place and exhibitor and loses its title and description."""

    session: EventSession
    hidden: bool = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)

    @property
    def title(self) -> str:
        return str(_l("Restricted demonstration")) if self.hidden else self.session.title

    @property
    def description(self) -> str | None:
        return None if self.hidden else self.session.description

    @property
    def restricted_demo(self) -> bool:
        return self.hidden


# --- At the gate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOn:
    """A demo running at a gate's location, and who may watch it (participant ids, when
    its exhibitor restricted it): what the gate and an offline scanner decide with."""

    session_id: int
    title: str
    restricted: bool
    admitted: frozenset[int] = frozenset()

    def admits(self, participant_id: int) -> bool:
        return not self.restricted or participant_id in self.admitted


def demo_on_at(event_id: int, location_id: int, at: datetime) -> EventSession | None:
    """The demo running at this location at this moment (naive local wall-clock time, as
    sessions are stored), if any."""
    return db.session.execute(
        select(EventSession)
        .where(
            EventSession.event_id == event_id,
            EventSession.location_id == location_id,
            EventSession.kind == SessionKind.DEMO,
            EventSession.start <= at,
            EventSession.end > at,
        )
        .order_by(EventSession.start)
        .limit(1)
    ).scalar_one_or_none()


def demo_on_for(
    session: EventSession, participants: list[Participant], allow_lists: AllowLists
) -> DemoOn:
    """The gate's view of a demo: its admitted participants among `participants` (the
    zone and accreditation are the gate's own checks; this is the list part)."""
    restricted = is_restricted(session, allow_lists)
    admitted = frozenset(
        p.id for p in participants if restricted and on_the_list(p, session, allow_lists)
    )
    return DemoOn(session.id, session.title, restricted, admitted)
