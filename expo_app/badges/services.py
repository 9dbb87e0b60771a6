"""Badge rules: who gets a badge, signing keys, reissue, printing, and the gate's verdict.

Every rule is written here once and called by the web pages, the CLI and the bench:
only approved participants get badges; a reissue bumps the badge version (the old
code then reads as revoked); at a gate a badge admits when it is genuine, current,
valid today and, for a restricted location, names that zone.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any

from babel.dates import format_interval
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import selectinload

from expo_app.audit.models import AuditEntry
from expo_app.audit.services import record
from expo_app.badges import codes
from expo_app.badges.codes import BadgeClaims, InvalidCode
from expo_app.badges.layout import DESIGNS, SHEETS, BadgeFace, EventFace
from expo_app.badges.models import (
    BadgeCategory,
    BadgeKey,
    BadgeScan,
    GateReason,
    ScanDirection,
    ScanResult,
)
from expo_app.countries import country_name
from expo_app.delegations.models import (
    Accreditation,
    Delegation,
    Participant,
    ParticipantRole,
    ParticipantZone,
)
from expo_app.errors import DomainError
from expo_app.events.clock import day_bounds_utc, event_time, event_today, event_zone, naive_utc
from expo_app.events.models import Event, EventSession, Location, SessionKind
from expo_app.exhibitors.admission import DemoOn, demo_allow_lists, demo_on_at, demo_on_for
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from expo_app.modelkit import utcnow

# Who the holder is, by colour band (BadgeCategory.SECURITY waits for a security role).
CATEGORY_OF_ROLE = {
    ParticipantRole.DELEGATE: BadgeCategory.DELEGATION,
    ParticipantRole.EXHIBITOR_STAFF: BadgeCategory.EXHIBITOR,
    ParticipantRole.ORGANISER: BadgeCategory.ORGANISER,
    ParticipantRole.PRESS: BadgeCategory.PRESS,
    ParticipantRole.VIP: BadgeCategory.VIP,
}

ADMIT = GateReason.OK
MAIN_GATE = "main"
BATCH = 500  # participants read from the database at a time while printing
REVOCATIONS_FORMAT = "expo-badge-revocations/1"
DEMOS_FORMAT = "expo-demo-list/1"
_HKDF_SALT = b"expo-badge-key-wrap"


class BadgeError(DomainError):
    """A badge request that cannot be met; the message says why, for a person."""


class NotApproved(BadgeError):
    """Only approved participants get badges; the message names who is not (yet)."""

    def __init__(self, participant: Participant) -> None:
        detail = (
            f"{participant.name} ({participant.ref}) is not approved: no badge until the "
            "accreditation is approved"
        )
        super().__init__(
            _l("Badges are given to approved participants only. %(detail)s", detail=detail)
        )


class UnknownGate(BadgeError):
    """A scan names a gate this event does not have (the gate form offers only real ones)."""

    status = 400


class SigningKeyLocked(BadgeError):
    """The event's private key cannot be opened: SECRET_KEY changed since it was made."""


class NotFound(BadgeError):
    """A participant or delegation named for printing does not exist at this event."""


# --- Keys ------------------------------------------------------------------------------------


def _wrapping_password(key_id: str) -> bytes:
    """The PKCS#8 password of a private key: derived from SECRET_KEY, never stored."""
    secret = current_app.config["SECRET_KEY"]
    secret_bytes = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=_HKDF_SALT,
        info=b"expo badge signing key " + key_id.encode("ascii"),
    ).derive(secret_bytes)
    return derived.hex().encode("ascii")


def new_key_row(event_id: int) -> dict[str, Any]:
    """A fresh Ed25519 key for an event, as the values of its badge_keys row."""
    private = Ed25519PrivateKey.generate()
    raw_public = codes.raw_public_key(private.public_key())
    key_id = codes.key_id_of(raw_public)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_wrapping_password(key_id)),
    ).decode("ascii")
    return {
        "event_id": event_id,
        "key_id": key_id,
        "public_key": raw_public,
        "private_key_pem": pem,
        "created_at": utcnow(),
    }


@sa_event.listens_for(Event, "after_insert")
def _event_gets_its_key(_mapper, connection, target: Event) -> None:
    """Every event is born with its badge key, in the transaction that creates it (setup,
    copy, import, seed): printing or verifying a badge later only reads it."""
    connection.execute(insert(BadgeKey.__table__).values(**new_key_row(target.id)))


def signing_key(event: Event) -> BadgeKey:
    """The event's badge key (made with the event; migration 0006 gave older events one)."""
    key = db.session.execute(select(BadgeKey).filter_by(event_id=event.id)).scalar_one_or_none()
    if key is None:
        raise SigningKeyLocked(_l("This event has no badge key: run `expo db upgrade`."))
    return key


def private_key(key: BadgeKey) -> Ed25519PrivateKey:
    try:
        loaded = serialization.load_pem_private_key(
            key.private_key_pem.encode("ascii"), _wrapping_password(key.key_id)
        )
    except ValueError:
        raise SigningKeyLocked(
            "the event's badge signing key cannot be opened with this SECRET_KEY "
            "(was it changed?): badges cannot be issued, only verified"
        ) from None
    if not isinstance(loaded, Ed25519PrivateKey):  # pragma: no cover - we only store Ed25519
        raise SigningKeyLocked("the stored badge key is not an Ed25519 key")
    return loaded


def public_key_pem(event: Event) -> str:
    return codes.public_key_pem(signing_key(event).public_key)


# --- What a badge says -----------------------------------------------------------------------


def badge_days(event: Event) -> tuple[date, ...]:
    """The days a badge is valid: the event's days, else every date from start to end."""
    days = tuple(day.date for day in event.days)
    if days:
        return days
    count = (event.end_date - event.start_date).days + 1
    return tuple(event.start_date + timedelta(days=offset) for offset in range(count))


def category_of(participant: Participant | str) -> BadgeCategory:
    role = participant if isinstance(participant, str) else participant.role
    return CATEGORY_OF_ROLE.get(role, BadgeCategory.DELEGATION)


def category_name(participant: Participant | str) -> str:
    """The holder's category in the reader's language (the badge's colour band)."""
    return category_of(participant).label


def zone_label(location: Location) -> str:
    """A short, clear zone mark: the location's name up to its first dash."""
    return location.name.split(" — ")[0].split(" - ")[0].strip() or location.name


def claims_for(participant: Participant, key: BadgeKey, days: Sequence[date]) -> BadgeClaims:
    return BadgeClaims(
        key_id=key.key_id,
        event_id=participant.event_id,
        participant_id=participant.id,
        badge_version=participant.badge_version,
        valid_days=tuple(days),
        zones=tuple(participant.zone_location_ids),
    )


# Only accredited participants get badges: the one rule, for rows and for queries.
HOLDS_A_BADGE = Participant.is_accredited
OVERVIEW_PAGE_SIZE = 50


def gets_badge(participant: Participant) -> bool:
    return participant.is_accredited


def ensure_approved(participant: Participant) -> None:
    if not gets_badge(participant):
        raise NotApproved(participant)


def badge_code(participant: Participant) -> str:
    """The signed code of an approved participant's current badge."""
    ensure_approved(participant)
    event = participant.event
    key = signing_key(event)
    return codes.sign(claims_for(participant, key, badge_days(event)), private_key(key))


def reissue(participant: Participant) -> int:
    """A new badge (lost, or zones changed): the version goes up and the old code is revoked."""
    ensure_approved(participant)
    return revoke_printed_codes(participant)


def revoke_printed_codes(participant: Participant) -> int:
    """The badge version goes up, so every code printed so far is refused; for someone
    not approved too (a zone withdrawn after a refusal must not reopen on re-approval)."""
    before = participant.badge_version
    participant.badge_version = before + 1
    record(
        "badge.reissue",
        participant,
        before={"badge_version": before},
        after={"badge_version": participant.badge_version},
    )
    db.session.flush()
    return participant.badge_version


# --- Choosing and printing ------------------------------------------------------------------


def _resolve(model, event: Event, values: Iterable[str | int], what: str) -> list[int]:
    ids = []
    for value in values:
        text = str(value).strip()
        found = db.session.execute(
            select(model.id).filter_by(event_id=event.id, ref=text)
        ).scalar_one_or_none()
        if found is None and text.isdigit():
            found = db.session.execute(
                select(model.id).filter_by(event_id=event.id, id=int(text))
            ).scalar_one_or_none()
        if found is None:
            raise NotFound(f"no {what} {text!r} at {event.slug}")
        ids.append(found)
    return ids


def holder_ids(
    event: Event,
    participants: Iterable[str | int] = (),
    delegations: Iterable[str | int] = (),
    exhibitor_id: int | None = None,
) -> list[int]:
    """The participants whose badges to print, in print order (delegation, then name).

    Nothing named: every approved participant. Participants named by ref or id must be
    approved (else NotApproved); a named delegation or exhibitor gives its approved members.
    """
    person_ids = _resolve(Participant, event, participants, "participant")
    delegation_ids = _resolve(Delegation, event, delegations, "delegation")
    if person_ids:
        pending = db.session.execute(
            select(Participant)
            .where(Participant.id.in_(person_ids), ~HOLDS_A_BADGE)
            .order_by(Participant.name)
        ).scalars()
        for person in pending:
            ensure_approved(person)
    query = select(Participant.id).where(Participant.event_id == event.id, HOLDS_A_BADGE)
    chosen = []
    if person_ids:
        chosen.append(Participant.id.in_(person_ids))
    if delegation_ids:
        chosen.append(Participant.delegation_id.in_(delegation_ids))
    if exhibitor_id is not None:
        chosen.append(Participant.exhibitor_id == exhibitor_id)
    if chosen:
        query = query.where(or_(*chosen))
    query = query.order_by(Participant.delegation_id, Participant.name, Participant.id)
    return list(db.session.execute(query).scalars())


@dataclass
class BadgeOverview:
    """The organiser's badge page: who gets a badge, per delegation and per person."""

    approved: int  # everyone who gets a badge
    delegations: list[tuple[Delegation, int]]  # each with its approved members
    people: list[Participant]  # this page of the search
    total: int  # people matching the search
    page: int
    pages: int


def badge_overview(event: Event, search: str = "", page: int = 1) -> BadgeOverview:
    query = select(Participant).where(Participant.event_id == event.id)
    if search:
        like = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(Participant.name).like(like),
                func.lower(Participant.ref).like(like),
                func.lower(Participant.organisation).like(like),
            )
        )
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    people = list(
        db.session.execute(
            query.order_by(Participant.name, Participant.id)
            .limit(OVERVIEW_PAGE_SIZE)
            .offset((page - 1) * OVERVIEW_PAGE_SIZE)
        ).scalars()
    )
    delegations = db.session.execute(
        select(Delegation, func.count(Participant.id))
        .outerjoin(Participant, (Participant.delegation_id == Delegation.id) & HOLDS_A_BADGE)
        .where(Delegation.event_id == event.id)
        .group_by(Delegation.id)
        .order_by(Delegation.name)
    ).all()
    approved = db.session.execute(
        select(func.count()).where(Participant.event_id == event.id, HOLDS_A_BADGE)
    ).scalar_one()
    return BadgeOverview(
        approved=approved,
        delegations=[(delegation, count) for delegation, count in delegations],
        people=people,
        total=total,
        page=page,
        pages=max(1, -(-total // OVERVIEW_PAGE_SIZE)),
    )


class BadgePrinter:
    """Turns participants into `BadgeFace`s for the renderer, a batch of rows at a time."""

    def __init__(self, event: Event, lang: str = "en") -> None:
        self.event = event
        self.lang = lang
        self.key = signing_key(event)
        self.private_key = private_key(self.key)
        self.days = badge_days(event)
        self.valid_days = frozenset(self.days)
        self.zone_labels = {location.id: zone_label(location) for location in event.locations}
        self._countries: dict[str, str] = {}
        from expo_app.delegations.services import upload_folder

        self.uploads = upload_folder()

    def event_face(self) -> EventFace:
        event = self.event
        locale = "en_GB" if self.lang == "en" else self.lang
        when = format_interval(event.start_date, event.end_date, "yMMMd", locale=locale)
        place = event.city or event.venue
        return EventFace(event.name, f"{when} · {place}" if place else when, self.days)

    def faces(self, ids: Sequence[int]) -> Iterator[BadgeFace]:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            rows = {row.id: row for row in self._rows(chunk)}
            zones = self._zones(chunk)
            for participant_id in chunk:
                row = rows.get(participant_id)
                if row is not None:
                    yield self.face(row, zones.get(participant_id, ()))

    def _rows(self, ids: Sequence[int]):
        return db.session.execute(
            select(
                Participant.id,
                Participant.event_id,
                Participant.ref,
                Participant.name,
                Participant.role,
                Participant.title,
                Participant.organisation,
                Participant.country,
                Participant.badge_version,
                Participant.photo_path,
                Delegation.name.label("delegation"),
                Exhibitor.name.label("exhibitor"),
            )
            .outerjoin(Delegation, Delegation.id == Participant.delegation_id)
            .outerjoin(Exhibitor, Exhibitor.id == Participant.exhibitor_id)
            .where(Participant.id.in_(ids))
        )

    def _zones(self, ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = {}
        rows = db.session.execute(
            select(ParticipantZone.participant_id, ParticipantZone.location_id)
            .where(ParticipantZone.participant_id.in_(ids))
            .order_by(ParticipantZone.participant_id, ParticipantZone.position)
        )
        for participant_id, location_id in rows:
            found.setdefault(participant_id, []).append(location_id)
        return {key: tuple(value) for key, value in found.items()}

    def _country(self, code: str | None) -> str:
        if not code:
            return ""
        name = self._countries.get(code)
        if name is None:
            name = self._countries[code] = country_name(code, self.lang)
        return name

    def face(self, row: Any, zones: Sequence[int]) -> BadgeFace:
        claims = BadgeClaims(
            key_id=self.key.key_id,
            event_id=row.event_id,
            participant_id=row.id,
            badge_version=row.badge_version,
            valid_days=self.days,
            zones=tuple(zones),
        )
        photo = None
        if row.photo_path:
            path = self.uploads / row.photo_path
            photo = str(path) if path.is_file() else None
        where = " · ".join(part for part in (self._country(row.country), row.delegation) if part)
        return BadgeFace(
            category=category_of(row.role),
            name=row.name,
            title=row.title or "",
            organisation=row.organisation or row.exhibitor or "",
            where_from=where,
            zones=[self.zone_labels.get(zone, str(zone)) for zone in zones],
            valid_days=self.valid_days,
            reference=f"{row.ref} · v{row.badge_version}",
            code=codes.sign(claims, self.private_key),
            photo=photo,
        )


@dataclass
class PrintRun:
    badges: int
    pages: int


def write_badges(
    event: Event,
    out: IO[bytes] | str,
    ids: Sequence[int],
    layout: str = "a6",
    on_badge: Callable[[int], None] | None = None,
) -> PrintRun:
    """Draw the badges of `ids` (see holder_ids) into `out`, one sheet after another."""
    from expo_app.badges.render import BadgeRenderer

    if layout not in SHEETS:
        raise BadgeError(f"unknown layout {layout!r} (known: {', '.join(SHEETS)})")
    printer = BadgePrinter(event)
    renderer = BadgeRenderer(
        out,
        printer.event_face(),
        SHEETS[layout],
        DESIGNS["a6"],
        title=f"{event.name} — badges",
    )
    for face in printer.faces(ids):
        renderer.draw(face)
        if on_badge is not None:
            on_badge(1)
    pages = renderer.close()
    return PrintRun(badges=renderer.badges, pages=pages)


# --- Revocations, for scanners that work offline ------------------------------------------


def _canonical(document: dict) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def revocation_list(event: Event) -> dict:
    """Every badge version no longer valid, signed with the event's key.

    A scanner admits a code only if its version is at least `lowest_valid_version` of
    its participant (absent: any version). The list names only people who can hold a
    genuine code that no longer admits: codes are signed for approved participants
    only, so someone never approved holds none and is not listed (the list does not
    tell outsiders who was refused or waits). Listed are those whose badge was reissued
    (older versions revoked) and those approved once and then withdrawn (every version
    revoked: their current version + 1).
    """
    key = signing_key(event)
    rows = db.session.execute(
        select(Participant.id, Participant.badge_version, Participant.is_accredited)
        .where(
            Participant.event_id == event.id,
            or_(
                Participant.badge_version > 1,
                ~HOLDS_A_BADGE & Participant.id.in_(_withdrawn(event)),
            ),
        )
        .order_by(Participant.id)
    )
    revoked = [
        {
            "participant": participant_id,
            "lowest_valid_version": version if accredited else version + 1,
        }
        for participant_id, version, accredited in rows
    ]
    return _signed_list(event, key, REVOCATIONS_FORMAT, revoked=revoked)


def _signed_list(event: Event, key: BadgeKey, format_name: str, **content) -> dict:
    """A list for offline scanners (revocations, demos), signed with the event's key over
    its canonical JSON, so a scanner trusts it as it trusts a badge."""
    document = {
        "format": format_name,
        "event": event.slug,
        "key_id": key.key_id,
        "generated_at": utcnow().replace(microsecond=0).isoformat() + "Z",
        **content,
    }
    signature = private_key(key).sign(_canonical(document))
    document["signature"] = base64.b64encode(signature).decode("ascii")
    return document


def _verified_body(document: dict, public_key, what: str) -> dict:
    """The list without its signature, once the signature checks out (else BadgeError)."""
    body = {key: value for key, value in document.items() if key != "signature"}
    try:
        signature = base64.b64decode(document["signature"])
        codes.load_public_key(public_key).verify(signature, _canonical(body))
    except Exception:
        raise BadgeError(f"the {what} is not signed with this event's key") from None
    return body


def _withdrawn(event: Event):
    """The ids of participants no longer approved who were approved once, and so may hold
    a signed code: the audit log keeps every accreditation decision, and approval is left
    only by a refusal that records what it was before."""
    was_approved = AuditEntry.before["accreditation"].as_string() == Accreditation.APPROVED.value
    return select(AuditEntry.entity_id).where(
        AuditEntry.event_id == event.id,
        AuditEntry.entity == Participant.__name__,
        AuditEntry.action == "participant.rejected",
        was_approved,
    )


def read_revocation_list(document: dict, public_key) -> dict[int, int]:
    """participant id -> lowest valid version, from a list whose signature checks out."""
    body = _verified_body(document, public_key, "revocation list")
    return {int(item["participant"]): int(item["lowest_valid_version"]) for item in body["revoked"]}


def demo_list(event: Event) -> dict:
    """Every demo at a gated (restricted) location, signed with the event's key: when it
    runs (UTC), its title, and, for a demo its exhibitor restricted, the participants on
    its list. With it an offline scanner refuses, during that demo, a holder of the zone
    who is not admitted to it, as the online gate does (`gate_decision`'s `demo`)."""
    key = signing_key(event)
    zone = event_zone(event) or UTC
    allow_lists = demo_allow_lists(event.id)
    people = list(
        db.session.execute(
            select(Participant)
            .where(Participant.event_id == event.id, HOLDS_A_BADGE)
            .options(selectinload(Participant.delegation), selectinload(Participant.zones))
            .order_by(Participant.id)
        ).scalars()
    )
    demos = []
    for session in db.session.execute(
        select(EventSession)
        .join(Location, EventSession.location_id == Location.id)
        .where(
            EventSession.event_id == event.id,
            EventSession.kind == SessionKind.DEMO,
            Location.restricted.is_(True),
        )
        .order_by(EventSession.start, EventSession.id)
    ).scalars():
        on = demo_on_for(session, people, allow_lists)
        demos.append(
            {
                "session": session.id,
                "location": session.location_id,
                "title": session.title,
                "start": _utc_text(session.start, zone),
                "end": _utc_text(session.end, zone),
                "restricted": on.restricted,
                "admitted": sorted(on.admitted),
            }
        )
    return _signed_list(event, key, DEMOS_FORMAT, demos=demos)


def _utc_text(wall_clock: datetime, zone) -> str:
    return naive_utc(wall_clock.replace(tzinfo=zone)).isoformat() + "Z"


@dataclass(frozen=True)
class ListedDemo:
    """A demo of a signed demo list: where and when it runs (naive UTC), and who may watch."""

    location_id: int
    start: datetime
    end: datetime
    demo: DemoOn


def read_demo_list(document: dict, public_key) -> list[ListedDemo]:
    """The demos of a list whose signature checks out (else BadgeError)."""
    body = _verified_body(document, public_key, "demo list")

    def instant(text: str) -> datetime:
        return datetime.fromisoformat(text.removesuffix("Z"))

    return [
        ListedDemo(
            int(item["location"]),
            instant(item["start"]),
            instant(item["end"]),
            DemoOn(
                int(item["session"]),
                str(item["title"]),
                bool(item["restricted"]),
                frozenset(int(pid) for pid in item["admitted"]),
            ),
        )
        for item in body["demos"]
    ]


def listed_demo_on(demos: Iterable[ListedDemo], location_id: int, at: datetime) -> DemoOn | None:
    """The listed demo running at this location at `at` (naive UTC), for `gate_decision`."""
    for listed in demos:
        if listed.location_id == location_id and listed.start <= naive_utc(at) < listed.end:
            return listed.demo
    return None


# --- At the gate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Gate:
    key: str  # "main" or the location's id
    name: str
    location_id: int | None = None
    restricted: bool = False


def gates(event: Event) -> list[Gate]:
    """The main entrance, then every restricted location (a gate that checks zones)."""
    found = [Gate(MAIN_GATE, str(_l("Main entrance")))]
    for location in event.locations:
        if location.restricted:
            found.append(Gate(str(location.id), zone_label(location), location.id, True))
    return found


def gate_named(event: Event, key: str | None) -> Gate | None:
    for gate in gates(event):
        if gate.key == (key or MAIN_GATE):
            return gate
    return None


def gate_decision(
    claims: BadgeClaims,
    *,
    event_id: int,
    gate: Gate,
    today: date,
    current_version: int | None,
    accredited: bool,
    direction: str = ScanDirection.ENTRY,
    demo: DemoOn | None = None,
) -> GateReason:
    """The reason of the verdict for a genuine code: "ok" admits, anything else refuses.

    Pure: the online gate calls it with the database's answers, an offline scanner with
    its revocation and demo lists. Leaving is always allowed on a genuine, current badge;
    entering also needs the day, at a restricted location the zone, and while a demo
    runs there, admission to that demo (`demo`: the one on now, if any).
    """
    if claims.event_id != event_id:
        return GateReason.WRONG_EVENT
    if current_version is None:
        return GateReason.UNKNOWN
    if claims.badge_version != current_version:
        return GateReason.REVOKED
    if not accredited:
        return GateReason.NOT_ACCREDITED
    if direction == ScanDirection.EXIT:
        return ADMIT
    if not claims.valid_on(today):
        return GateReason.NOT_TODAY
    if gate.restricted and gate.location_id is not None and not claims.admits_to(gate.location_id):
        return GateReason.WRONG_ZONE
    if demo is not None and not demo.admits(claims.participant_id):
        return GateReason.DEMO_RESTRICTED
    return ADMIT


@dataclass
class CheckIn:
    """The verdict shown to the guard, and what was logged."""

    admitted: bool
    reason: str
    gate: Gate
    direction: str
    participant: Participant | None = None
    claims: BadgeClaims | None = None
    zones: list[str] = field(default_factory=list)
    demo: DemoOn | None = None  # the demo on at this gate's location at the scan

    @property
    def message(self) -> str:
        return GateReason.label_of(self.reason)

    @property
    def verdict(self) -> ScanResult:
        return ScanResult.ADMIT if self.admitted else ScanResult.REFUSE

    @property
    def verdict_label(self) -> str:
        return self.verdict.label

    @property
    def is_exit(self) -> bool:
        return self.direction == ScanDirection.EXIT

    @property
    def direction_label(self) -> str:
        return ScanDirection.label_of(self.direction)

    @property
    def category(self) -> BadgeCategory | None:
        return category_of(self.participant) if self.participant else None

    @property
    def category_name(self) -> str:
        return self.category.label if self.category else ""


def read_code(event: Event, code: str) -> BadgeClaims:
    """The claims of a code genuine for this event, else InvalidCode (reason: malformed,
    forged, or wrong_event when another event of this installation signed it)."""
    claimed_key = codes.key_id_in(code)
    key = signing_key(event)
    if claimed_key != key.key_id:
        other = db.session.execute(
            select(BadgeKey).filter_by(key_id=claimed_key)
        ).scalar_one_or_none()
        if other is not None:
            codes.verify(code, other.public_key)  # forged stays forged
            raise InvalidCode(GateReason.WRONG_EVENT, "the badge was signed for another event")
    return codes.verify(code, key.public_key)


def check_in(
    event: Event,
    code: str,
    gate: Gate,
    direction: str = ScanDirection.ENTRY,
    user_id: int | None = None,
    now: datetime | None = None,
) -> CheckIn:
    """Verify a scanned code at a gate and log the scan, whatever the verdict."""
    if direction not in ScanDirection.values():
        raise BadgeError(f"unknown direction {direction!r}")
    participant = None
    claims = None
    demo = None
    try:
        claims = read_code(event, code)
    except InvalidCode as exc:
        reason = GateReason(exc.reason)
    else:
        participant = db.session.get(Participant, claims.participant_id)
        if participant is not None and participant.event_id != event.id:
            participant = None
        demo = _demo_on(event, gate, participant, now)
        reason = gate_decision(
            claims,
            event_id=event.id,
            gate=gate,
            today=event_today(event, now),
            current_version=participant.badge_version if participant else None,
            accredited=bool(participant and gets_badge(participant)),
            direction=direction,
            demo=demo,
        )
    admitted = reason == ADMIT
    db.session.add(
        BadgeScan(
            event_id=event.id,
            location_id=gate.location_id,
            participant_id=participant.id if participant else None,
            badge_version=claims.badge_version if claims else None,
            direction=direction,
            result=ScanResult.ADMIT if admitted else ScanResult.REFUSE,
            reason=reason,
            user_id=user_id,
            at=(now.astimezone(UTC).replace(tzinfo=None) if now else utcnow()),
        )
    )
    db.session.flush()
    zones = []
    if participant is not None:
        names = {location.id: location.name for location in event.locations}
        zones = [names.get(zone, str(zone)) for zone in participant.zone_location_ids]
    return CheckIn(admitted, reason, gate, direction, participant, claims, zones, demo)


def _demo_on(
    event: Event, gate: Gate, participant: Participant | None, now: datetime | None
) -> DemoOn | None:
    """The demo running at the gate's location at the scan, with whether this holder is
    on its list (the gate checks the zone and accreditation itself)."""
    if gate.location_id is None:
        return None
    session = demo_on_at(event.id, gate.location_id, event_time(event, now or utcnow()))
    if session is None:
        return None
    people = [participant] if participant is not None else []
    return demo_on_for(session, people, demo_allow_lists(event.id))


def check_in_at(
    event: Event, code: str, gate_key: str | None, direction: str, user_id: int | None = None
) -> CheckIn:
    """A scan at the gate named by its key (the gate page's form): check_in, logged."""
    gate = gate_named(event, gate_key)
    if gate is None:
        raise UnknownGate(_l("This request is not valid."))
    return check_in(event, code, gate, direction, user_id=user_id)


@dataclass
class ZoneCount:
    gate: Gate
    inside: int = 0
    admitted_today: int = 0
    refused_today: int = 0


def zone_counts(event: Event, now: datetime | None = None) -> list[ZoneCount]:
    """Per gate: people inside now (their last admitted scan there was an entry), and
    today's admissions and refusals."""
    counts = {gate.location_id: ZoneCount(gate) for gate in gates(event)}
    latest = (
        select(func.max(BadgeScan.id))
        .where(
            BadgeScan.event_id == event.id,
            BadgeScan.result == ScanResult.ADMIT,
            BadgeScan.participant_id.is_not(None),
        )
        .group_by(BadgeScan.participant_id, BadgeScan.location_id)
    )
    inside = db.session.execute(
        select(BadgeScan.location_id, func.count())
        .where(BadgeScan.id.in_(latest), BadgeScan.direction == ScanDirection.ENTRY)
        .group_by(BadgeScan.location_id)
    )
    for location_id, count in inside:
        if location_id in counts:
            counts[location_id].inside = count
    start, end = day_bounds_utc(event, event_today(event, now))
    today = db.session.execute(
        select(BadgeScan.location_id, BadgeScan.result, func.count())
        .where(
            BadgeScan.event_id == event.id,
            BadgeScan.direction == ScanDirection.ENTRY,
            BadgeScan.at >= start,
            BadgeScan.at < end,
        )
        .group_by(BadgeScan.location_id, BadgeScan.result)
    )
    for location_id, result, count in today:
        if location_id in counts:
            if result == ScanResult.ADMIT:
                counts[location_id].admitted_today = count
            else:
                counts[location_id].refused_today = count
    return list(counts.values())


def recent_scans(event: Event, limit: int = 10) -> list[BadgeScan]:
    return list(
        db.session.execute(
            select(BadgeScan)
            .where(BadgeScan.event_id == event.id)
            .order_by(BadgeScan.id.desc())
            .limit(limit)
        ).scalars()
    )
