"""Each event's badge signing key, and the log of every scan at the gates."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expo_app.extensions import db
from expo_app.modelkit import Choice, choice_check, set_labels, utcnow

if TYPE_CHECKING:
    from expo_app.delegations.models import Participant
    from expo_app.events.models import Location


class ScanDirection(Choice):
    """Which way a badge crosses a gate: leaving only needs a genuine, current badge."""

    ENTRY = "entry"
    EXIT = "exit"


class ScanResult(Choice):
    ADMIT = "admit"
    REFUSE = "refuse"


class BadgeCategory(Choice):
    """Who the holder is, by the colour band of the badge."""

    VIP = "vip"
    DELEGATION = "delegation"
    EXHIBITOR = "exhibitor"
    PRESS = "press"
    ORGANISER = "organiser"
    SECURITY = "security"  # its band is ready for a security role


class GateReason(Choice):
    """Why a gate admitted or refused a scan (stored with the scan; "ok" admits)."""

    OK = "ok"
    MALFORMED = "malformed"
    FORGED = "forged"
    WRONG_EVENT = "wrong_event"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    NOT_ACCREDITED = "not_accredited"
    NOT_TODAY = "not_today"
    WRONG_ZONE = "wrong_zone"
    DEMO_RESTRICTED = "demo_restricted"


set_labels(
    GateReason,
    {
        "ok": _l("Valid badge."),
        "malformed": _l("Not a badge code: it could not be read."),
        "forged": _l("Forged or altered: the signature does not match."),
        "wrong_event": _l("This badge is for another event."),
        "unknown": _l("Unknown person: nobody at this event has this badge."),
        "revoked": _l("Revoked: a newer badge was issued to this person."),
        "not_accredited": _l("Accreditation withdrawn: this person is no longer approved."),
        "not_today": _l("Not valid today."),
        "wrong_zone": _l("Wrong zone: this badge does not give access here."),
        "demo_restricted": _l(
            "Not admitted to the demonstration on now: its exhibitor restricts who may watch."
        ),
    },
)
set_labels(ScanDirection, {"entry": _l("Entry"), "exit": _l("Exit")})
set_labels(ScanResult, {"admit": _l("ADMIT"), "refuse": _l("REFUSE")})
set_labels(
    BadgeCategory,
    {
        "vip": _l("VIP"),
        "delegation": _l("Delegation"),
        "exhibitor": _l("Exhibitor"),
        "press": _l("Press"),
        "organiser": _l("Organiser"),
        "security": _l("Security"),
    },
)

SCAN_DIRECTIONS = ScanDirection.values()
SCAN_RESULTS = ScanResult.values()


class BadgeKey(db.Model):
    """The Ed25519 key an event signs its badge codes with.

    The private key is stored as encrypted PKCS#8 (its password derived from the
    app's SECRET_KEY), so a copy of the database alone cannot forge badges; the
    public key is in the clear, for anyone who verifies codes offline.
    """

    __tablename__ = "badge_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    # Hex of the first 4 bytes of SHA-256 of the raw public key; printed inside every code.
    key_id: Mapped[str] = mapped_column(String(8), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    private_key_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class BadgeScan(db.Model):
    """One scan at a gate: who (if the code was genuine), where, which way, and the verdict."""

    __tablename__ = "badge_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    # None: the venue's main entrance; else the restricted location the gate guards.
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    # None when the code was not genuine (a forged code names nobody we can trust).
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    badge_version: Mapped[int | None] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(5))
    result: Mapped[str] = mapped_column(String(6))
    reason: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    participant: Mapped[Participant | None] = relationship()
    location: Mapped[Location | None] = relationship()

    __table_args__ = (
        Index("ix_badge_scans_event_at", "event_id", "at"),
        choice_check("direction", SCAN_DIRECTIONS),
        choice_check("result", SCAN_RESULTS),
    )
