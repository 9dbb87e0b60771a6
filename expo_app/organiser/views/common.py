"""What every organiser page shares: the blueprint, its URL prefix, redirects, paging, and
the labels and number formats its templates use."""

from __future__ import annotations

from typing import Any

from babel import numbers
from flask import Blueprint, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import Form

from expo_app.delegations.models import Accreditation, ParticipantRole
from expo_app.events import templating as event_templating
from expo_app.events.models import Event
from expo_app.exhibitors.floorplan import format_price
from expo_app.exhibitors.models import Approval, StandStatus
from expo_app.templating import formatting_locale
from expo_app.web.params import page_arg, parse_int

bp = Blueprint("organiser", __name__)

PREFIX = "/e/<slug>/manage"


@bp.record_once
def _kinds_in_templates(state) -> None:
    event_templating.register(state.app)


@bp.context_processor
def _formatting() -> dict:
    def format_money(value, currency: str | None) -> str:
        return format_price(value, currency, formatting_locale())

    def format_number(value) -> str:
        return numbers.format_decimal(value, locale=formatting_locale())

    def format_percent(value: float) -> str:
        return numbers.format_percent(value, locale=formatting_locale())

    return {
        "format_money": format_money,
        "format_number": format_number,
        "format_percent": format_percent,
        # The states' labels, one per state (`Approval.label_of(x.approval)`).
        "Accreditation": Accreditation,
        "Approval": Approval,
        "ParticipantRole": ParticipantRole,
        "StandStatus": StandStatus,
    }


def go(endpoint: str, event: Event, anchor: str | None = None, **values: Any):
    """303 to another page of the event (after a POST: the browser GETs it)."""
    url = url_for(endpoint, slug=event.slug, **values)
    return redirect(url + (f"#{anchor}" if anchor else ""), code=303)


def page_number() -> int:
    return page_arg()


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


def posted_decision(form: Form) -> str | None:
    """The button pressed on a draft's page (`decision`: accept, cancel, discard...), or
    None when nothing valid was posted (a GET, or a form without its CSRF token)."""
    if request.method == "POST" and form.validate_on_submit():
        return request.form.get("decision", "")
    return None


WITHOUT_VERSION = _l(
    "This form was sent without the version it was opened at. "
    "Open the page again, then save your change."
)


def version_of(form: Form) -> int | None:
    """The record version the organiser edited: what the hidden field sent (never the
    version loaded now, which would hide another organiser's change), if a number."""
    sent = form.version.raw_data
    return parse_int(sent[0], lo=0) if sent else None


def add_error(form: Form, name: str | None, message: str, fallback: str) -> None:
    """Show a message next to the field it names, or next to `fallback` when the form has
    no such field."""
    target = form[name] if name and name in form else form[fallback]
    target.errors = [*target.errors, message]
