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
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expo_app.delegations.models import Accreditation
from expo_app.extensions import db
from expo_app.modelkit import Choice, choice_check, set_labels, utcnow

if TYPE_CHECKING:
    from expo_app.delegations.models import Participant
    from expo_app.events.models import Location
    from expo_app.exhibitors.models import Exhibitor


class RequestStatus(Choice):
    """A meeting request's life: pending until the invited side answers; accepted ones
    wait for a slot (booked by a party or placed by the scheduler); the rest are closed."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Side(Choice):
    """The two sides of a business meeting: who asks, who answers, who acts."""

    DELEGATE = "delegate"
    EXHIBITOR = "exhibitor"

    @property
    def other(self) -> Side:
        return Side.EXHIBITOR if self is Side.DELEGATE else Side.DELEGATE


set_labels(
    RequestStatus,
    {
        "pending": _l("Waiting for an answer"),
        "accepted": _l("Accepted"),
        "declined": _l("Declined"),
        "cancelled": _l("Cancelled"),
        "expired": _l("Expired"),
    },
)
set_labels(Side, {"delegate": _l("Delegate"), "exhibitor": _l("Exhibitor")})

REQUEST_STATUSES = RequestStatus.values()
REQUESTERS = Side.values()
OPEN_STATUSES = (RequestStatus.PENDING.value, RequestStatus.ACCEPTED.value)
CLOSED_STATUSES = tuple(s for s in REQUEST_STATUSES if s not in OPEN_STATUSES)


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

    # --- The request's state, read at the moment of asking ------------------------------
    # An unanswered request whose deadline passed is expired from that moment on, whether
    # or not a job has written 'expired' yet: reads never need to write.

    @hybrid_method
    def state_at(self, now: datetime) -> str:
        if self.status == RequestStatus.PENDING and self.expires_at and self.expires_at <= now:
            return RequestStatus.EXPIRED
        return RequestStatus(self.status)

    @state_at.expression
    @classmethod
    def _state_at_sql(cls, now: datetime):
        return case(
            (
                and_(
                    cls.status == RequestStatus.PENDING.value,
                    cls.expires_at.is_not(None),
                    cls.expires_at <= now,
                ),
                RequestStatus.EXPIRED.value,
            ),
            else_=cls.status,
        )

    @property
    def state(self) -> RequestStatus:
        """The state now (see state_at)."""
        return RequestStatus(self.state_at(utcnow()))

    @property
    def state_label(self) -> str:
        return self.state.label

    @hybrid_method
    def is_open_at(self, now: datetime) -> bool:
        """Pending (and not expired) or accepted: the pair has business in progress."""
        return self.state_at(now) in OPEN_STATUSES

    @is_open_at.expression
    @classmethod
    def _is_open_at_sql(cls, now: datetime):
        return or_(
            cls.status == RequestStatus.ACCEPTED.value,
            and_(
                cls.status == RequestStatus.PENDING.value,
                or_(cls.expires_at.is_(None), cls.expires_at > now),
            ),
        )

    @property
    def is_open(self) -> bool:
        return self.is_open_at(utcnow())

    @property
    def is_pending(self) -> bool:
        return self.state == RequestStatus.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == RequestStatus.ACCEPTED

    @property
    def waits_for_slot(self) -> bool:
        """Accepted, with no meeting yet: a party books it or the scheduler places it."""
        return self.is_accepted and self.meeting is None

    @property
    def invited_side(self) -> Side:
        return Side(self.requested_by).other

    def answerable_by(self, side: str) -> bool:
        """Only the invited side answers, and only while the request is pending."""
        return self.is_pending and side == self.invited_side

    def awaits_answer_from(self, side: str) -> bool:
        """The other side has not answered this side's request yet."""
        return self.is_pending and side == self.requested_by

    def cancellable_by(self, side: str) -> bool:
        """The asking side withdraws its pending request; either side calls off an accepted
        one (its meeting, if any, goes with it). The invited side declines instead."""
        if side not in REQUESTERS:
            return False
        return self.is_accepted or self.awaits_answer_from(side)

    def bookable_by(self, side: str) -> bool:
        """May this side put the request into a slot now? Accepted and without a meeting;
        or pending and this side is the one that would accept it (booking = accepting);
        a delegate may also book instantly on its own pending request, since an exhibitor's
        free slots are open to instant booking. An exhibitor never books on its own
        unanswered invitation: that would be a meeting the delegate never agreed to."""
        if self.meeting is not None or side not in REQUESTERS:
            return False
        if self.is_accepted:
            return True
        if not self.is_pending:
            return False
        return side == Side.DELEGATE or self.answerable_by(side)


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

    @staticmethod
    def row(
        *,
        event_id: int,
        request_id: int,
        delegate_id: int,
        exhibitor_id: int,
        slot_id: int,
        table_id: int | None,
        capacity: int,
        place: int,
        **columns: Any,
    ) -> dict[str, Any]:
        """The column values of a meeting, for bulk inserts (the scheduler's apply step,
        the importer) and for `for_request`: the one place that fills in the copies the
        database checks (accepted request, approved delegate, the exhibitor's capacity).

        `columns` sets any other column (created_at) or, in tests of the database's own
        rules, overrides a copy to see it refused."""
        return {
            "event_id": event_id,
            "request_id": request_id,
            "delegate_id": delegate_id,
            "exhibitor_id": exhibitor_id,
            "slot_id": slot_id,
            "table_id": table_id,
            "request_status": RequestStatus.ACCEPTED.value,
            "delegate_accreditation": Accreditation.APPROVED.value,
            "exhibitor_capacity": capacity,
            "capacity_place": place,
            **columns,
        }

    @classmethod
    def row_for(
        cls,
        request: Any,
        *,
        slot_id: int,
        table_id: int | None,
        capacity: int,
        place: int,
        **columns: Any,
    ) -> dict[str, Any]:
        """`row` for a request (a MeetingRequest, or a result row with its id, event_id,
        delegate_id and exhibitor_id)."""
        return cls.row(
            event_id=request.event_id,
            request_id=request.id,
            delegate_id=request.delegate_id,
            exhibitor_id=request.exhibitor_id,
            slot_id=slot_id,
            table_id=table_id,
            capacity=capacity,
            place=place,
            **columns,
        )

    @classmethod
    def for_request(
        cls,
        request: MeetingRequest,
        slot: MeetingSlot,
        *,
        table_id: int | None,
        capacity: int,
        place: int,
    ) -> Meeting:
        """A new meeting of an accepted request in `slot` (not added to the session)."""
        return cls(
            **cls.row_for(
                request, slot_id=slot.id, table_id=table_id, capacity=capacity, place=place
            )
        )
