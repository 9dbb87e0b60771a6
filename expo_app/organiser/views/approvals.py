"""Approvals: the exhibitors' registrations waiting for the organiser's decision, and the
demo requests waiting for a time in a demo zone. The decisions themselves are the
exhibitors' rules (`approve_exhibitor`, `place_demo`), called here."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, render_template, request
from flask_babel import gettext as _

from expo_app.events.models import Event, Location
from expo_app.exhibitors import services as exhibitor_services
from expo_app.exhibitors.forms import PlaceDemoForm, ReviewForm
from expo_app.exhibitors.models import DemoRequest, Exhibitor
from expo_app.exhibitors.services import ExhibitorError
from expo_app.organiser.views.common import PREFIX, bp, go
from expo_app.web.access import ORGANISER
from expo_app.web.rh import event_page, of_event


@bp.route(f"{PREFIX}/approvals/")
@event_page(ORGANISER)
def approvals(event: Event):
    return render_template(
        "organiser/approvals.html",
        event=event,
        waiting=exhibitor_services.exhibitors_awaiting_approval(event),
        demo_requests=exhibitor_services.pending_demo_requests(event),
        zones=exhibitor_services.demo_zones(event),
    )


@bp.route(f"{PREFIX}/approvals/exhibitors/<int:exhibitor_id>", methods=["POST"])
@event_page(ORGANISER)
def decide_exhibitor(event: Event, exhibitor_id: int):
    exhibitor = of_event(Exhibitor, exhibitor_id, event)
    form = ReviewForm()
    decision = request.form.get("decision")
    if decision not in ("approve", "reject") or not form.validate_on_submit():
        abort(400)
    approve = decision == "approve"
    exhibitor_services.approve_exhibitor(exhibitor, approve=approve, note=form.note.data)
    if approve:
        flash(_("%(name)s is approved.", name=exhibitor.name), "success")
    else:
        flash(_("%(name)s is rejected.", name=exhibitor.name), "success")
    return go(".approvals", event)


def _start_of(form: PlaceDemoForm) -> datetime | None:
    """The start typed in the form (a datetime-local value), to the minute, or None."""
    try:
        start = datetime.fromisoformat(form.start.data)
    except ValueError:
        return None
    return start.replace(second=0, microsecond=0, tzinfo=None)


@bp.route(f"{PREFIX}/approvals/demos/<int:demo_id>/place", methods=["POST"])
@event_page(ORGANISER)
def place_demo(event: Event, demo_id: int):
    demo = of_event(DemoRequest, demo_id, event)
    form = PlaceDemoForm()
    form.location.choices = [(zone.id, zone.name) for zone in exhibitor_services.demo_zones(event)]
    if not form.validate_on_submit():
        flash(_("Choose a demo zone and a start time."), "error")
        return go(".approvals", event)
    start = _start_of(form)
    if start is None:
        flash(_("Give the start as a date and time, e.g. 2025-11-13T10:00."), "error")
        return go(".approvals", event)
    zone = of_event(Location, form.location.data, event)
    try:
        exhibitor_services.place_demo(demo, location=zone, start=start)
    except ExhibitorError as error:
        flash(str(error), "error")
    else:
        flash(_("The demo is on the schedule."), "success")
    return go(".approvals", event)
