"""Organiser-only rules and queries: the accreditation queue, the morning figures, the
management lists, saving programme sessions and stands (never silently over someone
else's change), and the audit log. Rules owned by other domains (accreditation itself,
stand holds, demo placement) are called, never copied. Nothing here commits: the web
request commits once."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from expo_app.accounts.models import User
from expo_app.audit.models import AuditEntry
from expo_app.audit.services import record, snapshot
from expo_app.delegations import seats
from expo_app.delegations import services as delegations
from expo_app.delegations.models import Accreditation, Delegation, Participant, ParticipantZone
from expo_app.errors import DomainError
from expo_app.events import conflicts
from expo_app.events.models import Event, EventSession, Location
from expo_app.events.services import usual_session_kind
from expo_app.exhibitors.models import (
    DemoRequest,
    DemoStatus,
    Exhibitor,
    ExhibitorSector,
    Stand,
    StandStatus,
)
from expo_app.exhibitors.services import escape_like, with_sector_and_country
from expo_app.extensions import db
from expo_app.matchmaking.models import Meeting, MeetingRequest, MeetingSlot, MeetingTable
from expo_app.modelkit import utcnow

PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 100
AUDIT_PAGE_SIZE = 50


class OrganiserError(DomainError):
    """A refusal the organiser can understand; `field` names the form field it belongs to."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message, field=field)


class RecordChanged(OrganiserError):
    """Someone saved the record since this person loaded it: `current` is what is there now."""

    def __init__(self, current: Any) -> None:
        super().__init__(_l("Someone else changed this record while you were editing it."))
        self.current = current


# --------------------------------------------------------------------------- accreditation


@dataclass
class QueueGroup:
    """Pending people of one delegation (or one exhibitor's staff, or individuals)."""

    key: str
    title: str
    delegation: Delegation | None
    exhibitor: Exhibitor | None
    people: list[Participant] = field(default_factory=list)


@dataclass
class Queue:
    groups: list[QueueGroup]
    total: int
    page: int
    pages: int
    delegations: list[tuple[int, str, int]]  # id, name, pending count


def accreditation_queue(event: Event, *, delegation_id: int | None = None, page: int = 1) -> Queue:
    """People waiting for accreditation, grouped by delegation, one page at a time.

    Four queries whatever the number of people: the page, the total, and the pending
    count per delegation (for the filter), plus the page's delegations and exhibitors.
    """
    pending = (
        Participant.event_id == event.id,
        Participant.accreditation == Accreditation.PENDING.value,
    )
    statement = (
        select(Participant)
        .where(*pending)
        .outerjoin(Delegation, Delegation.id == Participant.delegation_id)
        .outerjoin(Exhibitor, Exhibitor.id == Participant.exhibitor_id)
        .options(
            joinedload(Participant.delegation),
            joinedload(Participant.exhibitor),
            selectinload(Participant.zones).joinedload(ParticipantZone.location),
        )
        .order_by(
            Delegation.name.is_(None),
            func.lower(Delegation.name),
            Delegation.id,
            Exhibitor.name.is_(None),
            func.lower(Exhibitor.name),
            func.lower(Participant.name),
            Participant.id,
        )
    )
    if delegation_id:
        statement = statement.where(Participant.delegation_id == delegation_id)
    result = db.paginate(
        statement, page=max(page, 1), per_page=QUEUE_PAGE_SIZE, error_out=False, count=True
    )
    groups: dict[str, QueueGroup] = {}
    for person in result.items:
        if person.delegation is not None:
            key, title = f"d{person.delegation_id}", person.delegation.name
        elif person.exhibitor is not None:
            key = f"e{person.exhibitor_id}"
            title = str(_l("Staff of %(name)s", name=person.exhibitor.name))
        else:
            key, title = "none", str(_l("Without a delegation"))
        group = groups.get(key)
        if group is None:
            group = groups[key] = QueueGroup(key, title, person.delegation, person.exhibitor)
        group.people.append(person)
    counts = db.session.execute(
        select(Delegation.id, Delegation.name, func.count(Participant.id))
        .join(Participant, Participant.delegation_id == Delegation.id)
        .where(*pending)
        .group_by(Delegation.id, Delegation.name)
        .order_by(func.lower(Delegation.name))
    ).all()
    return Queue(
        groups=list(groups.values()),
        total=result.total or 0,
        page=result.page,
        pages=result.pages,
        delegations=[(row[0], row[1], row[2]) for row in counts],
    )


def decide_accreditation(
    event: Event, participant_ids: list[int], *, approve: bool, reason: str | None = None
) -> list[Participant]:
    """Approve or reject people of this event (through the delegations' `accredit`, which
    cancels a rejected person's meetings first); the approved get the zones the event's
    rules give them. Returns those whose state changed."""
    if not approve and not (reason or "").strip():
        raise OrganiserError(_l("Give the reason for the refusal."), field="reason")
    if not participant_ids:
        raise OrganiserError(_l("Choose at least one person."), field="participants")
    people = db.session.execute(
        select(Participant)
        .where(Participant.event_id == event.id, Participant.id.in_(participant_ids))
        .order_by(Participant.id)
    ).scalars()
    changed = []
    for person in people:
        if _already_decided(person, approve=approve, reason=reason):
            continue
        delegations.accredit(person, approved=approve, reason=reason)
        changed.append(person)
    return changed


def _already_decided(person: Participant, *, approve: bool, reason: str | None) -> bool:
    """Deciding again what is already decided changes nothing (and records nothing)."""
    if approve:
        return person.is_accredited
    return person.is_refused and person.rejection_reason == reason


# --------------------------------------------------------------------------- dashboard


@dataclass
class DayUsage:
    day: date
    slots: int
    slots_used: int
    meetings: int
    table_places: int  # slots x tables
    table_meetings: int


@dataclass
class Figures:
    stands: Counter
    stand_area: dict[str, float]
    revenue: dict[str, dict[str, Decimal]]  # status -> currency -> sum
    exhibitors: Counter
    accreditation: Counter
    requests: Counter
    demo_requests_pending: int
    days: list[DayUsage]
    tables: int
    requests_per_day: list[tuple[date, int]]

    @property
    def stands_total(self) -> int:
        return sum(self.stands.values())

    @property
    def stands_taken(self) -> int:
        """Stands confirmed or on hold: sold, or about to be."""
        return self.stands[StandStatus.CONFIRMED] + self.stands[StandStatus.RESERVED]

    @property
    def sold_share(self) -> float:
        total = self.stands_total
        return self.stands_taken / total if total else 0.0


def morning_figures(event: Event, today: date | None = None) -> Figures:
    """What an organiser checks every morning, in a fixed number of grouped queries."""
    stands: Counter = Counter()
    area: dict[str, float] = defaultdict(float)
    revenue: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for status, currency, count, m2, money in db.session.execute(
        select(
            Stand.status,
            Stand.currency,
            func.count(),
            func.coalesce(func.sum(Stand.width_m * Stand.depth_m), 0),
            func.coalesce(func.sum(Stand.price), 0),
        )
        .where(Stand.event_id == event.id)
        .group_by(Stand.status, Stand.currency)
    ):
        stands[status] += count
        area[status] += float(m2)
        if money:
            revenue[status][currency or ""] += Decimal(money)

    def grouped(column, model) -> Counter:
        rows = db.session.execute(
            select(column, func.count()).where(model.event_id == event.id).group_by(column)
        )
        return Counter(dict(rows.all()))

    slots = db.session.execute(
        select(MeetingSlot.id, MeetingSlot.start)
        .where(MeetingSlot.event_id == event.id)
        .order_by(MeetingSlot.start)
    ).all()
    per_slot = {
        slot_id: (count, with_table)
        for slot_id, count, with_table in db.session.execute(
            select(Meeting.slot_id, func.count(), func.count(Meeting.table_id))
            .where(Meeting.event_id == event.id)
            .group_by(Meeting.slot_id)
        )
    }
    tables, demo_pending = db.session.execute(  # two counts, one round trip
        select(
            select(func.count())
            .select_from(MeetingTable)
            .where(MeetingTable.event_id == event.id)
            .scalar_subquery(),
            select(func.count())
            .select_from(DemoRequest)
            .where(DemoRequest.event_id == event.id, DemoRequest.status == DemoStatus.PENDING.value)
            .scalar_subquery(),
        )
    ).one()
    days: dict[date, DayUsage] = {}
    for slot_id, start in slots:
        usage = days.setdefault(start.date(), DayUsage(start.date(), 0, 0, 0, 0, 0))
        count, with_table = per_slot.get(slot_id, (0, 0))
        usage.slots += 1
        usage.slots_used += 1 if count else 0
        usage.meetings += count
        usage.table_places += tables
        usage.table_meetings += with_table
    today = today or date.today()
    since = datetime.combine(today - timedelta(days=13), datetime.min.time())
    created = func.date(MeetingRequest.created_at)
    per_day = {
        str(day): count
        for day, count in db.session.execute(
            select(created, func.count())
            .where(MeetingRequest.event_id == event.id, MeetingRequest.created_at >= since)
            .group_by(created)
        )
    }
    fortnight = [today - timedelta(days=n) for n in range(13, -1, -1)]
    return Figures(
        stands=stands,
        stand_area=dict(area),
        revenue={status: dict(money) for status, money in revenue.items()},
        exhibitors=grouped(Exhibitor.approval, Exhibitor),
        accreditation=grouped(Participant.accreditation, Participant),
        # By state now: an unanswered request past its deadline counts as expired.
        requests=grouped(MeetingRequest.state_at(utcnow()), MeetingRequest),
        demo_requests_pending=demo_pending,
        days=[days[key] for key in sorted(days)],
        tables=tables,
        requests_per_day=[(day, per_day.get(day.isoformat(), 0)) for day in fortnight],
    )


# --------------------------------------------------------------------------- lists


@dataclass
class ListQuery:
    """What the organiser typed or picked above a list."""

    q: str = ""
    status: str = ""
    country: str = ""
    sector: str = ""
    role: str = ""
    delegation: int | None = None
    sort: str = "name"
    page: int = 1

    @property
    def sorted_by_default(self) -> bool:
        return self.sort == "name"

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query string of this list with some values changed (for links)."""
        values = {
            "q": self.q,
            "status": self.status,
            "country": self.country,
            "sector": self.sector,
            "role": self.role,
            "delegation": self.delegation or "",
            "sort": self.sort,
            "page": self.page,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None, 1)}


EXHIBITOR_SORTS = {
    "name": (func.lower(Exhibitor.name), Exhibitor.id),
    "-name": (func.lower(Exhibitor.name).desc(), Exhibitor.id.desc()),
    "country": (Exhibitor.country, func.lower(Exhibitor.name), Exhibitor.id),
    "status": (Exhibitor.approval, func.lower(Exhibitor.name), Exhibitor.id),
    "-created": (Exhibitor.created_at.desc(), Exhibitor.id.desc()),
}
PARTICIPANT_SORTS = {
    "name": (func.lower(Participant.name), Participant.id),
    "-name": (func.lower(Participant.name).desc(), Participant.id.desc()),
    "country": (Participant.country, func.lower(Participant.name), Participant.id),
    "status": (Participant.accreditation, func.lower(Participant.name), Participant.id),
    "role": (Participant.role, func.lower(Participant.name), Participant.id),
    "-created": (Participant.created_at.desc(), Participant.id.desc()),
}


def _like(text: str):
    return f"%{escape_like(text)}%"


def _searched(statement, text: str, *columns):
    """Rows where any of `columns` contains `text` (any case; % and _ taken literally)."""
    if not text:
        return statement
    pattern = _like(text)
    return statement.where(or_(*(column.ilike(pattern, escape="\\") for column in columns)))


def exhibitor_list(event: Event, wanted: ListQuery):
    """A page of exhibitors with their sectors and stands: four queries at any size."""
    statement = (
        select(Exhibitor)
        .where(Exhibitor.event_id == event.id)
        .options(selectinload(Exhibitor.sectors), selectinload(Exhibitor.stands))
        .order_by(*EXHIBITOR_SORTS.get(wanted.sort, EXHIBITOR_SORTS["name"]))
    )
    statement = _searched(
        statement,
        wanted.q,
        Exhibitor.name,
        Exhibitor.ref,
        Exhibitor.contact_name,
        Exhibitor.contact_email,
    )
    if wanted.status:
        statement = statement.where(Exhibitor.approval == wanted.status)
    statement = with_sector_and_country(statement, wanted.sector, wanted.country)
    return db.paginate(statement, page=max(wanted.page, 1), per_page=PAGE_SIZE, error_out=False)


def participant_list(event: Event, wanted: ListQuery):
    """A page of people with their delegation and company: two queries at any size."""
    statement = (
        select(Participant)
        .where(Participant.event_id == event.id)
        .options(joinedload(Participant.delegation), joinedload(Participant.exhibitor))
        .order_by(*PARTICIPANT_SORTS.get(wanted.sort, PARTICIPANT_SORTS["name"]))
    )
    statement = _searched(
        statement,
        wanted.q,
        Participant.name,
        Participant.email,
        Participant.organisation,
        Participant.ref,
    )
    if wanted.status:
        statement = statement.where(Participant.accreditation == wanted.status)
    if wanted.role:
        statement = statement.where(Participant.role == wanted.role)
    if wanted.country:
        statement = statement.where(Participant.country == wanted.country.upper())
    if wanted.delegation:
        statement = statement.where(Participant.delegation_id == wanted.delegation)
    return db.paginate(statement, page=max(wanted.page, 1), per_page=PAGE_SIZE, error_out=False)


def exhibitor_filter_choices(event: Event) -> dict[str, list[str]]:
    countries = db.session.execute(
        select(Exhibitor.country).distinct().where(Exhibitor.event_id == event.id)
    ).scalars()
    sectors = db.session.execute(
        select(ExhibitorSector.name)
        .distinct()
        .join(Exhibitor)
        .where(Exhibitor.event_id == event.id)
        .order_by(ExhibitorSector.name)
    ).scalars()
    return {"countries": sorted(c for c in countries if c), "sectors": list(sectors)}


def participant_filter_choices(event: Event) -> dict[str, list]:
    countries = db.session.execute(
        select(Participant.country).distinct().where(Participant.event_id == event.id)
    ).scalars()
    delegation_rows = db.session.execute(
        select(Delegation.id, Delegation.name)
        .where(Delegation.event_id == event.id)
        .order_by(func.lower(Delegation.name), Delegation.id)
    ).all()
    return {
        "countries": sorted(c for c in countries if c),
        "delegations": [(row[0], row[1]) for row in delegation_rows],
    }


# --------------------------------------------------------------------------- schedule


@dataclass
class SaveOutcome:
    session: EventSession
    warnings: list[conflicts.Problem]


class ImpossibleSession(OrganiserError):
    def __init__(self, problems: list[conflicts.Problem]) -> None:
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = problems


class NeedsConfirmation(OrganiserError):
    """The session clashes; saving it anyway is the organiser's deliberate choice."""

    def __init__(self, problems: list[conflicts.Problem]) -> None:
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = problems


SESSION_FIELDS = ["title", "kind", "start", "end", "location_id", "exhibitor_id", "description"]


def sessions_near(event: Event, draft: conflicts.Draft) -> list[EventSession]:
    """The sessions a draft can clash with: same day, same location or same exhibitor."""
    day_start = datetime.combine(draft.start.date(), datetime.min.time())
    clauses = [EventSession.location_id == draft.location_id]
    if draft.exhibitor_id is not None:
        clauses.append(EventSession.exhibitor_id == draft.exhibitor_id)
    return list(
        db.session.execute(
            select(EventSession).where(
                EventSession.event_id == event.id,
                EventSession.start < day_start + timedelta(days=1),
                EventSession.end > day_start,
                or_(*clauses),
            )
        ).scalars()
    )


def check_session(event: Event, draft: conflicts.Draft) -> list[conflicts.Problem]:
    return conflicts.check(event, draft, sessions_near(event, draft))


def _new_session_ref(event: Event) -> str:
    taken = set(
        db.session.execute(
            select(EventSession.ref).where(
                EventSession.event_id == event.id, EventSession.ref.like("ses-%")
            )
        ).scalars()
    )
    number = len(taken) + 1
    while f"ses-{number}" in taken:
        number += 1
    return f"ses-{number}"


def save_session(
    event: Event,
    draft: conflicts.Draft,
    *,
    session: EventSession | None = None,
    version: int | None = None,
    keep_warnings: bool = False,
    description: str | None = None,
    capacity: int | None = None,
) -> SaveOutcome:
    """Create (session None) or change a programme session.

    Impossible sessions raise ImpossibleSession; clashes raise NeedsConfirmation unless
    `keep_warnings`. `version` is the version the organiser edited: if the session has
    moved on since (another organiser saved), RecordChanged carries the current one.
    """
    if session is not None and version is not None and session.version != version:
        raise RecordChanged(session)
    if draft.exhibitor_id is not None:
        exhibitor = db.session.get(Exhibitor, draft.exhibitor_id)
        if exhibitor is None or exhibitor.event_id != event.id:
            raise ImpossibleSession(
                [
                    conflicts.Problem(
                        "unknown_exhibitor",
                        conflicts.ERROR,
                        str(_l("Choose an exhibitor of this event.")),
                        field="exhibitor",
                    )
                ]
            )
    problems = check_session(event, draft)
    if conflicts.errors(problems):
        raise ImpossibleSession(conflicts.errors(problems))
    warned = conflicts.warnings(problems)
    if warned and not keep_warnings:
        raise NeedsConfirmation(warned)
    values = {
        "title": draft.title.strip(),
        "kind": draft.kind,
        "start": draft.start,
        "end": draft.end,
        "location_id": draft.location_id,
        "exhibitor_id": draft.exhibitor_id,
    }
    if session is None:
        session = EventSession(
            event_id=event.id,
            ref=_new_session_ref(event),
            description=description,
            capacity=capacity,
            **values,
        )
        db.session.add(session)
        db.session.flush()
        record("session.create", session, after=snapshot(session, SESSION_FIELDS))
    else:
        before = snapshot(session, SESSION_FIELDS)
        for key, value in values.items():
            setattr(session, key, value)
        if description is not None:
            session.description = description or None
        try:
            if capacity is not None:  # seats and the waitlist follow the new capacity
                seats.set_capacity(session, capacity)
            db.session.flush()
        except StaleDataError:  # another organiser saved between our read and our write
            db.session.rollback()
            current = db.session.get(EventSession, session.id, populate_existing=True)
            raise RecordChanged(current) from None
        record("session.update", session, before=before, after=snapshot(session, SESSION_FIELDS))
    if warned:
        record(
            "session.keep_warnings",
            session,
            after={"warnings": [problem.code for problem in warned]},
        )
    return SaveOutcome(session, warned)


def delete_session(session: EventSession, *, version: int | None = None) -> None:
    if version is not None and session.version != version:
        raise RecordChanged(session)
    record("session.delete", session, before=snapshot(session, SESSION_FIELDS))
    db.session.delete(session)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise RecordChanged(db.session.get(EventSession, session.id)) from None


@dataclass
class Grid:
    """One day of the schedule editor: locations as columns, time as rows."""

    day: Any
    locations: list[Location]
    sessions: list[EventSession]
    problems: dict[int, list[conflicts.Problem]]
    first_minute: int  # minutes after midnight of the first row
    last_minute: int
    step: int = 15
    lanes: dict[int, int] = field(default_factory=dict)  # overlapping sessions side by side
    lane_counts: dict[int, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return (self.last_minute - self.first_minute) // self.step

    def row_of(self, moment: datetime) -> int:
        """1-based grid row of a time (clamped to the grid)."""
        minutes = moment.hour * 60 + moment.minute
        if moment.date() > self.day.date:
            minutes = 24 * 60
        minutes = min(max(minutes, self.first_minute), self.last_minute)
        return (minutes - self.first_minute) // self.step + 1

    def usual_kind(self, location: Location) -> str:
        """The kind proposed for a session drawn in this location's column."""
        return usual_session_kind(location).value

    def column_of(self, session: EventSession) -> int:
        for index, location in enumerate(self.locations):
            if location.id == session.location_id:
                return index + 1
        return 1

    def closed_rows(self) -> list[tuple[int, int]]:
        """(first row, row count) of the grid's stretches outside the day's opening hours."""
        spans = []
        if self.day.opens:
            opens = (
                self.day.opens.hour * 60 + self.day.opens.minute - self.first_minute
            ) // self.step
            if opens > 0:
                spans.append((1, opens))
        if self.day.closes:
            closes = (
                self.day.closes.hour * 60 + self.day.closes.minute - self.first_minute
            ) // self.step
            if closes < self.rows:
                spans.append((closes + 1, self.rows - closes))
        return spans

    def ticks(self) -> list[tuple[int, str]]:
        """(row, "HH:MM") for every row on the hour or half hour."""
        out = []
        for minute in range(self.first_minute, self.last_minute, self.step):
            if minute % 30 == 0:
                out.append(((minute - self.first_minute) // self.step + 1, _clock(minute)))
        return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def schedule_grid(event: Event, day) -> Grid:
    """A day of the programme with every session's problems (two queries)."""
    start = datetime.combine(day.date, datetime.min.time())
    sessions = list(
        db.session.execute(
            select(EventSession)
            .where(
                EventSession.event_id == event.id,
                EventSession.start >= start,
                EventSession.start < start + timedelta(days=1),
            )
            .options(joinedload(EventSession.exhibitor), joinedload(EventSession.location))
            .order_by(EventSession.start, EventSession.id)
        ).scalars()
    )
    minutes = [s.start.hour * 60 + s.start.minute for s in sessions]
    ends = [
        24 * 60 if s.end.date() > day.date else s.end.hour * 60 + s.end.minute for s in sessions
    ]
    opens = day.opens.hour * 60 + day.opens.minute if day.opens else 8 * 60
    closes = day.closes.hour * 60 + day.closes.minute if day.closes else 19 * 60
    first = min([opens - 60, *minutes]) if minutes else opens - 60
    last = max([closes + 60, *ends]) if ends else closes + 60
    first = max(0, first - first % 60)
    last = min(24 * 60, last + (-last) % 60)
    lanes, lane_counts = _lanes(sessions)
    return Grid(
        day=day,
        locations=list(event.locations),
        sessions=sessions,
        problems=conflicts.day_problems(event, sessions),
        first_minute=first,
        last_minute=last,
        lanes=lanes,
        lane_counts=lane_counts,
    )


def _lanes(sessions: list[EventSession]) -> tuple[dict[int, int], dict[int, int]]:
    """Side-by-side places for sessions that overlap in one location: each session's lane,
    and how many lanes its group of overlapping sessions needs (sessions in start order)."""
    lanes: dict[int, int] = {}
    counts: dict[int, int] = {}
    by_place: dict[int, list[EventSession]] = defaultdict(list)
    for session in sessions:
        by_place[session.location_id].append(session)
    for group in by_place.values():
        cluster: list[EventSession] = []
        ends: list[datetime] = []
        cluster_end = None
        for session in group + [None]:
            if session is None or (cluster_end is not None and session.start >= cluster_end):
                for member in cluster:
                    counts[member.id] = len(ends)
                if session is None:
                    break
                cluster, ends, cluster_end = [], [], None
            lane = next((i for i, end in enumerate(ends) if end <= session.start), len(ends))
            if lane == len(ends):
                ends.append(session.end)
            else:
                ends[lane] = session.end
            lanes[session.id] = lane
            cluster.append(session)
            cluster_end = session.end if cluster_end is None else max(cluster_end, session.end)
    return lanes, counts


# --------------------------------------------------------------------------- stands


STAND_FIELDS = ["ref", "location_id", "width_m", "depth_m", "x_m", "y_m", "price", "currency"]


@dataclass
class StandDetails:
    ref: str
    location_id: int
    width_m: float
    depth_m: float
    x_m: float | None
    y_m: float | None
    price: Decimal | None
    currency: str | None


def save_stand(
    event: Event,
    details: StandDetails,
    *,
    stand: Stand | None = None,
    version: int | None = None,
) -> Stand:
    """Add a stand, or change its code, size, position or price (never its holder here)."""
    if stand is not None and version is not None and stand.version != version:
        raise RecordChanged(stand)
    location = db.session.get(Location, details.location_id)
    if location is None or location.event_id != event.id:
        raise OrganiserError(_l("Choose a location of this event."), field="location")
    ref = details.ref.strip()
    clash = db.session.execute(
        select(Stand.id).where(Stand.event_id == event.id, Stand.ref == ref)
    ).scalar_one_or_none()
    if clash is not None and (stand is None or clash != stand.id):
        raise OrganiserError(_l("Another stand has this code."), field="ref")
    values = {
        "ref": ref,
        "location_id": location.id,
        "width_m": details.width_m,
        "depth_m": details.depth_m,
        "x_m": details.x_m,
        "y_m": details.y_m,
        "price": details.price,
        "currency": (details.currency or "").upper() or None,
    }
    if stand is None:
        stand = Stand(event_id=event.id, status=StandStatus.AVAILABLE.value, **values)
        db.session.add(stand)
        db.session.flush()
        record("stand.create", stand, after=snapshot(stand, STAND_FIELDS))
        return stand
    before = snapshot(stand, STAND_FIELDS)
    for key, value in values.items():
        setattr(stand, key, value)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise RecordChanged(db.session.get(Stand, stand.id, populate_existing=True)) from None
    record("stand.update", stand, before=before, after=snapshot(stand, STAND_FIELDS))
    return stand


def assign_stand(event: Event, stand: Stand, exhibitor: Exhibitor) -> Stand:
    """Organiser: give a free stand to an exhibitor (a hold, which the organiser may then
    confirm). The hold itself is the exhibitors' rule (`reserve_stand`)."""
    from expo_app.exhibitors.services import reserve_stand

    if exhibitor.event_id != event.id:
        raise OrganiserError(_l("Choose an exhibitor of this event."), field="exhibitor")
    stand_id = stand.id
    reserve_stand(stand_id, exhibitor.id)
    stand = db.session.get(Stand, stand_id, populate_existing=True)
    record(
        "stand.assign",
        stand,
        after={"exhibitor_id": exhibitor.id, "status": StandStatus.RESERVED.value},
    )
    return stand


@dataclass(frozen=True)
class ApprovedExhibitor:
    id: int
    name: str
    ref: str

    @property
    def choice(self) -> str:
        """How the floor plan's picker shows it, and what `approved_exhibitor_named` reads."""
        return f"{self.name} ({self.ref})"


def approved_exhibitors(event: Event) -> list[ApprovedExhibitor]:
    """The approved exhibitors of the event by name: who may hold a stand or give a demo."""
    rows = db.session.execute(
        select(Exhibitor.id, Exhibitor.name, Exhibitor.ref)
        .where(Exhibitor.event_id == event.id, Exhibitor.is_approved)
        .order_by(func.lower(Exhibitor.name), Exhibitor.id)
    ).all()
    return [ApprovedExhibitor(*row) for row in rows]


def approved_exhibitor_named(event: Event, text: str) -> Exhibitor | None:
    """The approved exhibitor the organiser picked: "Name (ref)", a ref, or an exact name."""
    text = text.strip()
    ref = text[text.rfind("(") + 1 : -1] if text.endswith(")") and "(" in text else text
    for clause in (Exhibitor.ref == ref, func.lower(Exhibitor.name) == text.lower()):
        approved = (Exhibitor.event_id == event.id, Exhibitor.is_approved, clause)
        found = db.session.execute(select(Exhibitor).where(*approved)).scalars().first()
        if found is not None:
            return found
    return None


@dataclass
class HallFigures:
    location: Location
    stands: Counter
    area_total: float = 0.0
    area_sold: float = 0.0
    revenue_confirmed: dict[str, Decimal] = field(default_factory=dict)
    revenue_reserved: dict[str, Decimal] = field(default_factory=dict)
    revenue_open: dict[str, Decimal] = field(default_factory=dict)


def hall_figures(event: Event) -> list[HallFigures]:
    """Occupancy and revenue per location with stands, in one grouped query."""
    rows = db.session.execute(
        select(
            Stand.location_id,
            Stand.status,
            Stand.currency,
            func.count(),
            func.coalesce(func.sum(Stand.width_m * Stand.depth_m), 0),
            func.coalesce(func.sum(Stand.price), 0),
        )
        .where(Stand.event_id == event.id)
        .group_by(Stand.location_id, Stand.status, Stand.currency)
    ).all()
    locations = {location.id: location for location in event.locations}
    halls: dict[int, HallFigures] = {}
    for location_id, status, currency, count, m2, money in rows:
        hall = halls.setdefault(location_id, HallFigures(locations[location_id], Counter()))
        hall.stands[status] += count
        hall.area_total += float(m2)
        if status != StandStatus.AVAILABLE:
            hall.area_sold += float(m2)
        target = {
            StandStatus.CONFIRMED: hall.revenue_confirmed,
            StandStatus.RESERVED: hall.revenue_reserved,
            StandStatus.AVAILABLE: hall.revenue_open,
        }[status]
        if money:
            target[currency or ""] = target.get(currency or "", Decimal(0)) + Decimal(money)
    return [halls[key] for key in sorted(halls)]


# --------------------------------------------------------------------------- audit log


@dataclass
class AuditQuery:
    entity: str = ""
    action: str = ""
    page: int = 1


def audit_log(event: Event, wanted: AuditQuery):
    """The event's audit entries, newest first, with who made them (two queries)."""
    statement = (
        select(AuditEntry, User.email, User.display_name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.event_id == event.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if wanted.entity:
        statement = statement.where(AuditEntry.entity == wanted.entity)
    if wanted.action:
        statement = statement.where(AuditEntry.action.like(f"{escape_like(wanted.action)}%"))
    total = db.session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    page = max(wanted.page, 1)
    rows = db.session.execute(
        statement.limit(AUDIT_PAGE_SIZE).offset((page - 1) * AUDIT_PAGE_SIZE)
    ).all()
    pages = max(1, -(-total // AUDIT_PAGE_SIZE))
    return rows, total, page, pages


def audit_entities(event: Event) -> list[str]:
    return list(
        db.session.execute(
            select(AuditEntry.entity)
            .distinct()
            .where(AuditEntry.event_id == event.id)
            .order_by(AuditEntry.entity)
        ).scalars()
    )
