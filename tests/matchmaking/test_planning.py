"""`expo schedule-meetings` against a real database (SQLite and PostgreSQL): a dry run writes
nothing, a run writes meetings the database accepts, and a plan overtaken by a booking is
refused whole."""

from __future__ import annotations

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from expo_app.audit.models import AuditEntry
from expo_app.extensions import db
from expo_app.matchmaking.planning import (
    PlanOutdated,
    PlanRejected,
    apply_plan,
    apply_preview,
    load_preview,
    load_problem,
    run_preview,
)
from expo_app.matchmaking.scheduler import schedule
from expo_app.models import Event, Meeting, MeetingRequest, MeetingSlot, MeetingTable
from tests.kit import factories as f


def make_fair(requests: int = 6):
    """Two slots, two tables, a capacity-2 exhibitor, a capacity-1 one, and requests."""
    event = f.make_event()
    area = f.make_location(event, kind="meeting_area", name="Lounge")
    slots = [f.make_slot(event, 9), f.make_slot(event, 9, 30)]
    tables = [f.make_table(event, area), f.make_table(event, area)]
    big = f.make_exhibitor(event, name="Baykar", capacity=2)
    small = f.make_exhibitor(event, name="Aselsan", capacity=1)
    made = []
    for k in range(requests):
        request = f.make_request(event, f.make_delegate(event), big if k % 3 else small)
        request.priority = 1 + k % 3
        made.append(request)
    db.session.commit()
    return event, slots, tables, (big, small), made


def count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["schedule-meetings", *args])
    db.session.remove()
    return result


def test_dry_run_prints_the_plan_and_writes_nothing(backend_app):
    event, *_ = make_fair()
    pending = f.make_request(event, f.make_delegate(event), f.make_exhibitor(event), "pending")
    db.session.commit()
    slug, pending_ref = event.slug, pending.ref
    result = run(backend_app, "--event", slug, "--dry-run", "--time-limit", "2")
    assert result.exit_code == 0, result.output
    assert "Placed 4, unplaced 3" in result.output
    assert f"{pending_ref} " in result.output and "not_accepted" in result.output
    assert "Dry run: nothing written." in result.output
    assert count(Meeting) == 0


def test_a_run_writes_meetings_the_database_accepts(backend_app):
    event, slots, tables, (big, small), _ = make_fair()
    table_ids = {t.id for t in tables}
    result = run(backend_app, "--time-limit", "2")  # --event may go with one event
    assert result.exit_code == 0, result.output
    assert "Wrote 4 meetings" in result.output
    meetings = db.session.execute(select(Meeting)).scalars().all()
    assert len(meetings) == 4  # two tables x two slots
    assert {m.table_id for m in meetings} <= table_ids
    assert len({(m.slot_id, m.table_id) for m in meetings}) == 4
    places = sorted((m.slot_id, m.exhibitor_id, m.capacity_place) for m in meetings)
    assert len(set(places)) == 4
    assert all(1 <= m.capacity_place <= m.exhibitor_capacity for m in meetings)
    # The heaviest requests won the four places.
    weights = sorted(m.request.priority for m in meetings)
    assert sum(weights) == sum(sorted((1 + k % 3 for k in range(6)), reverse=True)[:4])
    again = run(backend_app, "--time-limit", "2")
    assert again.exit_code == 0 and "Placed 0," in again.output
    assert count(Meeting) == 4


def test_new_meetings_take_the_lowest_free_places(app):
    event = f.make_event()
    slot = f.make_slot(event, 9)
    baykar = f.make_exhibitor(event, name="Baykar", capacity=3)
    first, second, third = (f.make_request(event, f.make_delegate(event), baykar) for _ in "abc")
    f.make_meeting(first, slot, place=2)
    db.session.commit()
    plan = schedule(load_problem(event))
    assert apply_plan(event, plan) == 2
    places = db.session.execute(select(Meeting.request_id, Meeting.capacity_place)).all()
    assert sorted(places) == [(first.id, 2), (second.id, 1), (third.id, 3)]


def test_a_plan_overtaken_by_a_booking_is_refused_whole(backend_app):
    event, slots, tables, _, requests = make_fair()
    plan = schedule(load_problem(event))
    db.session.rollback()
    first = plan.placed[0]
    taken = next(r for r in requests if r.id == first.request)
    # Someone books the same delegate into the same slot meanwhile, with another request.
    rival = f.make_request(event, taken.delegate, f.make_exhibitor(event))
    f.make_meeting(rival, db.session.get(MeetingSlot, first.slot), table=tables[0])
    db.session.commit()
    with pytest.raises(PlanRejected, match="run the scheduler again"):
        apply_plan(db.session.get(Event, event.id), plan)
    assert count(Meeting) == 1


def test_a_refused_plan_leaves_nothing_even_if_the_caller_commits(backend_app):
    event, slots, tables, _, requests = make_fair()
    plan = schedule(load_problem(event))
    db.session.rollback()
    first = plan.placed[0]
    rival = f.make_request(event, f.make_delegate(event), f.make_exhibitor(event))
    f.make_meeting(
        rival,
        db.session.get(MeetingSlot, first.slot),
        table=db.session.get(MeetingTable, first.table),
    )
    db.session.commit()
    with pytest.raises(PlanRejected):
        apply_plan(db.session.get(Event, event.id), plan)
    # apply_plan flushes and never commits; its refused inserts sat in a savepoint, so a
    # caller that carries on (a page that redirects) commits none of them.
    db.session.commit()
    db.session.remove()
    assert count(Meeting) == 1


def test_a_previewed_plan_that_no_longer_fits_writes_neither_meetings_nor_audit(app):
    event, *_ = make_fair()
    token = run_preview(event, user_id=1, time_limit=1)
    preview = load_preview(event, token, user_id=1)
    request = db.session.get(MeetingRequest, preview["placed"][0][0])
    request.status = "declined"
    db.session.commit()
    with pytest.raises(PlanOutdated):
        apply_preview(event, preview, token)
    db.session.commit()
    assert count(Meeting) == 0
    assert count(AuditEntry, AuditEntry.action == "meetings.scheduled") == 0
    assert load_preview(event, token, user_id=1) is None  # the draft is spent


def test_a_previewed_plan_is_written_with_its_audit_entry(app):
    event, *_ = make_fair()
    token = run_preview(event, user_id=1, time_limit=1)
    preview = load_preview(event, token, user_id=1)
    assert apply_preview(event, preview, token) == 4
    db.session.commit()
    assert count(Meeting) == 4
    assert count(AuditEntry, AuditEntry.action == "meetings.scheduled") == 1


def test_meetings_written_by_the_plan_carry_the_copies_the_database_checks(app):
    event, *_ = make_fair()
    apply_plan(event, schedule(load_problem(event)))
    rows = db.session.execute(
        select(Meeting.request_status, Meeting.delegate_accreditation).distinct()
    ).all()
    assert rows == [("accepted", "approved")]


def test_a_request_declined_meanwhile_is_refused_with_its_ref(app):
    event, *_ = make_fair()
    plan = schedule(load_problem(event))
    request = db.session.get(MeetingRequest, plan.placed[-1].request)
    request.status = "declined"
    db.session.commit()
    with pytest.raises(PlanRejected, match=request.ref):
        apply_plan(event, plan)
    assert count(Meeting) == 0


def test_reading_an_event_takes_the_same_few_queries_whatever_its_size(app):
    def queries_for(requests: int) -> int:
        event, *_ = make_fair(requests)
        assert event.slug  # loaded before counting
        statements = []

        def note(_connection, _cursor, statement, *_args) -> None:
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)

        engine = db.engine
        sa_event.listen(engine, "before_cursor_execute", note)
        try:
            load_problem(event)
        finally:
            sa_event.remove(engine, "before_cursor_execute", note)
        db.session.delete(event)
        db.session.commit()
        return len(statements)

    assert queries_for(3) == queries_for(40) <= 7


def test_an_unknown_event_fails_in_one_line(app):
    make_fair()
    result = run(app, "--event", "nope")
    assert result.exit_code != 0
    assert "no event with slug 'nope'" in result.output
    assert "Traceback" not in result.output
