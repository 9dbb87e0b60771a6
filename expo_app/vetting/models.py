"""A participant's identity document, the security officers' verdict on it, and the
visa invitation letters issued on the strength of both."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expo_app.extensions import db
from expo_app.modelkit import Choice, choice_check, set_labels, utcnow


class Vetting(Choice):
    """The host nation's security verdict, apart from the organiser's approval."""

    PENDING = "pending"
    CLEARED = "cleared"
    REFUSED = "refused"
    MORE_INFO = "more_info"


set_labels(
    Vetting,
    {
        "pending": _l("Waiting for security vetting"),
        "cleared": _l("Cleared by security"),
        "refused": _l("Refused by security"),
        "more_info": _l("Security needs more information"),
    },
)


class DocumentKind(Choice):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"


set_labels(DocumentKind, {"passport": _l("Passport"), "national_id": _l("National identity card")})


class IdentityDocument(db.Model):
    """One document per participant. The number, the date of birth and the scan are
    sealed (expo_app.vetting.sealing); issuing country and expiry stay readable, for the
    warnings and the queue's order."""

    __tablename__ = "identity_documents"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    number_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    birth_date_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    issuing_country: Mapped[str] = mapped_column(String(2))
    expires_on: Mapped[date] = mapped_column(Date)
    # A scan of the document (JPEG, PNG or PDF), sealed like the number; its type is
    # read from its first bytes, never from its name.
    scan_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    scan_type: Mapped[str | None] = mapped_column(String(20))
    vetting: Mapped[str] = mapped_column(String(10), default=Vetting.PENDING, index=True)
    vetting_reason: Mapped[str | None] = mapped_column(Text)
    vetted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    vetted_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    participant = relationship("Participant", back_populates="identity_document")

    __table_args__ = (
        choice_check("kind", DocumentKind.values()),
        choice_check("vetting", Vetting.values()),
    )

    @property
    def is_cleared(self) -> bool:
        return self.vetting == Vetting.CLEARED

    @property
    def vetting_label(self) -> str:
        return Vetting.label_of(self.vetting)

    @property
    def kind_label(self) -> str:
        return DocumentKind.label_of(self.kind)


class VisaLetter(db.Model):
    """The visa invitation letter issued to a participant: one per person, so downloading
    it again gives the same reference, which a consulate checks on the public page. Only
    the reference and the stay are kept; the PDF is drawn again from the document."""

    __tablename__ = "visa_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True
    )
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    stay_from: Mapped[date] = mapped_column(Date)
    stay_to: Mapped[date] = mapped_column(Date)

    participant = relationship("Participant")

    __table_args__ = (CheckConstraint("stay_to >= stay_from", name="stay_ordered"),)
