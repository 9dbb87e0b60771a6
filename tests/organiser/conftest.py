"""Fixtures of the organiser workspace: a small event with a hall of stands, a demo zone
and a matchmaking lounge, two organisers of it, someone else's organiser, an exhibitor
and pending delegates, and signed-in test clients (accounts: tests/kit/accounts.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest

from expo_app.accounts.models import EventOrganiser
from expo_app.delegations.models import Delegation, Participant
from expo_app.events.models import Event, EventDay, EventSession, Location
from expo_app.exhibitors.models import Exhibitor, Stand
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import OwnClient, make_account, new_client


@dataclass
class Expo:
    """Test Expo (11-12 Nov: static display and matchmaking; 13 Nov: demos)."""

    event: Event
    hall: Location
    zone: Location
    lounge: Location
    stands: list[Stand]
    anka: Exhibitor
    borealis: Exhibitor
    delegation: Delegation
    pending: list[Participant]
    demo: EventSession
    other_demo: EventSession

    @property
    def slug(self) -> str:
        return self.event.slug

    def url(self, path: str = "") -> str:
        return f"/e/{self.event.slug}/manage/{path}"


def build_expo() -> Expo:
    event = f.make_event()
    event.end_date = date(2025, 11, 13)
    demo_day = EventDay(event_id=event.id, date=date(2025, 11, 13), opens=time(8), closes=time(16))
    demo_day.kinds = ["demo"]
    db.session.add(demo_day)
    hall = f.make_location(event, "hall", name="Hall A")
    zone = f.make_location(event, "demo_zone", name="Demo zone", restricted=True)
    lounge = f.make_location(event, "meeting_area", name="Lounge")
    stands = []
    for n in range(3):
        stand = f.make_stand(event, hall, f"A-0{n + 1}")
        stand.x_m, stand.y_m = 1 + 4 * n, 1
        stands.append(stand)
    anka = f.make_exhibitor(event, "Anka Systems")
    borealis = f.make_exhibitor(event, "Borealis Optics")
    anka.approval = borealis.approval = "approved"
    delegation = Delegation(event_id=event.id, ref="del-ml", name="Mali", country="ML")
    db.session.add(delegation)
    db.session.flush()
    pending = [
        f.make_delegate(event, "pending", delegation=delegation, email=f"p{n}@example.org")
        for n in range(3)
    ]
    demo = EventSession(
        event_id=event.id,
        ref="demo-anka",
        title="Anka demo",
        kind="demo",
        start=datetime(2025, 11, 13, 9),
        end=datetime(2025, 11, 13, 10),
        location_id=zone.id,
        exhibitor_id=anka.id,
    )
    other = EventSession(
        event_id=event.id,
        ref="demo-borealis",
        title="Borealis demo",
        kind="demo",
        start=datetime(2025, 11, 13, 11),
        end=datetime(2025, 11, 13, 12),
        location_id=zone.id,
        exhibitor_id=borealis.id,
    )
    db.session.add_all([demo, other])
    for email in ("organiser@example.org", "second@example.org"):
        user = make_account(email, "organiser")
        db.session.add(EventOrganiser(user_id=user.id, event_id=event.id))
    make_account("stranger@example.org", "organiser")  # organises no event here
    make_account("exhibitor@example.org", "exhibitor")
    db.session.commit()
    return Expo(event, hall, zone, lounge, stands, anka, borealis, delegation, pending, demo, other)


@pytest.fixture
def expo(app) -> Expo:
    return build_expo()


@pytest.fixture
def organiser(app, expo) -> OwnClient:
    return new_client(app, "organiser@example.org")


@pytest.fixture
def second_organiser(app, expo) -> OwnClient:
    return new_client(app, "second@example.org")
