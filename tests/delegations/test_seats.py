"""A session's capacity holds: seats 1..capacity, then a waitlist in order, a freed seat
to the next in line, and the database refusing a seat too many even when people click
at the same moment. Run on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from expo_app.accounts.models import EventOrganiser
from expo_app.audit.models import AuditEntry
from expo_app.delegations import seats
from expo_app.delegations.models import FollowedSession, Participant
from expo_app.delegations.services import follow_session
from expo_app.events.models import EventSession
from expo_app.extensions import db
from expo_app.matchmaking.agenda import agenda
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client


@pytest.fixture
def talk(backend_app):
    """A 2-seat panel on the 11th and four accredited delegates with accounts."""
    event = f.make_event()
    hall = f.make_location(event, kind="hall", name="Salle Niger")
    session = EventSession(
        event_id=event.id,
        ref="panel",
        title="Panel: securing the Sahel",
        kind="conference",
        start=datetime(2025, 11, 11, 10),
        end=datetime(2025, 11, 11, 11),
        location_id=hall.id,
        capacity=2,
    )
    db.session.add(session)
    people = []
    for n in range(4):
        person = f.make_delegate(event, email=f"seat{n}@example.org")
        person.user_id = make_account(f"seat{n}@example.org", "delegate").id
        people.append(person)
    organiser = make_account("org@seats.example.org", "organiser")
    db.session.add(EventOrganiser(user_id=organiser.id, event_id=event.id))
    db.session.commit()
    return event, session, people


def follow(person, session, wanted=True):
    row = follow_session(db.session.get(Participant, person.id), session, wanted)
    db.session.commit()
    return row


def titles(event, person) -> list[str]:
    return [
        item.title
        for day in agenda(event, participant=db.session.get(Participant, person.id))
        for item in day.items
    ]


def test_a_full_session_puts_the_next_on_its_waitlist_and_a_freed_seat_goes_to_them(talk):
    event, session, (amadou, binta, chidi, dede) = talk
    assert follow(amadou, session).seat == 1
    assert follow(binta, session).seat == 2
    third, fourth = follow(chidi, session), follow(dede, session)
    assert third.waitlisted and seats.waitlist_position(third) == 1
    assert seats.waitlist_position(fourth) == 2
    assert session.title not in titles(event, chidi)  # waiting is not yet attending
    shown = seats.seats_of(session)
    assert (shown.taken, shown.full, [p.id for p in shown.waiting]) == (
        2,
        True,
        [chidi.id, dede.id],
    )

    follow(amadou, session, False)
    assert db.session.get(FollowedSession, (chidi.id, session.id)).seat == 1
    assert session.title in titles(event, chidi)
    assert seats.waitlist_position(db.session.get(FollowedSession, (dede.id, session.id))) == 1
    given = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "session.seat_given")
    ).scalar_one()
    assert given.entity_id == chidi.id


def test_the_database_refuses_a_seat_beyond_the_capacity_or_taken_twice(talk):
    _event, session, (amadou, binta, chidi, _) = talk
    follow(amadou, session)

    def refused(values):
        with pytest.raises(IntegrityError):
            db.session.execute(insert(FollowedSession).values(session_id=session.id, **values))
        db.session.rollback()

    refused({"participant_id": binta.id, "seat": 1, "session_capacity": 2})  # seat 1 is held
    refused({"participant_id": binta.id, "seat": 3, "session_capacity": 2})  # beyond capacity
    refused({"participant_id": binta.id, "seat": 3, "session_capacity": 3})  # a false copy
    refused({"participant_id": chidi.id, "seat": 2, "session_capacity": None})  # no copy


def test_two_people_taking_the_last_seat_at_once_get_one_seat_and_one_waitlist_place(
    talk, backend_app
):
    event, session, (amadou, binta, chidi, _) = talk
    follow(amadou, session)  # one seat left
    url = f"/e/{event.slug}/my/sessions/{session.id}/follow"
    racers, session_id = [binta.id, chidi.id], session.id
    clients = [new_client(backend_app, f"seat{n}@example.org") for n in (1, 2)]
    db.session.commit()
    db.session.close()
    barrier = threading.Barrier(len(clients))
    codes: list[int] = []

    def click(client) -> None:
        with backend_app.app_context():
            barrier.wait()
            codes.append(client.post(url, data={"follow": "1"}).status_code)
            db.session.remove()

    threads = [threading.Thread(target=click, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert codes == [302, 302]
    rows = db.session.execute(
        select(FollowedSession).where(FollowedSession.participant_id.in_(racers))
    ).scalars()
    assert sorted((row.seat is None) for row in rows) == [False, True]
    assert seats.seats_of(db.session.get(EventSession, session_id)).taken == 2


def test_the_delegate_sees_the_seats_left_and_joins_the_waitlist_by_its_button(talk, backend_app):
    event, session, (amadou, binta, chidi, _) = talk
    follow(amadou, session)
    client = new_client(backend_app, "seat1@example.org")
    page = client.get(f"/e/{event.slug}/my/agenda").get_data(as_text=True)
    assert "2 seats, 1 free" in page
    follow(binta, session)
    client = new_client(backend_app, "seat2@example.org")
    page = client.get(f"/e/{event.slug}/my/agenda").get_data(as_text=True)
    assert "Join the waitlist" in page and "full" in page
    answer = client.post(
        f"/e/{event.slug}/my/sessions/{session.id}/follow",
        data={"follow": "1"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "is full" in answer and "number 1 on its waitlist" in answer
    assert "Leave the waitlist" in answer


def test_the_organiser_sees_seats_and_cannot_lower_the_capacity_under_them(talk, backend_app):
    event, session, people = talk
    for person in people:
        follow(person, session)
    client = new_client(backend_app, "org@seats.example.org")
    url = f"/e/{event.slug}/manage/schedule/{session.id}"
    page = client.get(url).get_data(as_text=True)
    assert "2 of 2 seats taken." in page and "2 people on the waitlist." in page
    form = {
        "title": session.title,
        "kind": session.kind,
        "location": session.location_id,
        "day": "2025-11-11",
        "start": "10:00",
        "end": "11:00",
        "capacity": "1",
        "version": session.version,
    }
    refused = client.post(url, data=form)
    assert refused.status_code == 422
    assert "2 people already hold seats" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(EventSession, session.id).capacity == 2

    form.update(capacity="3", version=db.session.get(EventSession, session.id).version)
    assert client.post(url, data=form).status_code == 303
    db.session.expire_all()
    seated = seats.seats_of(db.session.get(EventSession, session.id))
    assert (seated.taken, len(seated.waiting)) == (3, 1)  # the first in line got the new seat


def test_a_demo_refusal_comes_before_any_seat(talk):
    """Following stays one call: the seat is given only once the demo rule said yes."""
    event, session, (amadou, *_rest) = talk
    zone = f.make_location(event, kind="demo_zone", name="Range", restricted=True)
    demo = EventSession(
        event_id=event.id, ref="d", title="Demo", kind="demo", capacity=5,
        start=datetime(2025, 11, 12, 9), end=datetime(2025, 11, 12, 10), location_id=zone.id,
    )  # fmt: skip
    db.session.add(demo)
    db.session.commit()
    with pytest.raises(Exception, match="zone"):
        follow(amadou, demo)
    db.session.rollback()
    assert db.session.get(FollowedSession, (amadou.id, demo.id)) is None
