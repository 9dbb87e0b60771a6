"""The exhibitor's dashboard: one summary of its stands, staff, demos and meetings."""

from __future__ import annotations

from dataclasses import dataclass, field

from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor, Stand
from expo_app.exhibitors.services.demos import demo_requests_of
from expo_app.exhibitors.services.meetings import matchmaking_summary
from expo_app.exhibitors.services.staff import badge_allowance, badges_used
from expo_app.exhibitors.services.stands import held_stands


@dataclass
class Summary:
    """What the dashboard's cards count; all empty until the company is approved."""

    stands: list[Stand] = field(default_factory=list)
    staff: int = 0
    allowance: int = 0
    demos: int = 0
    incoming: int = 0
    meetings: int = 0


def dashboard_summary(exhibitor: Exhibitor, event: Event) -> Summary:
    if not exhibitor.is_approved:
        return Summary()
    return Summary(
        stands=held_stands(exhibitor),
        staff=badges_used(exhibitor),
        allowance=badge_allowance(exhibitor, event),
        demos=len(demo_requests_of(exhibitor)),
        **matchmaking_summary(exhibitor),
    )
