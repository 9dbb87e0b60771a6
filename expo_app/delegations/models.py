"""Delegations and every person at the event, with their accreditation and access zones."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    or_,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expo_app.extensions import db
from expo_app.modelkit import Choice, choice_check, set_labels, utcnow

if TYPE_CHECKING:
    from expo_app.events.models import Event, Location
    from expo_app.exhibitors.models import Exhibitor
    from expo_app.vetting.models import IdentityDocument


class DelegationKind(Choice):
    GOVERNMENT = "government"
    MILITARY = "military"
    INDUSTRY = "industry"
    PRESS = "press"
    OTHER = "other"


class ParticipantRole(Choice):
    DELEGATE = "delegate"
    EXHIBITOR_STAFF = "exhibitor_staff"
    ORGANISER = "organiser"
    PRESS = "press"
    VIP = "vip"


class Accreditation(Choice):
    """The organisers' vetting of a person: only an approved one meets, gets a badge."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


set_labels(
    DelegationKind,
    {
        "government": _l("Government"),
        "military": _l("Military"),
        "industry": _l("Industry"),
        "press": _l("Press"),
        "other": _l("Other"),
    },
)
set_labels(
    ParticipantRole,
    {
        "delegate": _l("Delegate"),
        "exhibitor_staff": _l("Exhibitor staff"),
        "organiser": _l("Organiser"),
        "press": _l("Press"),
        "vip": _l("VIP"),
    },
)
set_labels(
    Accreditation,
    {
        "pending": _l("Waiting for accreditation"),
        "approved": _l("Accredited"),
        "rejected": _l("Refused"),
    },
)

DELEGATION_KINDS = DelegationKind.values()
PARTICIPANT_ROLES = ParticipantRole.values()
ACCREDITATIONS = Accreditation.values()
# Who sits on the delegate side of a business meeting: delegates and VIPs. Press,
# exhibitor staff and organisers attend, but do not book B2B meetings. One definition
# for booking, the exhibitor's search, the importer and the scheduler.
MEETING_ROLES = (ParticipantRole.DELEGATE.value, ParticipantRole.VIP.value)
# The badge categories an organiser may give in the accreditation step (the colour band
# follows the role): exhibitor staff and organisers are what they are.
CATEGORY_ROLES = (
    ParticipantRole.DELEGATE.value,
    ParticipantRole.VIP.value,
    ParticipantRole.PRESS.value,
)


class Delegation(db.Model):
    """A national or institutional delegation, led by one of its participants."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str | None] = mapped_column(String(12))
    # use_alter: delegations and participants point at each other.
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", use_alter=True, ondelete="SET NULL"), index=True
    )

    head: Mapped[Participant | None] = relationship(foreign_keys=[head_id], post_update=True)
    members: Mapped[list[Participant]] = relationship(
        back_populates="delegation", foreign_keys="Participant.delegation_id"
    )

    __table_args__ = (
        UniqueConstraint("event_id", "ref"),
        choice_check("kind", DELEGATION_KINDS),
    )


class Participant(db.Model):
    """A person at the event: delegate, exhibitor staff, organiser, press or VIP."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL"), index=True
    )
    exhibitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="CASCADE"), index=True
    )
    accreditation: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Reissuing a badge bumps it, so the old badge's code reads as revoked.
    badge_version: Mapped[int] = mapped_column(Integer, default=1)
    # The re-encoded ID photo for the badge, relative to the upload folder.
    photo_path: Mapped[str | None] = mapped_column(String(255))
    # SHA-256 of the secret in the private calendar (ICS) subscription URL; None = no URL.
    ics_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    delegation: Mapped[Delegation | None] = relationship(
        back_populates="members", foreign_keys=[delegation_id]
    )
    exhibitor: Mapped[Exhibitor | None] = relationship()
    zones: Mapped[list[ParticipantZone]] = relationship(
        order_by="ParticipantZone.position", cascade="all, delete-orphan"
    )
    identity_document: Mapped[IdentityDocument | None] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        UniqueConstraint("event_id", "ref"),
        UniqueConstraint("event_id", "user_id"),
        # Target of the meetings' (delegate_id, delegate_accreditation) foreign key.
        UniqueConstraint("id", "accreditation"),
        choice_check("role", PARTICIPANT_ROLES),
        choice_check("accreditation", ACCREDITATIONS),
        CheckConstraint(
            "role <> 'exhibitor_staff' OR exhibitor_id IS NOT NULL", name="staff_has_exhibitor"
        ),
        # One person per email and event, whatever the letter case.
        Index("uq_participants_event_email", "event_id", func.lower(email), unique=True),
    )

    @property
    def zone_location_ids(self) -> list[int]:
        return [zone.location_id for zone in self.zones]

    @hybrid_property
    def is_accredited(self) -> bool:
        """Approved by the organisers and, at an event with host-nation security vetting,
        cleared by its security officers: meets, gets a badge, passes gates."""
        if self.accreditation != Accreditation.APPROVED:
            return False
        event = self.event
        if event is None and self.event_id is not None:
            from expo_app.events.models import Event

            event = db.session.get(Event, self.event_id)
        if event is None or not event.security_vetting:
            return True
        document = self.identity_document
        return document is not None and document.is_cleared

    @is_accredited.inplace.expression
    @classmethod
    def _is_accredited_sql(cls):
        from expo_app.events.models import Event
        from expo_app.vetting.models import IdentityDocument, Vetting

        vetting_off = (
            select(Event.id)
            .where(Event.id == cls.event_id, Event.security_vetting.is_(False))
            .exists()
        )
        cleared = (
            select(IdentityDocument.participant_id)
            .where(
                IdentityDocument.participant_id == cls.id,
                IdentityDocument.vetting == Vetting.CLEARED.value,
            )
            .exists()
        )
        return and_(cls.accreditation == Accreditation.APPROVED.value, or_(vetting_off, cleared))

    @property
    def is_refused(self) -> bool:
        return self.accreditation == Accreditation.REJECTED

    @property
    def is_awaiting_accreditation(self) -> bool:
        return self.accreditation == Accreditation.PENDING

    @property
    def accreditation_label(self) -> str:
        return Accreditation.label_of(self.accreditation)

    @property
    def has_calendar_link(self) -> bool:
        """A private calendar (ICS) URL exists; it is shown once, so only this is known."""
        return self.ics_token_hash is not None

    @hybrid_property
    def may_meet(self) -> bool:
        """On the delegate side of business meetings (see MEETING_ROLES)."""
        return self.role in MEETING_ROLES

    @may_meet.inplace.expression
    @classmethod
    def _may_meet_sql(cls):
        return cls.role.in_(MEETING_ROLES)


class ParticipantZone(db.Model):
    """A restricted location this participant's badge admits to."""

    __tablename__ = "participant_zones"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    location: Mapped[Location] = relationship()


class FollowedSession(db.Model):
    """A programme session a participant put in their agenda, with their seat in it.

    A session with a capacity has numbered seats 1..capacity; a follower without one is
    on its waitlist, in order of following. The database holds the rule, so two people
    racing for the last seat can never both get it: a seat is unique in its session and
    at most the session's capacity, copied here by a foreign key that follows changes
    (as the exhibitor's capacity is copied into meetings). A session without a capacity
    has no seats and no waitlist (seat and copy both empty).
    """

    __tablename__ = "followed_sessions"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    seat: Mapped[int | None] = mapped_column(Integer)
    session_capacity: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        ForeignKeyConstraint(
            ["session_id", "session_capacity"],
            ["sessions.id", "sessions.capacity"],
            onupdate="CASCADE",
            ondelete="CASCADE",
            name="fk_followed_sessions_capacity",
        ),
        UniqueConstraint("session_id", "seat", name="uq_followed_sessions_seat"),
        CheckConstraint(
            "seat IS NULL OR (session_capacity IS NOT NULL AND seat >= 1"
            " AND seat <= session_capacity)",
            name="seat_within_capacity",
        ),
    )

    @property
    def waitlisted(self) -> bool:
        return self.session_capacity is not None and self.seat is None


class ZoneRule(db.Model):
    """A standing grant of a restricted location and/or a badge category: every approved
    person it matches gets them when the rule is saved, and each one approved later on
    approval ("approved military delegations get DEMO ZONE", "... are VIP").

    It matches by delegation kind, by role, or both (at least one: a zone for everyone
    would not be restricted). Deleting a rule stops it; what it granted stays, as grants.
    """

    __tablename__ = "zone_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str | None] = mapped_column(String(16))  # a role of CATEGORY_ROLES
    delegation_kind: Mapped[str | None] = mapped_column(String(12))
    role: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    location: Mapped[Location | None] = relationship()

    __table_args__ = (
        choice_check("delegation_kind", DELEGATION_KINDS),
        choice_check("role", PARTICIPANT_ROLES),
        choice_check("category", CATEGORY_ROLES),
        CheckConstraint("delegation_kind IS NOT NULL OR role IS NOT NULL", name="names_who"),
        CheckConstraint("location_id IS NOT NULL OR category IS NOT NULL", name="gives_something"),
    )

    def matches(self, participant: Participant) -> bool:
        """Whether this rule grants its zone to this person (approved or not)."""
        delegation = participant.delegation
        if self.delegation_kind is not None and (
            delegation is None or delegation.kind != self.delegation_kind
        ):
            return False
        return self.role is None or participant.role == self.role
