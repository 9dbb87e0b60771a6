"""Imports every model so SQLAlchemy and Alembic see the whole schema at once."""

from expo_app.accounts.models import EventOrganiser, User
from expo_app.audit.models import AuditEntry
from expo_app.badges.models import BadgeKey, BadgeScan
from expo_app.delegations.models import (
    Delegation,
    FollowedSession,
    Participant,
    ParticipantZone,
)
from expo_app.events.models import Event, EventDay, EventSession, Location
from expo_app.exhibitors.models import (
    DemoAllowedCountry,
    DemoRequest,
    Exhibitor,
    ExhibitorSector,
    Stand,
)
from expo_app.matchmaking.models import (
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    Unavailability,
)
from expo_app.vetting.models import IdentityDocument
from expo_app.web.once import FormSubmission

__all__ = [
    "AuditEntry",
    "IdentityDocument",
    "BadgeKey",
    "BadgeScan",
    "Delegation",
    "DemoAllowedCountry",
    "DemoRequest",
    "Event",
    "EventDay",
    "EventOrganiser",
    "EventSession",
    "Exhibitor",
    "ExhibitorSector",
    "FollowedSession",
    "FormSubmission",
    "Location",
    "Meeting",
    "MeetingRequest",
    "MeetingSlot",
    "MeetingTable",
    "Participant",
    "ParticipantZone",
    "Stand",
    "Unavailability",
    "User",
]
