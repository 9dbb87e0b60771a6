"""The portal's rules through the web: a save is whole or nothing, a visit writes
nothing, and a delegate acts only for the people they may act for."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from expo_app.audit.models import AuditEntry
from expo_app.delegations import services
from expo_app.delegations.models import Delegation
from expo_app.extensions import db
from expo_app.matchmaking import booking
from expo_app.matchmaking.models import Meeting, MeetingRequest, Side, Unavailability
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client


@pytest.fixture
def expo(app):
    """An event with three slots and Baykar (capacity 2), at its stand."""
    event = f.make_event("expo")
    hall = f.make_location(event, name="Hall A")
    baykar = f.make_exhibitor(event, name="Baykar", capacity=2)
    baykar.ref = "baykar"
    stand = f.make_stand(event, hall, code="A-01")
    stand.exhibitor_id, stand.status = baykar.id, "reserved"
    slots = [f.make_slot(event, 9), f.make_slot(event, 9, 30), f.make_slot(event, 10)]
    db.session.commit()
    return event, baykar, slots


def delegate(event, delegation=None):
    person = f.make_delegate(event, delegation=delegation)
    person.user_id = make_account(person.email, "delegate", person.name).id
    db.session.commit()
    return person


def signed_in(app, person):
    return new_client(app, person.email)


def meeting_of(event, person, exhibitor, slot):
    meeting = booking.book_meeting(
        event, delegate=person, exhibitor=exhibitor, slot=slot, by=Side.DELEGATE
    )
    db.session.commit()
    return meeting


def blocked_slots(person) -> set[int]:
    db.session.expire_all()
    return set(
        db.session.execute(
            select(Unavailability.slot_id).where(Unavailability.participant_id == person.id)
        ).scalars()
    )


def delegation_of(event):
    """A head of delegation and one member, both with accounts."""
    head = delegate(event)
    group = Delegation(event_id=event.id, ref="del-ml", name="Mali", country="ML", head_id=head.id)
    db.session.add(group)
    db.session.flush()
    head.delegation_id = group.id
    member = delegate(event, delegation=group)
    return head, member


# --------------------------------------------------------------------------- availability


def test_an_availability_save_is_whole_or_nothing(app, expo):
    event, baykar, (nine, half_past, ten) = expo
    me = delegate(event)
    meeting_of(event, me, baykar, nine)
    client = signed_in(app, me)
    assert (
        client.post("/e/expo/my/availability", data={"blocked": [str(ten.id)]}).status_code == 302
    )
    assert blocked_slots(me) == {ten.id}
    # Block 9:30 (fine) and 9:00 (holds a meeting), unblock 10:00: refused whole.
    response = client.post(
        "/e/expo/my/availability", data={"blocked": [str(half_past.id), str(nine.id)]}
    )
    assert response.status_code == 409
    assert "cancel or move it" in response.get_data(as_text=True)
    assert blocked_slots(me) == {ten.id}
    assert client.post("/e/expo/my/availability", data={}).status_code == 302
    assert blocked_slots(me) == set()


def test_the_availability_service_keeps_nothing_of_a_refused_save(app, expo):
    """Even without the request path's rollback: every change is tried, none is kept."""
    event, baykar, (nine, half_past, ten) = expo
    me = delegate(event)
    meeting_of(event, me, baykar, nine)
    services.save_availability(event, me, {ten.id})
    entries = db.session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    with pytest.raises(services.AvailabilityRefused) as refused:
        services.save_availability(event, me, {half_past.id, nine.id})
    assert len(refused.value.problems) == 1 and "cancel or move it" in str(refused.value)
    assert blocked_slots(me) == {ten.id}
    assert db.session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == entries


def test_a_slot_of_another_event_is_ignored_by_the_availability_save(app, expo):
    event, _, (nine, _, _) = expo
    elsewhere = f.make_slot(f.make_event("other"), 11)
    db.session.commit()
    me = delegate(event)
    client = signed_in(app, me)
    data = {"blocked": [str(nine.id), str(elsewhere.id), "x"]}
    assert client.post("/e/expo/my/availability", data=data).status_code == 302
    assert blocked_slots(me) == {nine.id}


# --------------------------------------------------------------------------- whose is it


def test_another_delegates_meeting_or_request_is_404_for_every_action(app, expo):
    event, baykar, (nine, half_past, _) = expo
    me, other = delegate(event), delegate(event)
    theirs = meeting_of(event, other, baykar, nine)
    invitation = booking.send_request(
        event, delegate=other, exhibitor=f.make_exhibitor(event), requested_by=Side.EXHIBITOR
    )
    db.session.commit()
    meeting_id, request_id, invitation_id = theirs.id, theirs.request_id, invitation.id
    client = signed_in(app, me)
    for method, url in [
        ("post", f"/e/expo/my/meetings/{meeting_id}/cancel"),
        ("get", f"/e/expo/my/meetings/{meeting_id}/move"),
        ("post", f"/e/expo/my/meetings/{meeting_id}/move"),
        ("post", f"/e/expo/my/requests/{request_id}/cancel"),
        ("post", f"/e/expo/my/requests/{invitation_id}/answer"),
        ("get", f"/e/expo/exhibitors/baykar/book?request={request_id}"),
        ("get", f"/e/expo/my/agenda?who={other.ref}"),
        ("get", f"/e/expo/my/availability?who={other.ref}"),
    ]:
        data = {"slot": half_past.id, "accept": "1"} if method == "post" else None
        assert getattr(client, method)(url, data=data).status_code == 404, url
    db.session.expire_all()
    assert db.session.get(Meeting, meeting_id).slot_id == nine.id
    assert db.session.get(MeetingRequest, invitation_id).status == "pending"


def test_a_delegate_cannot_answer_their_own_request(app, expo):
    event, baykar, _ = expo
    me = delegate(event)
    mine = booking.send_request(event, delegate=me, exhibitor=baykar, requested_by=Side.DELEGATE)
    db.session.commit()
    client = signed_in(app, me)
    assert (
        client.post(f"/e/expo/my/requests/{mine.id}/answer", data={"accept": "1"}).status_code
        == 404
    )
    db.session.expire_all()
    assert db.session.get(MeetingRequest, mine.id).status == "pending"


def test_a_head_acts_for_members_and_a_member_not_for_the_head(app, expo):
    event, baykar, (nine, half_past, ten) = expo
    head, member = delegation_of(event)
    as_head = signed_in(app, head)
    response = as_head.post(
        "/e/expo/exhibitors/baykar/book", data={"slot": nine.id, "for_ref": member.ref}
    )
    assert response.status_code == 302
    members_meeting = db.session.execute(select(Meeting)).scalar_one()
    assert members_meeting.delegate_id == member.id
    data = {"blocked": [str(ten.id)], "who": member.ref}
    assert as_head.post("/e/expo/my/availability", data=data).status_code == 302
    assert blocked_slots(member) == {ten.id}
    heads_meeting = meeting_of(event, head, baykar, half_past)
    heads_id, members_id = heads_meeting.id, members_meeting.id

    as_member = signed_in(app, member)
    assert as_member.get(f"/e/expo/my/agenda?who={head.ref}").status_code == 404
    assert as_member.post(f"/e/expo/my/meetings/{heads_id}/cancel").status_code == 404
    response = as_member.post(
        "/e/expo/exhibitors/baykar/book", data={"slot": ten.id, "for_ref": head.ref}
    )
    assert response.status_code == 404
    data = {"blocked": [str(nine.id)], "who": head.ref}
    assert as_member.post("/e/expo/my/availability", data=data).status_code == 404
    assert as_member.get("/e/expo/my/members/new").status_code == 404
    assert head.name not in as_member.get("/e/expo/my/meetings").get_data(as_text=True)
    # The member still manages their own meeting (the one the head booked).
    assert as_member.post(f"/e/expo/my/meetings/{members_id}/cancel").status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, members_id) is None
    assert db.session.get(Meeting, heads_id) is not None
    assert blocked_slots(head) == set()


def test_the_calendar_feed_is_404_for_a_wrong_token_or_another_event(app, expo):
    event, _, _ = expo
    me = delegate(event)
    f.make_event("other")
    db.session.commit()
    client = signed_in(app, me)
    page = client.post("/e/expo/my/agenda/link", data={"action": "new"}).get_data(as_text=True)
    token = page.split("/e/expo/ics/", 1)[1].split(".ics", 1)[0]
    anonymous = new_client(app)
    assert anonymous.get(f"/e/expo/ics/{token}.ics").status_code == 200
    assert anonymous.get(f"/e/other/ics/{token}.ics").status_code == 404
    wrong = token[:-1] + ("y" if token[-1] != "y" else "z")  # one character off
    assert anonymous.get(f"/e/expo/ics/{wrong}.ics").status_code == 404
    assert anonymous.get("/e/nowhere/ics/x.ics").status_code == 404
