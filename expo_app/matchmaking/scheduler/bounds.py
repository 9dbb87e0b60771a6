"""Upper bounds on the best placeable weight, from relaxations that can be solved exactly.

Drop the delegates' one-meeting-per-slot rule and what is left for one exhibitor is a
transversal matroid: its requests matched to its slots, each slot taking up to its
free capacity. The heaviest independent set of a matroid is found greedily (heaviest
first, keep a request if an augmenting path still matches everything kept), and the
heaviest set of k elements is the first k the greedy keeps. Tables cap the total
number of meetings, so the bound is the heaviest T of all the exhibitors' kept
weights. The same on the delegates' side (each free slot holds one meeting) gives a
second bound.

Both are loose when delegates and exhibitors bind at once. The third bound keeps the
exhibitors' side exact and adds, for every delegate, "no more meetings than the
delegate can hold" with a Lagrange multiplier: the weights become w - lambda(delegate),
still a matroid greedy per exhibitor, and any lambda >= 0 gives a bound. Subgradient
steps (Polyak's rule, aiming at the weight of the plan found) lower it, often to within
a unit of the optimum, which then proves the plan optimal. The plan is compared with
the smallest of the three.
"""

from __future__ import annotations

import time

from expo_app.matchmaking.scheduler.index import Index, bits


def _kept(requests: list[int], feasible: list[int], weight, room) -> list[int]:
    """The requests a weighted-matroid greedy keeps for one party with `room[s]` per slot,
    heaviest first (those of weight <= 0 are not worth keeping)."""
    load: dict[int, list[int]] = {}
    dead = 0  # slots in a Hall-tight set: full, and no one in them can move out

    def augment(r: int, seen: list[int]) -> bool:
        for s in bits(feasible[r] & ~seen[0]):
            seen[0] |= 1 << s
            holders = load.setdefault(s, [])
            if len(holders) < room[s]:
                holders.append(r)
                return True
            for position, q in enumerate(holders):
                if augment(q, seen):
                    holders[position] = r
                    return True
        return False

    kept: list[int] = []
    capacity = sum(room[s] for s in range(len(room)) if room[s] > 0)
    for r in sorted(requests, key=lambda q: (-weight[q], feasible[q].bit_count(), q)):
        if len(kept) >= capacity or weight[r] <= 0:
            break
        if not feasible[r] & ~dead:
            continue
        seen = [dead]
        if augment(r, seen):
            kept.append(r)
        else:
            dead = seen[0]
    return kept


def _kept_weights(requests: list[int], feasible: list[int], weight: list[int], room) -> list[int]:
    return [weight[r] for r in _kept(requests, feasible, weight, room)]


def _top(weights: list[int], limit: int | None) -> int:
    if limit is None or limit >= len(weights):
        return sum(weights)
    return sum(sorted(weights, reverse=True)[:limit])


def exhibitor_bound(ix: Index) -> int:
    by_exhibitor: dict[int, list[int]] = {}
    for r, mask in enumerate(ix.req_feasible):
        if mask:
            by_exhibitor.setdefault(ix.req_exhibitor[r], []).append(r)
    kept: list[int] = []
    for e, requests in by_exhibitor.items():
        kept += _kept_weights(requests, ix.req_feasible, ix.req_weight, ix.ex_room[e])
    return _top(kept, _table_total(ix))


def delegate_bound(ix: Index) -> int:
    by_delegate: dict[int, list[int]] = {}
    for r, mask in enumerate(ix.req_feasible):
        if mask:
            by_delegate.setdefault(ix.req_delegate[r], []).append(r)
    kept: list[int] = []
    one_each = [1] * ix.n_slots
    for requests in by_delegate.values():
        kept += _kept_weights(requests, ix.req_feasible, ix.req_weight, one_each)
    return _top(kept, _table_total(ix))


def lagrangian_bound(
    ix: Index, target: int, iterations: int, deadline: float = float("inf")
) -> int:
    """The exhibitors' side with every delegate's meeting count priced in (see above);
    `target` is the weight of a known plan. A fixed number of steps, fewer if the
    `deadline` (time.monotonic()) passes: every step's value is a bound."""
    by_exhibitor: dict[int, list[int]] = {}
    by_delegate: dict[int, list[int]] = {}
    for r, mask in enumerate(ix.req_feasible):
        if mask:
            by_exhibitor.setdefault(ix.req_exhibitor[r], []).append(r)
            by_delegate.setdefault(ix.req_delegate[r], []).append(r)
    if not by_exhibitor:
        return 0
    feasible, delegate_of = ix.req_feasible, ix.req_delegate
    ones, one_each = [1] * len(feasible), [1] * ix.n_slots
    most = {
        d: len(_kept(requests, feasible, ones, one_each)) for d, requests in by_delegate.items()
    }
    price = dict.fromkeys(by_delegate, 0.0)
    tables = _table_total(ix)
    best = float("inf")
    for _ in range(iterations):
        weight = [w - price.get(delegate_of[r], 0.0) for r, w in enumerate(ix.req_weight)]
        kept: list[int] = []
        for e, requests in by_exhibitor.items():
            kept += _kept(requests, feasible, weight, ix.ex_room[e])
        if tables is not None and len(kept) > tables:
            kept = sorted(kept, key=lambda r: -weight[r])[:tables]
        bound = sum(weight[r] for r in kept) + sum(price[d] * most[d] for d in price)
        best = min(best, bound)
        if best < target + 1 or time.monotonic() > deadline:
            break  # no plan weighs more than the one known (it is optimal), or no time
        meetings = dict.fromkeys(by_delegate, 0)
        for r in kept:
            meetings[delegate_of[r]] += 1
        slope = {d: most[d] - meetings[d] for d in price}
        norm = sum(g * g for d, g in slope.items() if g < 0 or price[d] > 0)
        if not norm:
            break
        step = (bound - target) / norm
        for d, g in slope.items():
            price[d] = max(0.0, price[d] - step * g)
    # Weights are whole numbers, so is the optimum: round down (past float noise).
    return int(best + 1e-6)


def _table_total(ix: Index) -> int | None:
    return sum(max(0, room) for room in ix.table_room) if ix.has_tables else None
