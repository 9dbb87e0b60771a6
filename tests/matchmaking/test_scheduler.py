"""The scheduler on plain data: optimal on instances small enough to enumerate, never a broken
rule on random ones, booked meetings untouched, a right reason for every request left out,
and the same plan for the same input."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from expo_app.matchmaking.scheduler import (
    EXHIBITOR_FULL,
    NO_COMMON_FREE_SLOT,
    NO_TABLE,
    NOT_ACCEPTED,
    NOT_ACCREDITED,
    DelegateSpec,
    ExhibitorSpec,
    FixedMeeting,
    Problem,
    RequestSpec,
    SlotSpec,
    schedule,
    upper_bound,
)
from expo_app.matchmaking.scheduler.check import broken_rules

ROOT = Path(__file__).resolve().parents[2]


def random_problem(rng: random.Random, size: str = "tiny") -> Problem:
    """A random event: tiny enough to enumerate, or small enough to run by the hundred."""
    if size == "tiny":
        n_slots, n_del, n_exh, n_req, n_tab = (
            rng.randint(1, 3),
            rng.randint(1, 4),
            rng.randint(1, 3),
            rng.randint(1, 6),
            rng.choice((0, 1, 2)),
        )
    else:
        n_slots, n_del, n_exh, n_req = (
            rng.randint(1, 10),
            rng.randint(2, 30),
            rng.randint(1, 10),
            rng.randint(1, 90),
        )
        n_tab = rng.choice((0, rng.randint(1, 12)))
    slots = tuple(SlotSpec(f"s{k}", day=k * 2 // max(1, n_slots)) for k in range(n_slots))
    ids = [slot.id for slot in slots]

    def away(share: float) -> frozenset:
        return frozenset(s for s in ids if rng.random() < share)

    exhibitors = tuple(
        ExhibitorSpec(f"e{k}", capacity=rng.choice((1, 1, 2, 3)), unavailable=away(0.15))
        for k in range(n_exh)
    )
    delegates = tuple(
        DelegateSpec(f"d{k}", approved=rng.random() < 0.9, unavailable=away(0.2))
        for k in range(n_del)
    )
    requests = tuple(
        RequestSpec(
            f"r{k}",
            rng.choice(delegates).id,
            rng.choice(exhibitors).id,
            priority=rng.randint(1, 3),
            status="accepted" if rng.random() < 0.85 else "pending",
        )
        for k in range(n_req)
    )
    tables = tuple(f"t{k}" for k in range(n_tab))
    # Book a few accepted requests first come, first served, as the database would hold them.
    fixed: list[FixedMeeting] = []
    busy: set = set()
    load: Counter = Counter()
    capacity = {e.id: e.capacity for e in exhibitors}
    approved = {d.id: d.approved for d in delegates}
    for request in requests:
        if request.status != "accepted" or not approved[request.delegate]:
            continue
        if rng.random() > 0.2:
            continue
        slot = rng.choice(ids)
        used = {m.table for m in fixed if m.slot == slot}
        free_tables = [t for t in tables if t not in used]
        if (
            (request.delegate, slot) in busy
            or load[(request.exhibitor, slot)] >= capacity[request.exhibitor]
            or (tables and not free_tables)
        ):
            continue
        busy.add((request.delegate, slot))
        load[(request.exhibitor, slot)] += 1
        table = free_tables[0] if tables else None
        fixed.append(FixedMeeting(request.id, request.delegate, request.exhibitor, slot, table))
    return Problem(slots, exhibitors, delegates, requests, tables, tuple(fixed))


def brute_force_optimum(problem: Problem) -> int:
    """The best weight, by trying every assignment of requests to slots (or to none)."""
    delegates = {d.id: d for d in problem.delegates}
    exhibitors = {e.id: e for e in problem.exhibitors}
    booked = {m.request for m in problem.fixed}
    candidates = [
        r
        for r in problem.requests
        if r.id not in booked and r.status == "accepted" and delegates[r.delegate].approved
    ]
    choices = []
    for request in candidates:
        options: list = [None]
        for slot in problem.slots:
            if (
                slot.id not in delegates[request.delegate].unavailable
                and slot.id not in exhibitors[request.exhibitor].unavailable
            ):
                options.append(slot.id)
        choices.append(options)
    best = 0
    for assignment in itertools.product(*choices):
        delegate_slot: Counter = Counter((m.delegate, m.slot) for m in problem.fixed)
        exhibitor_slot: Counter = Counter((m.exhibitor, m.slot) for m in problem.fixed)
        per_slot: Counter = Counter(m.slot for m in problem.fixed if m.table is not None)
        weight = 0
        for request, slot in zip(candidates, assignment, strict=True):
            if slot is None:
                continue
            delegate_slot[(request.delegate, slot)] += 1
            exhibitor_slot[(request.exhibitor, slot)] += 1
            per_slot[slot] += 1
            weight += request.priority
        fits = (
            all(n <= 1 for n in delegate_slot.values())
            and all(n <= exhibitors[e].capacity for (e, _), n in exhibitor_slot.items())
            and (not problem.tables or all(n <= len(problem.tables) for n in per_slot.values()))
        )
        if fits and weight > best:
            best = weight
    return best


def assert_explained(problem: Problem, plan) -> None:
    """Every request is booked, placed or unplaced (once), and each reason is true of the plan."""
    booked = {m.request for m in problem.fixed}
    placed = {p.request: p for p in plan.placed}
    unplaced = {u.request: u.reason for u in plan.unplaced}
    assert len(placed) == len(plan.placed) and len(unplaced) == len(plan.unplaced)
    for request in problem.requests:
        homes = (request.id in booked) + (request.id in placed) + (request.id in unplaced)
        assert homes == 1, request
    delegates = {d.id: d for d in problem.delegates}
    exhibitors = {e.id: e for e in problem.exhibitors}
    requests = {r.id: r for r in problem.requests}
    meetings = [(m.delegate, m.exhibitor, m.slot) for m in problem.fixed] + [
        (requests[p.request].delegate, requests[p.request].exhibitor, p.slot) for p in plan.placed
    ]
    delegate_busy = {(d, s) for d, _, s in meetings}
    exhibitor_load = Counter((e, s) for _, e, s in meetings)
    tables_used = Counter(m.slot for m in problem.fixed if m.table is not None)
    tables_used.update(p.slot for p in plan.placed)
    for request_id, reason in unplaced.items():
        request = requests[request_id]
        delegate, exhibitor = delegates[request.delegate], exhibitors[request.exhibitor]
        if request.status != "accepted":
            assert reason == NOT_ACCEPTED
            continue
        if not delegate.approved:
            assert reason == NOT_ACCREDITED
            continue
        common = [
            s.id
            for s in problem.slots
            if s.id not in delegate.unavailable
            and s.id not in exhibitor.unavailable
            and (delegate.id, s.id) not in delegate_busy
        ]
        with_room = [s for s in common if exhibitor_load[(exhibitor.id, s)] < exhibitor.capacity]
        with_table = [
            s for s in with_room if not problem.tables or tables_used[s] < len(problem.tables)
        ]
        assert not with_table, f"{request_id} still fits in {with_table}"
        expected = (
            NO_COMMON_FREE_SLOT if not common else EXHIBITOR_FULL if not with_room else NO_TABLE
        )
        assert reason == expected, request_id


@pytest.mark.parametrize("seed", range(120))
def test_tiny_instances_reach_the_brute_force_optimum(seed):
    problem = random_problem(random.Random(seed))
    plan = schedule(problem)
    optimum = brute_force_optimum(problem)
    assert plan.weight == optimum
    assert plan.upper_bound >= optimum and upper_bound(problem) >= optimum
    assert broken_rules(problem, plan) == []


@pytest.mark.parametrize("seed", range(60))
def test_random_instances_keep_every_rule_and_explain_every_request(seed):
    problem = random_problem(random.Random(1000 + seed), size="small")
    plan = schedule(problem)
    assert broken_rules(problem, plan) == []
    assert plan.weight <= plan.upper_bound
    booked = {m.request for m in problem.fixed}
    assert not booked & {p.request for p in plan.placed}, "a booked meeting was moved"
    assert_explained(problem, plan)


def test_the_same_input_gives_the_same_plan_whatever_the_hash_seed():
    script = (
        "import random, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.matchmaking.test_scheduler import random_problem\n"
        "from expo_app.matchmaking.scheduler import schedule\n"
        "plan = schedule(random_problem(random.Random(7), size='small'))\n"
        "print(plan.placed, plan.unplaced, plan.weight, plan.upper_bound)\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def two_slots(**changes) -> dict:
    base = dict(
        slots=(SlotSpec("am", day=1), SlotSpec("pm", day=1)),
        exhibitors=(ExhibitorSpec("baykar"),),
        delegates=(DelegateSpec("ali"), DelegateSpec("awa")),
        requests=(),
    )
    base.update(changes)
    return base


def reasons(plan) -> dict:
    return {u.request: u.reason for u in plan.unplaced}


def test_pending_requests_and_unapproved_delegates_are_reported_not_placed():
    problem = Problem(
        **two_slots(
            delegates=(DelegateSpec("ali"), DelegateSpec("awa", approved=False)),
            requests=(
                RequestSpec("wait", "ali", "baykar", status="pending"),
                RequestSpec("no-badge", "awa", "baykar"),
            ),
        )
    )
    plan = schedule(problem)
    assert plan.placed == ()
    assert reasons(plan) == {"wait": NOT_ACCEPTED, "no-badge": NOT_ACCREDITED}


def test_no_common_free_slot_when_the_delegate_is_away_or_booked_whenever_the_exhibitor_is_in():
    problem = Problem(
        **two_slots(
            exhibitors=(ExhibitorSpec("baykar"), ExhibitorSpec("aselsan")),
            delegates=(DelegateSpec("ali", unavailable=frozenset({"am"})),),
            requests=(RequestSpec("r1", "ali", "baykar"), RequestSpec("r2", "ali", "aselsan")),
            fixed=(FixedMeeting("old", "ali", "aselsan", "pm"),),
        )
    )
    plan = schedule(problem)
    assert reasons(plan) == {"r1": NO_COMMON_FREE_SLOT, "r2": NO_COMMON_FREE_SLOT}


def test_exhibitor_full_leaves_out_the_lighter_request():
    problem = Problem(
        **two_slots(
            slots=(SlotSpec("am"),),
            requests=(
                RequestSpec("light", "ali", "baykar", priority=1),
                RequestSpec("heavy", "awa", "baykar", priority=3),
            ),
        )
    )
    plan = schedule(problem)
    assert [p.request for p in plan.placed] == ["heavy"]
    assert reasons(plan) == {"light": EXHIBITOR_FULL}
    assert (plan.weight, plan.upper_bound) == (3, 3)


def test_no_table_when_the_only_table_is_taken():
    problem = Problem(
        **two_slots(
            slots=(SlotSpec("am"),),
            exhibitors=(ExhibitorSpec("baykar"), ExhibitorSpec("aselsan")),
            requests=(
                RequestSpec("r1", "ali", "baykar", priority=2),
                RequestSpec("r2", "awa", "aselsan", priority=1),
            ),
            tables=("T1",),
        )
    )
    plan = schedule(problem)
    assert [(p.request, p.table) for p in plan.placed] == [("r1", "T1")]
    assert reasons(plan) == {"r2": NO_TABLE}


def test_booked_meetings_stay_and_take_their_places():
    problem = Problem(
        **two_slots(
            requests=(RequestSpec("new", "awa", "baykar"),),
            tables=("T1", "T2"),
            fixed=(FixedMeeting("old", "ali", "baykar", "am", "T1"),),
        )
    )
    plan = schedule(problem)
    assert [(p.request, p.slot) for p in plan.placed] == [("new", "pm")]


def test_a_request_is_moved_aside_to_make_room_for_another():
    # Ali can meet only in the morning; Awa either time. Capacity 1: Awa must take the
    # afternoon, whatever order the requests come in.
    problem = Problem(
        **two_slots(
            delegates=(DelegateSpec("ali", unavailable=frozenset({"pm"})), DelegateSpec("awa")),
            requests=(RequestSpec("awa", "awa", "baykar"), RequestSpec("ali", "ali", "baykar")),
        )
    )
    plan = schedule(problem)
    assert {(p.request, p.slot) for p in plan.placed} == {("ali", "am"), ("awa", "pm")}


def test_an_exhibitor_keeps_its_table_through_the_day():
    slots = tuple(SlotSpec(f"s{k}", day=1) for k in range(4))
    delegates = tuple(DelegateSpec(f"d{k}") for k in range(8))
    problem = Problem(
        slots=slots,
        exhibitors=(ExhibitorSpec("baykar"), ExhibitorSpec("aselsan")),
        delegates=delegates,
        requests=tuple(
            RequestSpec(f"r{k}", f"d{k}", "baykar" if k % 2 else "aselsan") for k in range(8)
        ),
        tables=("T1", "T2", "T3"),
    )
    plan = schedule(problem)
    assert len(plan.placed) == 8
    requests = {r.id: r for r in problem.requests}
    tables_of: dict[str, set] = {}
    for placement in plan.placed:
        tables_of.setdefault(requests[placement.request].exhibitor, set()).add(placement.table)
    assert all(len(tables) == 1 for tables in tables_of.values()), tables_of
    assert plan.stats.table_changes == 0


def test_a_delegates_meetings_are_kept_together():
    slots = tuple(SlotSpec(f"s{k}", day=1) for k in range(8))
    exhibitors = tuple(ExhibitorSpec(f"e{k}", capacity=3) for k in range(3))
    problem = Problem(
        slots=slots,
        exhibitors=exhibitors,
        delegates=(DelegateSpec("ali"),),
        requests=tuple(RequestSpec(f"r{k}", "ali", f"e{k}") for k in range(3)),
    )
    plan = schedule(problem)
    positions = sorted(int(p.slot[1:]) for p in plan.placed)
    assert positions[-1] - positions[0] == 2
    assert plan.stats.delegate_gaps == 0


def test_without_tables_meetings_are_at_the_stands():
    problem = Problem(**two_slots(requests=(RequestSpec("r1", "ali", "baykar"),)))
    plan = schedule(problem)
    assert [p.table for p in plan.placed] == [None]


def test_unknown_parties_are_refused():
    problem = Problem(**two_slots(requests=(RequestSpec("r1", "nobody", "baykar"),)))
    with pytest.raises(ValueError, match="unknown delegate"):
        schedule(problem)


def test_an_empty_event_gives_an_empty_plan():
    plan = schedule(Problem(slots=(), exhibitors=(), delegates=(), requests=()))
    assert (plan.placed, plan.unplaced, plan.weight, plan.upper_bound) == ((), (), 0, 0)
    assert plan.ratio == 1.0


def test_a_thousand_requests_come_within_one_percent_of_the_bound_in_time():
    rng = random.Random(5)
    slots = tuple(SlotSpec(f"s{k}", day=k // 8) for k in range(16))
    exhibitors = tuple(ExhibitorSpec(f"e{k}", capacity=rng.choice((1, 2))) for k in range(40))
    delegates = tuple(DelegateSpec(f"d{k}") for k in range(250))
    popular = [e.id for e in exhibitors for _ in range(40 // (int(e.id[1:]) + 1) + 1)]
    requests = tuple(
        RequestSpec(f"r{k}", rng.choice(delegates).id, rng.choice(popular), rng.randint(1, 3))
        for k in range(1000)
    )
    problem = Problem(slots, exhibitors, delegates, requests, tuple(f"t{k}" for k in range(25)))
    plan = schedule(problem, time_limit=5)
    assert broken_rules(problem, plan) == []
    assert plan.stats.seconds < 5
    assert plan.ratio > 0.99
    assert plan.weight > plan.stats.greedy_weight or plan.weight == plan.upper_bound
