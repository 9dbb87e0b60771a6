"""Exhibitor rules and queries: the directory, sectors, stands, and the exhibitor portal's
rules (registration, stand holds, staff badges, demo requests)."""

from __future__ import annotations

import io
import math
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from expo_app.audit.services import record, snapshot
from expo_app.delegations.models import Delegation, Participant
from expo_app.events.models import Event, EventSession, Location
from expo_app.exhibitors.models import (
    DemoAllowedCountry,
    DemoRequest,
    Exhibitor,
    ExhibitorSector,
    Stand,
)
from expo_app.extensions import db
from expo_app.matchmaking.models import Meeting, MeetingRequest, MeetingSlot, Unavailability

DIRECTORY_PAGE_SIZE = 24


@dataclass
class DirectoryFilter:
    """What a visitor typed or picked in the exhibitor directory."""

    query: str = ""
    sector: str = ""
    country: str = ""
    page: int = 1


def directory(event: Event, wanted: DirectoryFilter):
    """Approved exhibitors matching the filter, A to Z, one page at a time."""
    statement = (
        select(Exhibitor)
        .where(Exhibitor.event_id == event.id, Exhibitor.approval == "approved")
        .options(selectinload(Exhibitor.sectors), selectinload(Exhibitor.stands))
        .order_by(func.lower(Exhibitor.name), Exhibitor.id)
    )
    if wanted.query:
        statement = statement.where(
            Exhibitor.name.ilike(f"%{escape_like(wanted.query)}%", escape="\\")
        )
    statement = with_sector_and_country(statement, wanted.sector, wanted.country)
    return db.paginate(
        statement, page=max(wanted.page, 1), per_page=DIRECTORY_PAGE_SIZE, error_out=False
    )


def with_sector_and_country(statement, sector: str, country: str):
    """Narrow an exhibitor query to a sector and a country (either may be empty):
    the public directory and the organiser's list filter alike."""
    if sector:
        statement = statement.where(
            Exhibitor.id.in_(
                select(ExhibitorSector.exhibitor_id).where(ExhibitorSector.name == sector)
            )
        )
    if country:
        statement = statement.where(Exhibitor.country == country.upper())
    return statement


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sectors_of_event(event: Event) -> list[str]:
    return list(
        db.session.execute(
            select(ExhibitorSector.name)
            .distinct()
            .join(Exhibitor)
            .where(Exhibitor.event_id == event.id, Exhibitor.approval == "approved")
            .order_by(ExhibitorSector.name)
        ).scalars()
    )


def countries_of_event(event: Event) -> list[str]:
    return list(
        db.session.execute(
            select(Exhibitor.country)
            .distinct()
            .where(Exhibitor.event_id == event.id, Exhibitor.approval == "approved")
            .order_by(Exhibitor.country)
        ).scalars()
    )


def exhibitor_by_ref(event: Event, ref: str) -> Exhibitor | None:
    return db.session.execute(
        select(Exhibitor)
        .filter_by(event_id=event.id, ref=ref, approval="approved")
        .options(selectinload(Exhibitor.sectors), selectinload(Exhibitor.stands))
    ).scalar_one_or_none()


def stands_of_event(event: Event) -> list[Stand]:
    return list(
        db.session.execute(
            select(Stand)
            .where(Stand.event_id == event.id)
            .options(selectinload(Stand.exhibitor), selectinload(Stand.location))
            .order_by(Stand.location_id, Stand.ref)
        ).scalars()
    )


class StandUnavailable(Exception):
    """Another exhibitor holds the stand already (or it does not exist)."""


def reserve_stand(stand_id: int, exhibitor_id: int, *, commit: bool = True) -> None:
    """Hold a free stand for an exhibitor, atomically.

    One conditional UPDATE: of two exhibitors clicking the same stand at once,
    the database lets exactly one row change; the other sees 0 rows and is told.
    """
    from sqlalchemy import update

    from expo_app.modelkit import utcnow

    result = db.session.execute(
        update(Stand)
        .where(Stand.id == stand_id, Stand.exhibitor_id.is_(None), Stand.status == "available")
        .values(
            exhibitor_id=exhibitor_id,
            status="reserved",
            held_at=utcnow(),
            version=Stand.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise StandUnavailable(stand_id)
    if commit:
        db.session.commit()


# ---------------------------------------------------------------------------
# The exhibitor portal: registration, profile and logo, stand holds, staff,
# demo requests, meeting capacity, and the organiser's decisions on them.
# Every function here changes rows on someone's behalf, so each records an
# audit entry; none commits: the web request (or the CLI) commits once.
# ---------------------------------------------------------------------------

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 6000  # refuse before decoding: a tiny file can claim a huge canvas
LOGO_STORED_SIDE = 800
LOGO_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
MAX_SECTORS = 10
MAX_MEETING_CAPACITY = 20
DELEGATION_KIND_ORDER = ("government", "military", "industry", "other", "press")


class ExhibitorError(Exception):
    """A refusal the person can understand; `field` names the form field it belongs to."""

    field: str | None = None

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field

    def __str__(self) -> str:
        # Outside a request (CLI, threads, tests) in the default language.
        if has_request_context():
            return str(self.message)
        with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "en")):
            return str(self.message)


class NotApproved(ExhibitorError):
    """The organiser has not approved this exhibitor (yet)."""


class StandNotHeld(ExhibitorError):
    """The stand is not (or no longer) this exhibitor's unconfirmed hold."""


class StaffLimitReached(ExhibitorError):
    """Adding this person would exceed the badge allowance of the stand."""


class LogoRejected(ExhibitorError):
    field = "logo"


class DemoConflict(ExhibitorError):
    """The demo cannot be placed there and then."""


@dataclass
class CompanyDetails:
    """What an exhibitor says about itself: the registration and profile forms."""

    name: str
    country: str
    sectors: list[str]
    description: str | None = None
    description_fr: str | None = None
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


PROFILE_FIELDS = [
    "name",
    "country",
    "description",
    "description_fr",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "logo_path",
]


def parse_sectors(text: str | None) -> list[str]:
    """Sectors as typed ("UAVs, Radar; Training"), trimmed, without repeats, in order."""
    seen: set[str] = set()
    sectors = []
    for piece in re.split(r"[,;\n]", text or ""):
        name = " ".join(piece.split())[:100]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            sectors.append(name)
    return sectors


def _require_approved(exhibitor: Exhibitor) -> None:
    if exhibitor.approval != "approved":
        raise NotApproved(_l("The organiser has not approved your company yet."))


def _lock(exhibitor: Exhibitor) -> None:
    """Serialise one exhibitor's own changes (two tabs at once) on PostgreSQL.

    SQLite needs nothing: every transaction there starts with BEGIN IMMEDIATE.
    """
    db.session.execute(select(Exhibitor.id).where(Exhibitor.id == exhibitor.id).with_for_update())


def new_exhibitor_ref(event: Event, name: str) -> str:
    """A readable, unique code for a new exhibitor: "Acme Défense SA" -> "acme-defense-sa"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:48] or "exhibitor"
    taken = set(
        db.session.execute(
            select(Exhibitor.ref).where(
                Exhibitor.event_id == event.id, Exhibitor.ref.like(f"{base}%")
            )
        ).scalars()
    )
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


def apply_details(exhibitor: Exhibitor, details: CompanyDetails) -> None:
    exhibitor.name = details.name.strip()
    exhibitor.country = details.country.upper()
    exhibitor.description = details.description or None
    exhibitor.description_fr = details.description_fr or None
    exhibitor.website = details.website or None
    exhibitor.contact_name = details.contact_name or None
    exhibitor.contact_email = details.contact_email or None
    exhibitor.contact_phone = details.contact_phone or None
    wanted = details.sectors[:MAX_SECTORS]
    kept = {sector.name: sector for sector in exhibitor.sectors}
    exhibitor.sectors = [
        kept.get(name) or ExhibitorSector(name=name, position=position)
        for position, name in enumerate(wanted)
    ]
    for position, sector in enumerate(exhibitor.sectors):
        sector.position = position


def register_exhibitor(
    event: Event,
    details: CompanyDetails,
    *,
    email: str | None = None,
    password: str | None = None,
    user=None,
    logo: bytes | None = None,
) -> Exhibitor:
    """Sign a company up for an event; it waits for the organiser's approval.

    Either `user` (an exhibitor account already signed in) or `email` and
    `password` for a new account. `logo` is an image already checked by
    `prepare_logo`. Raises AccountError for a taken email, ExhibitorError otherwise.
    """
    from expo_app.accounts.services import AccountError, create_user

    if user is None:
        user = create_user(email or "", password or "", "exhibitor", details.name, commit=False)
    elif user.role != "exhibitor":
        raise ExhibitorError(_l("Only an exhibitor account can register a company."))
    existing = db.session.execute(
        select(Exhibitor).filter_by(event_id=event.id, user_id=user.id)
    ).scalar_one_or_none()
    if existing is not None:
        raise ExhibitorError(_l("Your account has already registered a company for this event."))
    exhibitor = Exhibitor(
        event_id=event.id,
        ref=new_exhibitor_ref(event, details.name),
        approval="pending",
        meeting_capacity=1,
        user_id=user.id,
    )
    apply_details(exhibitor, details)
    if not exhibitor.contact_email:
        exhibitor.contact_email = user.email
    db.session.add(exhibitor)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same account, or the same new code, in a parallel request
        db.session.rollback()
        raise AccountError(_l("This company was just registered; please sign in.")) from exc
    if logo is not None:
        store_logo(exhibitor, logo)
    record("exhibitor.register", exhibitor, after=snapshot(exhibitor, PROFILE_FIELDS))
    return exhibitor


def update_profile(
    exhibitor: Exhibitor,
    details: CompanyDetails,
    *,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> None:
    """Change what delegates see of the company in the directory and the catalogue."""
    before = snapshot(exhibitor, PROFILE_FIELDS)
    before["sectors"] = exhibitor.sector_names
    apply_details(exhibitor, details)
    if logo is not None:
        store_logo(exhibitor, logo)
    elif remove_logo and exhibitor.logo_path:
        _delete_logo_file(exhibitor.logo_path)
        exhibitor.logo_path = None
    after = snapshot(exhibitor, PROFILE_FIELDS)
    after["sectors"] = exhibitor.sector_names
    record("exhibitor.profile", exhibitor, before=before, after=after)
    db.session.flush()


def prepare_logo(stream) -> bytes:
    """Check an uploaded logo and re-encode it as a small PNG (no metadata, no surprises).

    Refuses files over LOGO_MAX_BYTES, anything Pillow does not read as a PNG, JPEG,
    GIF or WebP image (SVG included: it can carry scripts), and giant canvases.
    """
    data = stream.read(LOGO_MAX_BYTES + 1)
    if not data:
        raise LogoRejected(_l("The file is empty."))
    if len(data) > LOGO_MAX_BYTES:
        raise LogoRejected(
            _l("The logo is larger than %(size)s MB.", size=LOGO_MAX_BYTES // (1024 * 1024))
        )
    not_an_image = LogoRejected(_l("The logo must be a PNG, JPEG, GIF or WebP image."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in LOGO_FORMATS:
                    raise not_an_image
                width, height = image.size
                if max(width, height) > LOGO_MAX_SIDE:
                    raise LogoRejected(
                        _l(
                            "The logo is too large: at most %(side)s pixels on each side.",
                            side=LOGO_MAX_SIDE,
                        )
                    )
                image.seek(0)  # first frame of an animation
                image.load()
                image = ImageOps.exif_transpose(image)
                has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                image = image.convert("RGBA" if has_alpha else "RGB")
                image.thumbnail((LOGO_STORED_SIDE, LOGO_STORED_SIDE))
                out = io.BytesIO()
                image.save(out, format="PNG", optimize=True)
    except LogoRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise not_an_image from None
    except (OSError, ValueError, SyntaxError, EOFError):  # truncated or corrupt files
        raise not_an_image from None
    return out.getvalue()


def upload_folder() -> Path:
    """Where uploads live: UPLOAD_FOLDER if set (tests), else the instance folder."""
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def logo_folder() -> Path:
    return upload_folder() / "logos"


def store_logo(exhibitor: Exhibitor, png: bytes) -> None:
    """Write a prepared logo under a fresh random name and point the exhibitor at it."""
    folder = logo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{exhibitor.event_id}-{exhibitor.id}-{secrets.token_hex(8)}.png"
    (folder / name).write_bytes(png)
    if exhibitor.logo_path:
        _delete_logo_file(exhibitor.logo_path)
    exhibitor.logo_path = name


def _delete_logo_file(name: str) -> None:
    path = logo_folder() / Path(name).name
    path.unlink(missing_ok=True)


# --- Stands ---------------------------------------------------------------------------


def exhibitor_of_event(event: Event, ref: str) -> Exhibitor | None:
    """An exhibitor of the event by its code, whatever its approval."""
    return db.session.execute(
        select(Exhibitor).filter_by(event_id=event.id, ref=ref)
    ).scalar_one_or_none()


def stand_of_event(event: Event, stand_id: int) -> Stand | None:
    return db.session.execute(
        select(Stand).where(Stand.id == stand_id, Stand.event_id == event.id)
    ).scalar_one_or_none()


def current_hold(exhibitor: Exhibitor) -> Stand | None:
    """The stand this exhibitor holds without confirmation yet (one at a time)."""
    return (
        db.session.execute(
            select(Stand)
            .where(Stand.exhibitor_id == exhibitor.id, Stand.status == "reserved")
            .order_by(Stand.id)
        )
        .scalars()
        .first()
    )


def hold_stand(exhibitor: Exhibitor, stand_id: int) -> Stand:
    """Reserve a free stand for an approved exhibitor; if it already holds an unconfirmed
    stand, move the hold there (reserve the new one, then free the old one, in one
    transaction: the exhibitor is never left with none, nor with two).

    Of two exhibitors clicking one stand at once, exactly one wins (`reserve_stand`'s
    conditional UPDATE); the other gets StandUnavailable.
    """
    _require_approved(exhibitor)
    event_id, exhibitor_id = exhibitor.event_id, exhibitor.id
    _lock(exhibitor)
    stand = db.session.execute(
        select(Stand).where(Stand.id == stand_id, Stand.event_id == event_id)
    ).scalar_one_or_none()
    if stand is None:
        db.session.rollback()
        raise StandUnavailable(stand_id)
    if stand.exhibitor_id == exhibitor_id:
        return stand
    previous = current_hold(exhibitor)
    previous_id = previous.id if previous is not None else None
    reserve_stand(stand_id, exhibitor_id, commit=False)  # rolls back and raises if taken
    if previous_id is not None:
        _free_hold(previous_id, exhibitor_id)
    stand = db.session.get(Stand, stand_id, populate_existing=True)
    record(
        "stand.reserve",
        stand,
        after={"exhibitor_id": exhibitor_id, "status": "reserved", "moved_from": previous_id},
    )
    return stand


def _free_hold(stand_id: int, exhibitor_id: int) -> None:
    result = db.session.execute(
        update(Stand)
        .where(Stand.id == stand_id, Stand.exhibitor_id == exhibitor_id, Stand.status == "reserved")
        .values(exhibitor_id=None, status="available", held_at=None, version=Stand.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise StandNotHeld(
            _l("This stand is no longer yours to change: the organiser has confirmed it.")
        )


def cancel_hold(exhibitor: Exhibitor, stand_id: int) -> None:
    """Give back an unconfirmed stand; a confirmed one only the organiser can release."""
    exhibitor_id = exhibitor.id
    _free_hold(stand_id, exhibitor_id)
    stand = db.session.get(Stand, stand_id, populate_existing=True)
    record("stand.cancel", stand, before={"exhibitor_id": exhibitor_id, "status": "reserved"})


def confirm_stand(stand: Stand) -> None:
    """Organiser: turn an exhibitor's hold into a confirmed booking."""
    stand_id = stand.id
    result = db.session.execute(
        update(Stand)
        .where(Stand.id == stand_id, Stand.status == "reserved")
        .values(status="confirmed", version=Stand.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise StandNotHeld(_l("This stand is not on hold any more."))
    stand = db.session.get(Stand, stand_id, populate_existing=True)
    record("stand.confirm", stand, after={"status": "confirmed"})


def release_stand(stand: Stand) -> None:
    """Organiser: free a held or confirmed stand."""
    stand_id = stand.id
    holder = stand.exhibitor_id
    result = db.session.execute(
        update(Stand)
        .where(Stand.id == stand_id, Stand.status != "available")
        .values(exhibitor_id=None, status="available", held_at=None, version=Stand.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise StandNotHeld(_l("This stand is already free."))
    stand = db.session.get(Stand, stand_id, populate_existing=True)
    record("stand.release", stand, before={"exhibitor_id": holder}, after={"exhibitor_id": None})


def held_stands(exhibitor: Exhibitor) -> list[Stand]:
    return list(
        db.session.execute(
            select(Stand)
            .where(Stand.exhibitor_id == exhibitor.id)
            .options(selectinload(Stand.location))
            .order_by(Stand.ref)
        ).scalars()
    )


# --- Organiser decisions on registrations -----------------------------------------------


def approve_exhibitor(exhibitor: Exhibitor, *, approve: bool = True, note: str | None = None):
    """Organiser: accept (or refuse) a registration; refusing frees its unconfirmed holds."""
    before = snapshot(exhibitor, ["approval", "review_note"])
    exhibitor.approval = "approved" if approve else "rejected"
    exhibitor.review_note = note or None
    if not approve:
        db.session.execute(
            update(Stand)
            .where(Stand.exhibitor_id == exhibitor.id, Stand.status == "reserved")
            .values(exhibitor_id=None, status="available", held_at=None, version=Stand.version + 1)
            .execution_options(synchronize_session=False)
        )
    record(
        "exhibitor.approve" if approve else "exhibitor.reject",
        exhibitor,
        before=before,
        after=snapshot(exhibitor, ["approval", "review_note"]),
    )
    db.session.flush()


def exhibitors_awaiting_approval(event: Event) -> list[Exhibitor]:
    return list(
        db.session.execute(
            select(Exhibitor)
            .where(Exhibitor.event_id == event.id, Exhibitor.approval == "pending")
            .options(selectinload(Exhibitor.sectors))
            .order_by(Exhibitor.created_at, Exhibitor.id)
        ).scalars()
    )


def stands_on_hold(event: Event) -> list[Stand]:
    return list(
        db.session.execute(
            select(Stand)
            .where(Stand.event_id == event.id, Stand.status == "reserved")
            .options(selectinload(Stand.exhibitor), selectinload(Stand.location))
            .order_by(Stand.held_at, Stand.ref)
        ).scalars()
    )


# --- Staff and badges ---------------------------------------------------------------------


def total_stand_area(exhibitor: Exhibitor) -> float:
    """Square metres of every stand the exhibitor holds, reserved or confirmed."""
    area = db.session.execute(
        select(func.coalesce(func.sum(Stand.width_m * Stand.depth_m), 0)).where(
            Stand.exhibitor_id == exhibitor.id
        )
    ).scalar_one()
    return float(area)


def badge_allowance(exhibitor: Exhibitor, event: Event | None = None) -> int:
    """Staff badges: floor(stand m² / 9) x the event's badges per 9 m², and at least one."""
    event = event or exhibitor.event
    blocks = math.floor(round(total_stand_area(exhibitor), 6) / 9)
    return max(1, blocks * event.staff_badges_per_9m2)


def staff_of(exhibitor: Exhibitor) -> list[Participant]:
    return list(
        db.session.execute(
            select(Participant)
            .where(Participant.exhibitor_id == exhibitor.id, Participant.role == "exhibitor_staff")
            .order_by(func.lower(Participant.name), Participant.id)
        ).scalars()
    )


def badges_used(exhibitor: Exhibitor) -> int:
    """Staff who hold or wait for a badge (a rejected person does not use one)."""
    return db.session.execute(
        select(func.count()).where(
            Participant.exhibitor_id == exhibitor.id,
            Participant.role == "exhibitor_staff",
            Participant.accreditation != "rejected",
        )
    ).scalar_one()


def add_staff(
    exhibitor: Exhibitor,
    *,
    name: str,
    email: str,
    title: str | None = None,
    country: str | None = None,
) -> Participant:
    """Put a person on the stand; they wait for accreditation like everyone else."""
    _require_approved(exhibitor)
    _lock(exhibitor)
    allowance = badge_allowance(exhibitor)
    if badges_used(exhibitor) >= allowance:
        raise StaffLimitReached(
            _l(
                "Your stands allow %(count)s staff badges and all are used. Remove someone, "
                "or book more stand space (the organiser gives %(per)s badges per 9 m²).",
                count=allowance,
                per=exhibitor.event.staff_badges_per_9m2,
            )
        )
    email = email.strip()
    taken = db.session.execute(
        select(Participant.id).where(
            Participant.event_id == exhibitor.event_id,
            func.lower(Participant.email) == email.lower(),
        )
    ).first()
    email_taken = ExhibitorError(
        _l("Someone with this email is already registered for the event."), field="email"
    )
    if taken:
        raise email_taken
    person = Participant(
        event_id=exhibitor.event_id,
        ref=f"{exhibitor.ref[:40]}-staff-{secrets.token_hex(4)}",
        name=name.strip(),
        email=email,
        role="exhibitor_staff",
        organisation=exhibitor.name,
        title=title or None,
        country=(country or exhibitor.country or "").upper() or None,
        exhibitor_id=exhibitor.id,
        accreditation="pending",
    )
    db.session.add(person)
    try:
        db.session.flush()
    except IntegrityError:  # the same email added from another tab at the same moment
        db.session.rollback()
        raise email_taken from None
    record(
        "staff.add",
        person,
        after=snapshot(person, ["name", "email", "title", "country", "exhibitor_id"]),
    )
    return person


def staff_member(exhibitor: Exhibitor, participant_id: int) -> Participant | None:
    """One of this exhibitor's staff, or None (another exhibitor's people are not found)."""
    return db.session.execute(
        select(Participant).where(
            Participant.id == participant_id,
            Participant.exhibitor_id == exhibitor.id,
            Participant.role == "exhibitor_staff",
        )
    ).scalar_one_or_none()


def remove_staff(exhibitor: Exhibitor, person: Participant) -> None:
    if person.exhibitor_id != exhibitor.id or person.role != "exhibitor_staff":
        raise ExhibitorError(_l("This person is not on your staff."))
    record("staff.remove", person, before=snapshot(person, ["name", "email", "accreditation"]))
    db.session.delete(person)
    db.session.flush()


# --- Demo slots ----------------------------------------------------------------------------


def request_demo(
    exhibitor: Exhibitor,
    *,
    title: str,
    duration_min: int,
    equipment: str | None = None,
    description: str | None = None,
    preferred_date: date | None = None,
    delegation_ids: list[int] | None = None,
    countries: list[str] | None = None,
) -> DemoRequest:
    """Ask the organiser for a demo slot; the allow-list says who may attend."""
    _require_approved(exhibitor)
    delegations = []
    if delegation_ids:
        delegations = list(
            db.session.execute(
                select(Delegation).where(
                    Delegation.id.in_(delegation_ids), Delegation.event_id == exhibitor.event_id
                )
            ).scalars()
        )
        if len(delegations) != len(set(delegation_ids)):
            raise ExhibitorError(_l("Choose delegations of this event."), field="delegations")
    demo = DemoRequest(
        event_id=exhibitor.event_id,
        exhibitor_id=exhibitor.id,
        title=title.strip(),
        description=description or None,
        duration_min=duration_min,
        equipment=equipment or None,
        preferred_date=preferred_date,
        status="pending",
        allowed_delegations=delegations,
        allowed_countries=[
            DemoAllowedCountry(country=code.upper()) for code in sorted(set(countries or []))
        ],
    )
    db.session.add(demo)
    db.session.flush()
    record(
        "demo.request",
        demo,
        after={
            **snapshot(demo, ["title", "duration_min", "equipment", "preferred_date"]),
            "delegations": [d.id for d in delegations],
            "countries": demo.country_codes,
        },
    )
    return demo


def demo_requests_of(exhibitor: Exhibitor) -> list[DemoRequest]:
    return list(
        db.session.execute(
            select(DemoRequest)
            .where(DemoRequest.exhibitor_id == exhibitor.id)
            .options(
                selectinload(DemoRequest.allowed_delegations),
                selectinload(DemoRequest.allowed_countries),
                selectinload(DemoRequest.session),
            )
            .order_by(DemoRequest.created_at.desc(), DemoRequest.id.desc())
        ).scalars()
    )


def demo_request_of(exhibitor: Exhibitor, demo_id: int) -> DemoRequest | None:
    return db.session.execute(
        select(DemoRequest).where(
            DemoRequest.id == demo_id, DemoRequest.exhibitor_id == exhibitor.id
        )
    ).scalar_one_or_none()


def withdraw_demo(demo: DemoRequest) -> None:
    """The exhibitor withdraws a request the organiser has not placed yet."""
    if demo.status != "pending":
        raise ExhibitorError(_l("Only a request that is not scheduled yet can be withdrawn."))
    demo.status = "withdrawn"
    record("demo.withdraw", demo, after={"status": "withdrawn"})
    try:
        db.session.flush()
    except StaleDataError:  # the organiser placed it meanwhile
        db.session.rollback()
        raise ExhibitorError(_l("The organiser has just scheduled this demo.")) from None


def pending_demo_requests(event: Event) -> list[DemoRequest]:
    return list(
        db.session.execute(
            select(DemoRequest)
            .where(DemoRequest.event_id == event.id, DemoRequest.status == "pending")
            .options(
                selectinload(DemoRequest.exhibitor),
                selectinload(DemoRequest.allowed_delegations),
                selectinload(DemoRequest.allowed_countries),
            )
            .order_by(DemoRequest.created_at, DemoRequest.id)
        ).scalars()
    )


def place_demo(demo: DemoRequest, *, location: Location, start: datetime) -> EventSession:
    """Organiser: put a requested demo on the schedule, in a demo zone on a demo day."""
    if demo.status != "pending":
        raise DemoConflict(_l("This demo request is not waiting to be scheduled."))
    if location.event_id != demo.event_id or location.kind != "demo_zone":
        raise DemoConflict(_l("Demos take place in a demo zone."), field="location")
    event = db.session.get(Event, demo.event_id)
    day = next((d for d in event.days if d.date == start.date()), None)
    if day is None or not day.has_kind("demo"):
        raise DemoConflict(_l("Choose a demo day of the event."), field="start")
    end = start + timedelta(minutes=demo.duration_min)
    if (day.opens and start.time() < day.opens) or (day.closes and end.time() > day.closes):
        raise DemoConflict(_l("The demo must fit within the day's opening hours."), field="start")
    clash = db.session.execute(
        select(EventSession.title).where(
            EventSession.location_id == location.id,
            EventSession.start < end,
            EventSession.end > start,
        )
    ).first()
    if clash:
        raise DemoConflict(
            _l("The zone is taken then by: %(title)s.", title=clash.title), field="start"
        )
    session = EventSession(
        event_id=demo.event_id,
        ref=f"demo-{demo.id}",
        title=demo.title,
        kind="demo",
        start=start,
        end=end,
        location_id=location.id,
        description=demo.description,
        exhibitor_id=demo.exhibitor_id,
    )
    db.session.add(session)
    db.session.flush()
    demo.status = "placed"
    demo.session_id = session.id
    try:
        db.session.flush()
    except StaleDataError:  # withdrawn by the exhibitor meanwhile
        db.session.rollback()
        raise DemoConflict(_l("The exhibitor has just withdrawn this request.")) from None
    record("demo.place", demo, after={"session_id": session.id, "start": start.isoformat()})
    return session


def demo_audience(event: Event) -> tuple[list[Delegation], set[str]]:
    """Who an allow-list can name: the event's delegations, and the countries of its
    delegations and delegates."""
    delegations = list(
        db.session.execute(
            select(Delegation)
            .where(Delegation.event_id == event.id)
            .order_by(func.lower(Delegation.name), Delegation.id)
        ).scalars()
    )
    countries = {delegation.country for delegation in delegations}
    countries |= set(
        db.session.execute(
            select(Participant.country)
            .distinct()
            .where(
                Participant.event_id == event.id,
                Participant.role == "delegate",
                Participant.country.is_not(None),
            )
        ).scalars()
    )
    return delegations, countries


def demo_zones(event: Event) -> list[Location]:
    return [location for location in event.locations if location.kind == "demo_zone"]


# --- Matchmaking settings -------------------------------------------------------------


def set_meeting_capacity(exhibitor: Exhibitor, capacity: int) -> None:
    """How many meetings the exhibitor holds at once; never below what is booked."""
    if not 1 <= capacity <= MAX_MEETING_CAPACITY:
        raise ExhibitorError(
            _l("Choose between 1 and %(max)s.", max=MAX_MEETING_CAPACITY), field="capacity"
        )
    before = exhibitor.meeting_capacity
    if before == capacity:
        return
    exhibitor.meeting_capacity = capacity
    try:
        db.session.flush()
    except IntegrityError:
        # Meetings copy the capacity (ON UPDATE CASCADE); the database refuses to lower it
        # under a slot's booked places.
        db.session.rollback()
        raise ExhibitorError(
            _l(
                "Some slots already have more meetings than %(count)s. Cancel or move "
                "meetings first.",
                count=capacity,
            ),
            field="capacity",
        ) from None
    record(
        "exhibitor.capacity",
        exhibitor,
        before={"meeting_capacity": before},
        after={"meeting_capacity": capacity},
    )


def _is_contact(person: Participant | None) -> bool:
    return person is not None and person.role == "delegate" and person.accreditation == "approved"


def delegations_to_meet(event: Event) -> list[tuple[Delegation, Participant]]:
    """Delegations an exhibitor can ask for a meeting, each with the person the request goes
    to (its head if accredited, else its first accredited delegate): government delegations
    first, then military, industry..., each A to Z. Three queries whatever the size."""
    rank = case(
        {kind: position for position, kind in enumerate(DELEGATION_KIND_ORDER)},
        value=Delegation.kind,
        else_=len(DELEGATION_KIND_ORDER),
    )
    delegations = list(
        db.session.execute(
            select(Delegation)
            .where(Delegation.event_id == event.id)
            .options(selectinload(Delegation.head))
            .order_by(rank, func.lower(Delegation.name), Delegation.id)
        ).scalars()
    )
    headless = [d.id for d in delegations if not _is_contact(d.head)]
    fallback: dict[int, Participant] = {}
    if headless:
        accredited = (
            Participant.delegation_id.in_(headless),
            Participant.role == "delegate",
            Participant.accreditation == "approved",
        )
        first = (
            select(func.min(Participant.id)).where(*accredited).group_by(Participant.delegation_id)
        )
        for person in db.session.execute(
            select(Participant).where(Participant.id.in_(first))
        ).scalars():
            fallback[person.delegation_id] = person
    pairs = []
    for delegation in delegations:
        contact = delegation.head if _is_contact(delegation.head) else fallback.get(delegation.id)
        if contact is not None:
            pairs.append((delegation, contact))
    return pairs


def delegation_contact(delegation: Delegation) -> Participant | None:
    """Whom a request to a delegation goes to: its head if accredited, else a member."""
    if _is_contact(delegation.head):
        return delegation.head
    return (
        db.session.execute(
            select(Participant)
            .where(
                Participant.delegation_id == delegation.id,
                Participant.role == "delegate",
                Participant.accreditation == "approved",
            )
            .order_by(Participant.id)
            .limit(1)
        )
        .scalars()
        .first()
    )


def find_delegates(event: Event, query: str, limit: int = 25) -> list[Participant]:
    """Accredited delegates whose name or organisation contains `query`, A to Z."""
    pattern = f"%{escape_like(query.strip())}%"
    return list(
        db.session.execute(
            select(Participant)
            .where(
                Participant.event_id == event.id,
                Participant.role == "delegate",
                Participant.accreditation == "approved",
                Participant.name.ilike(pattern, escape="\\")
                | Participant.organisation.ilike(pattern, escape="\\"),
            )
            .options(selectinload(Participant.delegation))
            .order_by(func.lower(Participant.name), Participant.id)
            .limit(limit)
        ).scalars()
    )


# --- Matchmaking, as the exhibitor sees it (the rules are in matchmaking.booking) ---------


def _requests(exhibitor: Exhibitor):
    return (
        select(MeetingRequest)
        .where(MeetingRequest.exhibitor_id == exhibitor.id)
        .options(
            joinedload(MeetingRequest.delegate).joinedload(Participant.delegation),
            selectinload(MeetingRequest.meeting),
        )
    )


def incoming_requests(exhibitor: Exhibitor) -> list[MeetingRequest]:
    """Delegates' requests waiting for an answer, most wanted first."""
    return list(
        db.session.execute(
            _requests(exhibitor)
            .where(MeetingRequest.requested_by == "delegate", MeetingRequest.status == "pending")
            .order_by(MeetingRequest.priority.desc(), MeetingRequest.created_at, MeetingRequest.id)
        )
        .unique()
        .scalars()
    )


def requests_waiting_for_a_time(exhibitor: Exhibitor) -> list[MeetingRequest]:
    """Accepted requests that have no meeting yet."""
    return list(
        db.session.execute(
            _requests(exhibitor)
            .outerjoin(Meeting, Meeting.request_id == MeetingRequest.id)
            .where(MeetingRequest.status == "accepted", Meeting.id.is_(None))
            .order_by(MeetingRequest.responded_at, MeetingRequest.id)
        )
        .unique()
        .scalars()
    )


def sent_requests(exhibitor: Exhibitor, limit: int = 100) -> list[MeetingRequest]:
    """Requests the exhibitor sent, newest first."""
    return list(
        db.session.execute(
            _requests(exhibitor)
            .where(MeetingRequest.requested_by == "exhibitor")
            .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
            .limit(limit)
        )
        .unique()
        .scalars()
    )


def request_of(exhibitor: Exhibitor, request_id: int) -> MeetingRequest | None:
    """One of this exhibitor's requests, or None (another exhibitor's are not found)."""
    return (
        db.session.execute(_requests(exhibitor).where(MeetingRequest.id == request_id))
        .unique()
        .scalar_one_or_none()
    )


def meeting_of(exhibitor: Exhibitor, meeting_id: int) -> Meeting | None:
    return db.session.execute(
        select(Meeting).where(Meeting.id == meeting_id, Meeting.exhibitor_id == exhibitor.id)
    ).scalar_one_or_none()


def slot_of_event(event: Event, slot_id: int) -> MeetingSlot | None:
    return db.session.execute(
        select(MeetingSlot).where(MeetingSlot.id == slot_id, MeetingSlot.event_id == event.id)
    ).scalar_one_or_none()


@dataclass
class SlotState:
    """One matchmaking slot from the exhibitor's side: booked places and whether blocked."""

    slot: MeetingSlot
    booked: int
    blocked: bool


def slot_states(event: Event, exhibitor: Exhibitor) -> list[tuple[date, list[SlotState]]]:
    """Every slot of the event, per day, with the exhibitor's meetings and blocks (3 queries)."""
    slots = db.session.execute(
        select(MeetingSlot).where(MeetingSlot.event_id == event.id).order_by(MeetingSlot.start)
    ).scalars()
    booked = dict(
        db.session.execute(
            select(Meeting.slot_id, func.count())
            .where(Meeting.exhibitor_id == exhibitor.id)
            .group_by(Meeting.slot_id)
        ).all()
    )
    blocked = set(
        db.session.execute(
            select(Unavailability.slot_id).where(Unavailability.exhibitor_id == exhibitor.id)
        ).scalars()
    )
    days: dict[date, list[SlotState]] = {}
    for slot in slots:
        days.setdefault(slot.start.date(), []).append(
            SlotState(slot=slot, booked=booked.get(slot.id, 0), blocked=slot.id in blocked)
        )
    return sorted(days.items())


def matchmaking_summary(exhibitor: Exhibitor) -> dict[str, int]:
    incoming = db.session.execute(
        select(func.count()).where(
            MeetingRequest.exhibitor_id == exhibitor.id,
            MeetingRequest.requested_by == "delegate",
            MeetingRequest.status == "pending",
        )
    ).scalar_one()
    meetings = db.session.execute(
        select(func.count()).where(Meeting.exhibitor_id == exhibitor.id)
    ).scalar_one()
    return {"incoming": incoming, "meetings": meetings}
