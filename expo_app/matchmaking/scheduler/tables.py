"""Which table each new meeting takes: any free one would do (only the count per slot is a
rule), so an exhibitor keeps the table it already has that day whenever it is free."""

from __future__ import annotations

from expo_app.matchmaking.scheduler.index import Id, Index


def assign_tables(ix: Index, slot_of: list[int]) -> tuple[dict[int, Id], int]:
    """A table for every placed request (request index -> table id), and how many times an
    exhibitor has to use more tables in a day than it holds meetings at once."""
    problem = ix.problem
    if not ix.has_tables:
        return {}, 0
    tables = list(dict.fromkeys(problem.tables))
    slot_pos = {slot.id: position for position, slot in enumerate(problem.slots)}
    ex_pos = {exhibitor.id: position for position, exhibitor in enumerate(problem.exhibitors)}
    owner: dict[tuple[int, Id], int] = {}  # (day, table) -> exhibitor holding it that day
    held: dict[tuple[int, int], list[Id]] = {}  # (day, exhibitor) -> its tables that day
    used: dict[tuple[int, int], set[Id]] = {}
    busiest: dict[tuple[int, int], int] = {}

    def hold(day: int, e: int, table: Id) -> None:
        if (day, table) not in owner:
            owner[(day, table)] = e
            held.setdefault((day, e), []).append(table)

    for meeting in sorted(problem.fixed, key=lambda m: slot_pos[m.slot]):
        if meeting.table is not None and meeting.exhibitor in ex_pos:
            s = slot_pos[meeting.slot]
            hold(ix.slot_day[s], ex_pos[meeting.exhibitor], meeting.table)

    by_slot: list[list[int]] = [[] for _ in range(ix.n_slots)]
    for r, s in enumerate(slot_of):
        if s >= 0:
            by_slot[s].append(r)
    choice: dict[int, Id] = {}
    for s, requests in enumerate(by_slot):
        if not requests:
            continue
        day = ix.slot_day[s]
        taken = set(ix.fixed_tables[s])
        requests.sort(key=lambda r: (ix.req_exhibitor[r], r))
        waiting = []
        for r in requests:
            e = ix.req_exhibitor[r]
            table = next((t for t in held.get((day, e), ()) if t not in taken), None)
            if table is None:
                waiting.append(r)
            else:
                taken.add(table)
                choice[r] = table
        free = [t for t in tables if t not in taken]
        unheld = [t for t in free if (day, t) not in owner]
        spare = [t for t in free if (day, t) in owner]
        for r in waiting:
            e = ix.req_exhibitor[r]
            table = unheld.pop(0) if unheld else spare.pop(0)
            hold(day, e, table)
            choice[r] = table
        counts: dict[int, int] = {}
        for r in requests:
            e = ix.req_exhibitor[r]
            counts[e] = counts.get(e, 0) + 1
            used.setdefault((day, e), set()).add(choice[r])
        for e, count in counts.items():
            busiest[(day, e)] = max(busiest.get((day, e), 0), count)
    changes = sum(len(tables_used) - busiest[key] for key, tables_used in used.items())
    return choice, changes
