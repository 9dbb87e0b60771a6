"""Exhibitors (companies, armies, institutions) and the stands of the floor plan."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expo_app.extensions import db
from expo_app.links import linkable
from expo_app.modelkit import Choice, choice_check, set_labels, utcnow

if TYPE_CHECKING:
    from expo_app.delegations.models import Delegation
    from expo_app.events.models import Event, EventSession, Location


class StandStatus(Choice):
    AVAILABLE = "available"
    RESERVED = "reserved"  # held by an exhibitor, waiting for the organiser
    CONFIRMED = "confirmed"


class Approval(Choice):
    """The organiser's decision on an exhibitor's registration."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class DemoStatus(Choice):
    PENDING = "pending"
    PLACED = "placed"  # has a session on a demo day
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


set_labels(
    StandStatus,
    {"available": _l("Available"), "reserved": _l("Reserved"), "confirmed": _l("Confirmed")},
)
set_labels(
    Approval,
    {"pending": _l("Waiting for approval"), "approved": _l("Approved"), "rejected": _l("Refused")},
)
set_labels(
    DemoStatus,
    {
        "pending": _l("Waiting for a time"),
        "placed": _l("Placed"),
        "declined": _l("Declined"),
        "withdrawn": _l("Withdrawn"),
    },
)

STAND_STATUSES = StandStatus.values()
EXHIBITOR_APPROVALS = Approval.values()
DEMO_REQUEST_STATUSES = DemoStatus.values()


def description_in(entry: Any, language: str | None) -> str | None:
    """An exhibitor's description in the reader's language where one was written (French
    today), else the main one: one rule for the pages, the profile preview and the PDF."""
    if language and str(language).startswith("fr") and getattr(entry, "description_fr", None):
        return entry.description_fr
    return entry.description


class Exhibitor(db.Model):
    """A company or institution exhibiting at one event."""

    __tablename__ = "exhibitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    description: Mapped[str | None] = mapped_column(Text)
    description_fr: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(300))
    # Parallel meetings it can hold in one slot; meetings copy it to enforce the limit.
    meeting_capacity: Mapped[int] = mapped_column(Integer, default=1)
    approval: Mapped[str] = mapped_column(String(10), default="approved")
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    # File name of the re-encoded logo inside the instance folder's logos/ directory.
    logo_path: Mapped[str | None] = mapped_column(String(255))
    # What the organiser said when approving or rejecting the registration.
    review_note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    sectors: Mapped[list[ExhibitorSector]] = relationship(
        back_populates="exhibitor",
        order_by="ExhibitorSector.position",
        cascade="all, delete-orphan",
    )
    stands: Mapped[list[Stand]] = relationship(back_populates="exhibitor", order_by="Stand.ref")

    __table_args__ = (
        UniqueConstraint("event_id", "ref"),
        UniqueConstraint("event_id", "user_id"),
        # Target of the meetings' (exhibitor_id, exhibitor_capacity) foreign key.
        UniqueConstraint("id", "meeting_capacity"),
        CheckConstraint("meeting_capacity >= 1", name="capacity_at_least_one"),
        choice_check("approval", EXHIBITOR_APPROVALS),
    )

    @property
    def sector_names(self) -> list[str]:
        return [sector.name for sector in self.sectors]

    @property
    def web_link(self) -> str | None:
        """The website as an href, or None: a value stored before the URL rule that does
        not pass it is shown as text, never linked."""
        return linkable(self.website)

    @hybrid_property
    def is_approved(self) -> bool:
        """Approved by the organiser: listed, books a stand, has staff, demos and meetings."""
        return self.approval == Approval.APPROVED

    @is_approved.inplace.expression
    @classmethod
    def _is_approved_sql(cls):
        return cls.approval == Approval.APPROVED.value

    @property
    def is_refused(self) -> bool:
        return self.approval == Approval.REJECTED

    @property
    def is_awaiting_approval(self) -> bool:
        return self.approval == Approval.PENDING

    @property
    def approval_label(self) -> str:
        return Approval.label_of(self.approval)

    def description_in(self, language: str | None) -> str | None:
        return description_in(self, language)


class ExhibitorSector(db.Model):
    """One sector an exhibitor works in (UAVs, radar...), in the exhibitor's own order."""

    __tablename__ = "exhibitor_sectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100), index=True)

    exhibitor: Mapped[Exhibitor] = relationship(back_populates="sectors")

    __table_args__ = (UniqueConstraint("exhibitor_id", "name"),)


class Stand(db.Model):
    """A stand on the floor plan; at most one exhibitor holds it (one column, never two)."""

    __tablename__ = "stands"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))  # the stand code people see, e.g. "A-01"
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    width_m: Mapped[float] = mapped_column(Float)
    depth_m: Mapped[float] = mapped_column(Float)
    x_m: Mapped[float | None] = mapped_column(Float)
    y_m: Mapped[float | None] = mapped_column(Float)
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    # No ON DELETE SET NULL: an exhibitor's stands are released (status too) before it goes.
    exhibitor_id: Mapped[int | None] = mapped_column(ForeignKey("exhibitors.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="available")
    held_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    location: Mapped[Location] = relationship()
    exhibitor: Mapped[Exhibitor | None] = relationship(back_populates="stands")

    __table_args__ = (
        UniqueConstraint("event_id", "ref"),
        choice_check("status", STAND_STATUSES),
        # A free stand has no holder; a reserved or confirmed one has exactly one.
        CheckConstraint(
            "(status = 'available' AND exhibitor_id IS NULL)"
            " OR (status <> 'available' AND exhibitor_id IS NOT NULL)",
            name="holder_matches_status",
        ),
        CheckConstraint("width_m > 0 AND depth_m > 0", name="positive_size"),
        CheckConstraint("price IS NULL OR price >= 0", name="price_not_negative"),
    )
    __mapper_args__ = {"version_id_col": version}

    @hybrid_property
    def is_available(self) -> bool:
        return self.status == StandStatus.AVAILABLE

    @is_available.inplace.expression
    @classmethod
    def _is_available_sql(cls):
        return cls.status == StandStatus.AVAILABLE.value

    @property
    def is_reserved(self) -> bool:
        return self.status == StandStatus.RESERVED

    @property
    def is_confirmed(self) -> bool:
        return self.status == StandStatus.CONFIRMED

    @property
    def status_label(self) -> str:
        return StandStatus.label_of(self.status)

    @property
    def area_m2(self) -> float:
        return self.width_m * self.depth_m


demo_allowed_delegations = Table(
    "demo_allowed_delegations",
    db.metadata,
    Column(
        "demo_request_id",
        ForeignKey("demo_requests.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("delegation_id", ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True),
)


class DemoRequest(db.Model):
    """An exhibitor's wish for a slot in the demo zone; the organiser places it as a session.

    Export-controlled demos name who may attend: delegations and/or countries. With
    both lists empty the demo is open to every accredited participant.
    """

    __tablename__ = "demo_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    exhibitor_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    duration_min: Mapped[int] = mapped_column(Integer)
    equipment: Mapped[str | None] = mapped_column(Text)
    preferred_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Exhibitor (withdraw) and organiser (place) may act at once: the loser is told.
    version: Mapped[int] = mapped_column(Integer, default=1)

    exhibitor: Mapped[Exhibitor] = relationship()
    session: Mapped[EventSession | None] = relationship()
    allowed_delegations: Mapped[list[Delegation]] = relationship(
        secondary=demo_allowed_delegations, order_by="Delegation.name"
    )
    allowed_countries: Mapped[list[DemoAllowedCountry]] = relationship(
        order_by="DemoAllowedCountry.country", cascade="all, delete-orphan"
    )

    __table_args__ = (
        choice_check("status", DEMO_REQUEST_STATUSES),
        CheckConstraint("duration_min BETWEEN 5 AND 480", name="duration_range"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def country_codes(self) -> list[str]:
        return [allowed.country for allowed in self.allowed_countries]

    @property
    def restricted(self) -> bool:
        return bool(self.allowed_delegations or self.allowed_countries)

    @property
    def is_pending(self) -> bool:
        """Waiting for the organiser to give it a time: the exhibitor may still withdraw it."""
        return self.status == DemoStatus.PENDING

    @property
    def is_placed(self) -> bool:
        return self.status == DemoStatus.PLACED

    @property
    def status_label(self) -> str:
        return DemoStatus.label_of(self.status)


class DemoAllowedCountry(db.Model):
    """A country whose delegates may attend an export-controlled demo."""

    __tablename__ = "demo_allowed_countries"

    demo_request_id: Mapped[int] = mapped_column(
        ForeignKey("demo_requests.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
