"""The scheduler's plan as the organiser reads it before applying it: why requests are left
out, in words an organiser can act on (one label per reason, here, not in the template),
and the left-out requests a page at a time. The scheduler itself stays plain Python: it
names its reasons, this module gives them their labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from expo_app.matchmaking import planning
from expo_app.matchmaking.scheduler import problem
from expo_app.modelkit import Choice, set_labels


class UnplacedReason(Choice):
    """Why the scheduler left an accepted or pending request out of its plan."""

    NOT_ACCEPTED = problem.NOT_ACCEPTED
    NOT_ACCREDITED = problem.NOT_ACCREDITED
    NO_COMMON_FREE_SLOT = problem.NO_COMMON_FREE_SLOT
    EXHIBITOR_FULL = problem.EXHIBITOR_FULL
    NO_TABLE = problem.NO_TABLE


set_labels(
    UnplacedReason,
    {
        problem.NOT_ACCEPTED: _l("not accepted yet by the exhibitor"),
        problem.NOT_ACCREDITED: _l("delegate not accredited"),
        problem.NO_COMMON_FREE_SLOT: _l("no common free slot"),
        problem.EXHIBITOR_FULL: _l("exhibitor full in every common slot"),
        problem.NO_TABLE: _l("no table left in the common slots"),
    },
)


@dataclass
class PlanPage:
    """One page of a plan's preview: the figures, and a page of the requests left out."""

    plan: dict[str, Any]
    reasons: list[tuple[str, int]]  # (label, how many requests)
    slot_days: list[tuple[date, list[tuple[datetime, int, int]]]]
    unplaced: list[tuple[str, str, str, int, str]]  # ref, delegate, exhibitor, priority, why
    page: int
    pages: int


def plan_page(plan: dict[str, Any], page: int = 1) -> PlanPage:
    """The preview kept by `planning.run_preview`, ready to show (a page out of range
    shows the last one)."""
    left_out = plan["unplaced"]
    size = planning.UNPLACED_SHOWN
    pages = max(1, -(-len(left_out) // size))
    page = min(max(page, 1), pages)
    start = (page - 1) * size
    return PlanPage(
        plan=plan,
        reasons=[(UnplacedReason.label_of(why), count) for why, count in plan["reasons"].items()],
        slot_days=planning.slots_by_day(plan["slots"]),
        unplaced=[
            (ref, delegate, exhibitor, priority, UnplacedReason.label_of(why))
            for ref, delegate, exhibitor, priority, why in left_out[start : start + size]
        ],
        page=page,
        pages=pages,
    )
