"""Requests nobody answered in time: expired the moment their deadline passes for every read
(no page writes), and written 'expired' by the `expo expire-requests` job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from expo_app.audit.models import AuditEntry
from expo_app.extensions import db
from expo_app.matchmaking import booking, planning, queries
from expo_app.matchmaking.models import MeetingRequest, RequestStatus
from expo_app.modelkit import utcnow
from tests.kit import factories as f


@pytest.fixture
def fair(app):
    event = f.make_event()
    event.request_expiry_hours = 24
    exhibitor = f.make_exhibitor(event, name="Baykar")
    f.make_slot(event, 9)
    db.session.commit()
    return event, exhibitor


def ask(event, exhibitor, delegate=None) -> MeetingRequest:
    return booking.send_request(
        event,
        delegate=delegate or f.make_delegate(event),
        exhibitor=exhibitor,
        requested_by="delegate",
    )


def stored_statuses() -> dict[int, str]:
    return dict(db.session.execute(select(MeetingRequest.id, MeetingRequest.status)).all())


def test_a_request_past_its_deadline_reads_as_expired_without_any_write(fair):
    event, exhibitor = fair
    request = ask(event, exhibitor)
    assert request.state == RequestStatus.PENDING and request.is_open
    request.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert request.state == RequestStatus.EXPIRED
    assert request.state_label == RequestStatus.EXPIRED.label
    assert not request.is_open and not request.is_pending
    assert stored_statuses() == {request.id: RequestStatus.PENDING}
    # The same verdict in SQL, at any moment asked.
    now, before = utcnow(), request.expires_at - timedelta(hours=1)
    assert db.session.execute(
        select(MeetingRequest.state_at(now), MeetingRequest.state_at(before))
    ).one() == (RequestStatus.EXPIRED, RequestStatus.PENDING)
    assert (
        db.session.execute(select(func.count()).where(MeetingRequest.is_open_at(now))).scalar_one()
        == 0
    )


def test_open_request_ignores_an_expired_one(fair):
    event, exhibitor = fair
    delegate = f.make_delegate(event)
    request = ask(event, exhibitor, delegate)
    assert queries.open_request(delegate, exhibitor).id == request.id
    request.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert queries.open_request(delegate, exhibitor) is None
    # Asked as of a moment before the deadline, it was still open.
    earlier = request.expires_at - timedelta(minutes=5)
    assert queries.open_request(delegate, exhibitor, now=earlier).id == request.id


def test_the_scheduler_and_its_figures_leave_out_an_expired_request(fair):
    event, exhibitor = fair
    waiting, lapsed = ask(event, exhibitor), ask(event, exhibitor)
    lapsed.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    problem = planning.load_problem(event)
    assert [(r.id, r.status) for r in problem.requests] == [(waiting.id, "pending")]
    assert planning.matchmaking_state(event).pending == 1


def test_expire_requests_writes_expired_on_the_lapsed_ones_only(fair):
    event, exhibitor = fair
    early, late = ask(event, exhibitor), ask(event, exhibitor)
    late.expires_at = utcnow() + timedelta(days=3)
    db.session.commit()
    assert booking.expire_requests(event, now=utcnow() + timedelta(hours=25)) == 1
    assert (early.status, late.status) == (RequestStatus.EXPIRED, RequestStatus.PENDING)
    assert (
        db.session.execute(
            select(func.count()).where(AuditEntry.action == "request.expired")
        ).scalar_one()
        == 1
    )
    assert booking.expire_requests(event, now=utcnow() + timedelta(hours=25)) == 0


def run_command(app, *args):
    result = app.test_cli_runner().invoke(args=["expire-requests", *args])
    db.session.remove()
    return result


def test_expire_requests_command_closes_them_for_one_event_or_all(app, fair):
    event, exhibitor = fair
    other = f.make_event("other-expo")
    other_exhibitor = f.make_exhibitor(other)
    lapsed = [ask(event, exhibitor), ask(event, exhibitor), ask(other, other_exhibitor)]
    fresh = ask(event, exhibitor)
    fresh.expires_at = None  # no deadline: never expires
    for request in lapsed:
        request.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    slug, ids, fresh_id = event.slug, [r.id for r in lapsed], fresh.id
    result = run_command(app, "--event", slug)
    assert result.exit_code == 0, result.output
    assert "Closed 2 expired requests." in result.output
    statuses = stored_statuses()  # committed: read back in a new transaction
    assert [statuses[i] for i in ids] == ["expired", "expired", "pending"]
    result = run_command(app)  # every event
    assert result.exit_code == 0, result.output
    assert "Event other-expo: 1 expired requests closed." in result.output
    assert "Closed 1 expired requests." in result.output
    statuses = stored_statuses()
    assert (statuses[ids[2]], statuses[fresh_id]) == ("expired", "pending")


def test_expire_requests_command_refuses_an_unknown_event_in_one_line(app, fair):
    result = run_command(app, "--event", "nope")
    assert result.exit_code != 0
    assert "no event with slug 'nope'" in result.output
    assert "Traceback" not in result.output
