"""Reading and checking an expo-event/1 document before anything touches the database.

Checks run in a fixed order and stop at the first problem, so the same broken
document always gives the same message: the JSON Schema (shapes, types, enums,
lengths), then values a pattern cannot judge (real dates, time zone, finite
numbers), duplicate ids, duplicate emails, unknown references, and last the
rules between objects (dates, slots, stands, and the six hard rules of a
meeting schedule). Everything is dicts and sets: a 50,000-participant
document is checked in a few seconds.
"""

from __future__ import annotations

import base64
import functools
import json
import math
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from expo_app.delegations.models import MEETING_ROLES, Accreditation, ParticipantRole
from expo_app.events.clock import zone_named
from expo_app.exhibitors.models import StandStatus
from expo_app.interchange.errors import InterchangeError
from expo_app.links import LinkRefused, web_address
from expo_app.matchmaking.models import RequestStatus

FORMAT = "expo-event/1"
# The same format with identity documents in it: asked for explicitly, never by default.
FORMAT_WITH_IDENTITY_DOCUMENTS = "expo-event/1.1"
SCHEMA_PATH = Path(__file__).with_name("expo-event-1.schema.json")

# The lists of a document, in document order.
LISTS = (
    "days",
    "locations",
    "sessions",
    "exhibitors",
    "stands",
    "delegations",
    "participants",
    "meeting_slots",
    "meeting_tables",
    "availability",
    "meeting_requests",
    "meetings",
)
# Lists whose objects have an `id` others refer to.
LISTS_WITH_IDS = (
    "locations",
    "sessions",
    "exhibitors",
    "stands",
    "delegations",
    "participants",
    "meeting_slots",
    "meeting_tables",
    "meeting_requests",
)

# (list, key, list the key refers to); a key holding a list of ids ends in "[]".
REFERENCES = (
    ("sessions", "location", "locations"),
    ("sessions", "exhibitor", "exhibitors"),
    ("stands", "location", "locations"),
    ("stands", "exhibitor", "exhibitors"),
    ("delegations", "head", "participants"),
    ("participants", "delegation", "delegations"),
    ("participants", "exhibitor", "exhibitors"),
    ("participants", "zones[]", "locations"),
    ("meeting_tables", "location", "locations"),
    ("availability", "slot", "meeting_slots"),
    ("availability", "participant", "participants"),
    ("availability", "exhibitor", "exhibitors"),
    ("meeting_requests", "delegate", "participants"),
    ("meeting_requests", "exhibitor", "exhibitors"),
    ("meetings", "request", "meeting_requests"),
    ("meetings", "slot", "meeting_slots"),
    ("meetings", "table", "meeting_tables"),
)
SINGULAR = {
    "locations": "location",
    "sessions": "session",
    "exhibitors": "exhibitor",
    "stands": "stand",
    "delegations": "delegation",
    "participants": "participant",
    "meeting_slots": "meeting slot",
    "meeting_tables": "meeting table",
    "meeting_requests": "meeting request",
}

# What a pattern of the schema means, for messages people can act on.
PATTERN_MEANINGS = {
    r"^\d{4}-\d{2}-\d{2}$": "a date written YYYY-MM-DD",
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$": "a local date and time written YYYY-MM-DDTHH:MM",
    r"^\d{2}:\d{2}$": "a time written HH:MM",
    r"^[A-Z]{2}$": 'an ISO 3166-1 alpha-2 country code such as "ML"',
    r"^[A-Z]{3}$": 'an ISO 4217 currency code such as "XOF"',
    r"^[^@\s]+@[^@\s]+$": "an email address",
    r"^[a-z0-9][a-z0-9_-]*$": "a slug of lower-case letters, digits, - and _",
    r"^https?://": 'a web address starting with http:// or https://, such as "https://example.com"',
}
JSON_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


@functools.cache
def load_schema() -> dict[str, Any]:
    """The project's JSON Schema for expo-event/1 (shipped in the package)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def _schema_validator() -> Draft202012Validator:
    # The same schema with its local $refs written out in place: resolving a $ref is
    # most of jsonschema's time on a large document, and inlining halves it.
    schema = load_schema()
    return Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline_refs(value, definitions) for value in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        result.update(_inline_refs(definitions[reference.removeprefix("#/$defs/")], definitions))
    elif reference is not None:
        result["$ref"] = reference
    for key, value in node.items():
        if key not in ("$ref", "$defs"):
            result[key] = _inline_refs(value, definitions)
    return result


def parse_document(text: str | bytes) -> dict[str, Any]:
    """The JSON text as a dict; unreadable text is an InterchangeError at `$`."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InterchangeError(
                "$", f"the document is not UTF-8 text (invalid byte at offset {exc.start})"
            ) from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            "$", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:  # the parser recurses once per level of [ and {
        raise InterchangeError(
            "$", "the document is nested too deeply (lists and objects inside one another)"
        ) from None
    if not isinstance(document, dict):
        raise InterchangeError(
            "$", f"the document must be a JSON object, not {_describe(document)}"
        )
    return document


def _refuse_constant(name: str) -> Any:
    raise InterchangeError("$", f"invalid JSON: {name} is not a JSON number")


# No number of the format needs more (the largest is a 32-bit meeting_capacity); Python
# refuses beyond 4,300 digits anyway, and reading such a number costs quadratic time.
MAX_INTEGER_DIGITS = 30


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise InterchangeError(
            "$",
            f"invalid JSON: the integer {text[:12]}... has {digits:,} digits; "
            f"at most {MAX_INTEGER_DIGITS} are allowed",
        )
    return int(text)


def validate_document(document: Any) -> None:
    """Raise InterchangeError naming the first problem of the document; return if it is valid."""
    check_schema(document)
    _Checker(document).run()


def check_schema(document: Any) -> None:
    """The JSON Schema part of validation alone: the first error in document order."""
    error = next(_schema_validator().iter_errors(document), None)
    if error is not None:
        raise _schema_error(error)


def json_path(parts: Iterable[str | int]) -> str:
    """A JSON path in the form people read: `participants[12].zones[0]`, `$` for the root."""
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "$"


def _schema_error(error: ValidationError) -> InterchangeError:
    path = list(error.absolute_path)
    keyword = error.validator
    expected = error.validator_value
    instance = error.instance
    if keyword == "required":
        missing = next(key for key in expected if key not in instance)
        return InterchangeError(
            json_path([*path, missing]), f'the required key "{missing}" is missing'
        )
    if keyword == "type":
        types = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(JSON_TYPES.get(name, name) for name in types)
        reason = f"must be {wanted}, not {_describe(instance)}"
    elif keyword == "enum":
        values = [value for value in expected if value is not None]
        choices = ", ".join(_quote(value) for value in values)
        optional = " (or null)" if None in expected else ""
        reason = f"must be one of {choices}{optional}, not {_describe(instance)}"
    elif keyword == "const":
        reason = f"must be {_quote(expected)}, not {_describe(instance)}"
    elif keyword == "pattern":
        meaning = PATTERN_MEANINGS.get(expected, f"a string matching {expected}")
        reason = f"{_quote(instance)} is not {meaning}"
    elif keyword == "minLength":
        reason = (
            "must not be empty" if expected == 1 else f"must be at least {expected} characters long"
        )
    elif keyword == "maxLength":
        reason = f"is {len(instance)} characters long, but at most {expected} are allowed"
    elif keyword == "minimum":
        reason = f"must be at least {expected}, not {_describe(instance)}"
    elif keyword == "exclusiveMinimum":
        reason = f"must be greater than {expected}, not {_describe(instance)}"
    elif keyword == "maximum":
        reason = f"must be at most {expected}, not {_describe(instance)}"
    elif keyword == "minItems":
        reason = "must list at least one value" if expected == 1 else error.message
    elif keyword == "uniqueItems":
        reason = f"lists {_quote(_first_repeated(instance))} more than once"
    else:
        reason = error.message
    return InterchangeError(json_path(path), reason)


def _first_repeated(values: list[Any]) -> Any:
    seen: list[Any] = []
    for value in values:
        if value in seen:
            return value
        seen.append(value)
    return None


def _quote(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {_quote(value)}"
    if isinstance(value, int | float):
        return f"the number {_quote(value)}"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _on(pairs: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"{label} {_quote(value)}" for label, value in pairs)


class _Checker:
    """Everything after the schema, over a document the schema accepted."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.doc = document
        self.lists: dict[str, list[dict[str, Any]]] = {
            name: document.get(name) or [] for name in LISTS
        }
        # id -> index in its list, filled by check_ids.
        self.index: dict[str, dict[str, int]] = {}

    def run(self) -> None:
        self.check_values()
        self.check_ids()
        self.check_emails()
        self.check_references()
        self.check_event_and_days()
        self.check_sessions()
        self.check_stands()
        self.check_participants()
        self.check_identity_documents()
        self.check_slots()
        self.check_tables()
        self.check_availability()
        self.check_requests()
        self.check_meetings()

    def check_identity_documents(self) -> None:
        """Identity documents travel only in a document that says so; each is checked
        as the identity page checks one (dates, the scan's kind and size)."""
        from expo_app.vetting.services import SCAN_MAX_MB, VettingError, scan_type_of

        declared = bool(self.doc.get("includes_identity_documents"))
        for i, person in enumerate(self.lists["participants"]):
            document = person.get("identity_document")
            if document is None:
                continue
            path = f"participants[{i}].identity_document"
            if not declared:
                raise InterchangeError(
                    path,
                    "identity documents travel only in a document with"
                    " includes_identity_documents: true",
                )
            _parse(date, document["expires_on"], f"{path}.expires_on")
            born = _parse(date, document["birth_date"], f"{path}.birth_date")
            if born >= date.today():
                raise InterchangeError(f"{path}.birth_date", "a date of birth in the past")
            if (document.get("scan") is None) != (document.get("scan_type") is None):
                raise InterchangeError(f"{path}.scan", "scan and scan_type go together")
            if document.get("scan") is not None:
                try:
                    data = base64.b64decode(document["scan"], validate=True)
                except ValueError:
                    raise InterchangeError(f"{path}.scan", "not base64") from None
                try:
                    found = scan_type_of(data)
                except VettingError as refused:
                    reason = f"not a usable scan (JPEG, PNG or PDF up to {SCAN_MAX_MB} MB)"
                    raise InterchangeError(f"{path}.scan", reason) from refused
                if found != document["scan_type"]:
                    raise InterchangeError(f"{path}.scan_type", f"the scan is {found}")

    # Values a pattern cannot judge.

    def check_values(self) -> None:
        event = self.doc["event"]
        self.start_date = _parse(date, event["start_date"], "event.start_date")
        self.end_date = _parse(date, event["end_date"], "event.end_date")
        _check_timezone(event["timezone"])
        _check_website(event.get("website"), "event.website")
        for i, exhibitor in enumerate(self.lists["exhibitors"]):
            _check_website(exhibitor.get("website"), f"exhibitors[{i}].website")
        self.day_dates = [
            _parse(date, day["date"], f"days[{i}].date") for i, day in enumerate(self.lists["days"])
        ]
        for i, day in enumerate(self.lists["days"]):
            for key in ("opens", "closes"):
                if day.get(key) is not None:
                    _parse(time, day[key], f"days[{i}].{key}")
        self.session_times = [
            (
                _parse(datetime, session["start"], f"sessions[{i}].start"),
                _parse(datetime, session["end"], f"sessions[{i}].end"),
            )
            for i, session in enumerate(self.lists["sessions"])
        ]
        self.slot_times = [
            (
                _parse(datetime, slot["start"], f"meeting_slots[{i}].start"),
                _parse(datetime, slot["end"], f"meeting_slots[{i}].end"),
            )
            for i, slot in enumerate(self.lists["meeting_slots"])
        ]
        for i, stand in enumerate(self.lists["stands"]):
            for key in ("width_m", "depth_m", "x_m", "y_m", "price"):
                value = stand.get(key)
                if value is not None and not math.isfinite(value):
                    raise InterchangeError(f"stands[{i}].{key}", "must be a finite number")
            price = stand.get("price")
            if price is not None and round(price, 2) != price:
                raise InterchangeError(
                    f"stands[{i}].price", f"{price} has more than two decimals (cents at most)"
                )

    # Identity.

    def check_ids(self) -> None:
        for name in LISTS_WITH_IDS:
            positions: dict[str, int] = {}
            for i, item in enumerate(self.lists[name]):
                first = positions.setdefault(item["id"], i)
                if first != i:
                    raise InterchangeError(
                        f"{name}[{i}].id",
                        f"the id {_quote(item['id'])} is already used by {name}[{first}]",
                    )
            self.index[name] = positions

    def check_emails(self) -> None:
        seen: dict[str, int] = {}
        for i, participant in enumerate(self.lists["participants"]):
            first = seen.setdefault(participant["email"].lower(), i)
            if first != i:
                other = self.lists["participants"][first]["email"]
                raise InterchangeError(
                    f"participants[{i}].email",
                    f"the email {_quote(participant['email'])} is already used by "
                    f"participants[{first}] ({_quote(other)}); emails are unique whatever "
                    "the letter case",
                )

    def check_references(self) -> None:
        for name, key, target in REFERENCES:
            known = self.index[target]
            many = key.endswith("[]")
            field = key.removesuffix("[]")
            for i, item in enumerate(self.lists[name]):
                values = (item.get(field) or []) if many else [item.get(field)]
                for j, value in enumerate(values):
                    if value is not None and value not in known:
                        path = f"{name}[{i}].{field}" + (f"[{j}]" if many else "")
                        raise InterchangeError(
                            path, f"there is no {SINGULAR[target]} with id {_quote(value)}"
                        )

    # Rules between objects.

    def check_event_and_days(self) -> None:
        if self.end_date < self.start_date:
            raise InterchangeError(
                "event.end_date",
                f"the event ends on {self.end_date} before it starts on {self.start_date}",
            )
        seen: dict[date, int] = {}
        for i, day in enumerate(self.day_dates):
            first = seen.setdefault(day, i)
            if first != i:
                raise InterchangeError(
                    f"days[{i}].date", f"{day} is already listed as days[{first}]"
                )
            if not self.start_date <= day <= self.end_date:
                raise InterchangeError(
                    f"days[{i}].date",
                    f"{day} is outside the event's dates ({self.start_date} to {self.end_date})",
                )

    def check_sessions(self) -> None:
        for i, (start, end) in enumerate(self.session_times):
            if end <= start:
                raise InterchangeError(
                    f"sessions[{i}].end",
                    f"the session must end after it starts ({_times(start, end)})",
                )

    def check_stands(self) -> None:
        for i, stand in enumerate(self.lists["stands"]):
            status = stand.get("status")
            held = stand.get("exhibitor") is not None
            if held and status in (None, StandStatus.AVAILABLE):
                raise InterchangeError(
                    f"stands[{i}].status",
                    f"stand {_quote(stand['id'])} is held by exhibitor "
                    f"{_quote(stand['exhibitor'])}, so its status must be "
                    '"reserved" or "confirmed", not '
                    + ('"available"' if status else 'left out (which means "available")'),
                )
            if not held and status in (StandStatus.RESERVED, StandStatus.CONFIRMED):
                raise InterchangeError(
                    f"stands[{i}].exhibitor",
                    f"stand {_quote(stand['id'])} is {status}, so it must name the exhibitor "
                    "holding it",
                )

    def check_participants(self) -> None:
        for i, participant in enumerate(self.lists["participants"]):
            if (
                participant["role"] == ParticipantRole.EXHIBITOR_STAFF
                and participant.get("exhibitor") is None
            ):
                raise InterchangeError(
                    f"participants[{i}].exhibitor",
                    f"participant {_quote(participant['id'])} has the role exhibitor_staff, so it "
                    "must name its exhibitor",
                )

    def check_slots(self) -> None:
        slots = self.lists["meeting_slots"]
        for i, (start, end) in enumerate(self.slot_times):
            if end <= start:
                raise InterchangeError(
                    f"meeting_slots[{i}].end",
                    f"the slot must end after it starts ({_times(start, end)})",
                )
        order = sorted(range(len(slots)), key=lambda k: (self.slot_times[k][0], k))
        latest: int | None = None  # the slot, among those seen, that ends last
        for k in order:
            if latest is not None and self.slot_times[k][0] < self.slot_times[latest][1]:
                first, second = sorted((latest, k))
                raise InterchangeError(
                    f"meeting_slots[{second}]",
                    f"slot {_quote(slots[second]['id'])} ({_times(*self.slot_times[second])}) "
                    f"overlaps slot {_quote(slots[first]['id'])} "
                    f"({_times(*self.slot_times[first])}, meeting_slots[{first}])",
                )
            if latest is None or self.slot_times[k][1] > self.slot_times[latest][1]:
                latest = k

    def check_tables(self) -> None:
        locations = self.lists["locations"]
        where = self.index["locations"]
        for i, table in enumerate(self.lists["meeting_tables"]):
            location = locations[where[table["location"]]]
            if location["kind"] != "meeting_area":
                raise InterchangeError(
                    f"meeting_tables[{i}].location",
                    f"location {_quote(location['id'])} is a {location['kind']}, but meeting "
                    "tables stand in a meeting_area",
                )

    def check_availability(self) -> None:
        # (party kind, party id, slot id) -> index in availability
        self.unavailable: dict[tuple[str, str, str], int] = {}
        for i, entry in enumerate(self.lists["availability"]):
            participant, exhibitor = entry.get("participant"), entry.get("exhibitor")
            if (participant is None) == (exhibitor is None):
                both = "both a participant and an exhibitor" if participant else "no party"
                raise InterchangeError(
                    f"availability[{i}]",
                    f"an availability entry names {both}; it must name exactly one of "
                    "participant or exhibitor",
                )
            party = ("participant", participant) if participant else ("exhibitor", exhibitor)
            first = self.unavailable.setdefault((*party, entry["slot"]), i)
            if first != i:
                raise InterchangeError(
                    f"availability[{i}]",
                    f"{party[0]} {_quote(party[1])} is already listed as unavailable in slot "
                    f"{_quote(entry['slot'])} (availability[{first}])",
                )

    def check_requests(self) -> None:
        participants = self.lists["participants"]
        where = self.index["participants"]
        for i, request in enumerate(self.lists["meeting_requests"]):
            delegate = participants[where[request["delegate"]]]
            if delegate["role"] not in MEETING_ROLES:
                raise InterchangeError(
                    f"meeting_requests[{i}].delegate",
                    f"participant {_quote(delegate['id'])} has the role {delegate['role']}; only a "
                    "delegate or a vip can be the delegate side of a meeting request",
                )

    def check_meetings(self) -> None:
        requests = self.lists["meeting_requests"]
        participants = self.lists["participants"]
        exhibitors = self.lists["exhibitors"]
        request_at = self.index["meeting_requests"]
        participant_at = self.index["participants"]
        exhibitor_at = self.index["exhibitors"]
        has_tables = bool(self.lists["meeting_tables"])
        meeting_of_request: dict[str, int] = {}
        delegate_busy: dict[tuple[str, str], int] = {}
        exhibitor_load: dict[tuple[str, str], int] = defaultdict(int)
        table_busy: dict[tuple[str, str], int] = {}
        for i, meeting in enumerate(self.lists["meetings"]):
            path = f"meetings[{i}]"
            request = requests[request_at[meeting["request"]]]
            request_id, slot, table = request["id"], meeting["slot"], meeting.get("table")
            delegate_id, exhibitor_id = request["delegate"], request["exhibitor"]
            # Rule 1: an accepted request, with one meeting at most.
            if request["status"] != RequestStatus.ACCEPTED:
                raise InterchangeError(
                    f"{path}.request",
                    f"request {_quote(request_id)} is {request['status']}; only an accepted "
                    "request can have a meeting",
                )
            first = meeting_of_request.setdefault(request_id, i)
            if first != i:
                raise InterchangeError(
                    f"{path}.request",
                    f"request {_quote(request_id)} already has a meeting (meetings[{first}])",
                )
            # Rule 6: only an approved delegate has meetings.
            accreditation = participants[participant_at[delegate_id]].get("accreditation")
            if accreditation != Accreditation.APPROVED:
                raise InterchangeError(
                    f"{path}.request",
                    f"delegate {_quote(delegate_id)} of request {_quote(request_id)} is "
                    f"{accreditation or 'pending'}, not approved; only an approved delegate "
                    "has meetings",
                )
            if has_tables and table is None:
                raise InterchangeError(
                    f"{path}.table", "the event has meeting tables, so every meeting must take one"
                )
            # Rule 5: nobody meets in a slot they cannot meet in.
            for kind, party in (("participant", delegate_id), ("exhibitor", exhibitor_id)):
                listed = self.unavailable.get((kind, party, slot))
                if listed is not None:
                    who = "delegate" if kind == "participant" else "exhibitor"
                    raise InterchangeError(
                        f"{path}.slot",
                        f"{who} {_quote(party)} cannot meet in slot {_quote(slot)} "
                        f"(availability[{listed}])",
                    )
            # Rule 2: one meeting per delegate and slot.
            first = delegate_busy.setdefault((delegate_id, slot), i)
            if first != i:
                raise InterchangeError(
                    f"{path}.slot",
                    f"delegate {_quote(delegate_id)} already has a meeting in slot {_quote(slot)} "
                    f"(meetings[{first}])",
                )
            # Rule 3: an exhibitor holds at most meeting_capacity meetings per slot.
            capacity = exhibitors[exhibitor_at[exhibitor_id]].get("meeting_capacity") or 1
            load = exhibitor_load[(exhibitor_id, slot)] + 1
            if load > capacity:
                raise InterchangeError(
                    f"{path}.slot",
                    f"exhibitor {_quote(exhibitor_id)} already has {capacity} "
                    f"meeting{'s' if capacity > 1 else ''} in slot {_quote(slot)}, as many as its "
                    "meeting_capacity allows",
                )
            exhibitor_load[(exhibitor_id, slot)] = load
            # Rule 4: a table holds one meeting per slot.
            if table is not None:
                first = table_busy.setdefault((table, slot), i)
                if first != i:
                    raise InterchangeError(
                        f"{path}.table",
                        f"table {_quote(table)} is already taken in slot {_quote(slot)} "
                        f"(meetings[{first}])",
                    )


def _parse(kind: type, text: str, path: str) -> Any:
    try:
        return kind.fromisoformat(text)
    except ValueError:
        noun = {date: "date", time: "time of day", datetime: "date and time"}[kind]
        raise InterchangeError(path, f"{_quote(text)} is not a real {noun}") from None


def _check_website(value: str | None, path: str) -> None:
    """The URL rule of the forms and the CSV import; the document must hold the address as
    it is stored (the importer writes values as they are)."""
    if value is None:
        return
    try:
        stored = web_address(value)
    except LinkRefused:
        stored = None
    if stored != value:
        raise InterchangeError(
            path,
            f"{_quote(value)} is not a web address: http:// or https://, a host name and no "
            'spaces, such as "https://example.com"',
        )


def _times(start: datetime, end: datetime) -> str:
    return f"{start.isoformat(timespec='minutes')} to {end.isoformat(timespec='minutes')}"


@functools.cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _check_timezone(name: str) -> None:
    if zone_named(name) is not None:
        return
    # Without a time zone database on this machine nothing can be judged: let it pass.
    if _known_timezones():
        raise InterchangeError("event.timezone", f"{_quote(name)} is not an IANA time zone name")
