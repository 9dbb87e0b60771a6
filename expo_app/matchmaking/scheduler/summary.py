"""A plan in figures, for people: per exhibitor, per slot and per reason (the CLI prints it,
the organiser's preview page can show it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from expo_app.matchmaking.scheduler.problem import REASONS, Id, Plan, Problem


@dataclass(frozen=True)
class ExhibitorLine:
    exhibitor: Id
    label: str
    placed: int  # new meetings
    unplaced: int  # accepted requests left out


@dataclass(frozen=True)
class SlotLine:
    slot: Id
    label: str
    placed: int  # new meetings
    booked: int  # meetings there before
    tables: int  # tables in the event (0: meetings at the stands)


@dataclass(frozen=True)
class Summary:
    requests: int
    accepted: int
    booked: int
    placed: int
    unplaced: int
    reasons: dict[str, int]
    exhibitors: tuple[ExhibitorLine, ...]
    slots: tuple[SlotLine, ...]


def summarise(problem: Problem, plan: Plan) -> Summary:
    requests = {request.id: request for request in problem.requests}
    booked_requests = {meeting.request for meeting in problem.fixed}
    placed_by_exhibitor: Counter = Counter()
    left_by_exhibitor: Counter = Counter()
    placed_by_slot: Counter = Counter(placement.slot for placement in plan.placed)
    booked_by_slot: Counter = Counter(meeting.slot for meeting in problem.fixed)
    for placement in plan.placed:
        placed_by_exhibitor[requests[placement.request].exhibitor] += 1
    reasons: Counter = Counter()
    for item in plan.unplaced:
        reasons[item.reason] += 1
        request = requests[item.request]
        if request.status == "accepted":
            left_by_exhibitor[request.exhibitor] += 1
    return Summary(
        requests=sum(1 for request in problem.requests if request.id not in booked_requests),
        accepted=sum(
            1
            for request in problem.requests
            if request.status == "accepted" and request.id not in booked_requests
        ),
        booked=len(problem.fixed),
        placed=len(plan.placed),
        unplaced=len(plan.unplaced),
        reasons={reason: reasons[reason] for reason in REASONS if reasons[reason]},
        exhibitors=tuple(
            ExhibitorLine(
                exhibitor.id,
                exhibitor.label or str(exhibitor.id),
                placed_by_exhibitor[exhibitor.id],
                left_by_exhibitor[exhibitor.id],
            )
            for exhibitor in problem.exhibitors
            if placed_by_exhibitor[exhibitor.id] or left_by_exhibitor[exhibitor.id]
        ),
        slots=tuple(
            SlotLine(
                slot.id,
                slot.label or str(slot.id),
                placed_by_slot[slot.id],
                booked_by_slot[slot.id],
                len(problem.tables),
            )
            for slot in problem.slots
        ),
    )
