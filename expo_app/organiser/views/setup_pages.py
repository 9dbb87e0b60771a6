"""Event setup: details, days, locations, meeting slots and tables, and a new event (blank
or copied from one of the organiser's events)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from expo_app.events.models import Event, EventDay, Location
from expo_app.organiser import setup
from expo_app.organiser.forms import (
    DayForm,
    EventDetailsForm,
    EventForm,
    LocationForm,
    SlotsForm,
    TablesForm,
)
from expo_app.organiser.services import OrganiserError
from expo_app.organiser.views.common import PREFIX, add_error, bp, go
from expo_app.web.access import ORGANISER
from expo_app.web.once import first_send, sent_already
from expo_app.web.rh import event_page, of_event


def _tables_form(event: Event, form: TablesForm | None = None) -> TablesForm:
    form = form or TablesForm(formdata=None, prefix="tables")
    form.location.choices = [(area.id, area.name) for area in setup.meeting_areas(event)]
    return form


def _event_form(form: EventForm | None = None) -> EventForm:
    form = form or EventForm(formdata=None, prefix="new")
    form.copy_from.choices = [(None, _("Nothing: a blank event"))] + [
        (other.id, f"{other.name} ({other.start_date.year})")
        for other in setup.events_organised_by(current_user)
    ]
    return form


def _day_form(day: EventDay) -> DayForm:
    return DayForm(
        formdata=None,
        prefix=f"day{day.id}",
        data={"kinds": day.kinds, "opens": day.opens, "closes": day.closes},
    )


def _setup_page(event: Event, *, status: int = 200, **forms: Any):
    """The setup page, with the form that was just refused (if any) as it was sent."""
    return render_template(
        "organiser/setup.html",
        event=event,
        details=forms.get("details") or EventDetailsForm(obj=event, formdata=None),
        day_forms={day.id: forms.get(f"day-{day.id}") or _day_form(day) for day in event.days},
        location_form=forms.get("location") or LocationForm(formdata=None, prefix="loc"),
        slots_form=forms.get("slots") or SlotsForm(formdata=None, prefix="slots"),
        tables_form=_tables_form(event, forms.get("tables")),
        event_form=_event_form(forms.get("new_event")),
        summary=setup.matchmaking_summary(event),
    ), status


@bp.route(f"{PREFIX}/setup/", methods=["GET", "POST"])
@event_page(ORGANISER)
def event_setup(event: Event):
    details = EventDetailsForm(obj=event if request.method == "GET" else None)
    if request.method == "POST" and details.validate_on_submit():
        setup.update_details(
            event,
            name=details.name.data,
            theme=details.theme.data or None,
            venue=details.venue.data or None,
            city=details.city.data or None,
            website=details.website.data or None,
        )
        flash(_("The event details are saved."), "success")
        return go(".event_setup", event)
    return _setup_page(event, details=details, status=422 if request.method == "POST" else 200)


@bp.route(f"{PREFIX}/setup/days/<int:day_id>", methods=["POST"])
@event_page(ORGANISER)
def edit_day(event: Event, day_id: int):
    day = of_event(EventDay, day_id, event)
    form = DayForm(prefix=f"day{day.id}")
    if form.validate_on_submit():
        setup.update_day(day, kinds=form.kinds.data, opens=form.opens.data, closes=form.closes.data)
        flash(_("%(day)s is saved.", day=day.date.isoformat()), "success")
        return go(".event_setup", event, anchor=f"day-{day.id}")
    return _setup_page(event, status=422, **{f"day-{day.id}": form})


def _location_fields(form: LocationForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "capacity": form.capacity.data,
        "restricted": form.restricted.data,
    }


@bp.route(f"{PREFIX}/setup/locations", methods=["POST"])
@event_page(ORGANISER)
def add_location(event: Event):
    form = LocationForm(prefix="loc")
    if form.validate_on_submit():
        if not first_send(form):
            return sent_already(go(".event_setup", event, anchor="locations"))
        location = setup.add_location(event, **_location_fields(form))
        flash(_("%(name)s is added.", name=location.name), "success")
        return go(".event_setup", event, anchor="locations")
    return _setup_page(event, status=422, location=form)


@bp.route(f"{PREFIX}/setup/locations/<int:location_id>", methods=["GET", "POST"])
@event_page(ORGANISER)
def edit_location(event: Event, location_id: int):
    location = of_event(Location, location_id, event)
    form = LocationForm(obj=location)
    if form.validate_on_submit():
        setup.update_location(location, **_location_fields(form))
        flash(_("%(name)s is saved.", name=location.name), "success")
        return go(".event_setup", event, anchor="locations")
    return render_template(
        "organiser/location_form.html", event=event, location=location, form=form
    ), (422 if form.errors else 200)


@bp.route(f"{PREFIX}/setup/slots", methods=["POST"])
@event_page(ORGANISER)
def generate_slots(event: Event):
    form = SlotsForm(prefix="slots")
    if form.validate_on_submit():
        made = setup.generate_slots(
            event,
            length=form.length.data,
            gap=form.gap.data,
            pause=(form.pause_from.data, form.pause_to.data) if form.pause_from.data else None,
        )
        flash(_("%(num)d meeting slots added.", num=made), "success")
        return go(".event_setup", event, anchor="slots")
    return _setup_page(event, status=422, slots=form)


@bp.route(f"{PREFIX}/setup/tables", methods=["POST"])
@event_page(ORGANISER)
def add_tables(event: Event):
    form = _tables_form(event, TablesForm(prefix="tables"))
    if form.validate_on_submit():
        if not first_send(form):
            return sent_already(go(".event_setup", event, anchor="tables"))
        try:
            made = setup.add_tables(event, form.location.data, form.count.data, form.prefix.data)
        except OrganiserError as error:
            form.prefix.errors = [str(error)]
        else:
            flash(_("%(num)d tables added.", num=made), "success")
            return go(".event_setup", event, anchor="tables")
    return _setup_page(event, status=422, tables=form)


@bp.route(f"{PREFIX}/setup/new-event", methods=["POST"])
@event_page(ORGANISER)
def create_event(event: Event):
    form = _event_form(EventForm(prefix="new"))
    if form.validate_on_submit():
        try:
            created = setup.create_event(
                current_user,
                slug=form.slug.data,
                name=form.name.data,
                start=form.start_date.data,
                end=form.end_date.data,
                timezone=form.timezone.data or event.timezone,
                venue=form.venue.data or None,
                city=form.city.data or None,
                copy_from=form.copy_from.data,
            )
        except OrganiserError as error:
            add_error(form, error.field, str(error), fallback="slug")
        else:
            flash(_("%(name)s is created.", name=created.name), "success")
            return redirect(url_for(".event_setup", slug=created.slug), code=303)
    return _setup_page(event, status=422, new_event=form)
