"""Seats in a programme session and its waitlist: the one place that gives them out.

A session with a capacity has seats 1..capacity; whoever follows it when it is full
waits in line, and a freed seat goes to the next in line. The database refuses a second
holder of a seat and a seat beyond the capacity (FollowedSession's constraints), so
two people racing for the last seat get one seat and one place on the waitlist: the
loser's insert fails, and it tries the next free seat or joins the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from expo_app.audit.services import record
from expo_app.delegations.models import FollowedSession, Participant
from expo_app.errors import DomainError
from expo_app.events.models import EventSession
from expo_app.extensions import db

# How many times a follow that lost a race for a seat tries again.
RETRIES = 5


class CapacityBelowSeats(DomainError):
    """The organiser lowered a capacity under the seats people already hold."""

    default_message = _l("More people already hold seats than this capacity.")
    default_field = "capacity"

    def __init__(self, seated: int):
        super().__init__(
            lazy_ngettext(
                "%(num)d person already holds a seat: the capacity cannot be lower.",
                "%(num)d people already hold seats: the capacity cannot be lower.",
                seated,
            )
        )
        self.seated = seated


def _followers(session_id: int) -> list[FollowedSession]:
    """Seated first, by seat; then the line, in order of following."""
    return list(
        db.session.execute(
            select(FollowedSession)
            .where(FollowedSession.session_id == session_id)
            .order_by(
                FollowedSession.seat.is_(None),
                FollowedSession.seat,
                FollowedSession.created_at,
                FollowedSession.participant_id,
            )
        ).scalars()
    )


def _free_seat(session: EventSession) -> int | None:
    taken = set(
        db.session.execute(
            select(FollowedSession.seat).where(
                FollowedSession.session_id == session.id, FollowedSession.seat.is_not(None)
            )
        ).scalars()
    )
    return next((n for n in range(1, (session.capacity or 0) + 1) if n not in taken), None)


def take_seat(participant: Participant, session: EventSession) -> FollowedSession:
    """Follow the session: a free seat, or the end of the waitlist when it is full (a
    session without a capacity: no seat needed). Idempotent; flushes, never commits."""
    for _attempt in range(RETRIES):
        existing = db.session.get(FollowedSession, (participant.id, session.id))
        if existing is not None:
            return existing
        seat = _free_seat(session) if session.capacity is not None else None
        row = FollowedSession(
            participant_id=participant.id,
            session_id=session.id,
            seat=seat,
            session_capacity=session.capacity,
        )
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
        except IntegrityError:
            # Someone took that seat (or the organiser changed the capacity, or this
            # person followed from another tab): read again and retry.
            db.session.expire(session)
            continue
        record(
            "session.followed",
            participant,
            after={"session_id": session.id, "seat": seat, "waitlisted": row.waitlisted},
        )
        return row
    raise DomainError(_l("Too many people are following this session at once. Try again."))


def give_up(participant: Participant, session: EventSession) -> Participant | None:
    """Unfollow the session; a freed seat goes to the next in line, who is returned."""
    row = db.session.get(FollowedSession, (participant.id, session.id))
    if row is None:
        return None
    freed = row.seat
    db.session.delete(row)
    db.session.flush()
    record("session.unfollowed", participant, before={"session_id": session.id, "seat": freed})
    if freed is None:
        return None
    return _promote(session, freed)


def _promote(session: EventSession, seat: int) -> Participant | None:
    """Give `seat` to the first in line. The update asks that they still wait, so two
    seats freed at once never go to one person (the second goes to the next)."""
    while True:
        first = db.session.execute(
            select(FollowedSession.participant_id)
            .where(FollowedSession.session_id == session.id, FollowedSession.seat.is_(None))
            .order_by(FollowedSession.created_at, FollowedSession.participant_id)
            .limit(1)
        ).scalar_one_or_none()
        if first is None:
            return None
        given = db.session.execute(
            update(FollowedSession)
            .where(
                FollowedSession.session_id == session.id,
                FollowedSession.participant_id == first,
                FollowedSession.seat.is_(None),
            )
            .values(seat=seat)
            .execution_options(synchronize_session="fetch")
        ).rowcount
        if given:
            person = db.session.get(Participant, first)
            record("session.seat_given", person, after={"session_id": session.id, "seat": seat})
            return person


def set_capacity(session: EventSession, capacity: int | None) -> None:
    """Change a session's capacity and re-seat its followers in order (seated first,
    then the line). A capacity below the seats already held raises CapacityBelowSeats
    and changes nothing; no capacity ends seats and the line."""
    if capacity == session.capacity:
        return
    rows = _followers(session.id)
    seated = sum(1 for row in rows if row.seat is not None)
    if capacity is not None and session.capacity is not None and seated > capacity:
        raise CapacityBelowSeats(seated)
    for row in rows:  # free the copies first: the capacity they point to is changing
        row.seat, row.session_capacity = None, None
    db.session.flush()
    session.capacity = capacity
    db.session.flush()
    if capacity is None:
        return
    for number, row in enumerate(rows, start=1):
        row.seat = number if number <= capacity else None
        row.session_capacity = capacity
    db.session.flush()


@dataclass
class Seats:
    """What the organiser sees of a session: seats taken and who waits, in order."""

    capacity: int | None
    taken: int = 0
    waiting: list[Participant] = field(default_factory=list)

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity


def seats_of(session: EventSession) -> Seats:
    rows = _followers(session.id)
    seats = Seats(session.capacity, taken=sum(1 for row in rows if row.seat is not None))
    if session.capacity is not None:
        waiting_ids = [row.participant_id for row in rows if row.seat is None]
        people = {
            p.id: p
            for p in db.session.execute(
                select(Participant).where(Participant.id.in_(waiting_ids))
            ).scalars()
        }
        seats.waiting = [people[pid] for pid in waiting_ids if pid in people]
    return seats


def seats_taken(session_ids: list[int]) -> dict[int, int]:
    """Seats held per session (one query for a whole programme list)."""
    if not session_ids:
        return {}
    return dict(
        db.session.execute(
            select(FollowedSession.session_id, func.count())
            .where(FollowedSession.session_id.in_(session_ids), FollowedSession.seat.is_not(None))
            .group_by(FollowedSession.session_id)
        ).all()
    )


def waitlist_position(row: FollowedSession) -> int | None:
    """1 for the first in line; None when the row holds a seat or needs none."""
    if not row.waitlisted:
        return None
    ahead = db.session.execute(
        select(func.count()).where(
            FollowedSession.session_id == row.session_id,
            FollowedSession.seat.is_(None),
            (FollowedSession.created_at < row.created_at)
            | (
                (FollowedSession.created_at == row.created_at)
                & (FollowedSession.participant_id < row.participant_id)
            ),
        )
    ).scalar_one()
    return ahead + 1
