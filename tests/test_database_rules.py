"""The rules that must never break are refused by the database itself, on SQLite and
PostgreSQL alike, even when the Python services are bypassed."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from expo_app.accounts.models import User
from expo_app.exhibitors.services import StandUnavailable, reserve_stand
from expo_app.extensions import db
from expo_app.models import Exhibitor, Meeting, MeetingRequest, Participant, Stand
from tests.kit import factories as f


def refused(action) -> None:
    """Run `action` and require the database to refuse it, then undo the transaction."""
    with pytest.raises(IntegrityError):
        action()
        db.session.flush()
    db.session.rollback()


@pytest.fixture
def event(backend_app):
    event = f.make_event()
    db.session.commit()
    return event


def test_two_meetings_of_one_delegate_in_one_slot_are_refused(event):
    area = f.make_location(event, "meeting_area")
    delegate = f.make_delegate(event)
    slot = f.make_slot(event)
    first = f.make_request(event, delegate, f.make_exhibitor(event))
    second = f.make_request(event, delegate, f.make_exhibitor(event))
    f.make_meeting(first, slot, f.make_table(event, area))
    db.session.commit()

    refused(lambda: f.make_meeting(second, slot, f.make_table(event, area)))
    assert db.session.execute(select(Meeting)).scalars().all() != []
    assert len(db.session.execute(select(Meeting)).scalars().all()) == 1


def test_one_table_used_twice_in_one_slot_is_refused(event):
    area = f.make_location(event, "meeting_area")
    table = f.make_table(event, area)
    slot = f.make_slot(event)
    exhibitor = f.make_exhibitor(event, capacity=3)
    a = f.make_request(event, f.make_delegate(event), exhibitor)
    b = f.make_request(event, f.make_delegate(event), exhibitor)
    f.make_meeting(a, slot, table, place=1)
    db.session.commit()

    refused(lambda: f.make_meeting(b, slot, table, place=2))


def test_exhibitor_over_its_meeting_capacity_in_a_slot_is_refused(event):
    slot = f.make_slot(event)
    exhibitor = f.make_exhibitor(event, capacity=2)
    requests = [f.make_request(event, f.make_delegate(event), exhibitor) for _ in range(3)]
    f.make_meeting(requests[0], slot, place=1)
    f.make_meeting(requests[1], slot, place=2)
    db.session.commit()

    # A third meeting has no place left: place 1 and 2 are taken, 3 exceeds the capacity...
    refused(lambda: f.make_meeting(requests[2], slot, place=1))
    refused(lambda: f.make_meeting(requests[2], slot, place=3))
    # ...and lying about the capacity in the meeting row is caught by the foreign key.
    refused(lambda: f.make_meeting(requests[2], slot, place=3, exhibitor_capacity=3))
    # The same delegate/exhibitor pair in another slot is fine.
    f.make_meeting(requests[2], f.make_slot(event, hour=10), place=1)
    db.session.commit()


def test_lowering_capacity_under_booked_meetings_is_refused(event):
    slot = f.make_slot(event)
    exhibitor = f.make_exhibitor(event, capacity=2)
    f.make_meeting(f.make_request(event, f.make_delegate(event), exhibitor), slot, place=1)
    f.make_meeting(f.make_request(event, f.make_delegate(event), exhibitor), slot, place=2)
    db.session.commit()

    refused(
        lambda: db.session.execute(
            update(Exhibitor).where(Exhibitor.id == exhibitor.id).values(meeting_capacity=1)
        )
    )
    assert db.session.get(Exhibitor, exhibitor.id).meeting_capacity == 2


def test_meeting_needs_an_accepted_request_that_stays_accepted(event):
    slot = f.make_slot(event)
    exhibitor = f.make_exhibitor(event)
    pending = f.make_request(event, f.make_delegate(event), exhibitor, status="pending")
    db.session.commit()
    refused(lambda: f.make_meeting(pending, slot))
    refused(lambda: f.make_meeting(pending, slot, request_status="accepted"))

    accepted = f.make_request(event, f.make_delegate(event), exhibitor)
    f.make_meeting(accepted, slot)
    db.session.commit()
    # Cancelling the request while its meeting stands would leave an orphan meeting.
    refused(
        lambda: db.session.execute(
            update(MeetingRequest)
            .where(MeetingRequest.id == accepted.id)
            .values(status="cancelled")
        )
    )
    # One request, one meeting.
    refused(lambda: f.make_meeting(accepted, f.make_slot(event, hour=11)))


def test_only_an_approved_delegate_has_meetings(event):
    slot = f.make_slot(event)
    exhibitor = f.make_exhibitor(event)
    pending_person = f.make_delegate(event, accreditation="pending")
    request = f.make_request(event, pending_person, exhibitor)
    db.session.commit()
    refused(lambda: f.make_meeting(request, slot))
    refused(lambda: f.make_meeting(request, slot, delegate_accreditation="approved"))

    approved = f.make_delegate(event)
    f.make_meeting(f.make_request(event, approved, exhibitor), slot)
    db.session.commit()
    # Rejecting someone who still has meetings is refused: cancel them first.
    refused(
        lambda: db.session.execute(
            update(Participant)
            .where(Participant.id == approved.id)
            .values(accreditation="rejected")
        )
    )


def test_two_accounts_with_one_email_in_any_case_are_refused(event):
    db.session.add(User(email="Aminata.Traore@example.org", password_hash="x", role="delegate"))
    db.session.commit()
    refused(
        lambda: db.session.add(
            User(email="aminata.traore@EXAMPLE.org", password_hash="y", role="exhibitor")
        )
    )
    assert db.session.execute(select(User)).scalars().one().email == "Aminata.Traore@example.org"


def test_two_participants_with_one_email_in_one_event_are_refused(event):
    f.make_delegate(event, email="omar.diallo@example.org")
    db.session.commit()
    refused(lambda: f.make_delegate(event, email="OMAR.DIALLO@example.org"))
    # The same person may attend another event.
    other = f.make_event(slug="other-expo")
    f.make_delegate(other, email="omar.diallo@example.org")
    db.session.commit()


def test_a_stand_never_has_a_holder_that_disagrees_with_its_status(event):
    hall = f.make_location(event)
    stand = f.make_stand(event, hall)
    exhibitor = f.make_exhibitor(event)
    db.session.commit()
    refused(
        lambda: db.session.execute(
            update(Stand).where(Stand.id == stand.id).values(status="reserved")
        )
    )
    refused(
        lambda: db.session.execute(
            update(Stand).where(Stand.id == stand.id).values(exhibitor_id=exhibitor.id)
        )
    )


def test_a_held_stand_cannot_be_taken_by_a_second_exhibitor(event):
    stand = f.make_stand(event, f.make_location(event))
    first, second = f.make_exhibitor(event), f.make_exhibitor(event)
    db.session.commit()

    reserve_stand(stand.id, first.id)
    db.session.commit()  # services flush; the request path commits
    with pytest.raises(StandUnavailable):
        reserve_stand(stand.id, second.id)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Stand, stand.id).exhibitor_id == first.id


def test_parallel_reservations_of_one_stand_give_it_to_exactly_one(event, backend_app):
    stand = f.make_stand(event, f.make_location(event))
    exhibitors = [f.make_exhibitor(event) for _ in range(12)]
    stand_id, ids = stand.id, [x.id for x in exhibitors]
    db.session.commit()
    db.session.close()  # hold no transaction (on SQLite: no lock) while the threads race
    outcomes: list[str] = []
    barrier = threading.Barrier(len(ids))

    def attempt(exhibitor_id: int) -> None:
        with backend_app.app_context():
            barrier.wait()
            try:
                reserve_stand(stand_id, exhibitor_id)
                db.session.commit()  # what the request path does after the view
                outcomes.append("won")
            except StandUnavailable:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["refused"] * (len(ids) - 1) + ["won"]
    db.session.expire_all()
    holder = db.session.get(Stand, stand_id).exhibitor_id
    assert holder in ids
