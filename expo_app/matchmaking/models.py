"""Matchmaking: slots, tables, who cannot meet when, requests, and the meetings themselves.

The hard rules of a schedule live in the database, not only in Python, so two
requests racing for the same place can never both win:
- a delegate has at most one meeting per slot   (unique slot, delegate)
- a table holds at most one meeting per slot     (unique slot, table)
- an exhibitor holds at most `meeting_capacity` meetings per slot: each meeting
  takes a numbered place 1..capacity (unique slot, exhibitor, place), and the
  capacity is copied into the meeting by a foreign key that follows changes
- a meeting's request is accepted, and has one meeting at most
- only an approved delegate has meetings
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expo_app.extensions import db
from expo_app.modelkit import choice_check, utcnow

if TYPE_CHECKING:
    from expo_app.delegations.models import Participant
    from expo_app.events.models import Location
    from expo_app.exhibitors.models import Exhibitor

REQUEST_STATUSES = ("pending", "accepted", "declined", "cancelled", "expired")
REQUESTERS = ("delegate", "exhibitor")


class MeetingSlot(db.Model):
    """A bookable matchmaking time slot (slots of one event never overlap)."""

    __tablename__ = "meeting_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("event_id", "ref"),
        UniqueConstraint("event_id", "start"),
        CheckConstraint('"end" > start', name="ends_after_start"),
    )


class MeetingTable(db.Model):
    """A shared table in a meeting area."""

    __tablename__ = "meeting_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)

    location: Mapped[Location] = relationship()

    __table_args__ = (UniqueConstraint("event_id", "ref"),)


class Unavailability(db.Model):
    """A slot in which one participant or one exhibitor cannot meet."""

    __tablename__ = "unavailability"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_slots.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    exhibitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="CASCADE"), index=True
    )

    slot: Mapped[MeetingSlot] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(participant_id IS NULL) <> (exhibitor_id IS NULL)", name="exactly_one_party"
        ),
        UniqueConstraint("slot_id", "participant_id"),
        UniqueConstraint("slot_id", "exhibitor_id"),
    )


class MeetingRequest(db.Model):
    """A wish to meet between a delegate and an exhibitor, from either side."""

    __tablename__ = "meeting_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    exhibitor_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="CASCADE"), index=True
    )
    requested_by: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    message: Mapped[str | None] = mapped_column(Text)
    response_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)

    delegate: Mapped[Participant] = relationship()
    exhibitor: Mapped[Exhibitor] = relationship()
    meeting: Mapped[Meeting | None] = relationship(back_populates="request", uselist=False)

    __table_args__ = (
        UniqueConstraint("event_id", "ref"),
        # Target of the meetings' composite foreign key.
        UniqueConstraint("id", "delegate_id", "exhibitor_id", "status"),
        choice_check("status", REQUEST_STATUSES),
        choice_check("requested_by", REQUESTERS),
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority_range"),
    )


class Meeting(db.Model):
    """A scheduled meeting: one accepted request, in one slot, at one table (or the stand)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(unique=True)
    delegate_id: Mapped[int] = mapped_column(index=True)
    exhibitor_id: Mapped[int] = mapped_column(index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("meeting_slots.id"), index=True)
    table_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_tables.id"), index=True)
    # Copies kept in step by ON UPDATE CASCADE foreign keys; the CHECKs below then
    # refuse any change that would break a rule (e.g. a request cancelled while its
    # meeting stands, or a capacity lowered under the meetings already booked).
    request_status: Mapped[str] = mapped_column(String(10), default="accepted")
    delegate_accreditation: Mapped[str] = mapped_column(String(10), default="approved")
    exhibitor_capacity: Mapped[int] = mapped_column(Integer)
    capacity_place: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[MeetingRequest] = relationship(
        back_populates="meeting", foreign_keys=[request_id]
    )
    slot: Mapped[MeetingSlot] = relationship()
    table: Mapped[MeetingTable | None] = relationship()
    delegate: Mapped[Participant] = relationship(
        foreign_keys=[delegate_id],
        primaryjoin="Meeting.delegate_id == Participant.id",
        viewonly=True,
    )
    exhibitor: Mapped[Exhibitor] = relationship(
        foreign_keys=[exhibitor_id],
        primaryjoin="Meeting.exhibitor_id == Exhibitor.id",
        viewonly=True,
    )

    __table_args__ = (
        ForeignKeyConstraint(
            ["request_id", "delegate_id", "exhibitor_id", "request_status"],
            [
                "meeting_requests.id",
                "meeting_requests.delegate_id",
                "meeting_requests.exhibitor_id",
                "meeting_requests.status",
            ],
            onupdate="CASCADE",
            ondelete="CASCADE",
            name="fk_meetings_request",
        ),
        ForeignKeyConstraint(
            ["delegate_id", "delegate_accreditation"],
            ["participants.id", "participants.accreditation"],
            onupdate="CASCADE",
            ondelete="CASCADE",
            name="fk_meetings_delegate",
        ),
        ForeignKeyConstraint(
            ["exhibitor_id", "exhibitor_capacity"],
            ["exhibitors.id", "exhibitors.meeting_capacity"],
            onupdate="CASCADE",
            ondelete="CASCADE",
            name="fk_meetings_exhibitor",
        ),
        UniqueConstraint("slot_id", "delegate_id", name="uq_meetings_delegate_slot"),
        UniqueConstraint("slot_id", "table_id", name="uq_meetings_table_slot"),
        UniqueConstraint(
            "slot_id", "exhibitor_id", "capacity_place", name="uq_meetings_exhibitor_place"
        ),
        CheckConstraint("request_status = 'accepted'", name="request_accepted"),
        CheckConstraint("delegate_accreditation = 'approved'", name="delegate_approved"),
        CheckConstraint(
            "capacity_place >= 1 AND capacity_place <= exhibitor_capacity",
            name="within_capacity",
        ),
    )
