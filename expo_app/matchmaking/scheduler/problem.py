"""The scheduler's plain data: what goes in (a Problem) and what comes out (a Plan)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

Id = Hashable

# Why a request was not placed. The last three describe the final plan: in every slot
# where both parties are available and the delegate is still free, the exhibitor is at
# capacity (exhibitor_full), or, where it has room, no table is left (no_table).
NOT_ACCEPTED = "not_accepted"
NOT_ACCREDITED = "not_accredited"
NO_COMMON_FREE_SLOT = "no_common_free_slot"
EXHIBITOR_FULL = "exhibitor_full"
NO_TABLE = "no_table"
REASONS = (NOT_ACCEPTED, NOT_ACCREDITED, NO_COMMON_FREE_SLOT, EXHIBITOR_FULL, NO_TABLE)


@dataclass(frozen=True)
class SlotSpec:
    """A meeting slot; `day` groups slots into days (any comparable value, e.g. a date)."""

    id: Id
    day: Hashable = 0
    label: str = ""


@dataclass(frozen=True)
class ExhibitorSpec:
    id: Id
    capacity: int = 1
    unavailable: frozenset = frozenset()
    label: str = ""


@dataclass(frozen=True)
class DelegateSpec:
    id: Id
    approved: bool = True
    unavailable: frozenset = frozenset()
    label: str = ""


@dataclass(frozen=True)
class RequestSpec:
    id: Id
    delegate: Id
    exhibitor: Id
    priority: int = 1
    status: str = "accepted"
    label: str = ""


@dataclass(frozen=True)
class FixedMeeting:
    """A meeting already booked: kept as it is, and it takes its places."""

    request: Id
    delegate: Id
    exhibitor: Id
    slot: Id
    table: Id | None = None


@dataclass(frozen=True)
class Problem:
    """Slots in time order; with no tables, meetings are held at the stands."""

    slots: tuple[SlotSpec, ...]
    exhibitors: tuple[ExhibitorSpec, ...]
    delegates: tuple[DelegateSpec, ...]
    requests: tuple[RequestSpec, ...]
    tables: tuple[Id, ...] = ()
    fixed: tuple[FixedMeeting, ...] = ()


@dataclass(frozen=True)
class Placement:
    request: Id
    slot: Id
    table: Id | None


@dataclass(frozen=True)
class Unplaced:
    request: Id
    reason: str


@dataclass(frozen=True)
class PlanStats:
    requests: int  # requests given, fixed ones aside
    schedulable: int  # accepted, accredited, with at least one possible slot
    seconds: float
    bound_exhibitors: int  # exhibitor capacities and tables alone allow no more
    bound_delegates: int  # delegates' free slots and tables alone allow no more
    bound_priced: int  # the exhibitors' side with delegates' meeting counts priced in
    greedy_weight: int  # after the first placement pass, before improvement
    improvements: int  # successful moves of the improvement phase
    delegate_gaps: int  # idle slots between a delegate's first and last meeting of a day
    table_changes: int  # times an exhibitor moves to another table within a day
    timed_out: bool = False


@dataclass(frozen=True)
class Plan:
    placed: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    weight: int  # sum of the priorities placed
    upper_bound: int  # no plan can place more weight than this
    stats: PlanStats = field(compare=False)

    @property
    def ratio(self) -> float:
        """Weight placed over the upper bound: 1.0 is provably optimal."""
        return self.weight / self.upper_bound if self.upper_bound else 1.0
