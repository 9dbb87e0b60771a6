"""Loading an expo-event/1 document into the database: validated first, then all or nothing.

Rows go in with bulk INSERTs (hundreds of rows per statement), list by list in
document order, so primary keys keep the document's order and the exporter can
give it back. Everything happens in one savepoint: any error undoes all of it, and
the caller (`expo import-event`, `expo seed`) commits.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError

from expo_app.accounts.models import EventOrganiser
from expo_app.audit.models import AuditEntry
from expo_app.delegations.models import Accreditation, Delegation, Participant, ParticipantZone
from expo_app.events.models import Event, EventDay, EventSession, Location
from expo_app.exhibitors.models import Approval, Exhibitor, ExhibitorSector, Stand, StandStatus
from expo_app.extensions import db
from expo_app.interchange.errors import InterchangeError
from expo_app.interchange.validate import parse_document, validate_document
from expo_app.matchmaking.models import (
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    Unavailability,
)
from expo_app.modelkit import utcnow

Progress = Callable[[str, int, int], None]
# Rows per statement batch reported to `progress` (the driver pages them further).
CHUNK = 10_000


def load_event_file(
    path_or_dash: str | os.PathLike[str],
    *,
    replace: bool = False,
    progress: Progress | None = None,
) -> Event:
    """Import the document in a file, or on standard input for "-"; OSError if it cannot be read."""
    reading_stdin = str(path_or_dash) == "-"
    data = sys.stdin.buffer.read() if reading_stdin else Path(path_or_dash).read_bytes()
    return import_event(parse_document(data), replace=replace, progress=progress)


def import_event(
    document: dict[str, Any], *, replace: bool = False, progress: Progress | None = None
) -> Event:
    """Validate the document and store it as a new event, all or nothing; flushes, the
    caller commits.

    An event with the same slug is an InterchangeError unless `replace`, which
    deletes that event (and everything in it) in the same unit of work; its
    organisers, and the accounts linked to exhibitors and participants that keep
    their id, stay attached to the new event. On any error the database is left
    as it was: the writes sit in a savepoint, undone before the error reaches the caller.
    """
    report = progress or _silent
    report("validating", 0, 1)
    validate_document(document)
    report("validating", 1, 1)
    try:
        with db.session.begin_nested():
            event = _Importer(document, report).run(replace)
            db.session.flush()
    except (IntegrityError, DataError) as exc:
        # Validation should leave nothing for the database to refuse; if it does, still
        # a one-line reason rather than a traceback.
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise InterchangeError("$", f"the database refused the document ({detail})") from exc
    return event


def _silent(stage: str, done: int, total: int) -> None:
    pass


class _Importer:
    def __init__(self, document: dict[str, Any], report: Progress) -> None:
        self.doc = document
        self.report = report
        self.now = utcnow()
        # ref -> primary key, per list
        self.ids: dict[str, dict[str, int]] = {}
        # What --replace keeps from the old event.
        self.organiser_ids: list[int] = []
        self.exhibitor_users: dict[str, int] = {}
        self.participant_users: dict[str, int] = {}

    def items(self, name: str) -> list[dict[str, Any]]:
        return self.doc.get(name) or []

    def run(self, replace: bool) -> Event:
        slug = self.doc["event"]["slug"]
        existing = db.session.execute(select(Event.id).where(Event.slug == slug)).scalar()
        if existing is not None:
            if not replace:
                raise InterchangeError(
                    "event.slug", f'an event with slug "{slug}" already exists (use --replace)'
                )
            self.report("deleting the old event", 0, 1)
            self.remember_accounts(existing)
            _forget_objects_of(existing)
            delete_event_rows(existing)
            self.report("deleting the old event", 1, 1)
        event = self.insert_event()
        self.insert_days(event.id)
        self.insert_locations(event.id)
        self.insert_exhibitors(event.id)
        self.insert_sessions(event.id)
        self.insert_stands(event.id)
        self.insert_people(event.id)
        self.insert_matchmaking(event.id)
        return event

    # Bulk helpers.

    def bulk(self, stage: str, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows in document order."""
        total = len(rows)
        for start in range(0, total, CHUNK):
            db.session.execute(insert(table), rows[start : start + CHUNK])
            self.report(stage, min(start + CHUNK, total), total)
        if not total:
            self.report(stage, 0, 0)

    def bulk_with_ids(
        self, stage: str, table: Table, rows: Sequence[dict[str, Any]]
    ) -> dict[str, int]:
        """Insert rows in document order; the new primary keys by ref.

        A plain executemany and one SELECT of (ref, id) rather than INSERT ...
        RETURNING: psycopg re-parses a many-row RETURNING statement on every page,
        which made PostgreSQL imports three times slower. Rows are inserted one
        after the other, so primary keys still follow document order.
        """
        self.bulk(stage, table, rows)
        if not rows:
            return {}
        pairs = db.session.execute(
            select(table.c.ref, table.c.id).where(table.c.event_id == rows[0]["event_id"])
        )
        return {ref: key for ref, key in pairs}

    # The lists.

    def remember_accounts(self, event_id: int) -> None:
        self.organiser_ids = list(
            db.session.execute(
                select(EventOrganiser.user_id).where(EventOrganiser.event_id == event_id)
            ).scalars()
        )
        for model, kept in (
            (Exhibitor, self.exhibitor_users),
            (Participant, self.participant_users),
        ):
            rows = db.session.execute(
                select(model.ref, model.user_id).where(
                    model.event_id == event_id, model.user_id.is_not(None)
                )
            )
            kept.update({ref: user_id for ref, user_id in rows})

    def insert_event(self) -> Event:
        data = self.doc["event"]
        event = Event(
            slug=data["slug"],
            name=data["name"],
            timezone=data["timezone"],
            start_date=date.fromisoformat(data["start_date"]),
            end_date=date.fromisoformat(data["end_date"]),
            **{
                key: data.get(key)
                for key in ("venue", "city", "country", "theme", "organiser", "website")
            },
        )
        db.session.add(event)
        db.session.flush()
        if self.organiser_ids:
            self.bulk(
                "organisers",
                EventOrganiser.__table__,
                [{"user_id": user_id, "event_id": event.id} for user_id in self.organiser_ids],
            )
        return event

    def insert_days(self, event_id: int) -> None:
        rows = [
            {
                "event_id": event_id,
                "date": date.fromisoformat(day["date"]),
                "kinds": ",".join(day["kinds"]),
                "opens": _time(day.get("opens")),
                "closes": _time(day.get("closes")),
            }
            for day in self.items("days")
        ]
        self.bulk("days", EventDay.__table__, rows)

    def insert_locations(self, event_id: int) -> None:
        items = self.items("locations")
        rows = [
            {
                "event_id": event_id,
                "ref": item["id"],
                "name": item["name"],
                "kind": item["kind"],
                "capacity": item.get("capacity"),
                "restricted": bool(item.get("restricted")),
            }
            for item in items
        ]
        self.ids["locations"] = self.bulk_with_ids("locations", Location.__table__, rows)

    def insert_exhibitors(self, event_id: int) -> None:
        items = self.items("exhibitors")
        rows = [
            {
                "event_id": event_id,
                "ref": item["id"],
                "name": item["name"],
                "country": item["country"],
                "description": item.get("description"),
                "description_fr": item.get("description_fr"),
                "website": item.get("website"),
                "meeting_capacity": item.get("meeting_capacity") or 1,
                "approval": item.get("approval") or Approval.APPROVED.value,
                "user_id": self.exhibitor_users.get(item["id"]),
                "created_at": self.now,
            }
            for item in items
        ]
        ids = self.ids["exhibitors"] = self.bulk_with_ids("exhibitors", Exhibitor.__table__, rows)
        sectors = [
            {"exhibitor_id": ids[item["id"]], "position": position, "name": name}
            for item in items
            for position, name in enumerate(item.get("sectors") or [])
        ]
        self.bulk("exhibitor sectors", ExhibitorSector.__table__, sectors)

    def insert_sessions(self, event_id: int) -> None:
        locations, exhibitors = self.ids["locations"], self.ids["exhibitors"]
        rows = [
            {
                "event_id": event_id,
                "ref": item["id"],
                "title": item["title"],
                "kind": item["kind"],
                "start": datetime.fromisoformat(item["start"]),
                "end": datetime.fromisoformat(item["end"]),
                "location_id": locations[item["location"]],
                "description": item.get("description"),
                "exhibitor_id": _ref(exhibitors, item.get("exhibitor")),
                "capacity": item.get("capacity"),
                "version": 1,
            }
            for item in self.items("sessions")
        ]
        self.bulk("sessions", EventSession.__table__, rows)

    def insert_stands(self, event_id: int) -> None:
        locations, exhibitors = self.ids["locations"], self.ids["exhibitors"]
        rows = [
            {
                "event_id": event_id,
                "ref": item["id"],
                "location_id": locations[item["location"]],
                "width_m": item["width_m"],
                "depth_m": item["depth_m"],
                "x_m": item.get("x_m"),
                "y_m": item.get("y_m"),
                "price": None if item.get("price") is None else Decimal(str(item["price"])),
                "currency": item.get("currency"),
                "exhibitor_id": _ref(exhibitors, item.get("exhibitor")),
                "status": item.get("status") or StandStatus.AVAILABLE.value,
                "version": 1,
            }
            for item in self.items("stands")
        ]
        self.bulk("stands", Stand.__table__, rows)

    def insert_people(self, event_id: int) -> None:
        delegations = self.items("delegations")
        rows = [
            {
                "event_id": event_id,
                "ref": item["id"],
                "name": item["name"],
                "country": item["country"],
                "kind": item.get("kind"),
            }
            for item in delegations
        ]
        delegation_ids = self.ids["delegations"] = self.bulk_with_ids(
            "delegations", Delegation.__table__, rows
        )
        exhibitors = self.ids["exhibitors"]
        people = self.items("participants")
        rows = [
            {
                "event_id": event_id,
                "ref": item["id"],
                "name": item["name"],
                "email": item["email"],
                "role": item["role"],
                "organisation": item.get("organisation"),
                "title": item.get("title"),
                "country": item.get("country"),
                "delegation_id": _ref(delegation_ids, item.get("delegation")),
                "exhibitor_id": _ref(exhibitors, item.get("exhibitor")),
                "accreditation": item.get("accreditation") or Accreditation.PENDING.value,
                "user_id": self.participant_users.get(item["id"]),
                "badge_version": 1,
                "created_at": self.now,
            }
            for item in people
        ]
        participant_ids = self.ids["participants"] = self.bulk_with_ids(
            "participants", Participant.__table__, rows
        )
        locations = self.ids["locations"]
        zones = [
            {
                "participant_id": participant_ids[item["id"]],
                "location_id": locations[zone],
                "position": position,
            }
            for item in people
            for position, zone in enumerate(item.get("zones") or [])
        ]
        self.bulk("badge zones", ParticipantZone.__table__, zones)
        if self.doc.get("includes_identity_documents"):
            from expo_app.vetting.models import IdentityDocument
            from expo_app.vetting.transfer import imported_rows

            rows = imported_rows(people, participant_ids)
            self.bulk("identity documents", IdentityDocument.__table__, rows)
        # Heads last: delegations and participants point at each other.
        heads = [
            {"key": delegation_ids[item["id"]], "head": participant_ids[item["head"]]}
            for item in delegations
            if item.get("head") is not None
        ]
        if heads:
            table = Delegation.__table__
            db.session.execute(
                update(table)
                .where(table.c.id == bindparam("key"))
                .values(head_id=bindparam("head")),
                heads,
            )
        self.report("delegation heads", len(heads), len(heads))

    def insert_matchmaking(self, event_id: int) -> None:
        slots = self.items("meeting_slots")
        slot_ids = self.bulk_with_ids(
            "meeting slots",
            MeetingSlot.__table__,
            [
                {
                    "event_id": event_id,
                    "ref": item["id"],
                    "start": datetime.fromisoformat(item["start"]),
                    "end": datetime.fromisoformat(item["end"]),
                }
                for item in slots
            ],
        )
        locations = self.ids["locations"]
        tables = self.items("meeting_tables")
        table_ids = self.bulk_with_ids(
            "meeting tables",
            MeetingTable.__table__,
            [
                {
                    "event_id": event_id,
                    "ref": item["id"],
                    "location_id": locations[item["location"]],
                }
                for item in tables
            ],
        )
        participants, exhibitors = self.ids["participants"], self.ids["exhibitors"]
        self.bulk(
            "availability",
            Unavailability.__table__,
            [
                {
                    "slot_id": slot_ids[item["slot"]],
                    "participant_id": _ref(participants, item.get("participant")),
                    "exhibitor_id": _ref(exhibitors, item.get("exhibitor")),
                }
                for item in self.items("availability")
            ],
        )
        requests = self.items("meeting_requests")
        request_ids = self.bulk_with_ids(
            "meeting requests",
            MeetingRequest.__table__,
            [
                {
                    "event_id": event_id,
                    "ref": item["id"],
                    "delegate_id": participants[item["delegate"]],
                    "exhibitor_id": exhibitors[item["exhibitor"]],
                    "requested_by": item["requested_by"],
                    "status": item["status"],
                    "priority": item.get("priority") or 1,
                    "message": item.get("message"),
                    "created_at": self.now,
                }
                for item in requests
            ],
        )
        request_by_ref = {item["id"]: item for item in requests}
        capacity = {
            item["id"]: item.get("meeting_capacity") or 1 for item in self.items("exhibitors")
        }
        # Each meeting takes the lowest free numbered place of its exhibitor in its slot.
        places: dict[tuple[str, str], int] = {}
        rows = []
        for item in self.items("meetings"):
            request = request_by_ref[item["request"]]
            exhibitor = request["exhibitor"]
            place = places[(exhibitor, item["slot"])] = places.get((exhibitor, item["slot"]), 0) + 1
            rows.append(
                Meeting.row(
                    event_id=event_id,
                    request_id=request_ids[request["id"]],
                    delegate_id=participants[request["delegate"]],
                    exhibitor_id=exhibitors[exhibitor],
                    slot_id=slot_ids[item["slot"]],
                    table_id=_ref(table_ids, item.get("table")),
                    capacity=capacity[exhibitor],
                    place=place,
                    created_at=self.now,
                )
            )
        self.bulk("meetings", Meeting.__table__, rows)


def delete_event_rows(event_id: int) -> None:
    """Delete an event and everything in it, children first.

    Tables are emptied explicitly rather than by ON DELETE CASCADE from the event,
    in an order that keeps foreign-key checks cheap: delegations go before
    participants, so removing 50,000 participants does not search the delegations
    for heads. Tables added later that hang off the event go by their cascade.
    """
    participants = select(Participant.id).where(Participant.event_id == event_id)
    exhibitors = select(Exhibitor.id).where(Exhibitor.event_id == event_id)
    slots = select(MeetingSlot.id).where(MeetingSlot.event_id == event_id)
    statements = [
        delete(Meeting).where(Meeting.event_id == event_id),
        delete(Unavailability).where(Unavailability.slot_id.in_(slots)),
        delete(MeetingRequest).where(MeetingRequest.event_id == event_id),
        delete(MeetingTable).where(MeetingTable.event_id == event_id),
        delete(MeetingSlot).where(MeetingSlot.event_id == event_id),
        delete(EventSession).where(EventSession.event_id == event_id),
        delete(Stand).where(Stand.event_id == event_id),
        delete(ParticipantZone).where(ParticipantZone.participant_id.in_(participants)),
        update(Participant).where(Participant.event_id == event_id).values(delegation_id=None),
        delete(Delegation).where(Delegation.event_id == event_id),
        delete(Participant).where(Participant.event_id == event_id),
        delete(ExhibitorSector).where(ExhibitorSector.exhibitor_id.in_(exhibitors)),
        delete(Exhibitor).where(Exhibitor.event_id == event_id),
        delete(Location).where(Location.event_id == event_id),
        delete(EventDay).where(EventDay.event_id == event_id),
        delete(EventOrganiser).where(EventOrganiser.event_id == event_id),
        delete(AuditEntry).where(AuditEntry.event_id == event_id),
        delete(Event).where(Event.id == event_id),
    ]
    for statement in statements:
        db.session.execute(statement.execution_options(synchronize_session=False))


def _forget_objects_of(event_id: int) -> None:
    """Detach the session's objects of an event about to be deleted: new rows may reuse ids."""
    loaded: dict[type, list[tuple[Any, object]]] = defaultdict(list)
    for key, obj in list(db.session.identity_map.items()):
        loaded[key[0]].append((key[1], obj))
    for model, entries in loaded.items():
        if model is Event:
            doomed = {(event_id,)}
        elif model in (ExhibitorSector, ParticipantZone, Unavailability):
            doomed = {identity for identity, _ in entries}  # rarely loaded: detach them all
        elif "event_id" in model.__table__.c and len(model.__mapper__.primary_key) == 1:
            column = model.__mapper__.primary_key[0]
            wanted = [identity[0] for identity, _ in entries]
            doomed = set()
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                doomed.update(
                    (pk,)
                    for pk in db.session.execute(
                        select(column).where(column.in_(chunk), model.event_id == event_id)
                    ).scalars()
                )
        elif "event_id" in model.__table__.c:  # event_organisers
            doomed = {identity for identity, obj in entries if obj.event_id == event_id}
        else:
            continue
        for identity, obj in entries:
            if identity in doomed:
                db.session.expunge(obj)


def _ref(ids: dict[str, int], ref: str | None) -> int | None:
    return None if ref is None else ids[ref]


def _time(text: str | None) -> time | None:
    return None if text is None else time.fromisoformat(text)
