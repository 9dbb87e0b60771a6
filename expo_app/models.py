"""Imports every model so SQLAlchemy and Alembic see the whole schema at once."""

from expo_app.accounts.models import EventOrganiser, User
from expo_app.audit.models import AuditEntry
from expo_app.delegations.models import Delegation, Participant, ParticipantZone
from expo_app.events.models import Event, EventDay, EventSession, Location
from expo_app.exhibitors.models import Exhibitor, ExhibitorSector, Stand
from expo_app.matchmaking.models import (
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    Unavailability,
)

__all__ = [
    "AuditEntry",
    "Delegation",
    "Event",
    "EventDay",
    "EventOrganiser",
    "EventSession",
    "Exhibitor",
    "ExhibitorSector",
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
