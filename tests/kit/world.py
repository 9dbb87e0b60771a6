"""The world of the access matrix and the form fuzz test: event A with two exhibitors,
two delegates and one of everything the URLs name, its organiser and gate staff, event B
with its own; the actors who sign in to it, and a snapshot of every row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from flask import Flask
from sqlalchemy import select

from expo_app.extensions import db
from expo_app.models import (
    Delegation,
    DemoRequest,
    EventDay,
    EventOrganiser,
    EventSession,
    Participant,
)
from tests.kit import factories as f
from tests.kit.accounts import PASSWORD, OwnClient, make_account

ANON, ORG_A, ORG_B, EX1, EX2, DEL1, DEL2, GATE_A, GATE_B, SEC_A, SEC_B = (
    "anonymous",
    "organiser of A",
    "organiser of B only",
    "exhibitor 1",
    "exhibitor 2",
    "delegate 1",
    "delegate 2",
    "gate staff of A",
    "gate staff of B",
    "security officer of A",
    "security officer of B",
)
ACTORS = (ANON, ORG_A, ORG_B, EX1, EX2, DEL1, DEL2, GATE_A, GATE_B, SEC_A, SEC_B)
EMAILS = {
    ORG_A: "org-a@example.org",
    ORG_B: "org-b@example.org",
    EX1: "ex1@example.org",
    EX2: "ex2@example.org",
    DEL1: "del1@example.org",
    DEL2: "del2@example.org",
    GATE_A: "gate-a@example.org",
    GATE_B: "gate-b@example.org",
    SEC_A: "sec-a@example.org",
    SEC_B: "sec-b@example.org",
}
EXHIBITORS = frozenset({EX1, EX2})


@dataclass
class World:
    values: dict[str, object]

    def url(self, endpoint: str, rule: str) -> str:
        """The rule with event A's slug and exhibitor 1's / delegate 1's objects."""
        per_endpoint = {
            ("exhibitor_portal.remove_staff", "participant_id"): "staff_id",
            ("delegate_portal.photo", "ref"): "delegate_ref",
        }

        def fill(match: re.Match) -> str:
            name = match.group(2)
            key = per_endpoint.get((endpoint, name), name)
            if key == "kind":
                return "exhibitors"
            if key == "action":
                return "confirm"
            if key == "code":
                return "fr"
            if key == "token":
                return "no-such-token"
            return str(self.values[key])

        return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>", fill, rule)


def event_objects(slug: str, emails: dict[str, str] | None = None):
    """An event with two exhibitors, two delegates and one of everything the URLs name,
    all of exhibitor 1 and delegate 1; returns (url values, the parties by actor)."""
    emails = emails or {}
    event = f.make_event(slug)
    hall = f.make_location(event, "hall")
    zone = f.make_location(event, "demo_zone", restricted=True)
    held = f.make_stand(event, hall, "A-01")
    f.make_stand(event, hall, "A-02")
    ex1 = f.make_exhibitor(event, "Exhibitor One")
    ex2 = f.make_exhibitor(event, "Exhibitor Two")
    held.exhibitor_id, held.status = ex1.id, "reserved"
    delegation = Delegation(event_id=event.id, ref="del-ml", name="Mali", country="ML")
    db.session.add(delegation)
    db.session.flush()
    del1 = f.make_delegate(event, email=emails.get(DEL1), delegation=delegation)
    del2 = f.make_delegate(event, email=emails.get(DEL2))
    delegation.head_id = del1.id
    staff = Participant(
        event_id=event.id,
        ref="staff-1",
        name="Staff One",
        email="staff1@example.org",
        role="exhibitor_staff",
        exhibitor_id=ex1.id,
    )
    db.session.add(staff)
    slot, later = f.make_slot(event, 9), f.make_slot(event, 10)
    invitation = f.make_request(event, del1, ex1, status="pending")
    invitation.requested_by = "exhibitor"
    booked = f.make_request(event, del1, ex1, status="accepted")
    meeting = f.make_meeting(booked, slot)
    demo_day = EventDay(event_id=event.id, date=date(2025, 11, 13), opens=time(9), closes=time(17))
    demo_day.kinds = ["demo"]
    db.session.add(demo_day)
    event.end_date = date(2025, 11, 13)
    demo = DemoRequest(event_id=event.id, exhibitor_id=ex1.id, title="Live firing", duration_min=30)
    session = EventSession(
        event_id=event.id,
        ref="opening",
        title="Opening ceremony",
        kind="ceremony",
        start=datetime(2025, 11, 11, 9),
        end=datetime(2025, 11, 11, 10),
        location_id=hall.id,
    )
    db.session.add_all([demo, session])
    db.session.flush()
    day = db.session.execute(select(EventDay).filter_by(event_id=event.id)).scalars().first()
    values = {
        "slug": event.slug,
        "stand_id": held.id,
        "participant_id": del1.id,
        "staff_id": staff.id,
        "delegate_ref": del1.ref,
        "ref": ex1.ref,
        "demo_id": demo.id,
        "request_id": invitation.id,
        "meeting_id": meeting.id,
        "exhibitor_id": ex1.id,
        "delegation_id": delegation.id,
        "session_id": session.id,
        "day_id": day.id,
        "location_id": zone.id,
        "slot_id": later.id,
    }
    return event, values, {EX1: ex1, EX2: ex2, DEL1: del1, DEL2: del2}


def build_world() -> World:
    """Event A with two exhibitors and two delegates, event B with its own staff."""
    event, values, parties = event_objects("expo-a", EMAILS)
    other = f.make_event("expo-b")
    users = {actor: make_account(email, _role(actor)) for actor, email in EMAILS.items()}
    for actor, party in parties.items():
        party.user_id = users[actor].id
    attached = (
        (ORG_A, event),
        (ORG_B, other),
        (GATE_A, event),
        (GATE_B, other),
        (SEC_A, event),
        (SEC_B, other),
    )
    for actor, at in attached:
        db.session.add(EventOrganiser(user_id=users[actor].id, event_id=at.id))
    db.session.commit()
    db.session.close()  # SQLite: no open transaction may hold the lock the app needs
    return World(values)


def _role(actor: str) -> str:
    if actor in (ORG_A, ORG_B):
        return "organiser"
    if actor in (GATE_A, GATE_B):
        return "gate"
    if actor in (SEC_A, SEC_B):
        return "security"
    return "exhibitor" if actor in EXHIBITORS else "delegate"


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table: a refused request must leave all of them as they were."""
    db.session.expire_all()
    rows = {}
    for table in db.metadata.sorted_tables:
        rows[table.name] = sorted(
            (tuple(str(value) for value in row) for row in db.session.execute(table.select())),
        )
    db.session.rollback()
    return rows


def csrf_token(client: OwnClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def signed_in(app: Flask, actor: str) -> tuple[OwnClient, str]:
    client = OwnClient(app, app.response_class, use_cookies=True)
    token = csrf_token(client)
    if actor != ANON:
        answer = client.post(
            "/login", data={"email": EMAILS[actor], "password": PASSWORD, "csrf_token": token}
        )
        assert answer.status_code == 302, (actor, answer.status_code)
        token = csrf_token(client)
    return client, token
