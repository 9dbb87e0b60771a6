"""Everything the programme prints, read in a handful of queries, and its fingerprint.

The fingerprint is a hash of exactly the values the PDF shows, so a cached PDF is
reused until one of them changes (a session retitled, an exhibitor's description
edited, a stand moved or taken), and never longer.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from expo_app.delegations.models import Delegation
from expo_app.events.models import Event, Location
from expo_app.events.services import ProgrammeDay, programme
from expo_app.exhibitors.models import Exhibitor, Stand
from expo_app.extensions import db

# Bump when the layout changes, so PDFs cached by an older version are rebuilt.
LAYOUT_VERSION = "2"  # 2: only addresses passing the URL rule are links

# Letters that do not decompose into a base letter plus accents (NFKD leaves them alone).
_BASE_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
    }
)


def sort_key(text: str) -> str:
    """A to Z the way a reader expects: accents, case and Turkish dotless i ignored."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_BASE_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def initial(text: str) -> str:
    """The catalogue letter an entry goes under: 'A'...'Z', or '0–9' and '#'."""
    key = sort_key(text).lstrip()
    first = key[:1].upper()
    if first.isdigit():
        return "0–9"
    return first if first.isalpha() else "#"


@dataclass
class ProgrammeData:
    """The event as the programme shows it: schedule, places, exhibitors, stands, delegations."""

    event: Event
    days: list[ProgrammeDay]
    locations: list[Location]
    exhibitors: list[Exhibitor]  # approved ones, A to Z
    stands: list[Stand]  # every stand, by location then code
    delegations: list[Delegation]
    stands_of: dict[int, list[Stand]] = field(default_factory=dict)  # by exhibitor id
    holder_names: dict[int, str] = field(default_factory=dict)  # approved holders only

    def sectors(self) -> dict[str, list[Exhibitor]]:
        """Sector name -> its exhibitors, both A to Z."""
        found: dict[str, list[Exhibitor]] = defaultdict(list)
        for exhibitor in self.exhibitors:
            for name in exhibitor.sector_names:
                found[name].append(exhibitor)
        return {name: found[name] for name in sorted(found, key=sort_key)}


def load_programme(event: Event) -> ProgrammeData:
    """Seven queries whatever the size of the event (no query per exhibitor or session)."""
    days = programme(event)
    locations = list(
        db.session.execute(
            select(Location).where(Location.event_id == event.id).order_by(Location.id)
        ).scalars()
    )
    exhibitors = list(
        db.session.execute(
            select(Exhibitor)
            .where(Exhibitor.event_id == event.id, Exhibitor.approval == "approved")
            .options(selectinload(Exhibitor.sectors))
            .order_by(Exhibitor.id)
        ).scalars()
    )
    exhibitors.sort(key=lambda e: (sort_key(e.name), e.id))
    stands = list(
        db.session.execute(
            select(Stand).where(Stand.event_id == event.id).order_by(Stand.location_id, Stand.ref)
        ).scalars()
    )
    delegations = list(
        db.session.execute(
            select(Delegation).where(Delegation.event_id == event.id).order_by(Delegation.id)
        ).scalars()
    )
    holder_names = {e.id: e.name for e in exhibitors}
    stands_of: dict[int, list[Stand]] = defaultdict(list)
    for stand in sorted(stands, key=lambda s: s.ref):
        if stand.exhibitor_id in holder_names:
            stands_of[stand.exhibitor_id].append(stand)
    return ProgrammeData(
        event=event,
        days=days,
        locations=locations,
        exhibitors=exhibitors,
        stands=stands,
        delegations=delegations,
        stands_of=dict(stands_of),
        holder_names=holder_names,
    )


def fingerprint(data: ProgrammeData, lang: str, catalogue: Path | None = None) -> str:
    """A short hash of every value the PDF prints, the language, the layout version and
    the compiled translation catalogue (a new translation gives a new PDF too)."""
    digest = hashlib.sha256()

    def feed(*values: object) -> None:
        digest.update(repr(values).encode("utf-8"))
        digest.update(b"\x00")

    event = data.event
    feed(LAYOUT_VERSION, lang)
    if catalogue is not None and catalogue.is_file():
        stat = catalogue.stat()
        feed("catalogue", stat.st_size, stat.st_mtime_ns)
    feed(
        "event",
        event.id,
        event.slug,
        event.name,
        event.timezone,
        event.start_date,
        event.end_date,
        event.venue,
        event.city,
        event.country,
        event.theme,
        event.organiser,
        event.website,
    )
    for pday in data.days:
        day = pday.day
        feed("day", day.date, day.kinds_csv, day.opens, day.closes)
        for s in pday.sessions:
            feed(
                "session",
                s.id,
                s.ref,
                s.title,
                s.kind,
                s.start,
                s.end,
                s.location_id,
                s.description,
                s.exhibitor_id,
                s.exhibitor.name if s.exhibitor else None,
                s.version,
            )
    for location in data.locations:
        feed("location", location.id, location.name, location.kind, location.restricted)
    for e in data.exhibitors:
        feed(
            "exhibitor",
            e.id,
            e.name,
            e.country,
            e.description,
            e.description_fr,
            e.website,
            tuple(e.sector_names),
        )
    for stand in data.stands:
        feed(
            "stand",
            stand.id,
            stand.ref,
            stand.location_id,
            stand.width_m,
            stand.depth_m,
            stand.x_m,
            stand.y_m,
            stand.exhibitor_id,
            stand.status,
        )
    for delegation in data.delegations:
        feed("delegation", delegation.id, delegation.name, delegation.country)
    return digest.hexdigest()[:20]
