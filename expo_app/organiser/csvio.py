"""CSV export and import of exhibitors and participants.

Export streams the rows (any size, constant memory). Import is two steps: the upload is
read and checked row by row (`preview_import`), and what would be written is kept on the
server under a random token; nothing reaches the database until the organiser accepts
(`accept_import`), which checks again against the data as it is then, and writes all or
nothing. Rows are matched on `ref`: a known ref updates, a new one adds.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from expo_app import drafts
from expo_app.audit.services import record
from expo_app.countries import country_name
from expo_app.delegations import services as delegations
from expo_app.delegations.models import Accreditation, Delegation, Participant, ParticipantRole
from expo_app.errors import DomainError
from expo_app.events.models import Event
from expo_app.exhibitors import services as exhibitor_services
from expo_app.exhibitors.models import Approval, Exhibitor
from expo_app.extensions import db
from expo_app.links import LinkRefused, web_address
from expo_app.modelkit import Choice

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 60_000
PREVIEW_ROWS = 200
BATCH = 1000

EXHIBITOR_COLUMNS = [
    "ref",
    "name",
    "country",
    "sectors",
    "approval",
    "meeting_capacity",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "description",
    "description_fr",
    "stands",
]
PARTICIPANT_COLUMNS = [
    "ref",
    "name",
    "email",
    "role",
    "organisation",
    "title",
    "country",
    "delegation",
    "exhibitor",
    "accreditation",
    "rejection_reason",
]
REQUIRED = {"exhibitors": ["name", "country"], "participants": ["name", "email"]}
READ_ONLY = {"stands"}  # exported for reading, ignored on import
# The longest text each free-text column holds: the database's column sizes, and for long
# texts what the forms allow. The other columns (ref, country, closed sets, refs) have
# checks of their own that refuse anything too long.
TEXT_LIMITS = {
    "exhibitors": {
        "name": 200,
        "sectors": 1000,
        "contact_name": 200,
        "contact_email": 254,
        "contact_phone": 40,
        "website": 300,
        "description": 4000,
        "description_fr": 4000,
    },
    "participants": {
        "name": 200,
        "email": 254,
        "organisation": 200,
        "title": 200,
        "rejection_reason": 1000,
    },
}
MULTILINE = {"description", "description_fr", "rejection_reason"}


class ImportRefused(DomainError):
    """The file as a whole cannot be read (not CSV, too large, missing columns)."""

    status = 422
    default_field = "file"


# --------------------------------------------------------------------------- export


def _cell(value: Any) -> str:
    """A value as a spreadsheet will read it; a leading = + - @ would run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def export_rows(event: Event, kind: str) -> Iterator[str]:
    """The CSV text of every exhibitor or participant, in chunks of BATCH rows.

    The rows are read as the response streams, after the request's transaction ended:
    only the event's id is kept, not the (by then expired) event object.
    """
    columns = EXHIBITOR_COLUMNS if kind == "exhibitors" else PARTICIPANT_COLUMNS
    reader = _exhibitor_rows if kind == "exhibitors" else _participant_rows
    return _chunks(columns, reader(event.id))


def _chunks(columns: list[str], rows: Iterator[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")  # the BOM lets spreadsheet programs read UTF-8
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_cell(value) for value in row])
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _exhibitor_rows(event_id: int) -> Iterator[list[Any]]:
    statement = (
        select(Exhibitor)
        .where(Exhibitor.event_id == event_id)
        .options(selectinload(Exhibitor.sectors), selectinload(Exhibitor.stands))
        .order_by(Exhibitor.ref)
        .execution_options(yield_per=BATCH)
    )
    for exhibitor in db.session.execute(statement).scalars():
        yield [
            exhibitor.ref,
            exhibitor.name,
            exhibitor.country,
            "; ".join(exhibitor.sector_names),
            exhibitor.approval,
            exhibitor.meeting_capacity,
            exhibitor.contact_name,
            exhibitor.contact_email,
            exhibitor.contact_phone,
            exhibitor.website,
            exhibitor.description,
            exhibitor.description_fr,
            " ".join(stand.ref for stand in exhibitor.stands),
        ]


def _participant_rows(event_id: int) -> Iterator[list[Any]]:
    statement = (
        select(
            Participant.ref,
            Participant.name,
            Participant.email,
            Participant.role,
            Participant.organisation,
            Participant.title,
            Participant.country,
            Delegation.ref,
            Exhibitor.ref,
            Participant.accreditation,
            Participant.rejection_reason,
        )
        .outerjoin(Delegation, Delegation.id == Participant.delegation_id)
        .outerjoin(Exhibitor, Exhibitor.id == Participant.exhibitor_id)
        .where(Participant.event_id == event_id)
        .order_by(Participant.ref)
        .execution_options(yield_per=BATCH)
    )
    for row in db.session.execute(statement):
        yield list(row)


# --------------------------------------------------------------------------- import


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class Pending:
    """An import waiting for the organiser's decision, as kept on the server."""

    token: str
    event_id: int
    user_id: int
    kind: str
    rows: list[dict[str, Any]]  # every row read, with its line number
    errors: list[RowError]
    created: int = 0
    updated: int = 0

    @property
    def bad_lines(self) -> set[int]:
        return {error.line for error in self.errors}

    @property
    def good_rows(self) -> list[dict[str, Any]]:
        bad = self.bad_lines
        return [row for row in self.rows if row["_line"] not in bad]

    @property
    def preview(self) -> list[dict[str, Any]]:
        return self.rows[:PREVIEW_ROWS]

    @property
    def columns(self) -> list[str]:
        names = EXHIBITOR_COLUMNS if self.kind == "exhibitors" else PARTICIPANT_COLUMNS
        return [name for name in names if name not in READ_ONLY]

    def errors_of(self, line: int) -> list[RowError]:
        return [error for error in self.errors if error.line == line]


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _read_csv(upload) -> tuple[list[str], csv.DictReader]:
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(_l("The file is larger than %(mb)d MB.", mb=MAX_BYTES // 2**20))
    if not data.strip():
        raise ImportRefused(_l("The file is empty."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportRefused(_l("The file is not a text (CSV) file.")) from None
    if "\x00" in text:
        raise ImportRefused(_l("The file is not a text (CSV) file."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    return header, reader


def preview_import(event: Event, kind: str, upload, *, user_id: int) -> Pending:
    """Read and check an uploaded CSV; keep the result under a new token. Writes nothing."""
    header, reader = _read_csv(upload)
    missing = [name for name in REQUIRED[kind] if name not in header]
    if missing:
        raise ImportRefused(
            _l(
                "The first line must name the columns; missing: %(names)s.",
                names=", ".join(missing),
            )
        )
    known = EXHIBITOR_COLUMNS if kind == "exhibitors" else PARTICIPANT_COLUMNS
    rows = []
    try:
        for line, raw in enumerate(reader, start=2):
            if line - 1 > MAX_ROWS:
                raise ImportRefused(_l("At most %(num)d rows at a time.", num=MAX_ROWS))
            row = {key: (raw.get(key) or "").strip() for key in known if key not in READ_ONLY}
            row["_present"] = [key for key in known if key in header]
            if not any(row[key] for key in row if not key.startswith("_")):
                continue  # blank line
            row["_line"] = line
            rows.append(row)
    except csv.Error as error:
        raise ImportRefused(_l("The file is not valid CSV: %(why)s", why=str(error))) from None
    if not rows:
        raise ImportRefused(_l("The file has no rows under its header line."))
    errors = check_rows(event, kind, rows)
    pending = Pending(drafts.new_token(), event.id, user_id, kind, rows, errors)
    _store(pending)
    return pending


DRAFTS = "imports"


def _store(pending: Pending) -> None:
    payload = {
        "event_id": pending.event_id,
        "user_id": pending.user_id,
        "kind": pending.kind,
        "rows": pending.rows,
        "errors": [error.__dict__ for error in pending.errors],
    }
    drafts.keep(DRAFTS, pending.token, payload)


def load_pending(event: Event, token: str, *, user_id: int) -> Pending | None:
    """The import kept under `token`, if it is this organiser's, for this event, and fresh."""
    payload = drafts.fetch(DRAFTS, token, event_id=event.id, user_id=user_id)
    if payload is None:
        return None
    return Pending(
        token=token,
        event_id=payload["event_id"],
        user_id=payload["user_id"],
        kind=payload["kind"],
        rows=payload["rows"],
        errors=[RowError(**error) for error in payload["errors"]],
    )


def refresh_pending(event: Event, token: str, pending: Pending, errors: list[RowError]) -> Pending:
    pending.errors = errors
    _store(pending)
    return pending


def discard_pending(token: str) -> None:
    drafts.forget(DRAFTS, token)


# --------------------------------------------------------------------------- checks


def _email_ok(text: str) -> bool:
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _country_ok(code: str) -> bool:
    return len(code) == 2 and code.isalpha() and country_name(code, "en") != code.upper()


def check_rows(event: Event, kind: str, rows: list[dict[str, Any]]) -> list[RowError]:
    """Every problem of every row, checked against the event's data as it is now
    (a handful of queries, whatever the number of rows)."""
    errors = _check_texts(kind, rows)
    if kind == "exhibitors":
        errors += _check_exhibitors(event, rows)
    else:
        errors += _check_participants(event, rows)
    errors.sort(key=lambda error: error.line)  # stable: a row's problems stay in column order
    return errors


def _check_texts(kind: str, rows: list[dict[str, Any]]) -> list[RowError]:
    """Free-text cells: no control characters (line breaks only in long texts), no more
    characters than the column holds."""
    errors: list[RowError] = []
    for row in rows:
        for column, limit in TEXT_LIMITS[kind].items():
            value = row.get(column) or ""
            if _has_control(value, multiline=column in MULTILINE):
                errors.append(
                    RowError(
                        row["_line"],
                        column,
                        _("This cell holds a control character; remove it and import again."),
                    )
                )
            elif len(value) > limit:
                errors.append(
                    RowError(row["_line"], column, _("At most %(num)d characters.", num=limit))
                )
    return errors


def _has_control(text: str, *, multiline: bool) -> bool:
    allowed = "\t\n\r" if multiline else ""
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in text)


def _number_in(text: str, low: int, high: int) -> bool:
    """ASCII digits only ("²" and "١٢" are digits to str.isdigit, not numbers here), and
    short enough to read without turning a 5,000-digit cell into an integer."""
    return re.fullmatch(r"[0-9]{1,6}", text) is not None and low <= int(text) <= high


def _check_exhibitors(event: Event, rows: list[dict[str, Any]]) -> list[RowError]:
    errors: list[RowError] = []
    seen: set[str] = set()
    stored_websites: dict[str, str] = {}
    if rows and not _given(rows[0], "website"):  # the same columns on every row
        stored_websites = dict(
            db.session.execute(
                select(Exhibitor.ref, Exhibitor.website).where(
                    Exhibitor.event_id == event.id, Exhibitor.website.is_not(None)
                )
            ).all()
        )
    for row in rows:
        line = row["_line"]

        def bad(column: str, message, line=line) -> None:
            errors.append(RowError(line, column, str(message)))

        if not row["name"]:
            bad("name", _("The name is missing."))
        if not _country_ok(row["country"]):
            bad("country", _("Give a two-letter country code, e.g. ML or FR."))
        if row.get("approval") and row["approval"] not in Approval.values():
            bad("approval", _one_of(Approval))
        capacity = row.get("meeting_capacity")
        if capacity and not _number_in(capacity, 1, exhibitor_services.MAX_MEETING_CAPACITY):
            bad(
                "meeting_capacity",
                _("A number from 1 to %(max)d.", max=exhibitor_services.MAX_MEETING_CAPACITY),
            )
        if row.get("contact_email") and not _email_ok(row["contact_email"]):
            bad("contact_email", _("This is not an email address."))
        if _given(row, "website"):
            website = row.get("website")
        else:  # the row keeps the exhibitor's website: it must pass the rule too
            website = stored_websites.get(row.get("ref", ""))
        try:
            web_address(website)
        except LinkRefused as refusal:
            bad("website", refusal)
        ref = row.get("ref", "")
        if ref:
            if len(ref) > 64 or not re.fullmatch(r"[\w.-]+", ref):
                bad("ref", _("Letters, digits, dots and hyphens only, at most 64."))
            elif ref in seen:
                bad("ref", _("This ref appears twice in the file."))
            seen.add(ref)
    return errors


def _check_participants(event: Event, rows: list[dict[str, Any]]) -> list[RowError]:
    errors: list[RowError] = []
    existing = {
        row.ref: row.email.lower()
        for row in db.session.execute(
            select(Participant.ref, Participant.email).where(Participant.event_id == event.id)
        )
    }
    owner_of_email = {email: ref for ref, email in existing.items()}
    delegation_refs = set(
        db.session.execute(select(Delegation.ref).where(Delegation.event_id == event.id)).scalars()
    )
    exhibitor_refs = set(
        db.session.execute(select(Exhibitor.ref).where(Exhibitor.event_id == event.id)).scalars()
    )
    seen_refs: set[str] = set()
    seen_emails: set[str] = set()
    for row in rows:
        line = row["_line"]

        def bad(column: str, message, line=line) -> None:
            errors.append(RowError(line, column, str(message)))

        if not row["name"]:
            bad("name", _("The name is missing."))
        email = row["email"].lower()
        ref = row.get("ref", "")
        if not row["email"]:
            bad("email", _("The email is missing."))
        elif not _email_ok(row["email"]):
            bad("email", _("This is not an email address."))
        elif email in seen_emails:
            bad("email", _("This email appears twice in the file."))
        elif email in owner_of_email and owner_of_email[email] != ref:
            bad("email", _("Someone else of this event has this email."))
        seen_emails.add(email)
        if ref:
            if len(ref) > 64 or not re.fullmatch(r"[\w.-]+", ref):
                bad("ref", _("Letters, digits, dots and hyphens only, at most 64."))
            elif ref in seen_refs:
                bad("ref", _("This ref appears twice in the file."))
            seen_refs.add(ref)
        role = _role_of(row)
        if role not in ParticipantRole.values():
            bad("role", _one_of(ParticipantRole))
        if row.get("country") and not _country_ok(row["country"]):
            bad("country", _("Give a two-letter country code, e.g. ML or FR."))
        if row.get("delegation") and row["delegation"] not in delegation_refs:
            bad("delegation", _("No delegation of this event has this ref."))
        if row.get("exhibitor") and row["exhibitor"] not in exhibitor_refs:
            bad("exhibitor", _("No exhibitor of this event has this ref."))
        if role == ParticipantRole.EXHIBITOR_STAFF and not row.get("exhibitor"):
            bad("exhibitor", _("Exhibitor staff need the exhibitor's ref."))
        if row.get("accreditation") and row["accreditation"] not in Accreditation.values():
            bad("accreditation", _one_of(Accreditation))
    return errors


def _one_of(choice: type[Choice]) -> str:
    """The refusal of a value outside a closed set: the values the file may use."""
    return _("One of: %(values)s.", values=", ".join(choice.values()))


def _role_of(row: dict[str, Any]) -> str:
    """A row without a role is a delegate's."""
    return row.get("role") or ParticipantRole.DELEGATE.value


# --------------------------------------------------------------------------- writing


def accept_import(event: Event, pending: Pending) -> Outcome:
    """Write the rows without errors, after checking them again against the data as it is
    now. Returns new errors (and writes nothing) if the data changed in between."""
    rows = pending.good_rows
    errors = check_rows(event, pending.kind, rows)
    if errors:
        return Outcome(errors=errors)
    if pending.kind == "exhibitors":
        outcome = _write_exhibitors(event, rows)
    else:
        outcome = _write_participants(event, rows)
    record(
        f"import.{pending.kind}",
        event,
        event_id=event.id,
        after={"created": outcome.created, "updated": outcome.updated, "rows": len(rows)},
    )
    return outcome


def _given(row: dict[str, Any], key: str) -> bool:
    return key in row.get("_present", [])


def _write_exhibitors(event: Event, rows: list[dict[str, Any]]) -> Outcome:
    outcome = Outcome()
    refs = [row["ref"] for row in rows if row.get("ref")]
    known = (
        {
            exhibitor.ref: exhibitor
            for exhibitor in db.session.execute(
                select(Exhibitor)
                .where(Exhibitor.event_id == event.id, Exhibitor.ref.in_(refs))
                .options(selectinload(Exhibitor.sectors))
            ).scalars()
        }
        if refs
        else {}
    )
    for row in rows:
        exhibitor = known.get(row.get("ref", ""))
        details = exhibitor_services.CompanyDetails(
            name=row["name"],
            country=row["country"].upper(),
            sectors=exhibitor_services.parse_sectors(row.get("sectors"))
            if _given(row, "sectors") or exhibitor is None
            else (exhibitor.sector_names if exhibitor else []),
            description=_keep(row, "description", exhibitor),
            description_fr=_keep(row, "description_fr", exhibitor),
            website=_keep(row, "website", exhibitor),
            contact_name=_keep(row, "contact_name", exhibitor),
            contact_email=_keep(row, "contact_email", exhibitor),
            contact_phone=_keep(row, "contact_phone", exhibitor),
        )
        approval = row.get("approval") or None
        capacity = int(row["meeting_capacity"]) if row.get("meeting_capacity") else None
        if exhibitor is None:
            exhibitor = Exhibitor(
                event_id=event.id,
                ref=row.get("ref") or exhibitor_services.new_exhibitor_ref(event, row["name"]),
                approval=approval or Approval.APPROVED.value,
                meeting_capacity=capacity or 1,
            )
            exhibitor_services.apply_details(exhibitor, details)
            db.session.add(exhibitor)
            db.session.flush()
            outcome.created += 1
            continue
        exhibitor_services.update_profile(exhibitor, details)
        if approval and approval != exhibitor.approval and approval != Approval.PENDING:
            exhibitor_services.approve_exhibitor(exhibitor, approve=approval == Approval.APPROVED)
        if capacity and capacity != exhibitor.meeting_capacity:
            exhibitor_services.set_meeting_capacity(exhibitor, capacity)
        outcome.updated += 1
    return outcome


def _keep(row: dict[str, Any], key: str, existing: Any) -> str | None:
    """The file's value of a column, or the current one when the file has no such column."""
    if _given(row, key) or existing is None:
        return row.get(key) or None
    return getattr(existing, key)


def _write_participants(event: Event, rows: list[dict[str, Any]]) -> Outcome:
    outcome = Outcome()
    delegation_ids = dict(
        db.session.execute(
            select(Delegation.ref, Delegation.id).where(Delegation.event_id == event.id)
        ).all()
    )
    exhibitor_ids = dict(
        db.session.execute(
            select(Exhibitor.ref, Exhibitor.id).where(Exhibitor.event_id == event.id)
        ).all()
    )
    refs = [row["ref"] for row in rows if row.get("ref")]
    known: dict[str, Participant] = {}
    for start in range(0, len(refs), 900):  # stay under SQLite's bound-parameter limit
        chunk = refs[start : start + 900]
        known.update(
            (person.ref, person)
            for person in db.session.execute(
                select(Participant).where(
                    Participant.event_id == event.id, Participant.ref.in_(chunk)
                )
            ).scalars()
        )
    fields = ["name", "email", "role", "organisation", "title", "country"]
    for row in rows:
        person = known.get(row.get("ref", ""))
        values = {
            "name": row["name"],
            "email": row["email"],
            "role": _role_of(row),
            "organisation": row.get("organisation") or None,
            "title": row.get("title") or None,
            "country": (row.get("country") or "").upper() or None,
            "delegation_id": delegation_ids.get(row.get("delegation") or ""),
            "exhibitor_id": exhibitor_ids.get(row.get("exhibitor") or ""),
        }
        wanted = row.get("accreditation") or None
        if person is None:
            person = Participant(
                event_id=event.id,
                ref=row.get("ref") or f"imp-{secrets.token_hex(5)}",
                accreditation=Accreditation.PENDING.value,
                **values,
            )
            db.session.add(person)
            outcome.created += 1
        else:
            for key, value in values.items():
                if key in fields and not _given(row, key):
                    continue
                if key == "delegation_id" and not _given(row, "delegation"):
                    continue
                if key == "exhibitor_id" and not _given(row, "exhibitor"):
                    continue
                setattr(person, key, value)
            outcome.updated += 1
        if wanted and wanted != Accreditation.PENDING and wanted != person.accreditation:
            db.session.flush()
            delegations.accredit(
                person,
                approved=wanted == Accreditation.APPROVED,
                reason=row.get("rejection_reason") or None,
            )
    db.session.flush()
    return outcome


def count_rows(event: Event, kind: str) -> int:
    model = Exhibitor if kind == "exhibitors" else Participant
    return db.session.execute(
        select(func.count()).select_from(model).where(model.event_id == event.id)
    ).scalar_one()
