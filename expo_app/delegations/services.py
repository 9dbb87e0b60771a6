"""Delegate rules: registration (alone or with a delegation), accreditation, ID photos,
the private calendar link, followed sessions, availability and the agenda PDF.

Services only flush: the request path (or the CLI command) commits once. A refusal is a
`DomainError` raised before anything is kept: writes that come in several steps run in a
savepoint, so a refused registration or availability leaves nothing behind."""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from expo_app.accounts.models import Role, User
from expo_app.accounts.services import (
    AccountError,
    check_password_rule,
    create_user,
    find_user_by_email,
    spend_hash_work,
)
from expo_app.audit.services import record, snapshot
from expo_app.delegations import seats
from expo_app.delegations.models import (
    DELEGATION_KINDS,
    Accreditation,
    Delegation,
    FollowedSession,
    Participant,
    ParticipantRole,
)
from expo_app.delegations.queries import led_delegations
from expo_app.errors import DomainError
from expo_app.events.models import Event, EventSession, SessionKind
from expo_app.exhibitors.admission import REFUSALS, demo_refusal
from expo_app.extensions import db
from expo_app.images import ImageRefused, TooManyPixels, check_pixels
from expo_app.matchmaking import booking
from expo_app.matchmaking.agenda import agenda_ics
from expo_app.matchmaking.models import Meeting, MeetingRequest
from expo_app.matchmaking.queries import blocked_slot_ids, event_slots, meetings_of
from expo_app.modelkit import utcnow
from expo_app.vetting import services as vetting
from expo_app.vetting.services import DocumentDetails

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MIN_SIDE = 200
PHOTO_BOX = (600, 800)  # re-encoded size limit, plenty for a badge
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


class RegistrationError(DomainError):
    """A problem with what was typed, tied to the form field it belongs to."""

    status = 422

    def __init__(self, field_name: str, message) -> None:
        super().__init__(message, field=field_name)


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
        check_pixels(data, field=field_name)  # reads the header only: no decompression bomb
    except TooManyPixels as refusal:
        raise RegistrationError(field_name, refusal.message) from None
    except ImageRefused:
        raise RegistrationError(
            field_name, _l("The photo must be a JPEG, PNG or WebP image.")
        ) from None
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
        if kind not in PHOTO_FORMATS:
            raise RegistrationError(field_name, _l("The photo must be a JPEG, PNG or WebP image."))
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
    document: DocumentDetails | None = None,
) -> Participant | None:
    """Register a delegate, alone or as head of a delegation with its members. Everyone
    starts 'pending' and waits for the organisers' accreditation. With `document` (the
    event vets participants) the head's identity document is judged with the other
    fields (VettingError, next to its field) and stored with the registration.

    Without `user` (a visitor) an account is made (role delegate) with `password`, and
    the answer must not tell whether the email has an account already: every check of
    what was typed comes first, then a known email (an account, or a person of this
    event) writes nothing, costs the same password hashing as a new account, and
    returns None; the visitor is told the same in both cases. A signed-in `user` is told
    plainly. Field errors come as RegistrationError(field, message); field names are the
    form's ('email', 'members-2-email', ...). Nothing is written when one is raised.
    """
    person = _clean(person)
    members = [_clean(m) for m in (delegation.members if delegation else [])]
    seen = {person.email.lower()}
    visitor = user is None
    if visitor:
        _check_password(password, person)
    elif _email_taken(event, person.email):
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
    if document is not None:
        vetting.check_document(document)
    photos = {"photo": process_photo(person.photo, "photo") if person.photo else None}
    for index, member in enumerate(members):
        if member.photo:
            photos[f"members-{index}-photo"] = process_photo(member.photo, f"members-{index}-photo")
    if visitor and _known_email(event, person.email):
        spend_hash_work(password or "")  # as long as making the account would take
        return None
    written: list[Path] = []
    try:
        with db.session.begin_nested():  # a refusal leaves no account, person or delegation
            if user is None:
                user = _new_account(person, password)
            head = _new_participant(event, person, user_id=user.id)
            if document is not None:
                vetting.submit_document(head, document)
            if photos["photo"]:
                written.append(_store_photo(event, head, photos["photo"]))
            if delegation is not None:
                group = _new_delegation(event, head, delegation)
                for index, member in enumerate(members):
                    participant = _new_participant(event, member, delegation_id=group.id)
                    jpeg = photos.get(f"members-{index}-photo")
                    if jpeg:
                        written.append(_store_photo(event, participant, jpeg))
            db.session.flush()
    except (RegistrationError, IntegrityError) as error:
        for path in written:
            path.unlink(missing_ok=True)
        if visitor and (isinstance(error, IntegrityError) or error.field == "email"):
            return None  # a twin registration won the race: the same answer as a known email
        if isinstance(error, IntegrityError):  # a twin registration won the race
            raise RegistrationError(
                "email", _l("This email is already registered for this event. Please sign in.")
            ) from None
        raise
    return head


def _check_password(password: str | None, person: PersonDetails) -> None:
    """The password rule, next to the password field (before anything tells the email)."""
    try:
        check_password_rule(password or "", email=person.email, name=person.name)
    except AccountError as error:
        raise RegistrationError("password", error.message) from None


def _known_email(event: Event, email: str) -> bool:
    """An account has this email, or a person of this event does (a member registered by
    a head of delegation, an imported delegate)."""
    return find_user_by_email(email) is not None or _email_taken(event, email)


def _new_account(person: PersonDetails, password: str | None) -> User:
    """The delegate account a registration without a signed-in user makes. A taken email
    (a twin registration a moment ago) is an error on the email field, which `register`
    answers like any known email."""
    try:
        return create_user(person.email, password or "", Role.DELEGATE.value, person.name)
    except AccountError as error:
        raise RegistrationError(error.field or "email", error.message) from None


def _new_delegation(event: Event, head: Participant, details: DelegationDetails) -> Delegation:
    group = Delegation(
        event_id=event.id,
        ref=f"del-{secrets.token_hex(5)}",
        name=details.name.strip(),
        country=details.country.strip().upper(),
        kind=details.kind or None,
        head_id=head.id,
    )
    db.session.add(group)
    db.session.flush()
    head.delegation_id = group.id
    record("delegation.registered", group, after=snapshot(group))
    return group


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
        role=ParticipantRole.DELEGATE.value,
        title=person.title,
        organisation=person.organisation,
        country=person.country,
        delegation_id=delegation_id,
        accreditation=Accreditation.PENDING.value,
        user_id=user_id,
    )
    db.session.add(participant)
    db.session.flush()
    record("participant.registered", participant, after=snapshot(participant))
    return participant


def add_member(event: Event, head: Participant, member: PersonDetails) -> Participant:
    """A head of delegation adds one more member (pending accreditation)."""
    led = led_delegations(head)
    if not led:
        raise RegistrationError("name", _l("Only a head of delegation can add members."))
    member = _clean(member)
    if _email_taken(event, member.email):
        raise RegistrationError(
            "email", _l("This email is already used by another person of this event.")
        )
    jpeg = process_photo(member.photo, "photo") if member.photo else None
    try:
        with db.session.begin_nested():
            participant = _new_participant(event, member, delegation_id=led[0].id)
            if jpeg:
                _store_photo(event, participant, jpeg)
            db.session.flush()
    except IntegrityError:
        raise RegistrationError(
            "email", _l("This email is already used by another person of this event.")
        ) from None
    return participant


def account_of(participant: Participant) -> User | None:
    """The account a participant signs in with, if any."""
    return db.session.get(User, participant.user_id) if participant.user_id else None


# --------------------------------------------------------------------------- accreditation


def accredit(
    participant: Participant,
    approved: bool = True,
    *,
    reason: str | None = None,
) -> Participant:
    """The organisers' decision on a registration. Refusing someone who had meetings
    cancels them and their open requests first: only approved delegates meet. Approving
    someone gives them the zones the event's rules grant (`zones.grant_by_rules`)."""
    before = snapshot(participant, ["accreditation", "rejection_reason"])
    if not approved:
        meetings = db.session.execute(
            select(Meeting).where(Meeting.delegate_id == participant.id)
        ).scalars()
        for meeting in meetings:
            booking.cancel_meeting(meeting)
        open_requests = db.session.execute(
            select(MeetingRequest).where(
                MeetingRequest.delegate_id == participant.id,
                MeetingRequest.is_open_at(utcnow()),  # an expired one needs no cancelling
            )
        ).scalars()
        for request in open_requests:
            booking.cancel_request(request, by=None)
    participant.accreditation = (
        Accreditation.APPROVED if approved else Accreditation.REJECTED
    ).value
    participant.rejection_reason = None if approved else (reason or "").strip() or None
    db.session.flush()
    record(
        "participant.accredited" if approved else "participant.rejected",
        participant,
        before=before,
        after=snapshot(participant, ["accreditation", "rejection_reason"]),
    )
    db.session.flush()
    if approved:
        from expo_app.delegations import zones  # zones reissue badges: imported late

        zones.grant_by_rules(participant)
    return participant


# --------------------------------------------------------------------------- calendar link


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_calendar_token(participant: Participant) -> str:
    """A new secret for the private calendar URL; the old URL stops working. Only the hash
    is stored, so the URL is shown once."""
    token = secrets.token_urlsafe(24)
    participant.ics_token_hash = _token_hash(token)
    record("calendar.link_created", participant, after={"ics_token": "new"})
    db.session.flush()
    return token


def revoke_calendar_token(participant: Participant) -> None:
    participant.ics_token_hash = None
    record("calendar.link_revoked", participant, after={"ics_token": None})
    db.session.flush()


def participant_by_calendar_token(event: Event, token: str) -> Participant | None:
    """The participant of this event whose private calendar URL holds `token`, else None."""
    if not token or len(token) > 100:
        return None
    return db.session.execute(
        select(Participant).where(
            Participant.event_id == event.id, Participant.ics_token_hash == _token_hash(token)
        )
    ).scalar_one_or_none()


def calendar_feed(event: Event, token: str) -> bytes | None:
    """The private calendar of the URL's owner, in their language; None for a token that
    is wrong, revoked or another event's (the caller answers 404 and tells nothing)."""
    person = participant_by_calendar_token(event, token)
    if person is None:
        return None
    user = account_of(person)
    languages = current_app.config["LANGUAGES"]
    lang = user.locale if user is not None and user.locale in languages else None
    with force_locale(lang or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")):
        return agenda_ics(event, participant=person)


# --------------------------------------------------------------------------- sessions


def follow_session(
    participant: Participant, session: EventSession, follow: bool
) -> FollowedSession | None:
    """Put a session in (or take it out of) the participant's agenda; idempotent.

    A demo is followed only by those admitted to it (zone, and the exhibitor's
    allow-list when it is export controlled): NotAllowed says why not. A session with a
    capacity gives a seat or a place on its waitlist (`seats`); the row is returned."""
    if session.event_id != participant.event_id:
        raise booking.NotAllowed()
    if not follow:
        seats.give_up(participant, session)
        return None
    if session.kind == SessionKind.DEMO:
        refusal = demo_refusal(participant, session)
        if refusal is not None:
            raise booking.NotAllowed(REFUSALS[refusal])
    return seats.take_seat(participant, session)


# --------------------------------------------------------------------------- availability


AvailabilityRefused = booking.AvailabilityRefused


def save_availability(event: Event, person: Participant, blocked: Iterable[int]) -> None:
    """Make `blocked` the person's unavailable slots (ids of other events' slots are
    ignored), all or nothing: every change is tried, and if any is refused (a slot that
    holds a meeting) none is kept and AvailabilityRefused lists every reason."""
    wanted = set(blocked)
    current = blocked_slot_ids(participant=person)
    changes = [
        (slot, slot.id in wanted)
        for slot in event_slots(event)
        if (slot.id in wanted) != (slot.id in current)
    ]
    booking.save_availability(event, changes, participant=person)


# --------------------------------------------------------------------------- agenda PDF


def personal_agenda_pdf(event: Event, person: Participant, lang: str) -> bytes:
    """The person's agenda as a PDF, one page per day, in `lang` (the programme's
    personal agenda, drawn with the same blocks as the printed programme)."""
    from expo_app.programme.agenda import build_personal_agenda

    out = io.BytesIO()
    build_personal_agenda(event, person, meetings_of(event, [person.id]), out, lang)
    return out.getvalue()
