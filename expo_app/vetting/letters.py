"""Visa invitation letters: who may have one (`may_have_letter`, the one rule the portal,
the CLI and the public check page all ask), its reference, the PDF a consulate reads,
and the check of a reference against the holder's last name.

A letter is for a foreign participant the organiser approved and, at an event with
security vetting, security cleared, on the strength of the identity document they gave.
It is issued once: downloading it again gives the same reference. Only the reference
and the stay are stored; the PDF is drawn again each time from the sealed document, and
each drawing is audited like an officer's reading. A letter whose holder no longer
passes the rule reads "no longer valid" on the check page.
"""

from __future__ import annotations

import base64
import io
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, BinaryIO

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from expo_app.audit.services import record
from expo_app.delegations.models import Accreditation, Participant
from expo_app.errors import DomainError
from expo_app.events.models import Event
from expo_app.extensions import db
from expo_app.modelkit import Choice, set_labels
from expo_app.pdf.document import BODY, ExpoDocTemplate
from expo_app.pdf.i18n import country, format_date_range, format_day, pdf_language
from expo_app.pdf.markup import distinct_parts, esc
from expo_app.pdf.styles import styles, table_style
from expo_app.vetting.models import VisaLetter
from expo_app.vetting.sealing import unseal

# Consulates expect the stay to cover the journey: arrival two days before, departure
# two days after.
STAY_MARGIN = timedelta(days=2)
# 8 base32 characters are 40 random bits: with the last name and the check page's
# throttle, far too many to try.
RANDOM_BYTES = 5
MAX_REFERENCE_LENGTH = 32
MAX_NAME_LENGTH = 200


class NoLetter(Choice):
    """Why a person may not have a visa invitation letter (None: they may)."""

    NO_HOST_COUNTRY = "no_host_country"
    HOST_NATIONAL = "host_national"
    NOT_ACCREDITED = "not_accredited"
    NO_DOCUMENT = "no_document"
    NOT_CLEARED = "not_cleared"
    DOCUMENT_EXPIRES = "document_expires"


set_labels(
    NoLetter,
    {
        "no_host_country": _l("The organiser has not given the host country: no visa letters yet."),
        "host_national": _l("No visa letter: participants from the host country need no visa."),
        "not_accredited": _l("Available once the organiser has given the accreditation."),
        "no_document": _l("Available once the identity document is given."),
        "not_cleared": _l("Available once security has cleared the identity document."),
        "document_expires": _l(
            "No visa letter: the identity document expires before the end of the stay."
        ),
    },
)


class LetterRefused(DomainError):
    status = 409


# --------------------------------------------------------------------------- the rule


def stay_of(event: Event) -> tuple[date, date]:
    """The dates of stay a letter gives: the event, with the journey on either side."""
    return event.start_date - STAY_MARGIN, event.end_date + STAY_MARGIN


def nationality(person: Participant) -> str | None:
    """The person's country, else their delegation's, else their document's issuer."""
    if person.country:
        return person.country.upper()
    if person.delegation is not None and person.delegation.country:
        return person.delegation.country.upper()
    document = person.identity_document
    return document.issuing_country.upper() if document is not None else None


def may_have_letter(person: Participant) -> NoLetter | None:
    """Why this person may not have a visa invitation letter, or None when they may:
    foreign (by nationality and by document), approved and (with vetting on) cleared,
    with a document valid until the end of the stay."""
    event = person.event
    host = (event.country or "").upper()
    if not host:
        return NoLetter.NO_HOST_COUNTRY
    document = person.identity_document
    if nationality(person) == host or (document is not None and document.issuing_country == host):
        return NoLetter.HOST_NATIONAL
    if person.accreditation != Accreditation.APPROVED:
        return NoLetter.NOT_ACCREDITED
    if document is None:
        return NoLetter.NO_DOCUMENT
    if not person.is_accredited:  # approved, so: vetting on and not cleared
        return NoLetter.NOT_CLEARED
    if document.expires_on < stay_of(event)[1]:
        return NoLetter.DOCUMENT_EXPIRES
    return None


# --------------------------------------------------------------------------- issuing


def letter_of(person: Participant) -> VisaLetter | None:
    return db.session.execute(
        select(VisaLetter).where(VisaLetter.participant_id == person.id)
    ).scalar_one_or_none()


def reference_prefix(event: Event) -> str:
    """'BAMEX25' for the event 'bamex25': the event is read off the reference."""
    return re.sub(r"[^A-Z0-9]", "", event.slug.upper())[:12] or "EXPO"


def new_reference(event: Event) -> str:
    while True:
        code = base64.b32encode(secrets.token_bytes(RANDOM_BYTES)).decode()
        reference = f"{reference_prefix(event)}-{code}"
        taken = db.session.execute(
            select(VisaLetter.id).where(VisaLetter.reference == reference)
        ).first()
        if taken is None:
            return reference


def issue_letter(person: Participant) -> VisaLetter:
    """The person's letter, issued now unless it was already (then the same reference and
    stay). LetterRefused, with the reason, when the rule says no."""
    refusal = may_have_letter(person)
    if refusal is not None:
        raise LetterRefused(refusal.label)
    letter = letter_of(person)
    if letter is not None:
        return letter
    stay_from, stay_to = stay_of(person.event)
    letter = VisaLetter(
        participant_id=person.id,
        reference=new_reference(person.event),
        stay_from=stay_from,
        stay_to=stay_to,
    )
    try:
        with db.session.begin_nested():
            db.session.add(letter)
            db.session.flush()
    except IntegrityError:
        # Issued from another tab at the same moment: that one is the letter.
        found = letter_of(person)
        if found is None:
            raise
        return found
    record("visa_letter.issued", person, after={"letter_id": letter.id})
    return letter


def letters_due(event: Event) -> list[Participant]:
    """Everyone at the event who may have a letter, by name (the CLI's batch)."""
    people = db.session.execute(
        select(Participant)
        .where(Participant.event_id == event.id)
        .options(selectinload(Participant.identity_document), selectinload(Participant.delegation))
    ).scalars()
    due = [person for person in people if may_have_letter(person) is None]
    return sorted(due, key=lambda person: (person.name.casefold(), person.id))


@dataclass(frozen=True)
class LetterHolder:
    """One person a delegate acts for, on the identity page: their letter or why not."""

    person: Participant
    refusal: NoLetter | None
    letter: VisaLetter | None


def holders(people: list[Participant]) -> list[LetterHolder]:
    """The people acted for with their letter or why not; empty when a letter concerns
    none of them (no host country given, all from the host country), so the page says
    nothing of visas."""
    ids = [p.id for p in people]
    if not ids:
        return []
    # Loaded together: the rule reads each one's document and delegation.
    db.session.execute(
        select(Participant)
        .where(Participant.id.in_(ids))
        .options(selectinload(Participant.identity_document), selectinload(Participant.delegation))
    ).scalars().all()
    letters = {
        letter.participant_id: letter
        for letter in db.session.execute(
            select(VisaLetter).where(VisaLetter.participant_id.in_(ids))
        ).scalars()
    }
    found = [LetterHolder(p, may_have_letter(p), letters.get(p.id)) for p in people]
    unconcerned = (NoLetter.NO_HOST_COUNTRY, NoLetter.HOST_NATIONAL)
    if all(holder.refusal in unconcerned for holder in found):
        return []
    return found


# --------------------------------------------------------------------------- the PDF


def check_address(event: Event) -> str:
    """The check page's address as printed on the letter: absolute in a request (or
    with SERVER_NAME), else the path (the CLI knows no host)."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for("vetting.letter_check", slug=event.slug, _external=True)
    return f"/e/{event.slug}/letters/check"


def letter_pdf(letter: VisaLetter, lang: str, *, by: Any = None) -> bytes:
    """The letter as a PDF in `lang`. The document is unsealed to print it, so each
    drawing is audited (who, which letter), never with the document's contents."""
    person = letter.participant
    document = person.identity_document
    if document is None:
        raise LetterRefused(NoLetter.NO_DOCUMENT.label)
    number = unseal(document.number_sealed)
    birth_date = date.fromisoformat(unseal(document.birth_date_sealed))
    out = io.BytesIO()
    with pdf_language(lang):
        _LetterWriter(letter, number, birth_date, check_address(person.event)).write(out, lang)
    record(
        "visa_letter.printed",
        person,
        after={"letter_id": letter.id},
        user_id=getattr(by, "id", None),
    )
    return out.getvalue()


class _LetterWriter:
    def __init__(self, letter: VisaLetter, number: str, birth_date: date, check_url: str):
        self.letter = letter
        self.person = letter.participant
        self.event = self.person.event
        self.number = number
        self.birth_date = birth_date
        self.check_url = check_url
        self.style = styles()
        body = self.style["body"]
        self.text = ParagraphStyle("letter_text", parent=body, fontSize=10, leading=14)
        self.right = ParagraphStyle("letter_right", parent=self.text, alignment=TA_RIGHT)

    @property
    def organiser(self) -> str:
        return self.event.organiser or self.event.name

    def write(self, out: BinaryIO, lang: str) -> None:
        title = _("Visa invitation letter")
        doc = ExpoDocTemplate(
            out,
            title=f"{self.event.name} — {title} — {self.person.name}",
            running_title=f"{self.event.name} · {title} · {self.letter.reference}",
            page_label=str,
            author=self.organiser,
            subject=title,
            lang=lang,
            first_template=BODY,
        )
        doc.build(self.letterhead() + self.body(title) + self.closing())

    def letterhead(self) -> list[Flowable]:
        event, style = self.event, self.style
        place = ", ".join(p for p in (event.venue, event.city, country(event.country)) if p)
        story: list[Flowable] = [Paragraph(esc(self.organiser), style["h1"])]
        for line in (place, event.website):
            if line:
                story.append(Paragraph(esc(line), style["muted"]))
        return story

    def body(self, title: str) -> list[Flowable]:
        event, person, letter = self.event, self.person, self.letter
        style, text = self.style, self.text
        issued = format_day(letter.issued_at.date(), "long")
        dated = f"{event.city}, {issued}" if event.city else issued
        place = ", ".join(p for p in (event.venue, event.city, country(event.country)) if p)
        invitation = _(
            "%(organiser)s, organiser of %(event)s, held at %(place)s from %(start)s to "
            "%(end)s, invites the person below to take part in it.",
            organiser=self.organiser,
            event=event.name,
            place=place,
            start=format_day(event.start_date, "long"),
            end=format_day(event.end_date, "long"),
        )
        return [
            Spacer(1, 8 * mm),
            Paragraph(esc(dated), self.right),
            Paragraph(esc(_("Reference: %(reference)s", reference=letter.reference)), self.right),
            Spacer(1, 6 * mm),
            Paragraph(esc(title), style["h2"]),
            Paragraph(esc(_("To the consular services concerned,")), text),
            Spacer(1, 3 * mm),
            Paragraph(esc(invitation), text),
            Spacer(1, 3 * mm),
            self.details_table(),
            Spacer(1, 4 * mm),
            Paragraph(
                esc(
                    _(
                        "We kindly ask you to grant %(name)s a visa for the dates of stay above.",
                        name=person.name,
                    )
                ),
                text,
            ),
        ]

    def details_table(self) -> Table:
        event, person, letter = self.event, self.person, self.letter
        document = person.identity_document
        cell, head = self.style["cell"], self.style["cell_bold"]
        affiliation = [person.title, person.organisation]
        if person.delegation is not None:
            affiliation.append(person.delegation.name)
        rows = [
            (_("Name"), person.name),
            (_("Nationality"), country(nationality(person))),
            (_("Date of birth"), format_day(self.birth_date, "long")),
            (_("Document"), document.kind_label),
            (_("Document number"), self.number),
            (_("Issuing country"), country(document.issuing_country)),
            (_("Valid until"), format_day(document.expires_on, "long")),
            (_("Organisation"), " · ".join(distinct_parts(affiliation))),
            (_("Dates of stay"), format_date_range(letter.stay_from, letter.stay_to)),
            (_("Purpose of the visit"), _("Participation in %(event)s", event=event.name)),
        ]
        data = [[Paragraph(esc(k), head), Paragraph(esc(v), cell)] for k, v in rows if v]
        width = 174 * mm
        return Table(data, colWidths=[0.32 * width, 0.68 * width], style=table_style(False))

    def closing(self) -> list[Flowable]:
        text = self.text
        check = _(
            "Check this letter at %(url)s with its reference and the holder's last name.",
            url=self.check_url,
        )
        return [
            Spacer(1, 4 * mm),
            Paragraph(esc(check), self.style["muted"]),
            Spacer(1, 10 * mm),
            Paragraph(esc(_("For the organiser,")), text),
            Paragraph(esc(self.organiser), self.style["bold"]),
        ]


# --------------------------------------------------------------------------- checking


class CheckOutcome(Choice):
    VALID = "valid"
    NO_LONGER_VALID = "no_longer_valid"
    NO_MATCH = "no_match"


set_labels(
    CheckOutcome,
    {
        "valid": _l("Valid letter"),
        "no_longer_valid": _l("No longer valid"),
        "no_match": _l("No letter matches this reference and name."),
    },
)


@dataclass(frozen=True)
class LetterCheck:
    outcome: CheckOutcome
    letter: VisaLetter | None = None

    @property
    def matched(self) -> bool:
        return self.letter is not None


# Letters with no decomposition that people type without their mark.
_PLAIN = str.maketrans(
    {"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ħ": "h", "æ": "ae", "œ": "oe", "ß": "ss"}
)


def name_words(text: str) -> list[str]:
    """'N'Diaye-Traoré' -> ['ndiaye', 'traore']: no case, no accents, no apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_PLAIN))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"['’ʼ`.]", "", plain)
    return [word for word in re.split(r"[\W_]+", plain) if word]


def is_last_name(full_name: str, given: str) -> bool:
    """Whether `given` is the last name in `full_name`: its last words ('Traoré',
    'de la Cruz'), or its first ones when they are written in capitals, as in
    'TRAORÉ Moussa'."""
    wanted, words = name_words(given), name_words(full_name)
    if not wanted or len(wanted) > len(words):
        return False
    if words[-len(wanted) :] == wanted:
        return True
    capitals = []
    for raw in full_name.split():
        if not (raw.isupper() and any(c.isalpha() for c in raw)):
            break
        capitals += name_words(raw)
    return bool(capitals) and capitals == wanted


def normalised_reference(text: str) -> str:
    """'bamex25-abcd 2345' -> 'BAMEX25-ABCD2345'; in the random part (base32, which has
    no 0, 1 or 8) a 0 read for an O, a 1 for an I and an 8 for a B are put right."""
    compact = re.sub(r"\s+", "", text or "").upper()
    prefix, dash, code = compact.rpartition("-")
    if not dash:
        return compact
    return f"{prefix}-{code.translate(str.maketrans('018', 'OIB'))}"


def check_letter(event: Event, reference: str, last_name: str) -> LetterCheck:
    """What the public check page may say: valid or no longer valid for a reference of
    this event with the holder's last name, else NO_MATCH, the same whether the
    reference exists or not."""
    reference = normalised_reference(reference)
    if not reference or len(reference) > MAX_REFERENCE_LENGTH:
        return LetterCheck(CheckOutcome.NO_MATCH)
    letter = db.session.execute(
        select(VisaLetter)
        .join(Participant, Participant.id == VisaLetter.participant_id)
        .where(VisaLetter.reference == reference, Participant.event_id == event.id)
    ).scalar_one_or_none()
    if letter is None or not is_last_name(letter.participant.name, last_name or ""):
        return LetterCheck(CheckOutcome.NO_MATCH)
    if may_have_letter(letter.participant) is not None:
        return LetterCheck(CheckOutcome.NO_LONGER_VALID, letter)
    return LetterCheck(CheckOutcome.VALID, letter)
