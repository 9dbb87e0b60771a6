"""The organiser workspace under /e/<slug>/manage/: one blueprint, a module per part of
the work. Every page goes through `event_page(ORGANISER)` (organisers of this event only;
one transaction per request, committed by the request path, never here)."""

from expo_app.organiser.views import (  # noqa: F401  (each module adds its routes to bp)
    approvals,
    floor,
    home,
    matchmaking,
    people,
    schedule,
    setup_pages,
    team,
    zones,
)
from expo_app.organiser.views.common import bp

__all__ = ["bp"]
