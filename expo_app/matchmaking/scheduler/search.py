"""Finding the plan: a scarcity-aware greedy pass; ejection chains that move new meetings
between slots to make room, drop lighter ones, or drop one whose place another waiting
request of the same party takes (refill); then ruin-and-recreate steps around waiting
requests. Booked meetings never move."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from expo_app.matchmaking.scheduler.board import Board
from expo_app.matchmaking.scheduler.index import Index, bits

Progress = Callable[[str, int, int], None]

NODE_LIMIT = 60  # chain searches one insertion may start
# The searches, cheapest first: (refill?, how many meetings deep a chain may go).
SEARCHES = ((False, 3), (True, 1))
BRANCHES = 4  # options that do not work at once a chain link follows further
REFILL_LOOKS = 40  # waiting requests of one party a refill looks at
RANDOM_SEED = 20251111  # ruin-and-recreate is random, but the same for the same input


class Search(Board):
    def __init__(self, ix: Index, deadline: float, progress: Progress | None = None) -> None:
        super().__init__(ix)
        self.deadline = deadline
        self.progress = progress
        self.nodes = 0
        self.improvements = 0
        self.timed_out = False
        self.greedy_weight = 0
        self.heaviest = max(self.rw, default=1)  # the most a refill can bring back
        self.refill = False
        self.pending: set[int] = set()
        self.d_version = [0] * len(ix.dl_fixed)
        self.e_version = [0] * len(ix.ex_room)
        self.t_version = 0
        self.t_full_committed = self.t_full
        heaviest_first = self.order(range(len(self.feas)))
        self.by_delegate: list[list[int]] = [[] for _ in ix.dl_fixed]
        self.by_exhibitor: list[list[int]] = [[] for _ in ix.ex_room]
        for r in heaviest_first:
            if self.feas[r]:
                self.by_delegate[self.rd[r]].append(r)
                self.by_exhibitor[self.re[r]].append(r)

    def out_of_time(self) -> bool:
        if time.monotonic() > self.deadline:
            self.timed_out = True
        return self.timed_out

    def order(self, requests) -> list[int]:
        """Heaviest first; among equals, the request with the fewest possible slots."""
        rw, feas = self.rw, self.feas
        return sorted(requests, key=lambda r: (-rw[r], feas[r].bit_count(), r))

    # The first pass.

    def greedy(self) -> None:
        """Place each request, heaviest and scarcest first, in the free slot its exhibitor,
        its delegate and the tables are least wanted in by the requests still to come."""
        ix, n_slots = self.ix, self.ix.n_slots
        rd, re, feas = self.rd, self.re, self.feas
        ex_demand = [[0] * n_slots for _ in ix.ex_room]
        dl_demand: dict[int, list[int]] = {}
        table_demand = [0] * n_slots
        for r, mask in enumerate(feas):
            row = ex_demand[re[r]]
            drow = dl_demand.setdefault(rd[r], [0] * n_slots)
            for s in bits(mask):
                row[s] += 1
                drow[s] += 1
                table_demand[s] += 1
        has_tables = ix.has_tables
        order = self.order(r for r in range(len(feas)) if feas[r])
        e_room, t_room = self.e_room, self.t_room
        for done, r in enumerate(order):
            d, e = rd[r], re[r]
            row, drow = ex_demand[e], dl_demand[d]
            for s in bits(feas[r]):
                row[s] -= 1
                drow[s] -= 1
                table_demand[s] -= 1
            free = self.free_mask(r)
            if not free:
                continue
            room = e_room[e]
            best, best_key = -1, 0.0
            for s in bits(free):
                key = row[s] / room[s] + drow[s] + 0.25 * self.gap_change(d, s)
                if has_tables:
                    key += table_demand[s] / t_room[s]
                if best < 0 or key < best_key:
                    best, best_key = s, key
            self.place(r, best)
            if self.progress and done % 2000 == 1999:
                self.progress("greedy placement", done + 1, len(order))
        self.journal.clear()
        self.greedy_weight = self.weight

    # Improvement.

    def improve(self, upper_bound: int) -> None:
        """Insert unplaced requests by ever wider searches: chains of moves that may drop
        lighter meetings; then chains that may also drop a heavier meeting when another
        request of its delegate or exhibitor takes the place it leaves (refill), one and
        then two moves deep. After any gain the cheapest search runs again.

        A request that failed a search is tried again by the same search only once its
        delegate, its exhibitor or the tables changed, and a last full pass looks at
        every request. Every accepted step raises the placed weight, so the loop ends;
        it also ends at the upper bound (nothing better exists) or at the deadline.
        """
        feas, slot_of = self.feas, self.slot_of
        candidates = [r for r in range(len(feas)) if feas[r]]
        failed: list[dict[int, tuple[int, int, int]]] = [{} for _ in SEARCHES]
        level, last_full_pass = 0, False
        rounds = 0
        while self.weight < upper_bound and not self.out_of_time():
            rounds += 1
            before = self.weight
            refill, depth = SEARCHES[level]
            tried = failed[level]
            waiting = self.order(r for r in candidates if slot_of[r] < 0)
            for done, r in enumerate(waiting):
                if done % 32 == 0 and self.out_of_time():
                    break
                if slot_of[r] >= 0:
                    continue
                signature = (self.d_version[self.rd[r]], self.e_version[self.re[r]], self.t_version)
                if not last_full_pass and tried.get(r) == signature:
                    continue
                if self.try_insert(r, depth, refill):
                    self.improvements += 1
                    if self.weight >= upper_bound:
                        break
                else:
                    tried[r] = signature
            if self.progress:
                self.progress(f"improvement round {rounds}", self.weight, upper_bound)
            if self.weight > before:
                level, last_full_pass = 0, False
            elif level + 1 < len(SEARCHES) and not (last_full_pass and level + 2 == len(SEARCHES)):
                level += 1
            elif not last_full_pass:
                level, last_full_pass = 0, True
            else:
                break

    def try_insert(self, r: int, depth: int, refill: bool = False) -> bool:
        """Place r by a chain of moves, dropping meetings lighter in total than r (or, with
        refill, heavier ones whose place another waiting request takes); commit on a gain."""
        budget = self.rw[r] - 1
        if refill:
            budget_paths = budget + self.heaviest
        else:
            if not budget and self.ix.has_tables and self.t_full == self.ix.all_slots:
                return False  # every chain must end at a free table, and there is none
            budget_paths = budget
        if not (
            self.could_join(r, budget_paths, exhibitor=True) and self.could_join(r, budget_paths)
        ):
            return False
        self.nodes = 0
        self.refill = refill
        mark = len(self.journal)
        if self._insert(r, depth, 0, budget) < 0:
            self.rollback(mark)
            return False
        self.settle(mark)
        return True

    def settle(self, mark: int) -> None:
        """Keep the moves made since `mark`: note who they touched (so searches that had
        failed for those parties run again), and forget them unless an outer step may
        still undo them."""
        t_full = self.t_full
        for _, q, _ in self.journal[mark:]:
            self.d_version[self.rd[q]] += 1
            self.e_version[self.re[q]] += 1
        if t_full != self.t_full_committed:
            self.t_version += 1
            self.t_full_committed = t_full
        if not mark:
            self.journal.clear()

    def recreate(self, rng: random.Random) -> int:
        """One ruin-and-recreate step around a waiting request: take out every new meeting
        of its delegate and of its exhibitor, then put the request, everyone taken out and
        the two parties' other waiting requests back, heaviest first (shuffled among
        equals), each by a short chain; the weight gained (below 0: lost)."""
        movable, slot_of, rw = self.movable, self.slot_of, self.rw
        r0 = -1
        for _ in range(64):  # a waiting request, the heavier the likelier
            r = movable[rng.randrange(len(movable))]
            if slot_of[r] < 0 and rng.random() * self.heaviest < rw[r]:
                r0 = r
                break
        if r0 < 0:
            return 0
        d, e = self.rd[r0], self.re[r0]
        before = self.weight
        victims = list(self.d_at[d].values())
        for slot_requests in self.e_at[e].values():
            victims += [q for q in slot_requests if self.rd[q] != d]
        for q in victims:
            self.remove(q)
        again = dict.fromkeys([r0, *victims])
        again.update(dict.fromkeys(u for u in self.by_delegate[d] if slot_of[u] < 0))
        again.update(
            dict.fromkeys(u for u in self.by_exhibitor[e][:REFILL_LOOKS] if slot_of[u] < 0)
        )
        order = list(again)
        rng.shuffle(order)
        order.sort(key=lambda r: -rw[r])
        for r in order:
            if slot_of[r] < 0:
                self.try_insert(r, 1, refill=True)
        return self.weight - before

    def perturb(self, upper_bound: int, moves: int) -> None:
        """Ruin-and-recreate steps, each kept unless it loses weight (so the search walks
        across plateaus too). Deterministic: a fixed seed, and a budget of moves, not time."""
        rng = random.Random(RANDOM_SEED)
        self.movable = [r for r in range(len(self.feas)) if self.feas[r]]
        if not self.movable:
            return
        stop = self.moves + moves
        step = 0
        while self.moves < stop and self.weight < upper_bound:
            step += 1
            if step % 16 == 0 and self.out_of_time():
                break
            self.journal.clear()
            gain = self.recreate(rng)
            if gain < 0:
                self.rollback(0)
            else:
                self.improvements += gain > 0
                self.settle(0)
            if self.progress and step % 500 == 0:
                self.progress("ruin and recreate", moves - max(0, stop - self.moves), moves)
        self.journal.clear()

    def could_join(self, r: int, budget: int, exhibitor: bool = False) -> bool:
        """Whether r could join its exhibitor's (or delegate's) meetings, judged on that
        party alone: an alternating path from r's slots to a slot with room, or, with a
        budget, a lighter meeting on such a path to drop. Cheap, and it rules out most of
        the hopeless searches, since no chain can do what the party alone cannot."""
        feas, rw = self.feas, self.rw
        if exhibitor:
            e = self.re[r]
            full, holders = self.e_full[e], self.e_at[e]
        else:
            d = self.rd[r]
            full, holders = self.d_busy[d], {s: (q,) for s, q in self.d_at[self.rd[r]].items()}
        frontier, seen = feas[r], 0
        while frontier:
            if frontier & ~full:
                return True
            seen |= frontier
            reach = 0
            for s in bits(frontier):
                for q in holders.get(s, ()):
                    if rw[q] <= budget:
                        return True
                    reach |= feas[q]
            frontier = reach & ~seen
        return False

    def _insert(self, r: int, depth: int, forbid: int, budget: int) -> int:
        """Place r outside `forbid`; the budget left on success, -1 (state unchanged) if not."""
        free = self.free_mask(r) & ~forbid
        if free:
            self.place(r, self.pick(r, free))
            return budget
        if depth <= 0 or self.nodes >= NODE_LIMIT:
            return -1
        self.nodes += 1
        d, e = self.rd[r], self.re[r]
        rw, at_slot, e_at = self.rw, self.at_slot, self.e_at[e]
        d_busy, d_fixed, e_full, t_full = (
            self.d_busy[d],
            self.ix.dl_fixed[d],
            self.e_full[e],
            self.t_full,
        )
        tables_somewhere = self.ix.all_slots & ~t_full
        refill = self.refill
        options: list[tuple[int, int, int, tuple[int, ...]]] = []
        for s in bits(self.feas[r] & ~forbid & ~d_fixed):
            bit = 1 << s
            beyond = forbid | bit
            ejected: tuple[int, ...] = ()
            if d_busy & bit:
                ejected = (self.d_at[d][s],)
            choices: list[tuple[int, ...]] = []
            if e_full & bit and not (ejected and self.re[ejected[0]] == e):
                choices = [ejected + (q,) for q in e_at.get(s, ())]
            elif t_full & bit and not ejected:
                # Any meeting of the slot frees its table: one that can step straight into
                # a slot with a free table, or, with a budget, the lightest one.
                by_weight = at_slot[s]
                if tables_somewhere:
                    for w in sorted(by_weight):
                        mover = next((q for q in by_weight[w] if self.free_mask(q) & ~beyond), None)
                        if mover is not None:
                            choices.append((mover,))
                            break
                light = min((w for w, group in by_weight.items() if group), default=None)
                if light is not None and (refill or light <= budget):
                    choices.append((next(reversed(by_weight[light])),))
            else:
                choices = [ejected]
            for qs in choices:
                direct = all(self.free_mask(q) & ~beyond for q in qs)
                options.append((0 if direct else 1, len(qs), s, qs))
        # What each option would leave if its ejected meetings only stepped into free
        # slots or were dropped (and refilled) is known without making it. As the last
        # link, make only the options that work, the best first; deeper, those first, then
        # a few of the others, nearest to working first, each ejected going on a chain.
        scored = []
        for _, count, s, qs in options:
            left = self._leaf_left(r, s, qs, forbid, budget)
            if left >= 0 or depth > 1:
                scored.append((left < 0, -left, count, s, qs))
        scored.sort()
        if depth > 1:
            working = sum(1 for option in scored if not option[0])
            scored = scored[: working + BRANCHES]
        options = [(0, 0, s, qs) for _, _, _, s, qs in scored]
        mark = len(self.journal)
        for _, _, s, qs in options:
            for q in qs:
                self.remove(q)
            self.place(r, s)
            left = budget
            beyond = forbid | (1 << s)
            self.pending.update(qs)  # out, and not to be refilled by anyone else
            for q in qs:
                self.pending.discard(q)
                after = self._insert(q, depth - 1, beyond, left)
                if after >= 0:
                    left = after
                    continue
                left -= rw[q]  # dropped: it waits for a later round
                if refill:
                    u = self._refill_choice(q, s)
                    if u >= 0:
                        self.place(u, s)
                        left += rw[u]
                if left < 0:
                    break
            self.pending.difference_update(qs)
            if left >= 0:
                return left
            self.rollback(mark)
        return -1

    def _leaf_left(self, r: int, s: int, qs: tuple[int, ...], forbid: int, budget: int) -> int:
        """The budget that placing r in s, ejecting qs into free slots or dropping them,
        would leave (below 0: it cannot work). Worked out on the board as it is."""
        beyond = forbid | (1 << s)
        left = budget
        for q in qs:
            if self.free_mask(q) & ~beyond:
                continue
            left -= self.rw[q]
            if self.refill:
                u = self._refill_choice(q, s, r, qs)
                if u >= 0:
                    left += self.rw[u]
        return left

    def _refill_choice(self, dropped: int, s: int, r: int = -1, out: tuple[int, ...] = ()) -> int:
        """The heaviest waiting request of the dropped meeting's delegate (free in slot s
        once it is gone) or exhibitor (with room there) that fits in s; -1 if none.

        With r and out: as if r were placed in s and the meetings `out` removed."""
        bit = 1 << s
        t_room = self.t_room[s] + len(out) - (r >= 0)
        if t_room <= 0:
            return -1
        slot_of, feas, rw, pending = self.slot_of, self.feas, self.rw, self.pending
        rd, re, e_room, d_busy = self.rd, self.re, self.e_room, self.d_busy
        d, e = rd[dropped], re[dropped]
        r_d, r_e = (rd[r], re[r]) if r >= 0 else (-1, -1)
        out_d = [rd[q] for q in out]
        out_e = [re[q] for q in out]

        def room(x: int) -> int:
            return e_room[x][s] + out_e.count(x) - (x == r_e)

        def free(x: int) -> bool:
            return x != r_d and (not d_busy[x] & bit or x in out_d)

        best = -1
        if free(d):
            for u in self.by_delegate[d]:
                waiting = slot_of[u] < 0 and u != r and u not in pending and u not in out
                if waiting and feas[u] & bit and room(re[u]) > 0:
                    best = u
                    break
        if room(e) > 0:
            looked = 0
            for u in self.by_exhibitor[e]:
                if best >= 0 and rw[u] <= rw[best]:
                    break
                if slot_of[u] < 0 and feas[u] & bit:
                    looked += 1
                    if free(rd[u]) and u != r and u not in pending and u not in out:
                        best = u
                        break
                    if looked >= REFILL_LOOKS:
                        break
        return best

    # Finishing touches.

    def fill(self) -> None:
        """Make the plan maximal: no unplaced request fits anywhere as things stand."""
        for r in self.order(r for r in range(len(self.feas)) if self.slot_of[r] < 0):
            free = self.free_mask(r)
            if free:
                self.place(r, self.pick(r, free))
        self.journal.clear()

    def compact(self, until: float = float("inf")) -> None:
        """Move meetings to other free slots where that shortens a delegate's idle gaps
        (until the time `until`, time.monotonic(): a wish, never worth a late plan)."""
        by_delegate: dict[int, list[int]] = {}
        for r, s in enumerate(self.slot_of):
            if s >= 0:
                by_delegate.setdefault(self.rd[r], []).append(r)
        for _ in range(3):
            moved = False
            for done, (d, requests) in enumerate(by_delegate.items()):
                if done % 256 == 0 and time.monotonic() > until:
                    break
                if self.delegate_gaps(d) == 0:
                    continue
                for r in sorted(requests, key=lambda q: self.slot_of[q]):
                    before = self.delegate_gaps(d)
                    old = self.remove(r)
                    best, best_gaps = old, before
                    for s in bits(self.free_mask(r) & ~(1 << old)):
                        self.place(r, s)
                        gaps = self.delegate_gaps(d)
                        self.remove(r)
                        if gaps < best_gaps:
                            best, best_gaps = s, gaps
                    self.place(r, best)
                    moved = moved or best != old
            self.journal.clear()
            if not moved or time.monotonic() > until:
                break
