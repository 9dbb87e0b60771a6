"""Fixtures of the exhibitor portal: a small event with a hall of stands, approved and
pending exhibitors with their accounts, and signed-in test clients (accounts:
tests/kit/accounts.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from expo_app.accounts.models import EventOrganiser, User
from expo_app.events.models import Event, Location
from expo_app.exhibitors.models import Exhibitor, Stand
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import OwnClient, make_account, new_client


def make_company(event: Event, name: str, *, approval: str = "approved") -> Exhibitor:
    exhibitor = f.make_exhibitor(event, name)
    exhibitor.approval = approval
    exhibitor.user_id = make_account(f"{exhibitor.ref}@example.org", "exhibitor").id
    db.session.flush()
    return exhibitor


def email_of(exhibitor: Exhibitor) -> str:
    return db.session.get(User, exhibitor.user_id).email


@dataclass
class Portal:
    """A test event: hall A with three 3 x 3 m stands, one approved exhibitor (Anka),
    another approved one (Borealis), and an organiser."""

    event: Event
    hall: Location
    stands: list[Stand]
    anka: Exhibitor
    borealis: Exhibitor
    organiser: User

    @property
    def slug(self) -> str:
        return self.event.slug

    def url(self, path: str = "") -> str:
        return f"/e/{self.event.slug}/exhibitor/{path}"


def build_portal() -> Portal:
    event = f.make_event()
    hall = f.make_location(event, "hall", name="Hall A")
    stands = []
    for n in range(3):
        stand = f.make_stand(event, hall, f"A-0{n + 1}")
        stand.x_m, stand.y_m = 1 + 4 * n, 1
        stands.append(stand)
    anka = make_company(event, "Anka Systems")
    borealis = make_company(event, "Borealis Optics")
    organiser = make_account("organiser@example.org", "organiser")
    db.session.add(EventOrganiser(user_id=organiser.id, event_id=event.id))
    db.session.commit()
    return Portal(event, hall, stands, anka, borealis, organiser)


@pytest.fixture
def portal(app) -> Portal:
    return build_portal()


@pytest.fixture
def client(app) -> OwnClient:
    return new_client(app)


@pytest.fixture
def anka_client(app, portal) -> OwnClient:
    return new_client(app, email_of(portal.anka))


@pytest.fixture
def borealis_client(app, portal) -> OwnClient:
    return new_client(app, email_of(portal.borealis))


@pytest.fixture
def organiser_client(app, portal) -> OwnClient:
    return new_client(app, "organiser@example.org")
