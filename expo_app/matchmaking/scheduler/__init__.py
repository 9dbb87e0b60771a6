"""The automatic meeting scheduler: plain data in, a plan out; no Flask, no database.

The problem is a weighted timetabling (b-matching) problem: each accepted request is
placed in at most one slot so that a delegate has one meeting per slot, an exhibitor
at most its capacity, a slot at most as many meetings as it has free tables (tables are
interchangeable, so which table is settled afterwards), nobody meets when unavailable,
and the sum of the placed priorities is as large as possible. Booked meetings stay as
they are and take their places. It is NP-hard in general (list edge colouring hides in
it), so:

1. a greedy pass places requests heaviest first, scarcest (fewest possible slots)
   first among equals, each in the free slot least wanted by the requests still to
   come of the same exhibitor, the same delegate and the tables;
2. ejection chains then place what is left: to free a slot for a request, move the
   meeting that blocks it (the delegate's, one of the exhibitor's, or any holder of
   the last table) to another slot, recursively, up to three moves deep; then swaps
   drop lighter meetings when that places a heavier request (the net weight always
   rises, so it ends); rounds repeat until nothing improves, the upper bound is
   reached, or the time limit;
3. meetings move to other free slots where that closes a delegate's idle gaps, and
   tables are given out so each exhibitor keeps its table through the day.

The upper bound (see bounds.py) is the smallest of three relaxations: exhibitor
capacities with tables, delegates' free slots with tables (both solved exactly), and
the first with every delegate's meeting count priced in by Lagrange multipliers. It
often proves the plan optimal, and then the search stops.

The result is deterministic for a given input, unless the time limit cuts the search.
"""

from __future__ import annotations

import time

from expo_app.matchmaking.scheduler.bounds import (
    delegate_bound,
    exhibitor_bound,
    lagrangian_bound,
)
from expo_app.matchmaking.scheduler.index import Index, bits, build_index
from expo_app.matchmaking.scheduler.problem import (
    EXHIBITOR_FULL,
    NO_COMMON_FREE_SLOT,
    NO_TABLE,
    NOT_ACCEPTED,
    NOT_ACCREDITED,
    REASONS,
    DelegateSpec,
    ExhibitorSpec,
    FixedMeeting,
    Placement,
    Plan,
    PlanStats,
    Problem,
    RequestSpec,
    SlotSpec,
    Unplaced,
)
from expo_app.matchmaking.scheduler.search import Progress, Search
from expo_app.matchmaking.scheduler.tables import assign_tables

DEFAULT_TIME_LIMIT = 10.0
LAGRANGE_STEPS = 20  # subgradient steps of the priced bound (about 1.5 s at most)
PERTURB_MOVES = 25_000  # ruin-and-recreate budget, in placements (about 1-3 s)

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "EXHIBITOR_FULL",
    "NO_COMMON_FREE_SLOT",
    "NO_TABLE",
    "NOT_ACCEPTED",
    "NOT_ACCREDITED",
    "REASONS",
    "DelegateSpec",
    "ExhibitorSpec",
    "FixedMeeting",
    "Placement",
    "Plan",
    "PlanStats",
    "Problem",
    "RequestSpec",
    "SlotSpec",
    "Unplaced",
    "schedule",
    "upper_bound",
]


def schedule(
    problem: Problem,
    time_limit: float = DEFAULT_TIME_LIMIT,
    progress: Progress | None = None,
) -> Plan:
    """The plan for `problem`: placements, each unplaced request with its reason, the
    weight placed and an upper bound on the weight any plan could place."""
    started = time.monotonic()
    ix = build_index(problem)
    by_exhibitors, by_delegates = exhibitor_bound(ix), delegate_bound(ix)
    bound = min(by_exhibitors, by_delegates)
    # The search stops early enough for the finishing touches to fit in the limit too.
    finishing = min(0.3 * time_limit, 0.2 + 60e-6 * len(problem.requests))
    search = Search(ix, started + time_limit - finishing, progress)
    search.greedy()
    search.improve(bound)
    priced = bound
    if search.weight < bound:
        priced = lagrangian_bound(ix, search.weight, LAGRANGE_STEPS, search.deadline)
        bound = min(bound, priced)
    search.perturb(bound, PERTURB_MOVES)
    search.fill()
    search.compact(until=started + time_limit - finishing / 2)
    search.fill()  # a meeting moved to close a gap may have left room someone fits in
    tables, table_changes = assign_tables(ix, search.slot_of)

    placed = []
    slots, requests = problem.slots, problem.requests
    for r, s in enumerate(search.slot_of):
        if s >= 0:
            placed.append((s, r))
    placed.sort()
    placements = tuple(
        Placement(requests[ix.req_index[r]].id, slots[s].id, tables.get(r)) for s, r in placed
    )
    unplaced = tuple(
        Unplaced(requests[position].id, reason) for position, reason in _reasons(ix, search)
    )
    stats = PlanStats(
        requests=len(requests) - ix.skipped_fixed,
        schedulable=sum(1 for mask in ix.req_feasible if mask),
        seconds=time.monotonic() - started,
        bound_exhibitors=by_exhibitors,
        bound_delegates=by_delegates,
        bound_priced=priced,
        greedy_weight=search.greedy_weight,
        improvements=search.improvements,
        delegate_gaps=sum(search.delegate_gaps(d) for d in range(len(ix.dl_fixed))),
        table_changes=table_changes,
        timed_out=search.timed_out,
    )
    return Plan(placements, unplaced, search.weight, max(bound, search.weight), stats)


def upper_bound(problem: Problem) -> int:
    """The two exact relaxations' bound alone: no plan for `problem` weighs more."""
    ix = build_index(problem)
    return min(exhibitor_bound(ix), delegate_bound(ix))


def _reasons(ix: Index, search: Search):
    """Why each request the plan leaves out could not be placed, in the order given."""
    searched = {position: r for r, position in enumerate(ix.req_index)}
    for position in range(len(ix.problem.requests)):
        if position in ix.early_reasons:
            yield position, ix.early_reasons[position]
            continue
        r = searched.get(position)
        if r is None or search.slot_of[r] >= 0:
            continue  # booked already, or placed now
        d, e = ix.req_delegate[r], ix.req_exhibitor[r]
        common = ix.all_slots & ~ix.dl_unavailable[d] & ~ix.ex_unavailable[e] & ~search.d_busy[d]
        with_room = common & ~search.e_full[e]
        if not common:
            yield position, NO_COMMON_FREE_SLOT
        elif not with_room:
            yield position, EXHIBITOR_FULL
        elif not with_room & ~search.t_full:
            yield position, NO_TABLE
        else:  # pragma: no cover - fill() leaves no request that still fits
            raise AssertionError(f"request at {position} fits slots {list(bits(with_room))}")
