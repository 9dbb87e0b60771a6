"""Exhibitor rules and queries: the directory, sectors, stands."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor, ExhibitorSector, Stand
from expo_app.extensions import db

DIRECTORY_PAGE_SIZE = 24


@dataclass
class DirectoryFilter:
    """What a visitor typed or picked in the exhibitor directory."""

    query: str = ""
    sector: str = ""
    country: str = ""
    page: int = 1


def directory(event: Event, wanted: DirectoryFilter):
    """Approved exhibitors matching the filter, A to Z, one page at a time."""
    statement = (
        select(Exhibitor)
        .where(Exhibitor.event_id == event.id, Exhibitor.approval == "approved")
        .options(selectinload(Exhibitor.sectors), selectinload(Exhibitor.stands))
        .order_by(func.lower(Exhibitor.name), Exhibitor.id)
    )
    if wanted.query:
        statement = statement.where(
            Exhibitor.name.ilike(f"%{escape_like(wanted.query)}%", escape="\\")
        )
    if wanted.sector:
        statement = statement.where(
            Exhibitor.id.in_(
                select(ExhibitorSector.exhibitor_id).where(ExhibitorSector.name == wanted.sector)
            )
        )
    if wanted.country:
        statement = statement.where(Exhibitor.country == wanted.country.upper())
    return db.paginate(
        statement, page=max(wanted.page, 1), per_page=DIRECTORY_PAGE_SIZE, error_out=False
    )


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sectors_of_event(event: Event) -> list[str]:
    return list(
        db.session.execute(
            select(ExhibitorSector.name)
            .distinct()
            .join(Exhibitor)
            .where(Exhibitor.event_id == event.id, Exhibitor.approval == "approved")
            .order_by(ExhibitorSector.name)
        ).scalars()
    )


def countries_of_event(event: Event) -> list[str]:
    return list(
        db.session.execute(
            select(Exhibitor.country)
            .distinct()
            .where(Exhibitor.event_id == event.id, Exhibitor.approval == "approved")
            .order_by(Exhibitor.country)
        ).scalars()
    )


def exhibitor_by_ref(event: Event, ref: str) -> Exhibitor | None:
    return db.session.execute(
        select(Exhibitor)
        .filter_by(event_id=event.id, ref=ref, approval="approved")
        .options(selectinload(Exhibitor.sectors), selectinload(Exhibitor.stands))
    ).scalar_one_or_none()


def stands_of_event(event: Event) -> list[Stand]:
    return list(
        db.session.execute(
            select(Stand)
            .where(Stand.event_id == event.id)
            .options(selectinload(Stand.exhibitor), selectinload(Stand.location))
            .order_by(Stand.location_id, Stand.ref)
        ).scalars()
    )


class StandUnavailable(Exception):
    """Another exhibitor holds the stand already (or it does not exist)."""


def reserve_stand(stand_id: int, exhibitor_id: int, *, commit: bool = True) -> None:
    """Hold a free stand for an exhibitor, atomically.

    One conditional UPDATE: of two exhibitors clicking the same stand at once,
    the database lets exactly one row change; the other sees 0 rows and is told.
    """
    from sqlalchemy import update

    from expo_app.modelkit import utcnow

    result = db.session.execute(
        update(Stand)
        .where(Stand.id == stand_id, Stand.exhibitor_id.is_(None), Stand.status == "available")
        .values(
            exhibitor_id=exhibitor_id,
            status="reserved",
            held_at=utcnow(),
            version=Stand.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise StandUnavailable(stand_id)
    if commit:
        db.session.commit()
