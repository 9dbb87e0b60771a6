"""The problem turned into dense integer indices and slot bitmasks, once, before any search."""

from __future__ import annotations

from dataclasses import dataclass, field

from expo_app.matchmaking.scheduler.problem import (
    NOT_ACCEPTED,
    NOT_ACCREDITED,
    Id,
    Problem,
)


def bits(mask: int):
    """The slot positions set in `mask`, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


@dataclass
class Index:
    """Slots are bit positions 0..n_slots-1 in time order; everything else is a dense index."""

    problem: Problem
    n_slots: int = 0
    all_slots: int = 0
    slot_day: list[int] = field(default_factory=list)
    day_masks: list[int] = field(default_factory=list)
    has_tables: bool = False
    # Per exhibitor / delegate.
    ex_capacity: list[int] = field(default_factory=list)
    ex_unavailable: list[int] = field(default_factory=list)
    dl_unavailable: list[int] = field(default_factory=list)
    dl_fixed: list[int] = field(default_factory=list)  # slots taken by a booked meeting
    # Free places after the booked meetings: per exhibitor and slot, and tables per slot.
    ex_room: list[list[int]] = field(default_factory=list)
    table_room: list[int] = field(default_factory=list)
    fixed_tables: list[list[Id]] = field(default_factory=list)  # tables booked, per slot
    # The requests the search works on ("schedulable"), as parallel lists.
    req_index: list[int] = field(default_factory=list)  # position in problem.requests
    req_delegate: list[int] = field(default_factory=list)
    req_exhibitor: list[int] = field(default_factory=list)
    req_weight: list[int] = field(default_factory=list)
    req_feasible: list[int] = field(default_factory=list)  # slots it could take, alone
    # Requests settled before any search: position in problem.requests -> reason.
    early_reasons: dict[int, str] = field(default_factory=dict)
    skipped_fixed: int = 0  # requests given that already have a booked meeting


def build_index(problem: Problem) -> Index:
    ix = Index(problem)
    slot_pos: dict[Id, int] = {}
    day_pos: dict[object, int] = {}
    for position, slot in enumerate(problem.slots):
        if slot.id in slot_pos:
            raise ValueError(f"slot {slot.id!r} is given twice")
        slot_pos[slot.id] = position
        ix.slot_day.append(day_pos.setdefault(slot.day, len(day_pos)))
    ix.n_slots = len(problem.slots)
    ix.all_slots = (1 << ix.n_slots) - 1
    ix.day_masks = [0] * len(day_pos)
    for position, day in enumerate(ix.slot_day):
        ix.day_masks[day] |= 1 << position

    def mask_of(slots, owner: str) -> int:
        mask = 0
        for slot in slots:
            if slot not in slot_pos:
                raise ValueError(f"{owner} names unknown slot {slot!r}")
            mask |= 1 << slot_pos[slot]
        return mask

    ex_pos: dict[Id, int] = {}
    for exhibitor in problem.exhibitors:
        if exhibitor.id in ex_pos:
            raise ValueError(f"exhibitor {exhibitor.id!r} is given twice")
        if exhibitor.capacity < 1:
            raise ValueError(f"exhibitor {exhibitor.id!r} has capacity {exhibitor.capacity}")
        ex_pos[exhibitor.id] = len(ex_pos)
        ix.ex_capacity.append(exhibitor.capacity)
        ix.ex_unavailable.append(mask_of(exhibitor.unavailable, f"exhibitor {exhibitor.id!r}"))
    dl_pos: dict[Id, int] = {}
    for delegate in problem.delegates:
        if delegate.id in dl_pos:
            raise ValueError(f"delegate {delegate.id!r} is given twice")
        dl_pos[delegate.id] = len(dl_pos)
        ix.dl_unavailable.append(mask_of(delegate.unavailable, f"delegate {delegate.id!r}"))
    ix.dl_fixed = [0] * len(dl_pos)

    tables = list(dict.fromkeys(problem.tables))
    table_set = set(tables)
    ix.has_tables = bool(tables)
    ix.ex_room = [[capacity] * ix.n_slots for capacity in ix.ex_capacity]
    ix.fixed_tables = [[] for _ in range(ix.n_slots)]
    fixed_requests: set[Id] = set()
    for meeting in problem.fixed:
        if meeting.slot not in slot_pos:
            raise ValueError(f"booked meeting of request {meeting.request!r}: unknown slot")
        if meeting.exhibitor not in ex_pos:
            raise ValueError(f"booked meeting of request {meeting.request!r}: unknown exhibitor")
        s = slot_pos[meeting.slot]
        fixed_requests.add(meeting.request)
        room = ix.ex_room[ex_pos[meeting.exhibitor]]
        room[s] = max(0, room[s] - 1)
        if meeting.delegate in dl_pos:
            ix.dl_fixed[dl_pos[meeting.delegate]] |= 1 << s
        if meeting.table in table_set and meeting.table not in ix.fixed_tables[s]:
            ix.fixed_tables[s].append(meeting.table)
    ix.table_room = [len(tables) - len(ix.fixed_tables[s]) for s in range(ix.n_slots)]
    if not ix.has_tables:
        # Meetings at the stands: only capacities limit them; a room no plan can fill.
        ix.table_room = [len(problem.requests) + 1] * ix.n_slots
    table_ok = sum(1 << s for s in range(ix.n_slots) if ix.table_room[s] > 0)

    approved = [delegate.approved for delegate in problem.delegates]
    ex_ok = [sum(1 << s for s in range(ix.n_slots) if room[s] > 0) for room in ix.ex_room]
    for position, request in enumerate(problem.requests):
        if request.delegate not in dl_pos:
            raise ValueError(f"request {request.id!r} names unknown delegate {request.delegate!r}")
        if request.exhibitor not in ex_pos:
            raise ValueError(
                f"request {request.id!r} names unknown exhibitor {request.exhibitor!r}"
            )
        if request.id in fixed_requests:
            ix.skipped_fixed += 1
            continue
        if request.status != "accepted":
            ix.early_reasons[position] = NOT_ACCEPTED
            continue
        d, e = dl_pos[request.delegate], ex_pos[request.exhibitor]
        if not approved[d]:
            ix.early_reasons[position] = NOT_ACCREDITED
            continue
        feasible = (
            ix.all_slots
            & ~ix.dl_unavailable[d]
            & ~ix.ex_unavailable[e]
            & ~ix.dl_fixed[d]
            & ex_ok[e]
            & table_ok
        )
        # Requests with no possible slot take no part in the search; their reason is
        # read off the final plan like every other unplaced request's.
        ix.req_index.append(position)
        ix.req_delegate.append(d)
        ix.req_exhibitor.append(e)
        ix.req_weight.append(max(1, int(request.priority)))
        ix.req_feasible.append(feasible)
    return ix
