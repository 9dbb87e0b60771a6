"""Delegate rules: registration (alone or with a delegation), accreditation, ID photos,
the private calendar link, followed sessions and the agenda PDF."""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from expo_app.accounts.models import User
from expo_app.accounts.services import MIN_PASSWORD_LENGTH, AccountError, create_user
from expo_app.audit.services import record, snapshot
from expo_app.delegations.models import (
    DELEGATION_KINDS,
    Delegation,
    FollowedSession,
    Participant,
)
from expo_app.events.models import Event, EventSession
from expo_app.extensions import db
from expo_app.matchmaking import booking
from expo_app.matchmaking.models import Meeting, MeetingRequest

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MIN_SIDE = 200
PHOTO_MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
PHOTO_BOX = (600, 800)  # re-encoded size limit, plenty for a badge
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


class RegistrationError(ValueError):
    """A problem with what was typed, tied to the form field it belongs to."""

    def __init__(self, field_name: str, message) -> None:
        super().__init__(str(message))
        self.field = field_name
        self.message = message


@dataclass
class PersonDetails:
    name: str
    email: str
    title: str | None = None
    organisation: str | None = None
    country: str | None = None  # nationality, ISO 3166-1 alpha-2
    photo: bytes | None = None  # as uploaded; checked and re-encoded here


@dataclass
class DelegationDetails:
    name: str
    country: str
    kind: str | None = None
    members: list[PersonDetails] = field(default_factory=list)


# --------------------------------------------------------------------------- photos


def process_photo(data: bytes, field_name: str = "photo") -> bytes:
    """Check an uploaded ID photo and re-encode it as a clean JPEG (no metadata, upright,
    at most 600 × 800). Raises RegistrationError with the reason."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > PHOTO_MAX_BYTES:
        raise RegistrationError(
            field_name,
            _l("The photo is too large: at most %(mb)d MB.", mb=PHOTO_MAX_BYTES // 2**20),
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
        if kind not in PHOTO_FORMATS:
            raise RegistrationError(field_name, _l("The photo must be a JPEG, PNG or WebP image."))
        if width * height > PHOTO_MAX_PIXELS:
            raise RegistrationError(field_name, _l("The photo has too many pixels."))
        if min(width, height) < PHOTO_MIN_SIDE:
            raise RegistrationError(
                field_name,
                _l(
                    "The photo is too small: at least %(px)d pixels on each side.",
                    px=PHOTO_MIN_SIDE,
                ),
            )
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except RegistrationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise RegistrationError(
            field_name, _l("The photo must be a JPEG, PNG or WebP image.")
        ) from None
    upright.thumbnail(PHOTO_BOX)
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def upload_folder() -> Path:
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def photo_file(participant: Participant) -> Path | None:
    if not participant.photo_path:
        return None
    path = upload_folder() / participant.photo_path
    return path if path.is_file() else None


def _store_photo(event: Event, participant: Participant, jpeg: bytes) -> Path:
    relative = Path("photos") / event.slug / f"{participant.ref}.jpg"
    target = upload_folder() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(jpeg)
    partial.replace(target)
    participant.photo_path = relative.as_posix()
    return target


# --------------------------------------------------------------------------- registration


def _clean(person: PersonDetails) -> PersonDetails:
    person.name = (person.name or "").strip()
    person.email = (person.email or "").strip()
    person.title = (person.title or "").strip() or None
    person.organisation = (person.organisation or "").strip() or None
    person.country = (person.country or "").strip().upper() or None
    return person


def _email_taken(event: Event, email: str) -> bool:
    return (
        db.session.execute(
            select(Participant.id).where(
                Participant.event_id == event.id,
                func.lower(Participant.email) == email.lower(),
            )
        ).first()
        is not None
    )


def register(
    event: Event,
    *,
    person: PersonDetails,
    user: User | None = None,
    password: str | None = None,
    delegation: DelegationDetails | None = None,
    commit: bool = True,
) -> Participant:
    """Register a delegate, alone or as head of a delegation with its members. Everyone
    starts 'pending' and waits for the organisers' accreditation.

    Without `user` an account is made (role delegate) with `password`. Field errors come
    as RegistrationError(field, message); field names are the form's ('email',
    'members-2-email', ...). Nothing is written when one is raised.
    """
    person = _clean(person)
    members = [_clean(m) for m in (delegation.members if delegation else [])]
    seen = {person.email.lower()}
    if _email_taken(event, person.email):
        raise RegistrationError(
            "email", _l("This email is already registered for this event. Please sign in.")
        )
    for index, member in enumerate(members):
        key = member.email.lower()
        if key in seen or _email_taken(event, member.email):
            raise RegistrationError(
                f"members-{index}-email",
                _l("This email is already used by another person of this event."),
            )
        seen.add(key)
    if delegation is not None and delegation.kind and delegation.kind not in DELEGATION_KINDS:
        raise RegistrationError("delegation_kind", _l("Choose a kind from the list."))
    photos = {"photo": process_photo(person.photo, "photo") if person.photo else None}
    for index, member in enumerate(members):
        if member.photo:
            photos[f"members-{index}-photo"] = process_photo(member.photo, f"members-{index}-photo")
    written: list[Path] = []
    try:
        if user is None:
            if not password or len(password) < MIN_PASSWORD_LENGTH:
                raise RegistrationError(
                    "password",
                    _l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
                )
            try:
                user = create_user(person.email, password, "delegate", person.name, commit=False)
            except AccountError:
                raise RegistrationError(
                    "email",
                    _l("An account with this email exists already. Please sign in first."),
                ) from None
        head = _new_participant(event, person, user_id=user.id)
        if photos["photo"]:
            written.append(_store_photo(event, head, photos["photo"]))
        if delegation is not None:
            group = Delegation(
                event_id=event.id,
                ref=f"del-{secrets.token_hex(5)}",
                name=delegation.name.strip(),
                country=delegation.country.strip().upper(),
                kind=delegation.kind or None,
                head_id=head.id,
            )
            db.session.add(group)
            db.session.flush()
            head.delegation_id = group.id
            record("delegation.registered", group, after=snapshot(group))
            for index, member in enumerate(members):
                participant = _new_participant(event, member, delegation_id=group.id)
                jpeg = photos.get(f"members-{index}-photo")
                if jpeg:
                    written.append(_store_photo(event, participant, jpeg))
        db.session.flush()
    except (RegistrationError, IntegrityError) as error:
        db.session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        if isinstance(error, IntegrityError):  # a twin registration won the race
            raise RegistrationError(
                "email", _l("This email is already registered for this event. Please sign in.")
            ) from None
        raise
    if commit:
        db.session.commit()
    return head


def _new_participant(
    event: Event,
    person: PersonDetails,
    *,
    user_id: int | None = None,
    delegation_id: int | None = None,
) -> Participant:
    participant = Participant(
        event_id=event.id,
        ref=f"reg-{secrets.token_hex(5)}",
        name=person.name,
        email=person.email,
        role="delegate",
        title=person.title,
        organisation=person.organisation,
        country=person.country,
        delegation_id=delegation_id,
        accreditation="pending",
        user_id=user_id,
    )
    db.session.add(participant)
    db.session.flush()
    record("participant.registered", participant, after=snapshot(participant))
    return participant


def add_member(
    event: Event, head: Participant, member: PersonDetails, *, commit: bool = True
) -> Participant:
    """A head of delegation adds one more member (pending accreditation)."""
    group = db.session.execute(
        select(Delegation).where(Delegation.head_id == head.id, Delegation.event_id == event.id)
    ).scalar_one_or_none()
    if group is None:
        raise RegistrationError("name", _l("Only a head of delegation can add members."))
    member = _clean(member)
    if _email_taken(event, member.email):
        raise RegistrationError(
            "email", _l("This email is already used by another person of this event.")
        )
    jpeg = process_photo(member.photo, "photo") if member.photo else None
    try:
        participant = _new_participant(event, member, delegation_id=group.id)
        if jpeg:
            _store_photo(event, participant, jpeg)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise RegistrationError(
            "email", _l("This email is already used by another person of this event.")
        ) from None
    if commit:
        db.session.commit()
    return participant


def led_delegation(participant: Participant) -> Delegation | None:
    return db.session.execute(
        select(Delegation).where(
            Delegation.head_id == participant.id, Delegation.event_id == participant.event_id
        )
    ).scalar_one_or_none()


# --------------------------------------------------------------------------- accreditation


def accredit(
    participant: Participant,
    approved: bool = True,
    *,
    reason: str | None = None,
    commit: bool = True,
) -> Participant:
    """The organisers' decision on a registration. Refusing someone who had meetings
    cancels them and their open requests first: only approved delegates meet."""
    before = snapshot(participant, ["accreditation", "rejection_reason"])
    if not approved:
        meetings = db.session.execute(
            select(Meeting).where(Meeting.delegate_id == participant.id)
        ).scalars()
        for meeting in meetings:
            booking.cancel_meeting(meeting, commit=False)
        open_requests = db.session.execute(
            select(MeetingRequest).where(
                MeetingRequest.delegate_id == participant.id,
                MeetingRequest.status.in_(booking.OPEN_STATUSES),
            )
        ).scalars()
        for request in open_requests:
            booking.cancel_request(request, commit=False)
    participant.accreditation = "approved" if approved else "rejected"
    participant.rejection_reason = None if approved else (reason or "").strip() or None
    db.session.flush()
    record(
        "participant.accredited" if approved else "participant.rejected",
        participant,
        before=before,
        after=snapshot(participant, ["accreditation", "rejection_reason"]),
    )
    if commit:
        db.session.commit()
    return participant


# --------------------------------------------------------------------------- calendar link


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_calendar_token(participant: Participant, *, commit: bool = True) -> str:
    """A new secret for the private calendar URL; the old URL stops working. Only the hash
    is stored, so the URL is shown once."""
    token = secrets.token_urlsafe(24)
    participant.ics_token_hash = _token_hash(token)
    record("calendar.link_created", participant, after={"ics_token": "new"})
    if commit:
        db.session.commit()
    return token


def revoke_calendar_token(participant: Participant, *, commit: bool = True) -> None:
    participant.ics_token_hash = None
    record("calendar.link_revoked", participant, after={"ics_token": None})
    if commit:
        db.session.commit()


def participant_by_calendar_token(event: Event, token: str) -> Participant | None:
    if not token or len(token) > 100:
        return None
    return db.session.execute(
        select(Participant).where(
            Participant.event_id == event.id, Participant.ics_token_hash == _token_hash(token)
        )
    ).scalar_one_or_none()


# --------------------------------------------------------------------------- sessions


def followable_sessions(event: Event) -> list[EventSession]:
    """Programme sessions one can add to an agenda (matchmaking blocks are the meetings)."""
    from sqlalchemy.orm import joinedload

    return list(
        db.session.execute(
            select(EventSession)
            .where(EventSession.event_id == event.id, EventSession.kind != "matchmaking")
            .options(joinedload(EventSession.location))
            .order_by(EventSession.start, EventSession.id)
        ).scalars()
    )


def followed_session_ids(participant: Participant) -> set[int]:
    return set(
        db.session.execute(
            select(FollowedSession.session_id).where(
                FollowedSession.participant_id == participant.id
            )
        ).scalars()
    )


def follow_session(
    participant: Participant, session: EventSession, follow: bool, *, commit: bool = True
) -> None:
    """Put a session in (or take it out of) the participant's agenda; idempotent."""
    if session.event_id != participant.event_id:
        raise booking.NotAllowed()
    row = db.session.get(FollowedSession, (participant.id, session.id))
    if follow and row is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    FollowedSession(participant_id=participant.id, session_id=session.id)
                )
                db.session.flush()
        except IntegrityError:
            pass  # followed from another tab at the same moment
        else:
            record("session.followed", participant, after={"session_id": session.id})
    elif not follow and row is not None:
        db.session.delete(row)
        record("session.unfollowed", participant, before={"session_id": session.id})
    if commit:
        db.session.commit()


# --------------------------------------------------------------------------- agenda PDF


def personal_agenda_pdf(event: Event, person: Participant, lang: str) -> bytes:
    """The person's agenda as a PDF, one page per day, in `lang`: the programme's personal
    agenda (expo_app.programme.agenda) when installed, else the plain one below."""
    try:
        from expo_app.programme.agenda import build_personal_agenda
    except ImportError:
        from expo_app.pdf.i18n import pdf_language

        with pdf_language(lang):
            days = booking.agenda(event, participant=person)
        return agenda_pdf(event, person.name, days, lang)
    out = io.BytesIO()
    build_personal_agenda(event, person, booking.meetings_of(event, [person.id]), out, lang)
    return out.getvalue()


def agenda_pdf(event: Event, owner: str, days: list[booking.AgendaDay], lang: str) -> bytes:
    """The agenda as an A4 PDF, one page per day, in `lang` (DejaVu: Turkish and French
    letters print right)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    from expo_app.pdf.fonts import REGULAR, register_fonts
    from expo_app.pdf.i18n import format_day, format_span, pdf_language
    from expo_app.pdf.styles import MARGIN_X, MUTED, PAGE_SIZE, styles, table_style

    register_fonts()
    out = io.BytesIO()
    with pdf_language(lang):
        style = styles()
        title = _("Agenda of %(name)s", name=owner)
        kinds = {"meeting": _("Meeting"), "session": _("Session"), "demo": _("Demonstration")}

        def page_footer(canvas, doc) -> None:
            canvas.saveState()
            canvas.setFont(REGULAR, 8)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN_X, 10 * mm, f"{event.name} · {owner}")
            canvas.drawRightString(PAGE_SIZE[0] - MARGIN_X, 10 * mm, str(doc.page))
            canvas.restoreState()

        document = SimpleDocTemplate(
            out,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=f"{event.name} — {title}",
            author=event.organiser or "",
            creator="Expo",
            lang=lang,
            invariant=1,
        )
        story: list = []
        head = [
            _("Time"),
            _("What"),
            _("Where"),
        ]
        if not days:
            story += [
                Paragraph(escape(event.name), style["muted"]),
                Paragraph(escape(title), style["h1"]),
                Paragraph(escape(_("Nothing in your agenda yet.")), style["body"]),
            ]
        for number, day in enumerate(days):
            if number:
                story.append(PageBreak())
            story += [
                Paragraph(escape(f"{event.name} · {title}"), style["muted"]),
                Paragraph(escape(format_day(day.day)), style["h1"]),
                Spacer(1, 2 * mm),
            ]
            rows = [[Paragraph(escape(text), style["cell_head"]) for text in head]]
            for item in day.items:
                what = f"<b>{escape(item.title)}</b><br/>{escape(kinds[item.kind])}"
                if item.other_party and item.kind != "meeting":
                    what += f" · {escape(item.other_party)}"
                rows.append(
                    [
                        Paragraph(escape(format_span(item.start, item.end)), style["cell_bold"]),
                        Paragraph(what, style["cell"]),
                        Paragraph(escape(item.where or ""), style["cell"]),
                    ]
                )
            width = PAGE_SIZE[0] - 2 * MARGIN_X
            table = Table(
                rows,
                colWidths=[30 * mm, width * 0.55 - 15 * mm, width * 0.45 - 15 * mm],
                repeatRows=1,
            )
            table.setStyle(table_style())
            story.append(table)
        document.build(story, onFirstPage=page_footer, onLaterPages=page_footer)
    return out.getvalue()
