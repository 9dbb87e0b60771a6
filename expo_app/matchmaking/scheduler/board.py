"""The search's mutable state: who meets in which slot, what room is left, and an undo log."""

from __future__ import annotations

from expo_app.matchmaking.scheduler.index import Index, bits


class Board:
    """Placements of the schedulable requests, with every per-slot count kept in step.

    Slot sets are Python ints used as bitmasks (bit s = slot s), so "where could this
    request go now" is four AND-NOTs, whatever the number of slots.
    """

    def __init__(self, ix: Index) -> None:
        self.ix = ix
        n_requests = len(ix.req_index)
        self.rd = ix.req_delegate
        self.re = ix.req_exhibitor
        self.rw = ix.req_weight
        self.feas = ix.req_feasible
        self.slot_of = [-1] * n_requests
        self.d_busy = list(ix.dl_fixed)  # booked and newly placed meetings
        self.d_at: list[dict[int, int]] = [{} for _ in ix.dl_fixed]  # slot -> new request
        self.e_room = [list(room) for room in ix.ex_room]
        self.e_full = [
            sum(1 << s for s, left in enumerate(room) if left <= 0) for room in self.e_room
        ]
        self.e_at: list[dict[int, list[int]]] = [{} for _ in ix.ex_room]  # slot -> requests
        self.t_room = list(ix.table_room)
        self.t_full = sum(1 << s for s, left in enumerate(self.t_room) if left <= 0)
        # Per slot, the new meetings by weight (weight -> ordered set of requests).
        self.at_slot: list[dict[int, dict[int, None]]] = [{} for _ in range(ix.n_slots)]
        self.weight = 0
        self.placed = 0
        self.moves = 0  # placements made, undone ones included: a clock that is not time
        self.journal: list[tuple[bool, int, int]] = []  # (placed?, request, slot)

    # Moves.

    def place(self, r: int, s: int) -> None:
        bit = 1 << s
        d, e, w = self.rd[r], self.re[r], self.rw[r]
        self.slot_of[r] = s
        self.d_busy[d] |= bit
        self.d_at[d][s] = r
        room = self.e_room[e]
        room[s] -= 1
        if room[s] <= 0:
            self.e_full[e] |= bit
        self.e_at[e].setdefault(s, []).append(r)
        self.t_room[s] -= 1
        if self.t_room[s] <= 0:
            self.t_full |= bit
        self.at_slot[s].setdefault(w, {})[r] = None
        self.weight += w
        self.placed += 1
        self.moves += 1
        self.journal.append((True, r, s))

    def remove(self, r: int) -> int:
        s = self.slot_of[r]
        bit = 1 << s
        d, e, w = self.rd[r], self.re[r], self.rw[r]
        self.slot_of[r] = -1
        self.d_busy[d] &= ~bit
        del self.d_at[d][s]
        self.e_room[e][s] += 1
        self.e_full[e] &= ~bit
        self.e_at[e][s].remove(r)
        self.t_room[s] += 1
        self.t_full &= ~bit
        del self.at_slot[s][w][r]
        self.weight -= w
        self.placed -= 1
        self.journal.append((False, r, s))
        return s

    def rollback(self, mark: int) -> None:
        """Undo every move made since the journal had `mark` entries."""
        journal = self.journal
        while len(journal) > mark:
            was_placed, r, s = journal.pop()
            if was_placed:
                self.remove(r)
            else:
                self.place(r, s)
            journal.pop()

    # Questions.

    def free_mask(self, r: int) -> int:
        """Slots where `r` could go now without moving anyone."""
        return self.feas[r] & ~self.d_busy[self.rd[r]] & ~self.e_full[self.re[r]] & ~self.t_full

    def gap_change(self, d: int, s: int) -> int:
        """How many idle slots a meeting in `s` adds to (or, -1, removes from) d's day."""
        day = self.ix.day_masks[self.ix.slot_day[s]]
        same_day = self.d_busy[d] & day & ~(1 << s)
        if not same_day:
            return 0
        first = (same_day & -same_day).bit_length() - 1
        last = same_day.bit_length() - 1
        if s < first:
            return first - s - 1
        if s > last:
            return s - last - 1
        return -1

    def delegate_gaps(self, d: int) -> int:
        busy = self.d_busy[d]
        gaps = 0
        for day in self.ix.day_masks:
            same_day = busy & day
            if same_day:
                first = (same_day & -same_day).bit_length() - 1
                gaps += same_day.bit_length() - first - same_day.bit_count()
        return gaps

    def pick(self, r: int, mask: int) -> int:
        """Of the free slots in `mask`, the one that keeps the delegate's day compact and
        leaves the most room to others; the earliest on a tie."""
        d, e = self.rd[r], self.re[r]
        room, t_room = self.e_room[e], self.t_room
        best, best_key = -1, None
        for s in bits(mask):
            key = (self.gap_change(d, s), -room[s], -t_room[s])
            if best_key is None or key < best_key:
                best, best_key = s, key
        return best
