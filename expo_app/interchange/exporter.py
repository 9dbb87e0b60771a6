"""Writing an event as an expo-event/1 document.

Every list comes out in document order (primary-key order: the importer keeps
it), and every key of the format is present, null when there is no value, so
two exports of the same event are the same document. One query per list, refs
resolved in Python: the query count does not grow with the event.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import Select, select

from expo_app.delegations.models import Delegation, Participant, ParticipantZone
from expo_app.events.models import Event, EventDay, EventSession, Location
from expo_app.exhibitors.models import Approval, Exhibitor, ExhibitorSector, Stand
from expo_app.extensions import db
from expo_app.interchange.validate import FORMAT, FORMAT_WITH_IDENTITY_DOCUMENTS
from expo_app.matchmaking.models import (
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    Unavailability,
)
from expo_app.modelkit import utcnow


def export_event(event: Event, *, identity_documents: bool = False) -> dict[str, Any]:
    """The whole event as an expo-event/1 document (a dict ready for json.dump).

    Identity documents stay out unless asked: with `identity_documents` the document is
    expo-event/1.1, says `includes_identity_documents`, and the export is audited."""
    exporter = _Exporter(event.id)
    document = exporter.document(event)
    if identity_documents:
        from expo_app.vetting.transfer import exported_documents

        found = exported_documents(event)
        refs = {ref: pk for pk, ref in exporter.refs["participants"].items()}
        for person in document["participants"]:
            person["identity_document"] = found.get(refs[person["id"]])
        document["format"] = FORMAT_WITH_IDENTITY_DOCUMENTS
        document["includes_identity_documents"] = True
    return document


def dump_document(document: dict[str, Any], fp: IO[str]) -> None:
    """Write the document as readable UTF-8 JSON (no trailing newline)."""
    json.dump(document, fp, ensure_ascii=False, indent=2)


class _Exporter:
    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        # primary key -> ref, per table
        self.refs: dict[str, dict[int, str]] = {}

    def rows(self, statement: Select) -> list[Any]:
        return db.session.execute(statement).all()

    def document(self, event: Event) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "event": {
                "name": event.name,
                "slug": event.slug,
                "timezone": event.timezone,
                "start_date": _date(event.start_date),
                "end_date": _date(event.end_date),
                "venue": event.venue,
                "city": event.city,
                "country": event.country,
                "theme": event.theme,
                "organiser": event.organiser,
                "website": event.website,
            },
            "days": self.days(),
            "locations": self.locations(),
            # Sessions name exhibitors, so exhibitors are read first.
            **self.exhibitors_and_sessions(),
            "stands": self.stands(),
            **self.people(),
            **self.matchmaking(),
        }

    def days(self) -> list[dict[str, Any]]:
        rows = self.rows(
            select(EventDay.date, EventDay.kinds_csv, EventDay.opens, EventDay.closes)
            .where(EventDay.event_id == self.event_id)
            .order_by(EventDay.id)
        )
        return [
            {
                "date": _date(day),
                "kinds": [kind for kind in kinds.split(",") if kind],
                "opens": _time(opens),
                "closes": _time(closes),
            }
            for day, kinds, opens, closes in rows
        ]

    def locations(self) -> list[dict[str, Any]]:
        rows = self.rows(
            select(
                Location.id,
                Location.ref,
                Location.name,
                Location.kind,
                Location.capacity,
                Location.restricted,
            )
            .where(Location.event_id == self.event_id)
            .order_by(Location.id)
        )
        self.refs["locations"] = {row.id: row.ref for row in rows}
        return [
            {
                "id": row.ref,
                "name": row.name,
                "kind": row.kind,
                "capacity": row.capacity,
                "restricted": bool(row.restricted),
            }
            for row in rows
        ]

    def exhibitors_and_sessions(self) -> dict[str, list[dict[str, Any]]]:
        rows = self.rows(
            select(
                Exhibitor.id,
                Exhibitor.ref,
                Exhibitor.name,
                Exhibitor.country,
                Exhibitor.description,
                Exhibitor.description_fr,
                Exhibitor.website,
                Exhibitor.meeting_capacity,
                Exhibitor.approval,
            )
            .where(Exhibitor.event_id == self.event_id)
            .order_by(Exhibitor.id)
        )
        exhibitors = self.refs["exhibitors"] = {row.id: row.ref for row in rows}
        sectors: dict[int, list[str]] = {row.id: [] for row in rows}
        for exhibitor_id, name in self.rows(
            select(ExhibitorSector.exhibitor_id, ExhibitorSector.name)
            .join(Exhibitor, Exhibitor.id == ExhibitorSector.exhibitor_id)
            .where(Exhibitor.event_id == self.event_id)
            .order_by(ExhibitorSector.exhibitor_id, ExhibitorSector.position, ExhibitorSector.id)
        ):
            sectors[exhibitor_id].append(name)
        exhibitor_list = []
        for row in rows:
            item = {
                "id": row.ref,
                "name": row.name,
                "country": row.country,
                "sectors": sectors[row.id],
                "description": row.description,
                "website": row.website,
                "meeting_capacity": row.meeting_capacity,
            }
            if row.description_fr is not None:
                item["description_fr"] = row.description_fr
            if row.approval != Approval.APPROVED:  # a registration still waiting, or refused
                item["approval"] = row.approval
            exhibitor_list.append(item)

        locations = self.refs["locations"]
        session_list = [
            {
                "id": row.ref,
                "title": row.title,
                "kind": row.kind,
                "start": _datetime(row.start),
                "end": _datetime(row.end),
                "location": locations[row.location_id],
                "description": row.description,
                "exhibitor": _ref(exhibitors, row.exhibitor_id),
                "capacity": row.capacity,
            }
            for row in self.rows(
                select(
                    EventSession.ref,
                    EventSession.title,
                    EventSession.kind,
                    EventSession.start,
                    EventSession.end,
                    EventSession.location_id,
                    EventSession.description,
                    EventSession.exhibitor_id,
                    EventSession.capacity,
                )
                .where(EventSession.event_id == self.event_id)
                .order_by(EventSession.id)
            )
        ]
        return {"sessions": session_list, "exhibitors": exhibitor_list}

    def stands(self) -> list[dict[str, Any]]:
        locations, exhibitors = self.refs["locations"], self.refs["exhibitors"]
        return [
            {
                "id": row.ref,
                "location": locations[row.location_id],
                "width_m": _number(row.width_m),
                "depth_m": _number(row.depth_m),
                "x_m": _number(row.x_m),
                "y_m": _number(row.y_m),
                "price": _number(row.price),
                "currency": row.currency,
                "exhibitor": _ref(exhibitors, row.exhibitor_id),
                "status": row.status,
            }
            for row in self.rows(
                select(
                    Stand.ref,
                    Stand.location_id,
                    Stand.width_m,
                    Stand.depth_m,
                    Stand.x_m,
                    Stand.y_m,
                    Stand.price,
                    Stand.currency,
                    Stand.exhibitor_id,
                    Stand.status,
                )
                .where(Stand.event_id == self.event_id)
                .order_by(Stand.id)
            )
        ]

    def people(self) -> dict[str, list[dict[str, Any]]]:
        delegation_rows = self.rows(
            select(
                Delegation.id,
                Delegation.ref,
                Delegation.name,
                Delegation.country,
                Delegation.kind,
                Delegation.head_id,
            )
            .where(Delegation.event_id == self.event_id)
            .order_by(Delegation.id)
        )
        delegations = {row.id: row.ref for row in delegation_rows}
        rows = self.rows(
            select(
                Participant.id,
                Participant.ref,
                Participant.name,
                Participant.email,
                Participant.role,
                Participant.organisation,
                Participant.title,
                Participant.country,
                Participant.delegation_id,
                Participant.exhibitor_id,
                Participant.accreditation,
            )
            .where(Participant.event_id == self.event_id)
            .order_by(Participant.id)
        )
        participants = self.refs["participants"] = {row.id: row.ref for row in rows}
        locations, exhibitors = self.refs["locations"], self.refs["exhibitors"]
        zones: dict[int, list[str]] = {row.id: [] for row in rows}
        for participant_id, location_id in self.rows(
            select(ParticipantZone.participant_id, ParticipantZone.location_id)
            .join(Participant, Participant.id == ParticipantZone.participant_id)
            .where(Participant.event_id == self.event_id)
            .order_by(ParticipantZone.participant_id, ParticipantZone.position)
        ):
            zones[participant_id].append(locations[location_id])
        return {
            "delegations": [
                {
                    "id": row.ref,
                    "name": row.name,
                    "country": row.country,
                    "kind": row.kind,
                    "head": _ref(participants, row.head_id),
                }
                for row in delegation_rows
            ],
            "participants": [
                {
                    "id": row.ref,
                    "name": row.name,
                    "email": row.email,
                    "role": row.role,
                    "organisation": row.organisation,
                    "title": row.title,
                    "country": row.country,
                    "delegation": _ref(delegations, row.delegation_id),
                    "exhibitor": _ref(exhibitors, row.exhibitor_id),
                    "accreditation": row.accreditation,
                    "zones": zones[row.id],
                }
                for row in rows
            ],
        }

    def matchmaking(self) -> dict[str, list[dict[str, Any]]]:
        slot_rows = self.rows(
            select(MeetingSlot.id, MeetingSlot.ref, MeetingSlot.start, MeetingSlot.end)
            .where(MeetingSlot.event_id == self.event_id)
            .order_by(MeetingSlot.id)
        )
        slots = {row.id: row.ref for row in slot_rows}
        table_rows = self.rows(
            select(MeetingTable.id, MeetingTable.ref, MeetingTable.location_id)
            .where(MeetingTable.event_id == self.event_id)
            .order_by(MeetingTable.id)
        )
        tables = {row.id: row.ref for row in table_rows}
        availability_rows = self.rows(
            select(
                Unavailability.slot_id, Unavailability.participant_id, Unavailability.exhibitor_id
            )
            .join(MeetingSlot, MeetingSlot.id == Unavailability.slot_id)
            .where(MeetingSlot.event_id == self.event_id)
            .order_by(Unavailability.id)
        )
        request_rows = self.rows(
            select(
                MeetingRequest.id,
                MeetingRequest.ref,
                MeetingRequest.delegate_id,
                MeetingRequest.exhibitor_id,
                MeetingRequest.requested_by,
                # As of now: a request nobody answered in time goes out as expired (the
                # document keeps no deadline, so it would come back pending for ever).
                MeetingRequest.state_at(utcnow()).label("status"),
                MeetingRequest.priority,
                MeetingRequest.message,
            )
            .where(MeetingRequest.event_id == self.event_id)
            .order_by(MeetingRequest.id)
        )
        requests = {row.id: row.ref for row in request_rows}
        meeting_rows = self.rows(
            select(Meeting.request_id, Meeting.slot_id, Meeting.table_id)
            .where(Meeting.event_id == self.event_id)
            .order_by(Meeting.id)
        )
        participants, exhibitors = self.refs["participants"], self.refs["exhibitors"]
        locations = self.refs["locations"]
        return {
            "meeting_slots": [
                {"id": row.ref, "start": _datetime(row.start), "end": _datetime(row.end)}
                for row in slot_rows
            ],
            "meeting_tables": [
                {"id": row.ref, "location": locations[row.location_id]} for row in table_rows
            ],
            "availability": [
                {
                    "slot": slots[row.slot_id],
                    "participant": _ref(participants, row.participant_id),
                    "exhibitor": _ref(exhibitors, row.exhibitor_id),
                }
                for row in availability_rows
            ],
            "meeting_requests": [
                {
                    "id": row.ref,
                    "delegate": participants[row.delegate_id],
                    "exhibitor": exhibitors[row.exhibitor_id],
                    "requested_by": row.requested_by,
                    "status": row.status,
                    "priority": row.priority,
                    "message": row.message,
                }
                for row in request_rows
            ],
            "meetings": [
                {
                    "request": requests[row.request_id],
                    "slot": slots[row.slot_id],
                    "table": _ref(tables, row.table_id),
                }
                for row in meeting_rows
            ],
        }


def _ref(refs: dict[int, str], key: int | None) -> str | None:
    return None if key is None else refs[key]


def _date(value: date) -> str:
    return value.isoformat()


def _time(value: time | None) -> str | None:
    return None if value is None else value.isoformat(timespec="minutes")


def _datetime(value: datetime) -> str:
    return value.isoformat(timespec="seconds" if value.second else "minutes")


def _number(value: float | Decimal | None) -> int | float | None:
    """Whole numbers as JSON integers (3, not 3.0), others as they are."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return int(value) if float(value).is_integer() else value
