"""The morning dashboard and the audit log."""

from __future__ import annotations

from datetime import date

from babel import dates as babel_dates
from flask import render_template, request

from expo_app.events.models import Event
from expo_app.organiser import services
from expo_app.organiser.views.common import PREFIX, bp, page_number
from expo_app.templating import formatting_locale
from expo_app.web.access import ORGANISER
from expo_app.web.rh import event_page


def _short(day: date, pattern: str) -> str:
    return babel_dates.format_date(day, pattern, locale=formatting_locale())


@bp.route(f"{PREFIX}/")
@event_page(ORGANISER)
def dashboard(event: Event):
    figures = services.morning_figures(event)
    return render_template(
        "organiser/dashboard.html",
        event=event,
        figures=figures,
        day_columns=[(_short(day, "d"), count) for day, count in figures.requests_per_day],
        meeting_bars=[(_short(usage.day, "EEE d MMM"), usage.meetings) for usage in figures.days],
    )


@bp.route(f"{PREFIX}/audit/")
@event_page(ORGANISER)
def audit(event: Event):
    wanted = services.AuditQuery(
        entity=request.args.get("entity", "")[:40],
        action=request.args.get("action", "")[:40],
        page=page_number(),
    )
    rows, total, page, pages = services.audit_log(event, wanted)
    return render_template(
        "organiser/audit.html",
        event=event,
        wanted=wanted,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        entities=services.audit_entities(event),
    )
