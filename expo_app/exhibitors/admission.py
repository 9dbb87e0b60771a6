"""Who may attend a live demo: the one rule, for agendas, pages and anything else that asks.

A demo of export-controlled systems is shown only to the people its exhibitor named;
the rule is written once here so the delegate's agenda, the exhibitor's pages and the
programme can never disagree about who is admitted.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from expo_app.delegations.models import Participant
from expo_app.events.models import EventSession
from expo_app.exhibitors.models import DemoRequest
from expo_app.extensions import db

# Per placed demo session id: (allowed delegation ids, allowed country codes).
AllowLists = dict[int, tuple[set[int], set[str]]]


def admitted_to_demo(
    participant: Participant, session: EventSession, allow_lists: AllowLists | None = None
) -> bool:
    """May this participant attend this demo?

    Three conditions, all needed:
    1. the participant is accredited;
    2. the demo's zone admits their badge: a restricted location must be among their
       badge zones;
    3. the demo's allow-list, if it has one, includes them: their delegation, their own
       nationality or their delegation's country. A demo with no list (or empty lists) is
       open to every accredited participant the zone admits.

    `allow_lists` (from `demo_allow_lists`) saves a query per demo when checking many.
    """
    if not participant.is_accredited:
        return False
    if session.location.restricted and session.location_id not in participant.zone_location_ids:
        return False
    if allow_lists is None:
        allow_lists = demo_allow_lists(session.event_id)
    delegations, countries = allow_lists.get(session.id, (set(), set()))
    if not delegations and not countries:
        return True
    if participant.delegation_id in delegations:
        return True
    delegation_country = participant.delegation.country if participant.delegation else None
    return bool({participant.country, delegation_country} & countries)


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
