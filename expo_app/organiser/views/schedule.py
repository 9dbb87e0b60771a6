"""The schedule editor: a day on the grid (drag to create, move, resize), and the session
form that does the same without a mouse. Conflicts are the events' rules (conflicts.py),
saving never silently overwrites another organiser's change."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import abort, flash, jsonify, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _

from expo_app.delegations import seats
from expo_app.errors import DomainError, field_error
from expo_app.events.conflicts import Draft, Problem
from expo_app.events.models import Event, EventDay, EventSession
from expo_app.events.services import day_of
from expo_app.organiser import services
from expo_app.organiser.forms import DeleteForm, MoveForm, SessionForm
from expo_app.organiser.services import ImpossibleSession, NeedsConfirmation, RecordChanged
from expo_app.organiser.views.common import (
    PREFIX,
    WITHOUT_VERSION,
    add_error,
    bp,
    go,
    version_of,
    wants_json,
)
from expo_app.web.access import ORGANISER
from expo_app.web.once import first_send, sent_already
from expo_app.web.rh import event_page, of_event

_FROM_REQUEST = object()  # WTForms reads the request's form unless told otherwise


def _chosen_day(event: Event, value: str | None) -> EventDay | None:
    """The day asked for (?day=2025-11-12), else the first day of the event."""
    try:
        wanted = date.fromisoformat(value) if value else None
    except ValueError:
        wanted = None
    found = day_of(event, wanted) if wanted else None
    return found or next(iter(event.days), None)


def _session_form(
    event: Event, *, obj: EventSession | None = None, formdata: Any = _FROM_REQUEST
) -> SessionForm:
    kwargs: dict[str, Any] = {} if formdata is _FROM_REQUEST else {"formdata": formdata}
    if obj is not None:
        kwargs["data"] = {
            "title": obj.title,
            "kind": obj.kind,
            "day": obj.start.date().isoformat(),
            "start": obj.start.time(),
            "end": obj.end.time(),
            "location": obj.location_id,
            "exhibitor": obj.exhibitor_id,
            "description": obj.description,
            "capacity": obj.capacity,
            "version": obj.version,
        }
    form = SessionForm(**kwargs)
    form.day.choices = [
        (day.date.isoformat(), format_date(day.date, "EEEE d MMMM")) for day in event.days
    ]
    form.location.choices = [(location.id, location.name) for location in event.locations]
    form.exhibitor.choices = [(None, _("None"))] + [
        (exhibitor.id, exhibitor.name) for exhibitor in services.approved_exhibitors(event)
    ]
    return form


def _span(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """The session's start and end on that day; 00:00 as an end means midnight."""
    begins, ends = datetime.combine(day, start), datetime.combine(day, end)
    if end == time(0) and start != end:
        ends += timedelta(days=1)
    return begins, ends


def _draft(form: SessionForm, session: EventSession | None = None) -> Draft:
    start, end = _span(date.fromisoformat(form.day.data), form.start.data, form.end.data)
    return Draft(
        title=form.title.data or "",
        kind=form.kind.data,
        start=start,
        end=end,
        location_id=form.location.data,
        exhibitor_id=form.exhibitor.data,
        id=session.id if session else None,
    )


def _save_from_form(event: Event, form: SessionForm, session: EventSession | None):
    """Save the form's session; returns (session or None, problems, changed-record)."""
    try:
        outcome = services.save_session(
            event,
            _draft(form, session),
            session=session,
            version=version_of(form),
            keep_warnings=form.keep.data,
            description=form.description.data or None,
            capacity=form.capacity.data,
        )
    except ImpossibleSession as error:
        for problem in error.problems:
            add_error(form, problem.field, problem.message, fallback="title")
        return None, [], None
    except NeedsConfirmation as error:
        return None, error.problems, None
    except RecordChanged as error:
        return None, [], error.current
    except DomainError as error:  # e.g. a capacity under the seats already held
        field_error(form, error)
        return None, [], None
    return outcome.session, outcome.warnings, None


def _saved(event: Event, session: EventSession, message: str, warnings: list[Problem]):
    """Back to the saved session on the grid, with its warnings kept on purpose."""
    flash(message, "success")
    for problem in warnings:
        flash(problem.message, "warning")
    day = session.start.date().isoformat()
    return go(".schedule", event, anchor=f"session-{session.id}", day=day)


@bp.route(f"{PREFIX}/schedule/")
@event_page(ORGANISER)
def schedule(event: Event):
    day = _chosen_day(event, request.args.get("day"))
    form = _session_form(event, formdata=None)
    if day is not None:
        form.day.data = day.date.isoformat()
    return render_template(
        "organiser/schedule.html",
        event=event,
        grid=services.schedule_grid(event, day) if day else None,
        form=form,
        move_form=MoveForm(formdata=None),
        selected_day=day,
    )


@bp.route(f"{PREFIX}/schedule/new", methods=["GET", "POST"])
@event_page(ORGANISER)
def new_session(event: Event):
    if request.method == "GET":  # the grid's drag prefills the form through the query
        form = _session_form(event, formdata=request.args or None)
        form.keep.data = False
    else:
        form = _session_form(event)
    warnings: list = []
    if request.method == "POST" and form.validate_on_submit():
        if not first_send(form):
            return sent_already(go(".schedule", event, day=form.day.data))
        saved, warnings, _changed = _save_from_form(event, form, None)
        if saved is not None:
            message = _("“%(title)s” is on the schedule.", title=saved.title)
            return _saved(event, saved, message, warnings)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "organiser/session_form.html", event=event, form=form, warnings=warnings, session=None
    ), status


@bp.route(f"{PREFIX}/schedule/<int:session_id>", methods=["GET", "POST"])
@event_page(ORGANISER)
def edit_session(event: Event, session_id: int):
    session = of_event(EventSession, session_id, event)
    form = _session_form(event, obj=session)
    warnings, current, problems = [], None, []
    if request.method == "POST" and version_of(form) is None:
        add_error(form, None, str(WITHOUT_VERSION), fallback="title")
    elif request.method == "POST" and form.validate_on_submit():
        saved, warnings, current = _save_from_form(event, form, session)
        if saved is not None:
            return _saved(event, saved, _("“%(title)s” is saved.", title=saved.title), warnings)
        if current is not None:
            form.version.data = str(current.version)  # saving again now is a deliberate choice
    elif request.method == "GET":
        form.keep.data = False
        problems = services.check_session(event, Draft.of(session))
    status = 200 if request.method == "GET" else (409 if current is not None else 422)
    return render_template(
        "organiser/session_form.html",
        event=event,
        form=form,
        warnings=warnings,
        session=session,
        current=current,
        existing_problems=problems,
        seats=seats.seats_of(session),
        delete_form=DeleteForm(formdata=None, data={"version": session.version}),
    ), status


def _moved(session: EventSession, form: MoveForm) -> Draft:
    start, end = _span(form.day.data, form.start.data, form.end.data)
    return Draft(
        title=session.title,
        kind=session.kind,
        start=start,
        end=end,
        location_id=form.location.data,
        exhibitor_id=session.exhibitor_id,
        id=session.id,
    )


def _changed_meanwhile(current: EventSession) -> str:
    return _(
        "Someone else changed “%(title)s” meanwhile: it is now %(start)s–%(end)s.",
        title=current.title,
        start=current.start.strftime("%H:%M"),
        end=current.end.strftime("%H:%M"),
    )


def _move_answer(status: str, messages: list[str], code: int, event: Event, session):
    if wants_json():
        return jsonify(status=status, messages=messages), code
    for message in messages:
        flash(message, "error")
    return go(".edit_session", event, session_id=session.id)


@bp.route(f"{PREFIX}/schedule/<int:session_id>/move", methods=["POST"])
@event_page(ORGANISER)
def move_session(event: Event, session_id: int):
    """A drag on the grid (JSON for the script; a plain POST falls back to the edit page)."""
    session = of_event(EventSession, session_id, event)
    form = MoveForm()
    if not form.validate_on_submit():
        if wants_json():
            return jsonify(status="invalid", messages=[_("The move could not be read.")]), 400
        abort(400)
    try:
        outcome = services.save_session(
            event,
            _moved(session, form),
            session=session,
            version=form.version.data,
            keep_warnings=form.keep.data,
        )
    except ImpossibleSession as error:
        return _move_answer("impossible", [p.message for p in error.problems], 422, event, session)
    except NeedsConfirmation as error:
        return _move_answer("confirm", [p.message for p in error.problems], 409, event, session)
    except RecordChanged as error:
        current = error.current
        return _move_answer("changed", [_changed_meanwhile(current)], 409, event, current)
    moved = outcome.session
    if wants_json():
        messages = [p.message for p in outcome.warnings]
        return jsonify(status="saved", version=moved.version, messages=messages)
    flash(_("“%(title)s” is saved.", title=moved.title), "success")
    return go(".schedule", event, day=moved.start.date().isoformat())


@bp.route(f"{PREFIX}/schedule/<int:session_id>/delete", methods=["POST"])
@event_page(ORGANISER)
def delete_session(event: Event, session_id: int):
    session = of_event(EventSession, session_id, event)
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    day, title = session.start.date().isoformat(), session.title
    try:
        services.delete_session(session, version=form.version.data)
    except RecordChanged:
        flash(_("Someone else changed this session meanwhile; check it before deleting."), "error")
        return go(".edit_session", event, session_id=session_id)
    flash(_("“%(title)s” is removed from the schedule.", title=title), "success")
    return go(".schedule", event, day=day)
