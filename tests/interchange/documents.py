"""Documents for the interchange tests: a small complete event, and ways to break it.

`small_document()` is a BAMEX-like event in miniature that uses every list and
most optional keys (and the project's extensions). Each entry of BROKEN changes
it in one way and names the JSON path the error must point at.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Document = dict[str, Any]

_SMALL: Document = {
    "format": "expo-event/1",
    "event": {
        "name": "Petite Expo",
        "slug": "petite-expo",
        "timezone": "Africa/Bamako",
        "start_date": "2025-11-11",
        "end_date": "2025-11-12",
        "venue": "Parc des expositions",
        "city": "Bamako",
        "country": "ML",
        "theme": None,
        "organiser": "Comité d'organisation",
        "website": "https://expo.example.org",
    },
    "days": [
        # Kinds in the organiser's order, not alphabetical: the order must survive.
        {
            "date": "2025-11-11",
            "kinds": ["matchmaking", "static_display"],
            "opens": "09:00",
            "closes": "18:00",
        },
        {"date": "2025-11-12", "kinds": ["demo"], "opens": None, "closes": None},
    ],
    "locations": [
        {
            "id": "hall-a",
            "name": "Hall A — Pavillon",
            "kind": "hall",
            "capacity": 500,
            "restricted": False,
        },
        {
            "id": "meet",
            "name": "Meeting area",
            "kind": "meeting_area",
            "capacity": None,
            "restricted": False,
        },
        {"id": "lounge", "name": "VIP lounge", "kind": "other", "capacity": 40, "restricted": True},
        {
            "id": "press",
            "name": "Press centre",
            "kind": "other",
            "capacity": None,
            "restricted": True,
        },
    ],
    "sessions": [
        {
            "id": "open",
            "title": "Opening ceremony",
            "kind": "ceremony",
            "start": "2025-11-11T09:30",
            "end": "2025-11-11T10:15:30",
            "location": "hall-a",
            "description": "Ribbon cutting.",
            "exhibitor": None,
            "capacity": 300,
        },
        {
            "id": "demo-1",
            "title": "Drone demonstration",
            "kind": "demo",
            "start": "2025-11-12T11:00",
            "end": "2025-11-12T11:45",
            "location": "hall-a",
            "description": None,
            "exhibitor": "e-sahel",
            "capacity": None,
        },
    ],
    "exhibitors": [
        {
            "id": "e-sahel",
            "name": "Sahel Dynamics",
            "country": "ML",
            "sectors": ["UAVs", "Radar"],
            "description": "Drones for the Sahel.",
            "website": None,
            "meeting_capacity": 2,
            "description_fr": "Des drones pour le Sahel.",
        },
        {
            "id": "e-atlas",
            "name": "Atlas Optics",
            "country": "TR",
            "sectors": [],
            "description": None,
            "website": "https://atlas.example.com",
            "meeting_capacity": 1,
        },
    ],
    "stands": [
        {
            "id": "A-01",
            "location": "hall-a",
            "width_m": 6,
            "depth_m": 3,
            "x_m": 0,
            "y_m": 0,
            "price": 1350000,
            "currency": "XOF",
            "exhibitor": "e-sahel",
            "status": "confirmed",
        },
        {
            "id": "A-02",
            "location": "hall-a",
            "width_m": 4.5,
            "depth_m": 3,
            "x_m": 6.5,
            "y_m": 0,
            "price": 1234.5,
            "currency": "EUR",
            "exhibitor": "e-atlas",
            "status": "reserved",
        },
        {
            "id": "A-03",
            "location": "hall-a",
            "width_m": 3,
            "depth_m": 3,
            "x_m": None,
            "y_m": None,
            "price": None,
            "currency": None,
            "exhibitor": None,
            "status": "available",
        },
    ],
    "delegations": [
        {
            "id": "d-ml",
            "name": "Mali, Ministry of Defence",
            "country": "ML",
            "kind": "military",
            "head": "p-awa",
        },
        {"id": "d-sn", "name": "Senegal", "country": "SN", "kind": None, "head": None},
    ],
    "participants": [
        {
            "id": "p-awa",
            "name": "Awa Traoré",
            "email": "awa@example.org",
            "role": "delegate",
            "organisation": "Ministry of Defence",
            "title": "Colonel",
            "country": "ML",
            "delegation": "d-ml",
            "exhibitor": None,
            "accreditation": "approved",
            "zones": ["lounge", "press"],
        },
        {
            "id": "p-moussa",
            "name": "Moussa Keïta",
            "email": "Moussa@Example.org",
            "role": "delegate",
            "organisation": None,
            "title": None,
            "country": "ML",
            "delegation": "d-ml",
            "exhibitor": None,
            "accreditation": "approved",
            "zones": [],
        },
        {
            "id": "p-vip",
            "name": "Ayşe Yılmaz",
            "email": "ayse@example.org",
            "role": "vip",
            "organisation": None,
            "title": "General",
            "country": "TR",
            "delegation": "d-sn",
            "exhibitor": None,
            "accreditation": "approved",
            "zones": ["lounge"],
        },
        {
            "id": "p-pending",
            "name": "Ibrahim Diallo",
            "email": "ibrahim@example.org",
            "role": "delegate",
            "organisation": None,
            "title": None,
            "country": None,
            "delegation": None,
            "exhibitor": None,
            "accreditation": "pending",
            "zones": [],
        },
        {
            "id": "p-staff",
            "name": "Claire Martin",
            "email": "claire@example.org",
            "role": "exhibitor_staff",
            "organisation": "Sahel Dynamics",
            "title": None,
            "country": "FR",
            "delegation": None,
            "exhibitor": "e-sahel",
            "accreditation": "approved",
            "zones": [],
        },
        {
            "id": "p-press",
            "name": "Jonas Müller",
            "email": "jonas@example.org",
            "role": "press",
            "organisation": "Defence Weekly",
            "title": None,
            "country": "DE",
            "delegation": None,
            "exhibitor": None,
            "accreditation": "approved",
            "zones": ["press"],
        },
        {
            "id": "p-org",
            "name": "Organiser",
            "email": "org@example.org",
            "role": "organiser",
            "organisation": None,
            "title": None,
            "country": None,
            "delegation": None,
            "exhibitor": None,
            "accreditation": "rejected",
            "zones": [],
        },
    ],
    "meeting_slots": [
        {"id": "s-0900", "start": "2025-11-11T09:00", "end": "2025-11-11T09:30"},
        {"id": "s-0930", "start": "2025-11-11T09:30", "end": "2025-11-11T10:00"},
        {"id": "s-1000", "start": "2025-11-11T10:00", "end": "2025-11-11T10:30"},
    ],
    "meeting_tables": [{"id": "t-1", "location": "meet"}, {"id": "t-2", "location": "meet"}],
    "availability": [
        {"slot": "s-1000", "participant": "p-moussa", "exhibitor": None},
        {"slot": "s-0900", "participant": None, "exhibitor": "e-atlas"},
    ],
    "meeting_requests": [
        {
            "id": "r-1",
            "delegate": "p-awa",
            "exhibitor": "e-sahel",
            "requested_by": "delegate",
            "status": "accepted",
            "priority": 3,
            "message": "Can we talk about drones?",
        },
        {
            "id": "r-2",
            "delegate": "p-moussa",
            "exhibitor": "e-sahel",
            "requested_by": "exhibitor",
            "status": "accepted",
            "priority": 1,
            "message": None,
        },
        {
            "id": "r-3",
            "delegate": "p-vip",
            "exhibitor": "e-atlas",
            "requested_by": "delegate",
            "status": "accepted",
            "priority": 2,
            "message": None,
        },
        {
            "id": "r-4",
            "delegate": "p-awa",
            "exhibitor": "e-atlas",
            "requested_by": "delegate",
            "status": "pending",
            "priority": 1,
            "message": None,
        },
        {
            "id": "r-5",
            "delegate": "p-pending",
            "exhibitor": "e-atlas",
            "requested_by": "delegate",
            "status": "accepted",
            "priority": 1,
            "message": None,
        },
        {
            "id": "r-6",
            "delegate": "p-moussa",
            "exhibitor": "e-atlas",
            "requested_by": "delegate",
            "status": "expired",
            "priority": 1,
            "message": None,
        },
        # Accepted, not scheduled yet: the rule tests below place them.
        {
            "id": "r-7",
            "delegate": "p-awa",
            "exhibitor": "e-atlas",
            "requested_by": "exhibitor",
            "status": "accepted",
            "priority": 2,
            "message": None,
        },
        {
            "id": "r-8",
            "delegate": "p-awa",
            "exhibitor": "e-sahel",
            "requested_by": "delegate",
            "status": "accepted",
            "priority": 1,
            "message": None,
        },
        {
            "id": "r-9",
            "delegate": "p-moussa",
            "exhibitor": "e-sahel",
            "requested_by": "delegate",
            "status": "accepted",
            "priority": 1,
            "message": None,
        },
        {
            "id": "r-10",
            "delegate": "p-vip",
            "exhibitor": "e-sahel",
            "requested_by": "delegate",
            "status": "declined",
            "priority": 1,
            "message": "Not this time.",
        },
    ],
    # e-sahel holds two meetings at once in s-0900: its meeting_capacity is 2.
    "meetings": [
        {"request": "r-1", "slot": "s-0900", "table": "t-1"},
        {"request": "r-2", "slot": "s-0900", "table": "t-2"},
        {"request": "r-3", "slot": "s-0930", "table": "t-1"},
    ],
}


def small_document() -> Document:
    """A fresh copy of the small valid document (tests may change it freely)."""
    return copy.deepcopy(_SMALL)


def without_tables(doc: Document) -> Document:
    """The same event with no meeting tables: meetings are held at the stands."""
    doc["meeting_tables"] = []
    for meeting in doc["meetings"]:
        meeting["table"] = None
    return doc


def _set(path: str, value: Any) -> Callable[[Document], None]:
    """A change that sets one value, the path written as in error messages."""

    def change(doc: Document) -> None:
        parts = path.replace("[", ".").replace("]", "").split(".")
        target = doc
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        target[int(last) if last.isdigit() else last] = value

    return change


def _delete(path: str) -> Callable[[Document], None]:
    def change(doc: Document) -> None:
        *parents, key = path.split(".")
        target = doc
        for part in parents:
            name, _, index = part.partition("[")
            target = target[name] if not index else target[name][int(index.rstrip("]"))]
        del target[key]

    return change


def _meeting(request: str, slot: str, table: str | None) -> Callable[[Document], None]:
    def change(doc: Document) -> None:
        doc["meetings"].append({"request": request, "slot": slot, "table": table})

    return change


def _availability(entry: dict[str, Any]) -> Callable[[Document], None]:
    def change(doc: Document) -> None:
        doc["availability"].append(entry)

    return change


# (what is wrong, the change, the JSON path the error names, words the reason contains)
BROKEN: list[tuple[str, Callable[[Document], None], str, str]] = [
    # The schema.
    ("wrong format", _set("format", "expo-event/2"), "format", '"expo-event/1"'),
    ("no event", _delete("event"), "event", "required"),
    ("missing required key", _delete("participants[2].email"), "participants[2].email", "required"),
    ("wrong type", _set("participants[1].name", 42), "participants[1].name", "must be a string"),
    ("list is an object", _set("stands", {}), "stands", "must be a list"),
    (
        "unknown role",
        _set("participants[0].role", "general"),
        "participants[0].role",
        "must be one of",
    ),
    (
        "country not ISO",
        _set("exhibitors[0].country", "Mali"),
        "exhibitors[0].country",
        "country code",
    ),
    ("date in another format", _set("days[0].date", "11/11/2025"), "days[0].date", "YYYY-MM-DD"),
    (
        "datetime with a space",
        _set("meeting_slots[0].start", "2025-11-11 09:00"),
        "meeting_slots[0].start",
        "YYYY-MM-DDTHH:MM",
    ),
    (
        "currency in lower case",
        _set("stands[0].currency", "eur"),
        "stands[0].currency",
        "currency code",
    ),
    ("stand of no width", _set("stands[1].width_m", 0), "stands[1].width_m", "greater than 0"),
    ("negative price", _set("stands[0].price", -1), "stands[0].price", "at least 0"),
    (
        "priority above 3",
        _set("meeting_requests[0].priority", 4),
        "meeting_requests[0].priority",
        "at most 3",
    ),
    (
        "priority not whole",
        _set("meeting_requests[0].priority", 2.5),
        "meeting_requests[0].priority",
        "integer",
    ),
    (
        "meeting capacity 0",
        _set("exhibitors[1].meeting_capacity", 0),
        "exhibitors[1].meeting_capacity",
        "at least 1",
    ),
    ("name too long", _set("exhibitors[0].name", "x" * 201), "exhibitors[0].name", "at most 200"),
    ("empty id", _set("locations[1].id", ""), "locations[1].id", "must not be empty"),
    ("day without kinds", _set("days[1].kinds", []), "days[1].kinds", "at least one"),
    (
        "restricted as text",
        _set("locations[2].restricted", "yes"),
        "locations[2].restricted",
        "true or false",
    ),
    # Websites: http and https only, nothing a browser would run.
    (
        "event website runs script",
        _set("event.website", "javascript:alert(1)"),
        "event.website",
        "web address",
    ),
    (
        "exhibitor website runs script",
        _set("exhibitors[1].website", "javascript:alert(1)"),
        "exhibitors[1].website",
        "web address",
    ),
    (
        "website script in mixed case",
        _set("exhibitors[0].website", "JaVaScRiPt:alert(1)"),
        "exhibitors[0].website",
        "web address",
    ),
    (
        "website with spaces before the script",
        _set("exhibitors[0].website", " \tjavascript:alert(1)"),
        "exhibitors[0].website",
        "web address",
    ),
    (
        "website as a data URL",
        _set("exhibitors[1].website", "data:text/html,<script>alert(1)</script>"),
        "exhibitors[1].website",
        "web address",
    ),
    ("website on ftp", _set("exhibitors[1].website", "ftp://x"), "exhibitors[1].website", "http"),
    # Values a pattern cannot judge.
    (
        "website with a broken host",
        _set("exhibitors[1].website", "http://["),
        "exhibitors[1].website",
        "web address",
    ),
    (
        "website with a tab inside",
        _set("event.website", "https://java\tscript.example.org"),
        "event.website",
        "no spaces",
    ),
    (
        "website without a host",
        _set("exhibitors[1].website", "https://"),
        "exhibitors[1].website",
        "host name",
    ),
    ("no such date", _set("event.start_date", "2025-02-30"), "event.start_date", "real date"),
    (
        "no such hour",
        _set("meeting_slots[1].end", "2025-11-11T25:00"),
        "meeting_slots[1].end",
        "real date and time",
    ),
    ("no such time zone", _set("event.timezone", "Mars/Olympus_Mons"), "event.timezone", "IANA"),
    ("price below a cent", _set("stands[1].price", 10.005), "stands[1].price", "two decimals"),
    # Identity.
    ("duplicate id", _set("participants[3].id", "p-awa"), "participants[3].id", "p-awa"),
    ("duplicate stand code", _set("stands[2].id", "A-01"), "stands[2].id", "stands[0]"),
    (
        "duplicate email differing in case",
        _set("participants[2].email", "AWA@example.org"),
        "participants[2].email",
        "participants[0]",
    ),
    # References.
    (
        "session in no location",
        _set("sessions[0].location", "nowhere"),
        "sessions[0].location",
        "no location",
    ),
    (
        "demo by no exhibitor",
        _set("sessions[1].exhibitor", "e-x"),
        "sessions[1].exhibitor",
        "no exhibitor",
    ),
    (
        "stand in no location",
        _set("stands[0].location", "hall-z"),
        "stands[0].location",
        "no location",
    ),
    (
        "stand held by no exhibitor",
        _set("stands[1].exhibitor", "e-x"),
        "stands[1].exhibitor",
        "no exhibitor",
    ),
    (
        "head is no participant",
        _set("delegations[0].head", "p-x"),
        "delegations[0].head",
        "no participant",
    ),
    (
        "delegation unknown",
        _set("participants[1].delegation", "d-x"),
        "participants[1].delegation",
        "no delegation",
    ),
    (
        "staff of no exhibitor",
        _set("participants[4].exhibitor", "e-x"),
        "participants[4].exhibitor",
        "no exhibitor",
    ),
    (
        "zone is no location",
        _set("participants[0].zones", ["lounge", "e-sahel"]),
        "participants[0].zones[1]",
        "no location",
    ),
    (
        "table in no location",
        _set("meeting_tables[1].location", "x"),
        "meeting_tables[1].location",
        "no location",
    ),
    (
        "availability of no slot",
        _set("availability[0].slot", "s-x"),
        "availability[0].slot",
        "no meeting slot",
    ),
    (
        "availability of no participant",
        _set("availability[0].participant", "p-x"),
        "availability[0].participant",
        "no participant",
    ),
    (
        "availability of no exhibitor",
        _set("availability[1].exhibitor", "e-x"),
        "availability[1].exhibitor",
        "no exhibitor",
    ),
    (
        "request of no delegate",
        _set("meeting_requests[2].delegate", "p-x"),
        "meeting_requests[2].delegate",
        "no participant",
    ),
    (
        "request to no exhibitor",
        _set("meeting_requests[2].exhibitor", "e-x"),
        "meeting_requests[2].exhibitor",
        "no exhibitor",
    ),
    (
        "meeting of no request",
        _set("meetings[1].request", "r-x"),
        "meetings[1].request",
        "no meeting request",
    ),
    ("meeting in no slot", _set("meetings[1].slot", "s-x"), "meetings[1].slot", "no meeting slot"),
    (
        "meeting at no table",
        _set("meetings[1].table", "t-x"),
        "meetings[1].table",
        "no meeting table",
    ),
    # Rules between objects.
    (
        "event ends before it starts",
        _set("event.end_date", "2025-11-10"),
        "event.end_date",
        "before it starts",
    ),
    (
        "day outside the event",
        _set("days[1].date", "2025-11-20"),
        "days[1].date",
        "outside the event",
    ),
    ("day listed twice", _set("days[1].date", "2025-11-11"), "days[1].date", "days[0]"),
    (
        "session ends before it starts",
        _set("sessions[0].end", "2025-11-11T09:00"),
        "sessions[0].end",
        "end after it starts",
    ),
    (
        "slot of no length",
        _set("meeting_slots[0].end", "2025-11-11T09:00"),
        "meeting_slots[0].end",
        "end after it starts",
    ),
    (
        "overlapping slots",
        _set("meeting_slots[2].start", "2025-11-11T09:45"),
        "meeting_slots[2]",
        'overlaps slot "s-0930"',
    ),
    (
        "stand available with an exhibitor",
        _set("stands[0].status", "available"),
        "stands[0].status",
        "reserved",
    ),
    ("stand held without a status", _delete("stands[1].status"), "stands[1].status", "reserved"),
    (
        "stand reserved without exhibitor",
        _set("stands[2].status", "reserved"),
        "stands[2].exhibitor",
        "must name the exhibitor",
    ),
    (
        "exhibitor staff without exhibitor",
        _set("participants[4].exhibitor", None),
        "participants[4].exhibitor",
        "exhibitor_staff",
    ),
    (
        "table outside a meeting area",
        _set("meeting_tables[0].location", "hall-a"),
        "meeting_tables[0].location",
        "meeting_area",
    ),
    (
        "availability naming both parties",
        _availability({"slot": "s-0930", "participant": "p-awa", "exhibitor": "e-atlas"}),
        "availability[2]",
        "exactly one",
    ),
    (
        "availability naming no party",
        _availability({"slot": "s-0930"}),
        "availability[2]",
        "exactly one",
    ),
    (
        "availability listed twice",
        _availability({"slot": "s-1000", "participant": "p-moussa"}),
        "availability[2]",
        "availability[0]",
    ),
    (
        "request from the press",
        _set("meeting_requests[3].delegate", "p-press"),
        "meeting_requests[3].delegate",
        "only a delegate or a vip",
    ),
    # The six hard rules of a schedule.
    (
        "rule 1: meeting of a pending request",
        _meeting("r-4", "s-1000", "t-1"),
        "meetings[3].request",
        "pending",
    ),
    (
        "rule 1: meeting of an expired request",
        _meeting("r-6", "s-0930", "t-2"),
        "meetings[3].request",
        "expired",
    ),
    (
        "rule 1: second meeting of a request",
        _meeting("r-1", "s-1000", "t-2"),
        "meetings[3].request",
        "meetings[0]",
    ),
    (
        "rule 2: delegate twice in a slot",
        _meeting("r-8", "s-0900", "t-1"),
        "meetings[3].slot",
        'delegate "p-awa" already has a meeting in slot "s-0900" (meetings[0])',
    ),
    (
        "rule 3: exhibitor over capacity",
        _meeting("r-7", "s-0930", "t-2"),
        "meetings[3].slot",
        'exhibitor "e-atlas" already has 1 meeting in slot "s-0930"',
    ),
    (
        "rule 4: table twice in a slot",
        _meeting("r-9", "s-0930", "t-1"),
        "meetings[3].table",
        'table "t-1" is already taken in slot "s-0930" (meetings[2])',
    ),
    (
        "rule 5: delegate unavailable",
        _meeting("r-9", "s-1000", "t-1"),
        "meetings[3].slot",
        'delegate "p-moussa" cannot meet in slot "s-1000" (availability[0])',
    ),
    (
        "rule 5: exhibitor unavailable",
        _set("meetings[0].request", "r-7"),
        "meetings[0].slot",
        'exhibitor "e-atlas" cannot meet in slot "s-0900" (availability[1])',
    ),
    (
        "rule 6: delegate not approved",
        _meeting("r-5", "s-1000", "t-1"),
        "meetings[3].request",
        'delegate "p-pending" of request "r-5" is pending',
    ),
    (
        "meeting without a table when the event has tables",
        _meeting("r-7", "s-1000", None),
        "meetings[3].table",
        "every meeting must take one",
    ),
]
