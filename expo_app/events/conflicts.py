"""Schedule conflicts: what is wrong with a session where it stands, told in words.

One module of operations, called by the organiser's editor (one session being saved, or
a whole day on the grid) and by anything else that places sessions. Two severities:
an *error* can never be saved (it ends before it starts, its location is unknown);
a *warning* is a clash the organiser may keep on purpose (two sessions in one place at
once, an exhibitor in two demos at once, outside the day's hours, a demo on a day
without demos, matchmaking on a day without matchmaking).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from expo_app.events.models import (
    SESSION_KINDS,
    DayKind,
    Event,
    EventDay,
    EventSession,
    SessionKind,
)
from expo_app.events.services import day_of

ERROR = "error"
WARNING = "warning"


@dataclass
class Draft:
    """A session as the organiser wants it: a new one (id None) or a change to one."""

    title: str
    kind: str
    start: datetime
    end: datetime
    location_id: int | None
    exhibitor_id: int | None = None
    id: int | None = None

    @classmethod
    def of(cls, session: EventSession) -> Draft:
        return cls(
            title=session.title,
            kind=session.kind,
            start=session.start,
            end=session.end,
            location_id=session.location_id,
            exhibitor_id=session.exhibitor_id,
            id=session.id,
        )


@dataclass
class Problem:
    """One thing wrong with a session; `others` are the ids of the sessions it clashes with."""

    code: str
    severity: str
    message: str
    field: str | None = None
    others: list[int] = dataclasses.field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def _overlap(a: Draft | EventSession, b: Draft | EventSession) -> bool:
    return a.start < b.end and b.start < a.end


def _hm(value: datetime) -> str:
    return value.strftime("%H:%M")


def check(event: Event, draft: Draft, others: Iterable[EventSession | Draft]) -> list[Problem]:
    """Every problem of `draft` against the event's days and locations and the `others`
    (sessions of the same event; the draft itself among them is ignored). Errors first."""
    problems: list[Problem] = []
    locations = {location.id: location for location in event.locations}
    if draft.end <= draft.start:
        problems.append(
            Problem("ends_before_start", ERROR, _("It ends before it starts."), field="end")
        )
    if draft.location_id not in locations:
        problems.append(
            Problem("unknown_location", ERROR, _("Choose a location of this event."), "location")
        )
    if draft.kind not in SESSION_KINDS:
        problems.append(Problem("unknown_kind", ERROR, _("Choose a kind from the list."), "kind"))
    day = day_of(event, draft.start.date())
    if day is None:
        problems.append(
            Problem("not_an_event_day", ERROR, _("This is not a day of the event."), "start")
        )
    elif draft.end.date() != draft.start.date() and draft.end.time() != datetime.min.time():
        problems.append(
            Problem("spans_days", ERROR, _("A session starts and ends on the same day."), "end")
        )
    if any(p.is_error for p in problems):
        return problems
    problems.extend(_day_warnings(day, draft))
    problems.extend(_clashes(draft, [o for o in others if o.id is None or o.id != draft.id]))
    return problems


def _day_warnings(day: EventDay, draft: Draft) -> list[Problem]:
    problems = []
    opens, closes = day.opens, day.closes
    ends_at = draft.end.time() if draft.end.date() == draft.start.date() else None
    early = opens is not None and draft.start.time() < opens
    late = closes is not None and (ends_at is None or ends_at > closes)
    if early or late:
        problems.append(
            Problem(
                "outside_hours",
                WARNING,
                _(
                    "Outside the day's opening hours (%(opens)s–%(closes)s).",
                    opens=opens.strftime("%H:%M") if opens else "…",
                    closes=closes.strftime("%H:%M") if closes else "…",
                ),
                field="start",
            )
        )
    if draft.kind == SessionKind.DEMO and not day.has_kind(DayKind.DEMO):
        problems.append(
            Problem("demo_day", WARNING, _("A demo on a day without demonstrations."), "kind")
        )
    if draft.kind == SessionKind.MATCHMAKING and not day.has_kind(DayKind.MATCHMAKING):
        problems.append(
            Problem(
                "matchmaking_day",
                WARNING,
                _("Matchmaking on a day without business matchmaking."),
                "kind",
            )
        )
    return problems


def _clashes(draft: Draft, others: list[EventSession | Draft]) -> list[Problem]:
    problems = []
    same_place = [o for o in others if o.location_id == draft.location_id and _overlap(draft, o)]
    if same_place:
        names = ", ".join(f"“{o.title}” ({_hm(o.start)}–{_hm(o.end)})" for o in same_place)
        problems.append(
            Problem(
                "location_taken",
                WARNING,
                _("Another session is in this location at the same time: %(names)s.", names=names),
                field="location",
                others=[o.id for o in same_place if o.id is not None],
            )
        )
    if draft.exhibitor_id is not None:
        busy = [
            o
            for o in others
            if o.exhibitor_id == draft.exhibitor_id
            and o.kind == SessionKind.DEMO
            and _overlap(draft, o)
        ]
        if busy and draft.kind == SessionKind.DEMO:
            names = ", ".join(f"“{o.title}” ({_hm(o.start)}–{_hm(o.end)})" for o in busy)
            problems.append(
                Problem(
                    "exhibitor_busy",
                    WARNING,
                    _("The exhibitor has another demo at the same time: %(names)s.", names=names),
                    field="exhibitor",
                    others=[o.id for o in busy if o.id is not None],
                )
            )
    return problems


def day_problems(event: Event, sessions: list[EventSession]) -> dict[int, list[Problem]]:
    """The problems of every session of a day (or any set of sessions), by session id.

    Sessions are compared only with those that share their location or exhibitor, so a
    day of a few hundred sessions costs little.
    """
    by_place: dict[int, list[EventSession]] = defaultdict(list)
    by_exhibitor: dict[int, list[EventSession]] = defaultdict(list)
    for session in sessions:
        by_place[session.location_id].append(session)
        if session.exhibitor_id is not None:
            by_exhibitor[session.exhibitor_id].append(session)
    found: dict[int, list[Problem]] = {}
    for session in sessions:
        neighbours = {o.id: o for o in by_place[session.location_id]}
        if session.exhibitor_id is not None:
            neighbours.update({o.id: o for o in by_exhibitor[session.exhibitor_id]})
        problems = check(event, Draft.of(session), neighbours.values())
        if problems:
            found[session.id] = problems
    return found


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]
