#!/usr/bin/env python3
"""How good and how fast the meeting scheduler is, on synthetic events (no database).

    .venv/bin/python bench/bench_scheduler.py                 # every instance
    .venv/bin/python bench/bench_scheduler.py --only full     # names containing "full"
    .venv/bin/python bench/bench_scheduler.py --exact-limit 300 --seeds 1 2 3

Each instance is generated straight as scheduler input: delegates (some absent for a
day or a few slots), exhibitors with Zipf-like popularity, capacities 1-3 and a few
gaps, requests with priorities 1-3 (all accepted, all delegates approved: every
request is a candidate), tables, and optionally meetings already booked. Sizes go from
tiny to 3,000 delegates / 300 exhibitors / 15,000 requests / 2 days x 16 slots / 150
tables, with a table-starved, a slot-starved, a stand-only (no tables) and a
half-booked variant, and "even" ones where exhibitors are about equally popular and
some delegates ask for many meetings (both sides then bind, the hardest case here).

For each it prints the weight our plan places, our upper bound, their ratio and the
time; the same weight for a first-come-first-served greedy (requests in the order they
came, each in its earliest free slot); and, if `highspy` is installed
(`pip install -e .[bench]`), the optimum from the HiGHS MIP solver, or the best bound
it proved within --exact-limit seconds ("<=" marks a bound, not a proven optimum).
Every plan is also checked against the hard rules; a broken rule aborts the run.
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from expo_app.matchmaking.scheduler import (  # noqa: E402
    DelegateSpec,
    ExhibitorSpec,
    FixedMeeting,
    Problem,
    RequestSpec,
    SlotSpec,
    schedule,
)
from expo_app.matchmaking.scheduler.board import Board  # noqa: E402
from expo_app.matchmaking.scheduler.check import broken_rules  # noqa: E402
from expo_app.matchmaking.scheduler.index import Index, build_index  # noqa: E402


@dataclass(frozen=True)
class Shape:
    name: str
    delegates: int
    exhibitors: int
    requests: int
    days: int
    slots_per_day: int
    tables: int
    booked: float = 0.0  # share of requests already booked (first come, first served)
    popularity: float = 0.9  # Zipf exponent of exhibitors' popularity (0: all alike)
    activity: float = 0.4  # Zipf exponent of how many requests a delegate makes
    absence: float = 1.0  # scales the share of delegates and exhibitors with gaps


SHAPES = (
    Shape("tiny", 40, 8, 120, 1, 8, 6),
    Shape("small", 200, 30, 800, 1, 12, 20),
    Shape("medium", 600, 60, 3000, 2, 8, 40),
    Shape("medium-no-tables", 600, 60, 3000, 2, 8, 0),
    Shape("medium-busy", 600, 60, 3000, 1, 8, 120),
    Shape("medium-slot-starved", 600, 60, 3000, 1, 5, 60),
    Shape("medium-even", 600, 120, 2400, 2, 8, 0, popularity=0.3, activity=0.8),
    Shape("large", 1500, 150, 7500, 2, 16, 80),
    Shape("large-busy", 1500, 150, 7500, 1, 8, 250),
    Shape("full", 3000, 300, 15000, 2, 16, 150),
    Shape("full-table-starved", 3000, 300, 15000, 2, 16, 60),
    Shape("full-slot-starved", 3000, 300, 15000, 1, 8, 500),
    Shape("full-no-tables", 3000, 300, 15000, 2, 16, 0),
    Shape("full-half-booked", 3000, 300, 15000, 2, 16, 150, booked=0.5),
    Shape("full-even", 3000, 300, 15000, 2, 16, 400, popularity=0.3, activity=0.8),
)


def make_problem(shape: Shape, seed: int = 1) -> Problem:
    rng = random.Random(f"{shape.name}-{seed}")
    slots = tuple(
        SlotSpec(f"s{day}-{k:02d}", day=day)
        for day in range(shape.days)
        for k in range(shape.slots_per_day)
    )
    slot_ids = [slot.id for slot in slots]
    per_day = [
        slot_ids[i * shape.slots_per_day : (i + 1) * shape.slots_per_day] for i in range(shape.days)
    ]

    def absences(share_day: float, share_block: float, share_scattered: float) -> frozenset:
        roll = rng.random()
        if roll < share_day and shape.days > 1:
            return frozenset(rng.choice(per_day))
        if roll < share_day + share_block:
            day = rng.choice(per_day)
            length = rng.randint(2, max(2, len(day) // 2))
            start = rng.randrange(0, max(1, len(day) - length + 1))
            return frozenset(day[start : start + length])
        if roll < share_day + share_block + share_scattered:
            return frozenset(rng.sample(slot_ids, min(len(slot_ids), rng.randint(1, 3))))
        return frozenset()

    exhibitors = tuple(
        ExhibitorSpec(
            f"e{i:04d}",
            capacity=rng.choices((1, 2, 3), (70, 20, 10))[0],
            unavailable=absences(*(shape.absence * x for x in (0.02, 0.05, 0.08))),
        )
        for i in range(shape.exhibitors)
    )
    delegates = tuple(
        DelegateSpec(
            f"d{i:05d}", unavailable=absences(*(shape.absence * x for x in (0.1, 0.15, 0.1)))
        )
        for i in range(shape.delegates)
    )

    # Zipf-like popularity of exhibitors; delegates' activity mildly skewed too.
    def sampler(n: int, exponent: float):
        order = list(range(n))
        rng.shuffle(order)
        cumulative, total = [], 0.0
        for rank in range(n):
            total += 1.0 / (rank + 1) ** exponent
            cumulative.append(total)
        return lambda: order[min(bisect.bisect(cumulative, rng.random() * total), n - 1)]

    pick_exhibitor = sampler(shape.exhibitors, shape.popularity)
    pick_delegate = sampler(shape.delegates, shape.activity)
    pairs: set[tuple[int, int]] = set()
    requests = []
    while len(requests) < shape.requests:
        d, e = pick_delegate(), pick_exhibitor()
        if (d, e) in pairs:
            continue
        pairs.add((d, e))
        requests.append(
            RequestSpec(
                f"r{len(requests):05d}",
                delegates[d].id,
                exhibitors[e].id,
                priority=rng.choices((1, 2, 3), (50, 30, 20))[0],
            )
        )
    tables = tuple(f"t{k:03d}" for k in range(shape.tables))
    problem = Problem(slots, exhibitors, delegates, tuple(requests), tables)
    if shape.booked:
        problem = _book_some(problem, shape.booked, rng)
    return problem


def _book_some(problem: Problem, share: float, rng: random.Random) -> Problem:
    """Book a share of the requests first come, first served, at random tables."""
    chosen = [request for request in problem.requests if rng.random() < share]
    plan_index = build_index(
        Problem(problem.slots, problem.exhibitors, problem.delegates, tuple(chosen), problem.tables)
    )
    board = fcfs(plan_index)
    fixed = []
    free_tables = {slot.id: list(problem.tables) for slot in problem.slots}
    for r, s in enumerate(board.slot_of):
        if s < 0:
            continue
        request = chosen[plan_index.req_index[r]]
        slot = problem.slots[s].id
        table = None
        if problem.tables:
            table = free_tables[slot].pop(rng.randrange(len(free_tables[slot])))
        fixed.append(FixedMeeting(request.id, request.delegate, request.exhibitor, slot, table))
    return Problem(
        problem.slots,
        problem.exhibitors,
        problem.delegates,
        problem.requests,
        problem.tables,
        tuple(fixed),
    )


def fcfs(ix: Index) -> Board:
    """First come, first served: each request in turn, in its earliest free slot."""
    board = Board(ix)
    for position in sorted(range(len(ix.req_index)), key=lambda r: ix.req_index[r]):
        free = board.free_mask(position)
        if free:
            board.place(position, (free & -free).bit_length() - 1)
    return board


def exact(ix: Index, time_limit: float, relax: bool = False) -> tuple[float, bool] | None:
    """The optimum weight from HiGHS (True) or its best bound at the time limit (False)."""
    try:
        import highspy
        import numpy as np
    except ImportError:
        return None
    columns: list[tuple[int, int]] = [
        (r, s) for r, mask in enumerate(ix.req_feasible) for s in range(ix.n_slots) if mask >> s & 1
    ]
    rows: dict[tuple, int] = {}
    upper: list[float] = []

    def row(key: tuple, limit: float) -> int:
        if key not in rows:
            rows[key] = len(upper)
            upper.append(limit)
        return rows[key]

    starts, index = [0], []
    for r, s in columns:
        index.append(row(("r", r), 1))
        index.append(row(("d", ix.req_delegate[r], s), 1))
        e = ix.req_exhibitor[r]
        index.append(row(("e", e, s), ix.ex_room[e][s]))
        if ix.has_tables:
            index.append(row(("t", s), ix.table_room[s]))
        starts.append(len(index))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(columns), len(upper)
    lp.col_cost_ = np.array([ix.req_weight[r] for r, _ in columns], dtype=float)
    lp.col_lower_ = np.zeros(len(columns))
    lp.col_upper_ = np.ones(len(columns))
    lp.row_lower_ = np.full(len(upper), -highspy.kHighsInf)
    lp.row_upper_ = np.array(upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(len(index))
    lp.sense_ = highspy.ObjSense.kMaximize
    if not relax:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(columns)
    solver = _quiet(highspy.Highs)
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", float(time_limit))
    solver.setOptionValue("threads", 1)
    solver.passModel(lp)
    solver.run()
    info = solver.getInfo()
    optimal = solver.getModelStatus() == highspy.HighsModelStatus.kOptimal
    if relax:
        return (info.objective_function_value, optimal) if optimal else None
    if optimal:
        return info.objective_function_value, True
    return info.mip_dual_bound, False


def _quiet(make):
    """Call make() with the C library's stdout closed (HiGHS prints a banner when made)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run instances whose name contains this")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--time-limit", type=float, default=10.0, help="for our scheduler")
    parser.add_argument(
        "--exact-limit", type=float, default=120.0, help="seconds for the exact solver (0: skip it)"
    )
    parser.add_argument(
        "--exact-max-requests",
        type=int,
        default=15000,
        help="skip the exact solver above this many requests",
    )
    args = parser.parse_args(argv)
    header = (
        f"{'instance':<22}{'seed':>5}{'reqs':>7}{'weight':>8}{'bound':>8}{'ratio':>8}"
        f"{'time':>7}{'fcfs':>8}{'f/bnd':>7}{'exact':>10}{'ours/ex':>9}{'ex time':>8}"
    )
    print(header)
    print("-" * len(header))
    worst = 1.0
    for shape in SHAPES:
        if args.only not in shape.name:
            continue
        for seed in args.seeds:
            problem = make_problem(shape, seed)
            plan = schedule(problem, time_limit=args.time_limit)
            broken = broken_rules(problem, plan)
            if broken:
                print(f"{shape.name}: BROKEN RULES: {broken[:5]}", file=sys.stderr)
                return 1
            ix = build_index(problem)
            base = fcfs(ix).weight
            exact_text, versus, exact_time = "-", "-", "-"
            if args.exact_limit > 0 and len(problem.requests) <= args.exact_max_requests:
                started = time.monotonic()
                found = exact(ix, args.exact_limit)
                exact_time = f"{time.monotonic() - started:.0f}s"
                if found is not None:
                    value, proven = found
                    # Without a proof, the best known bound is the smaller of the two.
                    best = value if proven else min(value, plan.upper_bound)
                    exact_text = f"{value:.0f}" if proven else f"<={best:.0f}"
                    ratio = plan.weight / best if best else 1.0
                    versus = f"{100 * ratio:.2f}%" if proven else f">={100 * ratio:.2f}%"
                    worst = min(worst, ratio)
            print(
                f"{shape.name:<22}{seed:>5}{len(problem.requests):>7}{plan.weight:>8}"
                f"{plan.upper_bound:>8}{100 * plan.ratio:>7.2f}%{plan.stats.seconds:>6.1f}s"
                f"{base:>8}{100 * base / max(1, plan.upper_bound):>6.1f}%"
                f"{exact_text:>10}{versus:>9}{exact_time:>8}",
                flush=True,
            )
    print(f"\nworst ratio to the optimum (or to the best bound known): {100 * worst:.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
