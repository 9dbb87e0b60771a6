"""Public reads of exhibitors: the directory, its filters, one exhibitor's page, the stands."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor, ExhibitorSector, Stand
from expo_app.exhibitors.services.common import escape_like
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
        .where(Exhibitor.event_id == event.id, Exhibitor.is_approved)
        .options(selectinload(Exhibitor.sectors), selectinload(Exhibitor.stands))
        .order_by(func.lower(Exhibitor.name), Exhibitor.id)
    )
    if wanted.query:
        statement = statement.where(
            Exhibitor.name.ilike(f"%{escape_like(wanted.query)}%", escape="\\")
        )
    statement = with_sector_and_country(statement, wanted.sector, wanted.country)
    return db.paginate(
        statement, page=max(wanted.page, 1), per_page=DIRECTORY_PAGE_SIZE, error_out=False
    )


def with_sector_and_country(statement, sector: str, country: str):
    """Narrow an exhibitor query to a sector and a country (either may be empty):
    the public directory and the organiser's list filter alike."""
    if sector:
        statement = statement.where(
            Exhibitor.id.in_(
                select(ExhibitorSector.exhibitor_id).where(ExhibitorSector.name == sector)
            )
        )
    if country:
        statement = statement.where(Exhibitor.country == country.upper())
    return statement


def sectors_of_event(event: Event) -> list[str]:
    return list(
        db.session.execute(
            select(ExhibitorSector.name)
            .distinct()
            .join(Exhibitor)
            .where(Exhibitor.event_id == event.id, Exhibitor.is_approved)
            .order_by(ExhibitorSector.name)
        ).scalars()
    )


def countries_of_event(event: Event) -> list[str]:
    return list(
        db.session.execute(
            select(Exhibitor.country)
            .distinct()
            .where(Exhibitor.event_id == event.id, Exhibitor.is_approved)
            .order_by(Exhibitor.country)
        ).scalars()
    )


def exhibitor_by_ref(event: Event, ref: str) -> Exhibitor | None:
    """An approved exhibitor's public page, or None."""
    return db.session.execute(
        select(Exhibitor)
        .where(Exhibitor.event_id == event.id, Exhibitor.ref == ref, Exhibitor.is_approved)
        .options(selectinload(Exhibitor.sectors), selectinload(Exhibitor.stands))
    ).scalar_one_or_none()


def exhibitor_of_event(event: Event, ref: str) -> Exhibitor | None:
    """An exhibitor of the event by its code, whatever its approval."""
    return db.session.execute(
        select(Exhibitor).filter_by(event_id=event.id, ref=ref)
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
