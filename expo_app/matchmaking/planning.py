"""Between the database and the scheduler: an event read as a Problem (a handful of queries,
whatever its size), and a Plan written as meetings in one transaction, or not at all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from expo_app import drafts
from expo_app.audit.services import record
from expo_app.delegations.models import Participant
from expo_app.errors import DomainError
from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from expo_app.matchmaking.booking import first_free_place
from expo_app.matchmaking.models import (
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    RequestStatus,
    Unavailability,
)
from expo_app.matchmaking.scheduler import (
    DelegateSpec,
    ExhibitorSpec,
    FixedMeeting,
    Placement,
    Plan,
    Problem,
    RequestSpec,
    SlotSpec,
    schedule,
)
from expo_app.matchmaking.scheduler.check import broken_rules
from expo_app.matchmaking.scheduler.summary import summarise
from expo_app.modelkit import utcnow

# Rows per bulk INSERT, and ids per IN (...) list.
CHUNK = 1000


class PlanRejected(DomainError):
    """The database refused the plan (the schedule changed since it was made); nothing
    was written. The message says why, in one line."""


class PlanOutdated(PlanRejected):
    """A previewed plan that no longer fits the event (`count` of its meetings break a rule
    now); nothing was written."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} planned meetings no longer fit")
        self.count = count


def load_problem(event: Event, now: datetime | None = None) -> Problem:
    """The event's matchmaking as scheduler input: ids are database ids, labels are refs.

    Seven queries, however many requests. The requests are the ones open at `now`
    (default: this moment) without a meeting, in the order they came: the accepted ones
    it places, the pending ones it reports as not accepted yet. Declined, cancelled and
    expired requests (a pending one past its deadline is expired, written so or not) are
    decisions taken, not requests left unplaced. Booked meetings are fixed.
    """
    now = now or utcnow()
    slots = db.session.execute(
        select(MeetingSlot.id, MeetingSlot.start)
        .where(MeetingSlot.event_id == event.id)
        .order_by(MeetingSlot.start)
    ).all()
    tables = db.session.execute(
        select(MeetingTable.id).where(MeetingTable.event_id == event.id).order_by(MeetingTable.id)
    ).scalars()
    exhibitors = db.session.execute(
        select(Exhibitor.id, Exhibitor.ref, Exhibitor.meeting_capacity)
        .where(Exhibitor.event_id == event.id)
        .order_by(Exhibitor.id)
    ).all()
    meetings = db.session.execute(
        select(
            Meeting.request_id,
            Meeting.delegate_id,
            Meeting.exhibitor_id,
            Meeting.slot_id,
            Meeting.table_id,
        ).where(Meeting.event_id == event.id)
    ).all()
    booked = {meeting.request_id for meeting in meetings}
    requests = [
        row
        for row in db.session.execute(
            select(
                MeetingRequest.id,
                MeetingRequest.ref,
                MeetingRequest.delegate_id,
                MeetingRequest.exhibitor_id,
                MeetingRequest.priority,
                MeetingRequest.state_at(now).label("state"),
            )
            .where(MeetingRequest.event_id == event.id, MeetingRequest.is_open_at(now))
            .order_by(MeetingRequest.created_at, MeetingRequest.id)
        )
        if row.id not in booked
    ]
    wanted = select(MeetingRequest.delegate_id).where(MeetingRequest.event_id == event.id)
    delegates = db.session.execute(
        select(Participant.id, Participant.ref, Participant.is_accredited.label("accredited"))
        .where(Participant.event_id == event.id, Participant.id.in_(wanted))
        .order_by(Participant.id)
    ).all()
    away_people: dict[int, set[int]] = defaultdict(set)
    away_exhibitors: dict[int, set[int]] = defaultdict(set)
    for slot_id, participant_id, exhibitor_id in db.session.execute(
        select(Unavailability.slot_id, Unavailability.participant_id, Unavailability.exhibitor_id)
        .join(MeetingSlot, MeetingSlot.id == Unavailability.slot_id)
        .where(MeetingSlot.event_id == event.id)
    ):
        if participant_id is not None:
            away_people[participant_id].add(slot_id)
        else:
            away_exhibitors[exhibitor_id].add(slot_id)

    return Problem(
        slots=tuple(
            SlotSpec(slot.id, day=slot.start.date(), label=f"{slot.start:%Y-%m-%d %H:%M}")
            for slot in slots
        ),
        exhibitors=tuple(
            ExhibitorSpec(row.id, row.meeting_capacity, frozenset(away_exhibitors[row.id]), row.ref)
            for row in exhibitors
        ),
        delegates=tuple(
            DelegateSpec(row.id, bool(row.accredited), frozenset(away_people[row.id]), row.ref)
            for row in delegates
        ),
        requests=tuple(
            RequestSpec(
                row.id, row.delegate_id, row.exhibitor_id, row.priority or 1, row.state, row.ref
            )
            for row in requests
        ),
        tables=tuple(tables),
        fixed=tuple(
            FixedMeeting(m.request_id, m.delegate_id, m.exhibitor_id, m.slot_id, m.table_id)
            for m in meetings
        ),
    )


def apply_plan(event: Event, plan: Plan) -> int:
    """Write the plan's meetings, all or none; the number written. Flushes, never commits.

    Each meeting takes its exhibitor's lowest free place in its slot and the copies the
    database checks. If anything changed since the plan was made (a request declined,
    a place or a table booked, a capacity lowered), the database refuses and PlanRejected
    says why: the inserts sit in a savepoint, so none of the plan's rows is left behind
    (the caller rolls back or carries on), and a new plan is needed.
    """
    if not plan.placed:
        return 0
    try:
        with db.session.begin_nested():
            rows = _meeting_rows(event, plan)
            for start in range(0, len(rows), CHUNK):
                db.session.execute(insert(Meeting.__table__), rows[start : start + CHUNK])
    except IntegrityError as exc:
        detail = str(exc.orig).splitlines()[0] if exc.orig else "a rule was broken"
        raise PlanRejected(
            f"the database refused the plan, nothing was written ({detail}); "
            "the schedule changed while planning: run the scheduler again"
        ) from None
    return len(rows)


def _meeting_rows(event: Event, plan: Plan) -> list[dict]:
    request_ids = [placement.request for placement in plan.placed]
    requests = {
        row.id: row
        for chunk in _chunks(request_ids)
        for row in db.session.execute(
            select(
                MeetingRequest.id,
                MeetingRequest.event_id,
                MeetingRequest.ref,
                MeetingRequest.delegate_id,
                MeetingRequest.exhibitor_id,
                MeetingRequest.status,
            ).where(MeetingRequest.event_id == event.id, MeetingRequest.id.in_(chunk))
        )
    }
    capacity = dict(
        db.session.execute(
            select(Exhibitor.id, Exhibitor.meeting_capacity).where(Exhibitor.event_id == event.id)
        ).all()
    )
    taken: dict[tuple[int, int], list[int]] = defaultdict(list)
    for slot_id, exhibitor_id, place in db.session.execute(
        select(Meeting.slot_id, Meeting.exhibitor_id, Meeting.capacity_place).where(
            Meeting.event_id == event.id
        )
    ):
        taken[(slot_id, exhibitor_id)].append(place)
    rows = []
    for placement in plan.placed:
        request = requests.get(placement.request)
        if request is None:
            raise PlanRejected(f"request {placement.request} is not a request of {event.slug}")
        if request.status != RequestStatus.ACCEPTED:
            raise PlanRejected(
                f"request {request.ref} is now {request.status}: run the scheduler again"
            )
        key = (placement.slot, request.exhibitor_id)
        place = first_free_place(taken[key], capacity[request.exhibitor_id])
        if place is None:
            raise PlanRejected(
                f"no free place left for request {request.ref}: run the scheduler again"
            )
        taken[key].append(place)
        rows.append(
            Meeting.row_for(
                request,
                slot_id=placement.slot,
                table_id=placement.table,
                capacity=capacity[request.exhibitor_id],
                place=place,
            )
        )
    return rows


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- The organiser's preview: run, look, then apply or discard ------------------------------

DRAFTS = "schedules"
UNPLACED_SHOWN = 100  # unplaced requests per page of the preview


def run_preview(event: Event, *, user_id: int, time_limit: float) -> str:
    """Run the scheduler and keep its plan as a draft for this organiser; the draft's token.

    Writes nothing to the database: the organiser looks at the figures first, then
    applies (apply_preview) or discards (discard_preview).
    """
    problem = load_problem(event)
    # End the read before the search: on SQLite the transaction holds the write lock
    # (BEGIN IMMEDIATE) and would stop every booking meanwhile. Nothing is lost: the
    # preview writes nothing to the database (the plan is kept as a draft).
    db.session.rollback()
    plan = schedule(problem, time_limit=time_limit)
    summary = summarise(problem, plan)
    requests = {request.id: request for request in problem.requests}
    unplaced_ids = [item.request for item in plan.unplaced]
    people = _names(Participant, {requests[request_id].delegate for request_id in unplaced_ids})
    companies = _names(Exhibitor, {exhibitor.id for exhibitor in problem.exhibitors})
    starts = dict(
        db.session.execute(
            select(MeetingSlot.id, MeetingSlot.start).where(MeetingSlot.event_id == event.id)
        ).all()
    )
    token = drafts.new_token()
    drafts.keep(
        DRAFTS,
        token,
        {
            "event_id": event.id,
            "user_id": user_id,
            "placed": [[p.request, p.slot, p.table] for p in plan.placed],
            "weight": plan.weight,
            "upper_bound": plan.upper_bound,
            "seconds": round(plan.stats.seconds, 2),
            "timed_out": plan.stats.timed_out,
            "delegate_gaps": plan.stats.delegate_gaps,
            "table_changes": plan.stats.table_changes,
            "greedy_weight": plan.stats.greedy_weight,
            "tables": len(problem.tables),
            "totals": {
                "requests": summary.requests,
                "accepted": summary.accepted,
                "booked": summary.booked,
                "placed": summary.placed,
                "unplaced": summary.unplaced,
            },
            "reasons": summary.reasons,
            "exhibitors": [
                [companies.get(line.exhibitor, line.label), line.placed, line.unplaced]
                for line in sorted(summary.exhibitors, key=lambda line: (-line.placed, line.label))
            ],
            "slots": [
                [starts[line.slot].isoformat(), line.placed, line.booked] for line in summary.slots
            ],
            "unplaced": [
                [
                    requests[item.request].label,
                    people.get(requests[item.request].delegate, ""),
                    companies.get(requests[item.request].exhibitor, ""),
                    requests[item.request].priority,
                    item.reason,
                ]
                for item in plan.unplaced
            ],
        },
    )
    return token


def load_preview(event: Event, token: str, *, user_id: int) -> dict | None:
    """The plan kept under `token` for this organiser and event, or None (gone or not theirs)."""
    return drafts.fetch(DRAFTS, token, event_id=event.id, user_id=user_id)


def discard_preview(token: str) -> None:
    drafts.forget(DRAFTS, token)


def apply_preview(event: Event, preview: dict, token: str) -> int:
    """Write a previewed plan if it still holds; the number of meetings written.

    The plan is checked again against the event as it is now (a request declined, a
    slot blocked or booked since the preview): if any of its meetings broke a rule,
    nothing is written and PlanOutdated says how many no longer fit. The database's
    constraints refuse whatever slips between that check and the write (PlanRejected).
    Either way the draft is spent: applied, or out of date.
    """
    try:
        return _apply_preview(event, preview)
    finally:
        discard_preview(token)


def _apply_preview(event: Event, preview: dict) -> int:
    problem = load_problem(event)
    priority = {request.id: max(1, request.priority) for request in problem.requests}
    placed = tuple(Placement(request, slot, table) for request, slot, table in preview["placed"])
    weight = sum(priority.get(placement.request, 0) for placement in placed)
    plan = Plan(placed, (), weight, max(weight, preview["upper_bound"]), stats=None)
    broken = broken_rules(problem, plan)
    if broken:
        raise PlanOutdated(len(broken))
    # One savepoint for the entry and the meetings: a refused plan leaves neither, even
    # when the page then redirects (and so commits).
    with db.session.begin_nested():
        record(
            "meetings.scheduled",
            event,
            event_id=event.id,
            after={
                "meetings": len(placed),
                "weight": weight,
                "upper_bound": preview["upper_bound"],
            },
        )
        return apply_plan(event, plan)


def _names(model, ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for chunk in _chunks(sorted(ids)):
        names.update(
            db.session.execute(select(model.id, model.name).where(model.id.in_(chunk))).all()
        )
    return names


@dataclass(frozen=True)
class MatchmakingState:
    """Where the event's matchmaking stands, before the organiser runs the scheduler."""

    waiting: int  # accepted requests without a meeting: what the scheduler places
    unaccredited: int  # accepted too, but the delegate is not approved (yet)
    pending: int  # requests still waiting for the exhibitor's answer
    booked: int  # meetings already in the agenda (kept as they are)
    slots: int
    tables: int


def matchmaking_state(event: Event, now: datetime | None = None) -> MatchmakingState:
    """The figures the organiser sees before running the scheduler, as of `now` (default:
    this moment; a pending request past its deadline counts as expired)."""
    now = now or utcnow()
    # Counted over a subquery: PostgreSQL cannot group by an expression with parameters.
    waiting = (
        select(
            MeetingRequest.state_at(now).label("state"),
            Participant.is_accredited.label("accredited"),
        )
        .join(Participant, Participant.id == MeetingRequest.delegate_id)
        .outerjoin(Meeting, Meeting.request_id == MeetingRequest.id)
        .where(MeetingRequest.event_id == event.id, Meeting.id.is_(None))
        .subquery()
    )
    statuses: dict[tuple[str, bool], int] = {
        (state, bool(accredited)): number
        for state, accredited, number in db.session.execute(
            select(waiting.c.state, waiting.c.accredited, func.count()).group_by(
                waiting.c.state, waiting.c.accredited
            )
        )
    }

    def count(model) -> int:
        return db.session.execute(
            select(func.count()).select_from(model).where(model.event_id == event.id)
        ).scalar_one()

    accepted, pending = RequestStatus.ACCEPTED.value, RequestStatus.PENDING.value
    return MatchmakingState(
        waiting=statuses.get((accepted, True), 0),
        unaccredited=statuses.get((accepted, False), 0),
        pending=statuses.get((pending, True), 0) + statuses.get((pending, False), 0),
        booked=count(Meeting),
        slots=count(MeetingSlot),
        tables=count(MeetingTable),
    )


def slots_by_day(slots: list[list]) -> list[tuple[date, list[tuple[datetime, int, int]]]]:
    """A preview's per-slot figures [start, new, booked] grouped by day, for the page."""
    days: dict[date, list[tuple[datetime, int, int]]] = defaultdict(list)
    for start, placed, booked in slots:
        moment = datetime.fromisoformat(start)
        days[moment.date()].append((moment, placed, booked))
    return sorted(days.items())
