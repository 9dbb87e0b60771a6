"""Matchmaking from the exhibitor's side, on the booking rules of matchmaking.booking:
answer requests, schedule them, ask delegations, capacity, blocked slots, agenda and ICS."""

from __future__ import annotations

from datetime import datetime

import icalendar
from sqlalchemy import select

from expo_app.delegations.models import Delegation
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from expo_app.matchmaking import booking
from expo_app.matchmaking.models import Meeting, MeetingRequest, Side, Unavailability
from tests.kit import factories as f


def matchmaking(portal):
    """Two slots, a government and an industry delegation, a delegate who asks Anka."""
    slots = [f.make_slot(portal.event, 9), f.make_slot(portal.event, 9, 30)]
    government = Delegation(
        event_id=portal.event.id, ref="gov", name="Zeta Ministry", country="ML", kind="government"
    )
    industry = Delegation(
        event_id=portal.event.id, ref="ind", name="Alpha Industries", country="SN", kind="industry"
    )
    db.session.add_all([government, industry])
    db.session.flush()
    head = f.make_delegate(portal.event, delegation=government)
    head.name = "Colonel Keita"
    government.head_id = head.id
    buyer = f.make_delegate(portal.event, delegation=industry)
    buyer.name = "Awa Diop"
    db.session.commit()
    wish = booking.send_request(
        portal.event,
        delegate=buyer,
        exhibitor=portal.anka,
        requested_by="delegate",
        message="About your UAVs",
        priority=2,
    )
    db.session.commit()  # services flush; the caller commits
    return slots, head, buyer, wish


def book(portal, delegate, slot):
    """The delegate books Anka instantly (through the delegate's side of the rules)."""
    meeting = booking.book_meeting(
        portal.event, delegate=delegate, exhibitor=portal.anka, slot=slot, by=Side.DELEGATE
    )
    db.session.commit()
    return meeting


def test_an_exhibitor_accepts_with_a_message_and_schedules_the_meeting(anka_client, portal):
    slots, _head, buyer, wish = matchmaking(portal)
    page = anka_client.get(portal.url("meetings")).get_data(as_text=True)
    assert "Awa Diop" in page and "About your UAVs" in page and "high priority" in page

    response = anka_client.post(
        portal.url(f"meetings/requests/{wish.id}/respond"),
        data={"decision": "accept", "message": "With pleasure"},
    )
    assert response.status_code == 303 and "/schedule" in response.headers["Location"]
    db.session.expire_all()
    wish = db.session.get(MeetingRequest, wish.id)
    assert (wish.status, wish.response_message) == ("accepted", "With pleasure")

    choose = anka_client.get(portal.url(f"meetings/requests/{wish.id}/schedule"))
    assert "09:30" in choose.get_data(as_text=True)
    booked = anka_client.post(
        portal.url(f"meetings/requests/{wish.id}/schedule"), data={"slot_id": slots[1].id}
    )
    assert booked.status_code == 303
    meeting = db.session.execute(select(Meeting)).scalar_one()
    assert (meeting.slot_id, meeting.delegate_id) == (slots[1].id, buyer.id)

    agenda = anka_client.get(portal.url("meetings")).get_data(as_text=True)
    assert "Meeting with Awa Diop (Alpha Industries)" in agenda
    ics = anka_client.get(portal.url("meetings/agenda.ics"))
    assert ics.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Meeting with Awa Diop (Alpha Industries)"]
    assert events[0].decoded("DTSTART").strftime("%H:%M") == "09:30"


def test_a_declined_request_is_closed_with_the_message(anka_client, portal):
    _slots, _head, _buyer, wish = matchmaking(portal)
    anka_client.post(
        portal.url(f"meetings/requests/{wish.id}/respond"),
        data={"decision": "decline", "message": "Not our field"},
    )
    db.session.expire_all()
    wish = db.session.get(MeetingRequest, wish.id)
    assert (wish.status, wish.response_message) == ("declined", "Not our field")
    again = anka_client.post(
        portal.url(f"meetings/requests/{wish.id}/respond"), data={"decision": "accept"}
    )
    assert again.status_code == 303  # told that it is closed, no error


def test_a_slot_taken_meanwhile_is_refused_with_a_message(anka_client, portal):
    slots, head, _buyer, wish = matchmaking(portal)
    anka_client.post(
        portal.url(f"meetings/requests/{wish.id}/respond"), data={"decision": "accept"}
    )
    # Capacity 1: the head of delegation books the 09:00 slot first.
    book(portal, head, slots[0])
    response = anka_client.post(
        portal.url(f"meetings/requests/{wish.id}/schedule"), data={"slot_id": slots[0].id}
    )
    assert response.status_code == 409
    assert "09:30" in response.get_data(as_text=True)  # the free alternative is offered


def test_requests_to_delegations_go_to_the_head_and_governments_come_first(anka_client, portal):
    _slots, head, _buyer, _wish = matchmaking(portal)
    page = anka_client.get(portal.url("meetings")).get_data(as_text=True)
    assert page.index('label="Government delegations"') < page.index('label="Industry delegations"')
    assert "Zeta Ministry (Mali), through Colonel Keita" in page
    government = db.session.execute(select(Delegation).filter_by(ref="gov")).scalar_one()
    response = anka_client.post(
        portal.url("meetings/request"),
        data={"target": f"delegation:{government.id}", "priority": "3", "message": "Demo?"},
    )
    assert response.status_code == 303
    sent = db.session.execute(
        select(MeetingRequest).filter_by(requested_by="exhibitor")
    ).scalar_one()
    assert (sent.delegate_id, sent.priority, sent.message) == (head.id, 3, "Demo?")
    twice = anka_client.post(
        portal.url("meetings/request"), data={"target": f"person:{head.id}", "priority": "1"}
    )
    assert twice.status_code == 422 and "already an open request" in twice.get_data(as_text=True)
    assert anka_client.post(portal.url(f"meetings/requests/{sent.id}/cancel")).status_code == 303
    db.session.expire_all()
    assert db.session.get(MeetingRequest, sent.id).status == "cancelled"


def test_capacity_cannot_go_under_the_meetings_booked(anka_client, portal):
    slots, head, buyer, _wish = matchmaking(portal)
    assert (
        anka_client.post(portal.url("meetings/capacity"), data={"capacity": "2"}).status_code == 303
    )
    book(portal, head, slots[0])
    book(portal, buyer, slots[0])
    response = anka_client.post(portal.url("meetings/capacity"), data={"capacity": "1"})
    assert response.status_code == 422
    assert "Some slots already have more meetings than 1" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Exhibitor, portal.anka.id).meeting_capacity == 2
    bad = anka_client.post(portal.url("meetings/capacity"), data={"capacity": "0"})
    assert bad.status_code == 422


def blocked_slots(portal) -> list[int]:
    db.session.expire_all()
    return list(
        db.session.execute(
            select(Unavailability.slot_id).filter_by(exhibitor_id=portal.anka.id)
        ).scalars()
    )


def test_availability_is_saved_all_or_nothing(anka_client, portal):
    slots, head, _buyer, _wish = matchmaking(portal)
    book(portal, head, slots[0])
    shown = [str(s.id) for s in slots]
    refused = anka_client.post(
        portal.url("meetings/availability"), data={"shown": shown, "blocked": shown}
    )
    assert refused.status_code == 409
    assert "cancel or move it before blocking" in refused.get_data(as_text=True)
    assert blocked_slots(portal) == []  # the free slot was not blocked either: no half save

    saved = anka_client.post(
        portal.url("meetings/availability"), data={"shown": shown, "blocked": [shown[1]]}
    )
    assert saved.status_code == 303
    assert blocked_slots(portal) == [slots[1].id]
    anka_client.post(portal.url("meetings/availability"), data={"shown": shown, "blocked": []})
    assert blocked_slots(portal) == []


def test_another_exhibitors_requests_and_meetings_are_not_found(
    anka_client, borealis_client, portal
):
    slots, head, _buyer, wish = matchmaking(portal)
    meeting = book(portal, head, slots[0])
    for path in (
        f"meetings/requests/{wish.id}/respond",
        f"meetings/requests/{wish.id}/cancel",
        f"meetings/{meeting.id}/cancel",
    ):
        assert (
            borealis_client.post(portal.url(path), data={"decision": "accept"}).status_code == 404
        )
    assert (
        borealis_client.get(portal.url(f"meetings/requests/{wish.id}/schedule")).status_code == 404
    )
    assert "About your UAVs" not in borealis_client.get(portal.url("meetings")).get_data(
        as_text=True
    )
    assert anka_client.post(portal.url(f"meetings/{meeting.id}/cancel")).status_code == 303
    assert db.session.execute(select(Meeting)).first() is None


def test_a_delegate_found_by_name_can_be_asked_for_a_meeting(anka_client, portal):
    _slots, _head, buyer, wish = matchmaking(portal)
    booking.cancel_request(wish, by=None)  # the organisers
    db.session.commit()
    page = anka_client.get(portal.url("meetings?who=awa")).get_data(as_text=True)
    assert f'<option value="person:{buyer.id}" selected>Awa Diop — Alpha Industries' in page
    none = anka_client.get(portal.url("meetings?who=nobody%25")).get_data(as_text=True)
    assert "No accredited delegate matches" in none
    response = anka_client.post(
        portal.url("meetings/request"),
        data={"who": "awa", "target": f"person:{buyer.id}", "priority": "1"},
    )
    assert response.status_code == 303
    sent = db.session.execute(
        select(MeetingRequest).filter_by(requested_by="exhibitor", status="pending")
    ).scalar_one()
    assert sent.delegate_id == buyer.id


def invite(anka_client, portal, person) -> MeetingRequest:
    """Anka invites `person` through the portal; the invitation waits for their answer."""
    response = anka_client.post(
        portal.url("meetings/request"), data={"target": f"person:{person.id}", "priority": "1"}
    )
    assert response.status_code == 303
    return db.session.execute(
        select(MeetingRequest).filter_by(requested_by="exhibitor", delegate_id=person.id)
    ).scalar_one()


def test_an_exhibitor_can_neither_accept_nor_book_its_own_invitation(anka_client, portal):
    slots, head, _buyer, _wish = matchmaking(portal)
    sent = invite(anka_client, portal, head)

    accepted = anka_client.post(
        portal.url(f"meetings/requests/{sent.id}/respond"), data={"decision": "accept"}
    )
    assert accepted.status_code == 409  # refused, not a redirect to "choose a time"
    assert "Only the invited side answers a request" in accepted.get_data(as_text=True)

    page = anka_client.get(portal.url(f"meetings/requests/{sent.id}/schedule"))
    assert "The delegate has not answered your invitation yet." in page.get_data(as_text=True)
    assert 'name="slot_id"' not in page.get_data(as_text=True)  # no time is offered
    booked = anka_client.post(
        portal.url(f"meetings/requests/{sent.id}/schedule"), data={"slot_id": slots[0].id}
    )
    assert booked.status_code == 409
    assert "The delegate has not answered your invitation yet." in booked.get_data(as_text=True)

    db.session.expire_all()
    assert db.session.get(MeetingRequest, sent.id).status == "pending"
    assert db.session.execute(select(Meeting)).first() is None


def test_another_exhibitors_invitation_is_not_found(anka_client, borealis_client, portal):
    slots, head, _buyer, _wish = matchmaking(portal)
    sent = invite(anka_client, portal, head)
    for path, data in (
        (f"meetings/requests/{sent.id}/respond", {"decision": "accept"}),
        (f"meetings/requests/{sent.id}/schedule", {"slot_id": slots[0].id}),
        (f"meetings/requests/{sent.id}/cancel", {}),
    ):
        assert borealis_client.post(portal.url(path), data=data).status_code == 404
    db.session.expire_all()
    assert db.session.get(MeetingRequest, sent.id).status == "pending"


def test_the_delegate_search_offers_everyone_who_may_meet_and_is_accredited(anka_client, portal):
    matchmaking(portal)
    people = {}
    for name, role, accreditation in (
        ("Amadou Traoré", "vip", "approved"),
        ("Amadou Press", "press", "approved"),
        ("Amadou Waiting", "delegate", "pending"),
    ):
        person = f.make_delegate(portal.event, accreditation=accreditation)
        person.name, person.role = name, role
        people[name] = person
    db.session.commit()
    page = anka_client.get(portal.url("meetings?who=amadou")).get_data(as_text=True)
    assert f'value="person:{people["Amadou Traoré"].id}"' in page
    assert "Amadou Press" not in page and "Amadou Waiting" not in page


def test_a_request_past_its_deadline_is_not_offered_and_reading_writes_nothing(anka_client, portal):
    _slots, _head, _buyer, wish = matchmaking(portal)
    wish.expires_at = datetime(2000, 1, 1)
    db.session.commit()
    page = anka_client.get(portal.url("meetings")).get_data(as_text=True)
    assert "No request waits for your answer." in page and "About your UAVs" not in page
    db.session.expire_all()
    assert db.session.get(MeetingRequest, wish.id).status == "pending"  # expired at read time
