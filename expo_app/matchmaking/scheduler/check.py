"""An independent check of a plan against the hard rules, written straight from the format
spec (no shared code with the search), for tests, benchmarks and a last look before writing."""

from __future__ import annotations

from collections import Counter

from expo_app.matchmaking.scheduler.problem import Plan, Problem


def broken_rules(problem: Problem, plan: Plan) -> list[str]:
    """Every hard rule the plan together with the booked meetings breaks; empty if none."""
    problems: list[str] = []
    requests = {request.id: request for request in problem.requests}
    delegates = {delegate.id: delegate for delegate in problem.delegates}
    exhibitors = {exhibitor.id: exhibitor for exhibitor in problem.exhibitors}
    slots = {slot.id for slot in problem.slots}
    tables = set(problem.tables)
    booked = {meeting.request for meeting in problem.fixed}

    seen: set = set()
    delegate_slot: Counter = Counter()
    exhibitor_slot: Counter = Counter()
    table_slot: Counter = Counter()
    for meeting in problem.fixed:
        delegate_slot[(meeting.delegate, meeting.slot)] += 1
        exhibitor_slot[(meeting.exhibitor, meeting.slot)] += 1
        if meeting.table is not None:
            table_slot[(meeting.table, meeting.slot)] += 1
    for placement in plan.placed:
        request = requests.get(placement.request)
        if request is None:
            problems.append(f"{placement.request!r}: no such request")
            continue
        where = f"request {request.id!r} in slot {placement.slot!r}"
        if placement.request in seen or placement.request in booked:
            problems.append(f"{where}: the request has two meetings")
        seen.add(placement.request)
        if placement.slot not in slots:
            problems.append(f"{where}: no such slot")
        if request.status != "accepted":
            problems.append(f"{where}: the request is {request.status}")
        delegate = delegates[request.delegate]
        exhibitor = exhibitors[request.exhibitor]
        if not delegate.approved:
            problems.append(f"{where}: the delegate is not approved")
        if placement.slot in delegate.unavailable:
            problems.append(f"{where}: the delegate is unavailable")
        if placement.slot in exhibitor.unavailable:
            problems.append(f"{where}: the exhibitor is unavailable")
        if tables and placement.table not in tables:
            problems.append(f"{where}: the event has tables, and this meeting has none")
        if not tables and placement.table is not None:
            problems.append(f"{where}: a table, though the event has none")
        delegate_slot[(request.delegate, placement.slot)] += 1
        exhibitor_slot[(request.exhibitor, placement.slot)] += 1
        if placement.table is not None:
            table_slot[(placement.table, placement.slot)] += 1
    problems += [
        f"delegate {d!r} has {n} meetings in slot {s!r}"
        for (d, s), n in delegate_slot.items()
        if n > 1
    ]
    problems += [
        f"exhibitor {e!r} has {n} meetings in slot {s!r}, capacity {exhibitors[e].capacity}"
        for (e, s), n in exhibitor_slot.items()
        if e in exhibitors and n > exhibitors[e].capacity
    ]
    problems += [
        f"table {t!r} holds {n} meetings in slot {s!r}" for (t, s), n in table_slot.items() if n > 1
    ]
    weight = sum(max(1, requests[p.request].priority) for p in plan.placed if p.request in requests)
    if weight != plan.weight:
        problems.append(f"the plan claims weight {plan.weight}, its meetings weigh {weight}")
    if plan.upper_bound < plan.weight:
        problems.append(f"the upper bound {plan.upper_bound} is below the weight {plan.weight}")
    return problems
