"""The accreditation queue: pending people by delegation, approved or refused with a
reason, one by one or in bulk; refusing someone cancels their meetings first."""

from __future__ import annotations

from sqlalchemy import select

from expo_app.audit.models import AuditEntry
from expo_app.delegations.models import Participant
from expo_app.extensions import db
from expo_app.matchmaking.models import Meeting
from tests.kit import factories as f


def state(person) -> str:
    db.session.expire_all()
    return db.session.get(Participant, person.id).accreditation


def test_the_queue_lists_pending_people_under_their_delegation(organiser, expo):
    html = organiser.get(expo.url("accreditation")).get_data(as_text=True)
    assert "Mali" in html
    for person in expo.pending:
        assert person.name in html
    assert "3 people waiting" in html


def test_approving_one_person(organiser, expo):
    first = expo.pending[0]
    response = organiser.post(expo.url("accreditation"), data={"act": f"approve-{first.id}"})
    assert response.status_code == 303
    assert state(first) == "approved"
    assert state(expo.pending[1]) == "pending"
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "participant.accredited")
    ).scalar_one()
    assert entry.entity_id == first.id and entry.user_id is not None


def test_approving_the_ticked_people_in_bulk(organiser, expo):
    ids = [str(p.id) for p in expo.pending[:2]]
    organiser.post(expo.url("accreditation"), data={"act": "approve", "participants": ids})
    assert [state(p) for p in expo.pending] == ["approved", "approved", "pending"]


def test_refusing_needs_a_reason_shown_next_to_the_field(organiser, expo):
    person = expo.pending[0]
    response = organiser.post(
        expo.url("accreditation"),
        data={"act": "reject", "participants": [str(person.id)], "reason": "  "},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="reason-error"' in html and "Give the reason for the refusal." in html
    assert f'value="{person.id}" id="p-{person.id}" checked' in html  # the ticks are kept
    assert state(person) == "pending"


def test_refusing_one_person_keeps_the_reason(organiser, expo):
    person = expo.pending[1]
    organiser.post(
        expo.url("accreditation"),
        data={"act": f"reject-{person.id}", f"reason-{person.id}": "No passport copy"},
    )
    db.session.expire_all()
    refused = db.session.get(Participant, person.id)
    assert refused.accreditation == "rejected"
    assert refused.rejection_reason == "No passport copy"
    html = organiser.get(expo.url("accreditation")).get_data(as_text=True)
    assert f'id="p-{person.id}"' not in html


def test_refusing_an_approved_delegate_cancels_their_meetings(organiser, expo):
    delegate = f.make_delegate(expo.event, "approved", delegation=expo.delegation)
    slot = f.make_slot(expo.event, 10)
    f.make_meeting(f.make_request(expo.event, delegate, expo.anka), slot)
    db.session.commit()
    response = organiser.post(
        expo.url("accreditation"),
        data={"act": f"reject-{delegate.id}", f"reason-{delegate.id}": "Security check"},
    )
    assert response.status_code == 303
    assert state(delegate) == "rejected"
    assert db.session.execute(select(Meeting)).first() is None


def test_people_of_another_event_are_left_alone(organiser, expo):
    other = f.make_event("other-expo")
    stranger = f.make_delegate(other, "pending")
    db.session.commit()
    organiser.post(expo.url("accreditation"), data={"act": f"approve-{stranger.id}"})
    assert state(stranger) == "pending"


def test_a_bad_action_is_refused_without_a_500(organiser, expo):
    assert organiser.post(expo.url("accreditation"), data={"act": "explode"}).status_code == 400
    assert organiser.post(expo.url("accreditation"), data={"act": "approve-x"}).status_code == 400
    response = organiser.post(expo.url("accreditation"), data={"act": "approve"})
    assert response.status_code == 422
    assert "Choose at least one person." in response.get_data(as_text=True)
