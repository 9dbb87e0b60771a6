"""The floor plan of each location, to scale: what the SVG component draws and what its text
list says, shared by the exhibitor portal and the organiser workspace."""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal

from babel import numbers
from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from expo_app.events.models import Event, Location
from expo_app.exhibitors.models import STAND_STATUSES, Exhibitor, Stand, StandStatus
from expo_app.extensions import db

PIXELS_PER_METRE = 16  # a 3 m stand is 48 px wide: its code stays readable
MAX_PLAN_PIXELS = 1600  # very large areas are drawn smaller, down to MIN_PIXELS_PER_METRE
MIN_PIXELS_PER_METRE = 6
MARGIN_M = 1.0
UNPLACED_GAP_M = 1.0  # stands without a position are lined up below the placed ones


@dataclass
class PlanStand:
    """One stand as drawn: position and size in metres, and what a person is told about it."""

    id: int
    ref: str
    x: float
    y: float
    width: float
    depth: float
    status: str
    area: float
    price: Decimal | None
    currency: str | None
    exhibitor_id: int | None
    exhibitor_name: str | None
    mine: bool
    placed: bool
    size_text: str = ""
    area_text: str = ""
    price_text: str = ""
    status_text: str = ""
    label: str = ""

    @property
    def free(self) -> bool:
        return self.status == StandStatus.AVAILABLE

    @property
    def is_reserved(self) -> bool:
        """On hold, waiting for the organiser: its holder may still give it back."""
        return self.status == StandStatus.RESERVED


@dataclass
class PlanLocation:
    """One location's plan: its extent in metres, the scale, and its stands."""

    location: Location
    width: float
    depth: float
    scale: float
    stands: list[PlanStand] = field(default_factory=list)

    @property
    def pixel_width(self) -> int:
        return round(self.width * self.scale)

    @property
    def pixel_height(self) -> int:
        return round(self.depth * self.scale)

    @property
    def counts(self) -> Counter:
        return Counter(stand.status for stand in self.stands)

    @property
    def dom_id(self) -> str:
        return f"plan-{self.location.id}"


def floor_plan(
    event: Event,
    *,
    viewer: Exhibitor | None = None,
    locations: list[int] | None = None,
    locale: str | None = None,
) -> list[PlanLocation]:
    """Every location that has stands, with its stands laid out to scale (two queries).

    `viewer` is the exhibitor looking at the plan: its own stands say so.
    `locale` formats sizes and prices; by default the reader's language.
    """
    if locale is None:
        from expo_app.templating import formatting_locale

        locale = formatting_locale()
    statement = (
        select(Stand)
        .where(Stand.event_id == event.id)
        .options(selectinload(Stand.exhibitor), selectinload(Stand.location))
        .order_by(Stand.location_id, Stand.ref)
    )
    if locations:
        statement = statement.where(Stand.location_id.in_(locations))
    grouped: dict[int, list[Stand]] = {}
    for stand in db.session.execute(statement).scalars():
        grouped.setdefault(stand.location_id, []).append(stand)
    plans = []
    # Outside a request (CLI, PDF, tests) the words follow `locale` too.
    words = nullcontext() if has_request_context() else force_locale(locale.split("_")[0])
    with words:
        for stands in grouped.values():
            plans.append(_plan_of(stands[0].location, stands, viewer, locale))
    plans.sort(key=lambda plan: plan.location.id)
    return plans


def _plan_of(
    location: Location, stands: list[Stand], viewer: Exhibitor | None, locale: str
) -> PlanLocation:
    placed = [s for s in stands if s.x_m is not None and s.y_m is not None]
    unplaced = [s for s in stands if s.x_m is None or s.y_m is None]
    width = max((s.x_m + s.width_m for s in placed), default=0.0)
    depth = max((s.y_m + s.depth_m for s in placed), default=0.0)
    positions = {s.id: (s.x_m, s.y_m) for s in placed}
    # Unplaced stands go in a row under the plan, so they can still be seen and picked.
    x, y = MARGIN_M, (depth + UNPLACED_GAP_M) if placed else MARGIN_M
    row_depth = 0.0
    for stand in unplaced:
        positions[stand.id] = (x, y)
        x += stand.width_m + UNPLACED_GAP_M
        row_depth = max(row_depth, stand.depth_m)
    width = max(width, x)
    depth = max(depth, y + row_depth if unplaced else depth)
    width, depth = width + MARGIN_M, depth + MARGIN_M
    scale = PIXELS_PER_METRE
    if width * scale > MAX_PLAN_PIXELS:
        scale = max(MIN_PIXELS_PER_METRE, MAX_PLAN_PIXELS / width)
    plan = PlanLocation(location=location, width=width, depth=depth, scale=scale)
    viewer_id = viewer.id if viewer is not None else None
    unplaced_ids = {s.id for s in unplaced}
    for stand in stands:
        sx, sy = positions[stand.id]
        item = PlanStand(
            id=stand.id,
            ref=stand.ref,
            x=sx,
            y=sy,
            width=stand.width_m,
            depth=stand.depth_m,
            status=stand.status if stand.status in STAND_STATUSES else "available",
            area=stand.area_m2,
            price=stand.price,
            currency=stand.currency,
            exhibitor_id=stand.exhibitor_id,
            exhibitor_name=stand.exhibitor.name if stand.exhibitor else None,
            mine=viewer_id is not None and stand.exhibitor_id == viewer_id,
            placed=stand.id not in unplaced_ids,
        )
        describe(item, locale)
        plan.stands.append(item)
    return plan


def describe(stand: PlanStand, locale: str) -> None:
    """The words for a stand, e.g. the accessible name "A-01, 9 m², 2,250 EUR, available"."""
    width, depth = _number(stand.width, locale), _number(stand.depth, locale)
    stand.size_text = _("%(width)s × %(depth)s m", width=width, depth=depth)
    stand.area_text = _("%(area)s m²", area=_number(round(stand.area, 2), locale))
    stand.price_text = format_price(stand.price, stand.currency, locale)
    stand.status_text = status_text(stand.status, stand.mine)
    parts = [stand.ref, stand.area_text]
    if stand.price_text:
        parts.append(stand.price_text)
    parts.append(stand.status_text)
    if stand.exhibitor_name and not stand.mine:
        parts.append(stand.exhibitor_name)
    stand.label = ", ".join(parts)


def status_text(status: str, mine: bool = False) -> str:
    if mine:
        return {
            "reserved": _("on hold for you"),
            "confirmed": _("confirmed, your stand"),
        }.get(status, _("available"))
    return {
        "available": _("available"),
        "reserved": _("on hold"),
        "confirmed": _("confirmed"),
    }.get(status, status)


def format_price(price: Decimal | None, currency: str | None, locale: str) -> str:
    """2250 EUR -> "2,250 EUR" (en) or "2 250 EUR" (fr): the code, read the same everywhere."""
    if price is None:
        return ""
    value = Decimal(price)
    if value == value.to_integral_value():
        text = numbers.format_decimal(int(value), locale=locale)
    else:
        text = numbers.format_decimal(value, format="#,##0.00", locale=locale)
    return f"{text} {currency}" if currency else text


def _number(value: float, locale: str) -> str:
    if float(value).is_integer():
        return numbers.format_decimal(int(value), locale=locale)
    return numbers.format_decimal(value, format="#,##0.##", locale=locale)
