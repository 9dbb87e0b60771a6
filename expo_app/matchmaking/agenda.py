"""Someone's personal agenda: their meetings, the sessions they follow and the demos they
may attend, day by day, on the web and as an iCalendar file (a read: never writes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from expo_app.delegations.models import FollowedSession, Participant
from expo_app.errors import language
from expo_app.events.clock import event_zone
from expo_app.events.models import Event, EventSession, SessionKind
from expo_app.exhibitors.admission import admitted_to_demo, demo_allow_lists
from expo_app.exhibitors.models import Exhibitor, Stand
from expo_app.extensions import db
from expo_app.matchmaking.models import Meeting, MeetingSlot, MeetingTable
from expo_app.matchmaking.queries import meeting_place
from expo_app.modelkit import Choice, set_labels


class AgendaKind(Choice):
    """What a line of an agenda is; also the order of lines that start together."""

    MEETING = "meeting"
    SESSION = "session"
    DEMO = "demo"


set_labels(
    AgendaKind,
    {"meeting": _l("Meeting"), "session": _l("Session"), "demo": _l("Demonstration")},
)
_ORDER = {kind: position for position, kind in enumerate(AgendaKind)}
# The programme's colour tag of each kind of line (CSS class tag-<name>).
_TAGS = {AgendaKind.MEETING: "matchmaking", AgendaKind.SESSION: "ceremony", AgendaKind.DEMO: "demo"}


@dataclass
class AgendaItem:
    """One line of someone's day: a meeting, a session they follow or a demo they may see."""

    kind: AgendaKind
    start: datetime
    end: datetime
    title: str
    other_party: str | None = None  # the exhibitor, or the delegate (and delegation)
    where: str | None = None  # "Table T03 — Business Matchmaking Lounge", "Stand A-01 — Hall A"
    meeting: Meeting | None = None
    session: EventSession | None = None

    @property
    def is_meeting(self) -> bool:
        return self.kind == AgendaKind.MEETING

    @property
    def is_demo(self) -> bool:
        return self.kind == AgendaKind.DEMO

    @property
    def is_session(self) -> bool:
        return self.kind == AgendaKind.SESSION

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def tag(self) -> str:
        """The colour tag the programme uses for this kind of line."""
        return _TAGS[self.kind]


@dataclass
class AgendaDay:
    day: date
    items: list[AgendaItem] = field(default_factory=list)


def agenda(
    event: Event, *, participant: Participant | None = None, exhibitor: Exhibitor | None = None
) -> list[AgendaDay]:
    """Someone's days in time order. A participant: their meetings, the sessions they follow,
    and the demos they are admitted to (exhibitors.admission). An exhibitor: its meetings
    and its own sessions and demos."""
    if (participant is None) == (exhibitor is None):
        raise ValueError("agenda needs exactly one of participant or exhibitor")
    with language():
        items = _meeting_items(event, participant, exhibitor)
        items += _session_items(event, participant, exhibitor)
    items.sort(key=lambda item: (item.start, _ORDER[item.kind], item.title))
    days: dict[date, AgendaDay] = {}
    for item in items:
        days.setdefault(item.start.date(), AgendaDay(item.start.date())).items.append(item)
    return [days[key] for key in sorted(days)]


def _meeting_items(
    event: Event, participant: Participant | None, exhibitor: Exhibitor | None
) -> list[AgendaItem]:
    statement = (
        select(Meeting)
        .join(MeetingSlot, MeetingSlot.id == Meeting.slot_id)
        .where(Meeting.event_id == event.id)
        .options(
            joinedload(Meeting.slot),
            joinedload(Meeting.table).joinedload(MeetingTable.location),
            joinedload(Meeting.request),
        )
        .order_by(MeetingSlot.start)
    )
    if participant is not None:
        statement = statement.where(Meeting.delegate_id == participant.id)
    else:
        statement = statement.where(Meeting.exhibitor_id == exhibitor.id)
    meetings = list(db.session.execute(statement).unique().scalars())
    if not meetings:
        return []
    exhibitors = {
        e.id: e
        for e in db.session.execute(
            select(Exhibitor)
            .where(Exhibitor.id.in_({m.exhibitor_id for m in meetings}))
            .options(selectinload(Exhibitor.stands).joinedload(Stand.location))
        ).scalars()
    }
    delegates = {}
    if exhibitor is not None:
        delegates = {
            p.id: p
            for p in db.session.execute(
                select(Participant)
                .where(Participant.id.in_({m.delegate_id for m in meetings}))
                .options(joinedload(Participant.delegation))
            ).scalars()
        }
    items = []
    for meeting in meetings:
        their_exhibitor = exhibitors[meeting.exhibitor_id]
        if participant is not None:
            other = their_exhibitor.name
        else:
            person = delegates[meeting.delegate_id]
            other = person.name
            if person.delegation is not None:
                other = f"{person.name} ({person.delegation.name})"
        items.append(
            AgendaItem(
                kind=AgendaKind.MEETING,
                start=meeting.slot.start,
                end=meeting.slot.end,
                title=_("Meeting with %(name)s", name=other),
                other_party=other,
                where=meeting_place(meeting, their_exhibitor),
                meeting=meeting,
            )
        )
    return items


def _session_items(
    event: Event, participant: Participant | None, exhibitor: Exhibitor | None
) -> list[AgendaItem]:
    sessions = db.session.execute(
        select(EventSession)
        .where(EventSession.event_id == event.id)
        .options(joinedload(EventSession.location), joinedload(EventSession.exhibitor))
        .order_by(EventSession.start)
    ).scalars()
    followed: set[int] = set()
    allow_lists = {}
    if participant is not None:
        followed = set(
            db.session.execute(
                select(FollowedSession.session_id).where(
                    FollowedSession.participant_id == participant.id,
                    # on a waitlist is not yet in the agenda
                    FollowedSession.session_capacity.is_(None) | FollowedSession.seat.is_not(None),
                )
            ).scalars()
        )
        allow_lists = demo_allow_lists(event.id)
    items = []
    for session in sessions:
        is_demo = session.kind == SessionKind.DEMO
        if participant is not None:
            # A demo is in the agenda of those admitted, followed or not, and of nobody
            # else, even someone who followed it before its exhibitor restricted it.
            if is_demo:
                shown = admitted_to_demo(participant, session, allow_lists)
            else:
                shown = session.id in followed
        else:
            shown = session.exhibitor_id == exhibitor.id
        if not shown:
            continue
        items.append(
            AgendaItem(
                kind=AgendaKind.DEMO if is_demo else AgendaKind.SESSION,
                start=session.start,
                end=session.end,
                title=session.title,
                other_party=session.exhibitor.name if session.exhibitor else None,
                where=session.location.name,
                session=session,
            )
        )
    return items


def agenda_ics(
    event: Event,
    *,
    participant: Participant | None = None,
    exhibitor: Exhibitor | None = None,
    days: Iterable[AgendaDay] | None = None,
) -> bytes:
    """The agenda as an iCalendar file: local wall-clock times with the event's TZID and its
    VTIMEZONE, stable UIDs (a subscribed calendar updates instead of duplicating)."""
    import icalendar

    days = (
        list(days)
        if days is not None
        else agenda(event, participant=participant, exhibitor=exhibitor)
    )
    owner = participant.name if participant is not None else exhibitor.name
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Expo//Agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{event.name} — {owner}")
    zone = event_zone(event)
    if zone is not None:
        timezone = icalendar.Timezone.from_tzinfo(
            zone,
            first_date=event.start_date - timedelta(days=1),
            last_date=event.end_date + timedelta(days=2),
        )
        timezone["TZID"] = event.timezone  # zones equal to UTC come back named "UTC"
        calendar.add("x-wr-timezone", event.timezone)
        calendar.add_component(timezone)
    stamp = datetime.now(UTC).replace(microsecond=0)
    who = f"p{participant.id}" if participant is not None else f"x{exhibitor.id}"
    for day in days:
        for item in day.items:
            calendar.add_component(_ics_entry(event, item, who, stamp, zoned=zone is not None))
    return calendar.to_ical()


def _ics_entry(event: Event, item: AgendaItem, who: str, stamp: datetime, *, zoned: bool):
    import icalendar

    entry = icalendar.Event()
    if item.meeting is not None:
        uid = f"meeting-{item.meeting.id}-{who}@{event.slug}.expo"
    else:
        uid = f"session-{item.session.id}-{who}@{event.slug}.expo"
    entry.add("uid", uid)
    entry.add("dtstamp", stamp)
    for name, value in (("dtstart", item.start), ("dtend", item.end)):
        if zoned:
            entry.add(name, value.replace(tzinfo=None), parameters={"TZID": event.timezone})
        else:
            entry.add(name, value)
    entry.add("summary", item.title)
    if item.where:
        entry.add("location", item.where)
    if item.other_party and item.is_meeting:
        entry.add("description", item.other_party)
    return entry
