"""Fixtures of the badge tests: an event running today (so badges are valid at the gate
now), a restricted demo zone, people approved or not, the accounts that act on them,
and `login(user)`, a client signed in as one of them. (Reading a badge PDF back:
tests/kit/pdf.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from expo_app.accounts.models import EventOrganiser, User
from expo_app.delegations.models import Delegation, Participant, ParticipantZone
from expo_app.events.models import Event, EventDay, Location
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from tests.kit.accounts import OwnClient, make_account, new_client


@dataclass
class BadgeExpo:
    event: Event
    hall: Location
    zone: Location
    delegation: Delegation
    alice: Participant  # approved delegate with the demo zone, has an account
    bob: Participant  # approved delegate without zones, has an account
    carol: Participant  # pending delegate, has an account
    dilek: Participant  # approved exhibitor staff with a Turkish name
    exhibitor: Exhibitor
    organiser: User
    stranger: User  # an organiser of another event
    gate: User
    exhibitor_user: User

    @property
    def slug(self) -> str:
        return self.event.slug


def person(event: Event, ref: str, name: str, **values) -> Participant:
    values.setdefault("role", "delegate")
    values.setdefault("accreditation", "approved")
    participant = Participant(
        event_id=event.id, ref=ref, name=name, email=f"{ref}@example.org", **values
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def build_badge_expo(slug: str = "badge-expo", today: date | None = None) -> BadgeExpo:
    today = today or datetime.now(UTC).date()
    event = Event(
        slug=slug,
        name="Badge Expo",
        timezone="UTC",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
        city="Bamako",
    )
    db.session.add(event)
    db.session.flush()
    for offset in (-1, 0, 1):
        day = EventDay(event_id=event.id, date=today + timedelta(days=offset), opens=time(8))
        day.kinds = ["static_display"]
        db.session.add(day)
    hall = Location(event_id=event.id, ref="hall", name="Hall A", kind="hall")
    zone = Location(
        event_id=event.id,
        ref="demo",
        name="Live Demo Zone — secured range",
        kind="demo_zone",
        restricted=True,
    )
    db.session.add_all([hall, zone])
    db.session.flush()
    delegation = Delegation(event_id=event.id, ref="del-ml", name="Mali Air Force", country="ML")
    exhibitor = Exhibitor(event_id=event.id, ref="sarsilmaz", name="Sarsılmaz", country="TR")
    db.session.add_all([delegation, exhibitor])
    db.session.flush()
    alice_user = make_account(f"alice@{slug}.org", "delegate")
    bob_user = make_account(f"bob@{slug}.org", "delegate")
    carol_user = make_account(f"carol@{slug}.org", "delegate")
    alice = person(
        event,
        "p-alice",
        "Aïssata Coulibaly",
        title="Lieutenant-colonel",
        organisation="Armée de l'Air du Mali",
        country="ML",
        delegation_id=delegation.id,
        user_id=alice_user.id,
    )
    db.session.add(ParticipantZone(participant_id=alice.id, location_id=zone.id))
    bob = person(
        event, "p-bob", "Bob Smith", country="GB", delegation_id=delegation.id, user_id=bob_user.id
    )
    carol = person(
        event, "p-carol", "Carol Pending", accreditation="pending", user_id=carol_user.id
    )
    dilek = person(
        event,
        "p-dilek",
        "Dilek Şahin Ağaoğlu",
        role="exhibitor_staff",
        exhibitor_id=exhibitor.id,
        country="TR",
    )
    organiser = make_account(f"organiser@{slug}.org", "organiser")
    db.session.add(EventOrganiser(user_id=organiser.id, event_id=event.id))
    stranger = make_account(f"stranger@{slug}.org", "organiser")
    gate = make_account(f"gate@{slug}.org", "gate")
    db.session.add(EventOrganiser(user_id=gate.id, event_id=event.id))
    exhibitor_user = make_account(f"exhibitor@{slug}.org", "exhibitor")
    exhibitor.user_id = exhibitor_user.id
    db.session.flush()
    db.session.expire_all()
    return BadgeExpo(
        event, hall, zone, delegation, alice, bob, carol, dilek, exhibitor,
        organiser, stranger, gate, exhibitor_user,
    )  # fmt: skip


@pytest.fixture
def expo(app) -> BadgeExpo:
    built = build_badge_expo()
    db.session.commit()
    return built


@pytest.fixture
def login(app):
    """login(user) -> a client signed in as the user; login(None) -> an anonymous one."""

    def sign_in(user: User | None) -> OwnClient:
        return new_client(app, user.email if user is not None else None)

    return sign_in
