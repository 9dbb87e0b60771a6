"""Fixtures of the badge tests: an event running today (so badges are valid at the gate
now), a restricted demo zone, people approved or not, the accounts that act on them,
and helpers that turn a badge PDF back into the codes printed in its QR codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import g
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from expo_app.accounts.models import EventOrganiser, User
from expo_app.delegations.models import Delegation, Participant, ParticipantZone
from expo_app.events.models import Event, EventDay, Location
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db

PASSWORD = "badge-test-pass-2025"
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


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


def make_account(email: str, role: str) -> User:
    user = User(email=email, role=role, password_hash=FAST_HASH, display_name=email)
    db.session.add(user)
    db.session.flush()
    return user


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


class OwnClient(FlaskClient):
    """A client that is nobody else (the tests share one app context and Flask-Login's g)."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def login(app):
    def sign_in(user: User | None) -> OwnClient:
        client = OwnClient(app, app.response_class, use_cookies=True)
        if user is not None:
            response = client.post("/login", data={"email": user.email, "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


def qr_codes_in(pdf: bytes, page: int = 0, dpi: int = 150) -> list[str]:
    """The texts of the QR codes a page shows once printed (rendered, then scanned)."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [barcode.text for barcode in found]


def page_count(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()
