"""The vetting rules: a participant gives an identity document; the event's security
officers read it (each reading audited) and clear, refuse or ask for more; with vetting
on, Participant.is_accredited needs their clearance as well as the organiser's approval.
The organiser sees the verdict, never the document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from expo_app.audit.services import record
from expo_app.delegations.models import Participant
from expo_app.errors import DomainError
from expo_app.events.models import Event
from expo_app.extensions import db
from expo_app.images import ImageRefused, check_pixels
from expo_app.modelkit import utcnow
from expo_app.vetting.models import DocumentKind, IdentityDocument, Vetting
from expo_app.vetting.sealing import seal, seal_bytes, unseal, unseal_bytes

DOCUMENT_NUMBER = re.compile(r"^[A-Z0-9]{4,20}$")
OLDEST_BIRTH_YEAR = 1900
MAX_REASON_LENGTH = 1000
SCAN_MAX_MB = 5
# What a scan may be, known by its first bytes.
SCAN_SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}


class VettingError(DomainError):
    status = 422


@dataclass(frozen=True)
class DocumentDetails:
    kind: str
    number: str
    issuing_country: str
    expires_on: date | None
    birth_date: date | None
    scan: bytes | None = None  # the uploaded file, if any


@dataclass(frozen=True)
class OpenedDocument:
    """A document as a security officer reads it (after unsealing)."""

    document: IdentityDocument
    number: str
    birth_date: date


def normalised_number(number: str) -> str:
    return re.sub(r"[\s-]", "", number or "").upper()


def check_document(details: DocumentDetails) -> tuple[str, str | None]:
    """Judge a document before anything is written (the registration form asks this
    before it registers anyone): its normalised number and its scan's type, or a
    VettingError with the field."""
    number = normalised_number(details.number)
    if details.kind not in DocumentKind.values():
        raise VettingError(_l("Choose the kind of document."), field="kind")
    if not DOCUMENT_NUMBER.match(number):
        raise VettingError(_l("A document number has 4 to 20 letters and digits."), field="number")
    if not details.issuing_country or len(details.issuing_country) != 2:
        raise VettingError(_l("Choose the issuing country."), field="issuing_country")
    if details.expires_on is None:
        raise VettingError(_l("Give the expiry date."), field="expires_on")
    today = date.today()
    if details.birth_date is None or not (
        date(OLDEST_BIRTH_YEAR, 1, 1) <= details.birth_date < today
    ):
        raise VettingError(_l("Give a date of birth in the past."), field="birth_date")
    if details.expires_on < today:
        raise VettingError(_l("This document has expired."), field="expires_on")
    scan_type = scan_type_of(details.scan) if details.scan else None
    return number, scan_type


def submit_document(person: Participant, details: DocumentDetails) -> list[str]:
    """Record (or replace) the person's document; a new or changed document goes back
    to the vetting queue. Returns warnings to show (a document that expires before the
    event ends); raises VettingError, with the field, for what cannot be stored."""
    number, scan_type = check_document(details)
    document = person.identity_document
    if document is None:
        document = IdentityDocument(participant_id=person.id)
        db.session.add(document)
        person.identity_document = document
    document.kind = details.kind
    document.number_sealed = seal(number)
    document.birth_date_sealed = seal(details.birth_date.isoformat())
    document.issuing_country = details.issuing_country.upper()
    document.expires_on = details.expires_on
    # A new submission is a new document: its scan, or none (never the last one's).
    document.scan_sealed = seal_bytes(details.scan) if scan_type else None
    document.scan_type = scan_type
    document.vetting = Vetting.PENDING
    document.vetted_by_id = None
    document.vetted_at = None
    document.updated_at = utcnow()
    db.session.flush()
    # The audit keeps what happened, never the document's contents.
    record("identity.submitted", person, after={"kind": details.kind})
    warnings = []
    if details.expires_on < person.event.end_date:
        warnings.append(
            _l("Your document expires before the event ends: bring one valid for your stay.")
        )
    return [str(warning) for warning in warnings]


def scan_type_of(data: bytes) -> str:
    """The type of an uploaded scan, from its first bytes; VettingError next to the field
    for a file that is too large, of another kind, or unreadable."""
    if len(data) > SCAN_MAX_MB * 1024 * 1024:
        raise VettingError(
            _l("The scan is too large: at most %(size)d MB.", size=SCAN_MAX_MB), field="scan"
        )
    kind = next((kind for magic, kind in SCAN_SIGNATURES.items() if data.startswith(magic)), None)
    if kind is None:
        raise VettingError(_l("The scan must be a JPEG or PNG image or a PDF file."), field="scan")
    if kind == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise VettingError(_l("This PDF file is incomplete or damaged."), field="scan")
    else:
        try:
            check_pixels(data, field="scan")
        except ImageRefused as refused:
            raise VettingError(refused.message, field="scan") from None
    return kind


def open_scan(person: Participant, *, by) -> tuple[bytes, str]:
    """The unsealed scan and its type for a security officer; every opening is audited."""
    document = person.identity_document
    if document is None or document.scan_sealed is None:
        raise VettingError(_l("This person has not given a scan of the document."))
    record("identity.scan_viewed", person, after={"viewer": by.id}, user_id=by.id)
    return unseal_bytes(document.scan_sealed), document.scan_type


def vetting_queue(event: Event) -> list[Participant]:
    """People of the event who gave a document: waiting ones first, then by name."""
    people = db.session.execute(
        select(Participant)
        .join(IdentityDocument)
        .where(Participant.event_id == event.id)
        .options(joinedload(Participant.identity_document), joinedload(Participant.delegation))
    ).scalars()
    order = {Vetting.PENDING: 0, Vetting.MORE_INFO: 1, Vetting.REFUSED: 2, Vetting.CLEARED: 3}
    return sorted(
        people, key=lambda p: (order[Vetting(p.identity_document.vetting)], p.name.casefold())
    )


def open_document(person: Participant, *, by) -> OpenedDocument:
    """The unsealed document for a security officer; every reading is audited."""
    document = person.identity_document
    if document is None:
        raise VettingError(_l("This person has not given an identity document."))
    opened = OpenedDocument(
        document,
        unseal(document.number_sealed),
        date.fromisoformat(unseal(document.birth_date_sealed)),
    )
    record("identity.viewed", person, after={"viewer": by.id}, user_id=by.id)
    return opened


def decide(person: Participant, verdict: str, reason: str | None, *, by) -> None:
    """A security officer's verdict; refusing or asking for more needs a reason, which
    the person sees."""
    document = person.identity_document
    if document is None:
        raise VettingError(_l("This person has not given an identity document."))
    if verdict not in (Vetting.CLEARED, Vetting.REFUSED, Vetting.MORE_INFO):
        raise VettingError(_l("Choose a verdict."), field="verdict")
    reason = (reason or "").strip() or None
    if verdict != Vetting.CLEARED and reason is None:
        raise VettingError(_l("Say why: the person sees this reason."), field="reason")
    if reason is not None and len(reason) > MAX_REASON_LENGTH:
        raise VettingError(_l("The reason is too long."), field="reason")
    before = {"vetting": document.vetting}
    document.vetting = verdict
    document.vetting_reason = reason if verdict != Vetting.CLEARED else None
    document.vetted_by_id = by.id
    document.vetted_at = utcnow()
    db.session.flush()
    record("vetting.decided", person, before=before, after={"vetting": verdict}, user_id=by.id)


def set_vetting_required(event: Event, required: bool) -> None:
    if event.security_vetting != required:
        record(
            "event.security_vetting",
            event,
            event_id=event.id,
            before={"security_vetting": event.security_vetting},
            after={"security_vetting": required},
        )
        event.security_vetting = required
        db.session.flush()


def set_retention(event: Event, days: int | None) -> None:
    if event.retention_days != days:
        record(
            "event.retention",
            event,
            event_id=event.id,
            before={"retention_days": event.retention_days},
            after={"retention_days": days},
        )
        event.retention_days = days
        db.session.flush()


def vetting_status(person: Participant) -> str:
    """What the organiser (and the person) may know: the verdict's label, no document."""
    document = person.identity_document
    if document is None:
        return str(_l("No identity document given"))
    return document.vetting_label
