"""The event itself, its days, its locations and its programme sessions."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expo_app.extensions import db
from expo_app.links import linkable
from expo_app.modelkit import Choice, choice_check, set_labels, utcnow

if TYPE_CHECKING:
    from expo_app.exhibitors.models import Exhibitor


class DayKind(Choice):
    """What happens on a day of the event."""

    STATIC_DISPLAY = "static_display"
    MATCHMAKING = "matchmaking"
    DEMO = "demo"


class LocationKind(Choice):
    HALL = "hall"
    OUTDOOR = "outdoor"
    DEMO_ZONE = "demo_zone"
    MEETING_AREA = "meeting_area"
    CEREMONY = "ceremony"
    OTHER = "other"


class SessionKind(Choice):
    CEREMONY = "ceremony"
    STATIC_DISPLAY = "static_display"
    MATCHMAKING = "matchmaking"
    DEMO = "demo"
    CONFERENCE = "conference"
    OTHER = "other"


_ACTIVITY_LABELS = {
    "static_display": _l("Static display"),
    "matchmaking": _l("Business matchmaking"),
    "demo": _l("Live demonstrations"),
    "ceremony": _l("Ceremony"),
    "conference": _l("Conference"),
    "other": _l("Other"),
}
set_labels(DayKind, {kind: _ACTIVITY_LABELS[kind] for kind in DayKind.values()})
set_labels(SessionKind, _ACTIVITY_LABELS)
set_labels(
    LocationKind,
    {
        "hall": _l("Exhibition hall"),
        "outdoor": _l("Outdoor area"),
        "demo_zone": _l("Demo zone"),
        "meeting_area": _l("Meeting area"),
        "ceremony": _l("Ceremony hall"),
        "other": _l("Other"),
    },
)

DAY_KINDS = DayKind.values()
LOCATION_KINDS = LocationKind.values()
SESSION_KINDS = SessionKind.values()


class Event(db.Model):
    """One expo; an installation holds many, each under /e/<slug>/."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    venue: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    theme: Mapped[str | None] = mapped_column(String(300))
    organiser: Mapped[str | None] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(300))
    # Settings the organiser tunes; not part of expo-event/1.
    request_expiry_hours: Mapped[int | None] = mapped_column(Integer)
    staff_badges_per_9m2: Mapped[int] = mapped_column(Integer, default=2)
    # Host-nation security vetting: when on, a badge needs the security officers'
    # clearance as well as the organiser's approval (expo_app.vetting).
    security_vetting: Mapped[bool] = mapped_column(Boolean, default=False)
    # Identity documents and photos are kept this many days after the event ends, then
    # `expo purge-personal-data` erases them (None: 30 days).
    retention_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    days: Mapped[list[EventDay]] = relationship(
        back_populates="event",
        order_by="EventDay.date",
        cascade="all, delete-orphan",
        passive_deletes=True,  # deleting an event: the database's ON DELETE CASCADE does it
    )
    locations: Mapped[list[Location]] = relationship(
        back_populates="event",
        order_by="Location.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (CheckConstraint("end_date >= start_date", name="dates_ordered"),)

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"

    @property
    def web_link(self) -> str | None:
        """The website as an href, or None when it does not pass the URL rule (show text)."""
        return linkable(self.website)


class EventDay(db.Model):
    """A day of the event and what happens on it (static display, matchmaking, demo)."""

    __tablename__ = "event_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date)
    # Comma-separated, in the order the organiser gave them (round-trips exactly).
    kinds_csv: Mapped[str] = mapped_column("kinds", String(64))
    opens: Mapped[time | None] = mapped_column(Time)
    closes: Mapped[time | None] = mapped_column(Time)

    event: Mapped[Event] = relationship(back_populates="days")

    __table_args__ = (
        UniqueConstraint("event_id", "date"),
        CheckConstraint("kinds <> ''", name="has_kind"),
    )

    @property
    def kinds(self) -> list[str]:
        return [kind for kind in self.kinds_csv.split(",") if kind]

    @kinds.setter
    def kinds(self, values: list[str]) -> None:
        self.kinds_csv = ",".join(values)

    def has_kind(self, kind: str) -> bool:
        return kind in self.kinds


class Location(db.Model):
    """A hall, outdoor area, demo zone, meeting area or ceremony hall."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    capacity: Mapped[int | None] = mapped_column(Integer)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)

    event: Mapped[Event] = relationship(back_populates="locations")

    __table_args__ = (
        UniqueConstraint("event_id", "ref"),
        choice_check("kind", LOCATION_KINDS),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_positive"),
    )


class EventSession(db.Model):
    """A slot of the programme in one location: ceremony, display, matchmaking, demo..."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime] = mapped_column(DateTime)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    exhibitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="SET NULL"), index=True
    )
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Bumped on every edit so two organisers never overwrite each other silently.
    version: Mapped[int] = mapped_column(Integer, default=1)

    location: Mapped[Location] = relationship()
    exhibitor: Mapped[Exhibitor | None] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "ref"),
        choice_check("kind", SESSION_KINDS),
        CheckConstraint('"end" > start', name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_positive"),
        # The target of the followers' copy of the capacity (seats within it).
        Index("uq_sessions_id_capacity", "id", "capacity", unique=True),
    )
    __mapper_args__ = {"version_id_col": version}
