"""The event's clock: stored instants on the venue's wall clock, and slots as people read them.

Two kinds of time live in the database. Programme times (sessions, meeting slots, days)
are the venue's wall-clock times, stored as they are. Instants (created_at, expires_at,
scan times) are naive UTC. Everything that turns one into the other, or writes a slot in
words, goes through here so that every page, e-mail, PDF and calendar says the same.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import dates as babel_dates


def zone_named(name: str | None) -> ZoneInfo | None:
    """The IANA time zone of this name, or None when this machine knows no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def event_zone(event: Any) -> ZoneInfo | None:
    """The venue's time zone, or None when the event names none we know."""
    return zone_named(event.timezone)


def naive_utc(moment: datetime) -> datetime:
    """An instant the way it is stored: naive UTC (a naive value is taken as UTC already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def event_time(event: Any, moment: datetime) -> datetime:
    """A stored UTC instant (created_at, expires_at...) as the venue's naive wall-clock time."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(event_zone(event) or UTC).replace(tzinfo=None)


def event_today(event: Any, now: datetime | None = None) -> date:
    """Today on the venue's calendar (badges are valid on the venue's days)."""
    return event_time(event, now or datetime.now(UTC)).date()


def day_bounds_utc(event: Any, day: date) -> tuple[datetime, datetime]:
    """The venue's calendar day as naive UTC bounds [start, end), the way instants are stored."""
    zone = event_zone(event) or UTC

    def midnight(value: date) -> datetime:
        return naive_utc(datetime.combine(value, time(0), tzinfo=zone))

    return midnight(day), midnight(day + timedelta(days=1))


def slot_label(slot: Any, *, locale: str | None = None, date_style: str = "full") -> str:
    """A meeting slot (or anything with start and end) in the reader's words:
    "Tuesday, 11 November 2025, 09:00–09:30" / "mardi 11 novembre 2025, 09:00–09:30".

    Slot times are wall-clock times at the venue: formatted as they are, no zone shift.
    Outside a request (CLI, threads) the app's default language is used."""
    locale = locale or _reader_locale()
    day = babel_dates.format_date(slot.start, date_style, locale=locale)
    start = babel_dates.format_time(slot.start.time(), "short", locale=locale)
    end = babel_dates.format_time(slot.end.time(), "short", locale=locale)
    return f"{day}, {start}–{end}"


def _reader_locale() -> str:
    from expo_app.errors import language
    from expo_app.templating import formatting_locale

    with language():
        return formatting_locale()
