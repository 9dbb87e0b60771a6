"""The organiser workspace under /e/<slug>/manage/: every page goes through
`organiser_page` (organisers of this event only, one transaction per request)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from expo_app.accounts.permissions import is_organiser_of
from expo_app.delegations.models import ACCREDITATIONS, PARTICIPANT_ROLES
from expo_app.events.conflicts import Draft
from expo_app.events.models import Event, EventSession
from expo_app.events.services import day_of, event_or_404
from expo_app.exhibitors import services as exhibitor_services
from expo_app.exhibitors.floorplan import floor_plan
from expo_app.exhibitors.models import EXHIBITOR_APPROVALS, Exhibitor, Stand
from expo_app.extensions import db, login_manager
from expo_app.matchmaking import planning
from expo_app.organiser import csvio, services, setup
from expo_app.organiser.forms import (
    AssignForm,
    DayForm,
    DeleteForm,
    EventDetailsForm,
    EventForm,
    ImportForm,
    LocationForm,
    MoveForm,
    SchedulerForm,
    SessionForm,
    SlotsForm,
    StandForm,
    TablesForm,
)
from expo_app.organiser.services import (
    ImpossibleSession,
    ListQuery,
    NeedsConfirmation,
    OrganiserError,
    RecordChanged,
)

bp = Blueprint("organiser", __name__)

PREFIX = "/e/<slug>/manage"


# --- The one path every organiser request takes -------------------------------------------


def organiser_page(view: Callable) -> Callable:
    """Signed-in organiser of this event, or the login page (anonymous) or 403 (anyone
    else). The view gets the event; what its services wrote commits once at the end."""

    @wraps(view)
    def wrapped(slug: str, **kwargs: Any) -> Any:
        event = event_or_404(slug)
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not is_organiser_of(current_user, event.id):
            abort(403)
        try:
            response = view(event, **kwargs)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return response

    return wrapped


def _go(endpoint: str, event: Event, anchor: str | None = None, **values: Any):
    url = url_for(endpoint, slug=event.slug, **values)
    return redirect(url + (f"#{anchor}" if anchor else ""), code=303)


def _page_number() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


# --- Dashboard ------------------------------------------------------------------------------


@bp.context_processor
def _formatting() -> dict:
    from babel import numbers

    from expo_app.exhibitors.floorplan import format_price
    from expo_app.templating import formatting_locale

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
    }


@bp.route(f"{PREFIX}/")
@organiser_page
def dashboard(event: Event):
    from babel import dates as babel_dates

    from expo_app.templating import formatting_locale

    figures = services.morning_figures(event)
    locale = formatting_locale()
    return render_template(
        "organiser/dashboard.html",
        event=event,
        figures=figures,
        day_columns=[
            (babel_dates.format_date(day, "d", locale=locale), count)
            for day, count in figures.requests_per_day
        ],
        meeting_bars=[
            (babel_dates.format_date(usage.day, "EEE d MMM", locale=locale), usage.meetings)
            for usage in figures.days
        ],
    )


# --- Accreditation --------------------------------------------------------------------------


def _queue_page(event: Event, *, errors: dict | None = None, status: int = 200):
    delegation = request.values.get("delegation", type=int)
    queue = services.accreditation_queue(event, delegation_id=delegation, page=_page_number())
    chosen = {int(v) for v in request.form.getlist("participants") if v.isdigit()}
    return (
        render_template(
            "organiser/accreditation.html",
            event=event,
            queue=queue,
            delegation=delegation,
            errors=errors or {},
            chosen=chosen,
            typed=request.form,
        ),
        status,
    )


@bp.route(f"{PREFIX}/accreditation", methods=["GET", "POST"])
@organiser_page
def accreditation(event: Event):
    if request.method == "GET":
        return _queue_page(event)
    act = request.form.get("act", "")
    decision, _sep, single = act.partition("-")
    if decision not in ("approve", "reject"):
        abort(400)
    if single:
        if not single.isdigit():
            abort(400)
        ids = [int(single)]
        reason = (
            request.form.get(f"reason-{single}", "").strip()
            or request.form.get("reason", "").strip()
        )
        reason_field = f"reason-{single}"
    else:
        ids = [int(v) for v in request.form.getlist("participants") if v.isdigit()]
        reason = request.form.get("reason", "").strip()
        reason_field = "reason"
    try:
        changed = services.decide_accreditation(
            event, ids, approve=decision == "approve", reason=reason[:1000] or None
        )
    except OrganiserError as error:
        db.session.rollback()
        field = reason_field if error.field == "reason" else error.field
        return _queue_page(event, errors={field: str(error.message)}, status=422)
    if len(changed) == 1 and decision == "approve":
        message = _("%(name)s is accredited.", name=changed[0].name)
    elif len(changed) == 1:
        message = _("%(name)s is refused.", name=changed[0].name)
    elif decision == "approve":
        message = _("%(num)d people accredited.", num=len(changed))
    else:
        message = _("%(num)d people refused.", num=len(changed))
    flash(message, "success")
    args = {}
    if request.form.get("delegation", "").isdigit():
        args["delegation"] = request.form["delegation"]
    return _go(".accreditation", event, **args)


# --- Lists and CSV --------------------------------------------------------------------------


def _list_query() -> ListQuery:
    args = request.args
    return ListQuery(
        q=args.get("q", "").strip()[:100],
        status=args.get("status", "").strip()[:20],
        country=args.get("country", "").strip()[:2],
        sector=args.get("sector", "").strip()[:100],
        role=args.get("role", "").strip()[:20],
        delegation=args.get("delegation", type=int),
        sort=args.get("sort", "name")[:20],
        page=_page_number(),
    )


@bp.route(f"{PREFIX}/exhibitors/")
@organiser_page
def exhibitors(event: Event):
    wanted = _list_query()
    return render_template(
        "organiser/exhibitors.html",
        event=event,
        wanted=wanted,
        page=services.exhibitor_list(event, wanted),
        choices=services.exhibitor_filter_choices(event),
        statuses=EXHIBITOR_APPROVALS,
        sorts=services.EXHIBITOR_SORTS,
        import_form=ImportForm(),
    )


@bp.route(f"{PREFIX}/participants/")
@organiser_page
def participants(event: Event):
    wanted = _list_query()
    return render_template(
        "organiser/participants.html",
        event=event,
        wanted=wanted,
        page=services.participant_list(event, wanted),
        choices=services.participant_filter_choices(event),
        statuses=ACCREDITATIONS,
        roles=PARTICIPANT_ROLES,
        sorts=services.PARTICIPANT_SORTS,
        import_form=ImportForm(),
    )


@bp.route(f"{PREFIX}/<any(exhibitors, participants):kind>.csv")
@organiser_page
def export_csv(event: Event, kind: str):
    rows = csvio.export_rows(event, kind)
    response = Response(stream_with_context(rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-{kind}.csv"'
    return response


@bp.route(f"{PREFIX}/<any(exhibitors, participants):kind>/import", methods=["POST"])
@organiser_page
def import_csv(event: Event, kind: str):
    form = ImportForm()
    if form.validate_on_submit():
        try:
            preview = csvio.preview_import(event, kind, form.file.data, user_id=current_user.id)
        except csvio.ImportRefused as error:
            form.file.errors = [str(error.message)]
        else:
            return _go(".import_preview", event, token=preview.token)
    endpoint = ".exhibitors" if kind == "exhibitors" else ".participants"
    return render_template(
        "organiser/import_form.html", event=event, kind=kind, form=form, back=endpoint
    ), 422


@bp.route(f"{PREFIX}/import/<token>", methods=["GET", "POST"])
@organiser_page
def import_preview(event: Event, token: str):
    pending = csvio.load_pending(event, token, user_id=current_user.id)
    if pending is None:
        flash(_("This import has expired or was already done. Please upload the file again."))
        return _go(".dashboard", event)
    form = DeleteForm()  # only the CSRF token matters here
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("decision") == "cancel":
            csvio.discard_pending(token)
            flash(_("The import is cancelled; nothing was changed."), "success")
        else:
            outcome = csvio.accept_import(event, pending)
            if outcome.errors:
                db.session.rollback()
                pending = csvio.refresh_pending(event, token, pending, outcome.errors)
                flash(
                    _("The data changed since the preview; check the rows marked below."),
                    "error",
                )
                return render_template(
                    "organiser/import_preview.html", event=event, pending=pending, form=form
                ), 409
            csvio.discard_pending(token)
            flash(
                _(
                    "Import done: %(created)d added, %(updated)d updated.",
                    created=outcome.created,
                    updated=outcome.updated,
                ),
                "success",
            )
        return _go(f".{pending.kind}", event)
    return render_template("organiser/import_preview.html", event=event, pending=pending, form=form)


# --- Schedule editor ------------------------------------------------------------------------


def _chosen_day(event: Event, value: str | None):
    days = list(event.days)
    if not days:
        return None
    if value:
        try:
            wanted = datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            wanted = None
        found = day_of(event, wanted) if wanted else None
        if found is not None:
            return found
    return days[0]


_FROM_REQUEST = object()  # WTForms reads the request's form unless told otherwise


def _session_form(
    event: Event, *, obj: EventSession | None = None, formdata: Any = _FROM_REQUEST
) -> SessionForm:
    kwargs: dict[str, Any] = {}
    if formdata is not _FROM_REQUEST:
        kwargs["formdata"] = formdata
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
    exhibitor_rows = db.session.execute(
        select(Exhibitor.id, Exhibitor.name)
        .where(Exhibitor.event_id == event.id, Exhibitor.approval == "approved")
        .order_by(func.lower(Exhibitor.name))
    ).all()
    form.exhibitor.choices = [(None, _("None"))] + [(row[0], row[1]) for row in exhibitor_rows]
    return form


def _draft(form: SessionForm, session: EventSession | None = None) -> Draft:
    day = datetime.strptime(form.day.data, "%Y-%m-%d").date()
    start = datetime.combine(day, form.start.data)
    end = datetime.combine(day, form.end.data)
    if form.end.data == datetime.min.time() and form.start.data != form.end.data:
        end += timedelta(days=1)  # 00:00 as an end means midnight
    return Draft(
        title=form.title.data or "",
        kind=form.kind.data,
        start=start,
        end=end,
        location_id=form.location.data,
        exhibitor_id=form.exhibitor.data,
        id=session.id if session else None,
    )


FIELD_OF_PROBLEM = {"location": "location", "start": "start", "end": "end", "kind": "kind"}


def _save_from_form(event: Event, form: SessionForm, session: EventSession | None):
    """Save the form's session; returns (session or None, problems, changed-record)."""
    version = int(form.version.data) if (form.version.data or "").isdigit() else None
    try:
        outcome = services.save_session(
            event,
            _draft(form, session),
            session=session,
            version=version,
            keep_warnings=form.keep.data,
            description=form.description.data or None,
            capacity=form.capacity.data,
        )
    except ImpossibleSession as error:
        db.session.rollback()
        for problem in error.problems:
            target = getattr(form, problem.field or "", None) or form.title
            target.errors = [*target.errors, problem.message]
        return None, [], None
    except NeedsConfirmation as error:
        db.session.rollback()
        return None, error.problems, None
    except RecordChanged as error:
        db.session.rollback()
        return None, [], error.current
    return outcome.session, outcome.warnings, None


@bp.route(f"{PREFIX}/schedule/")
@organiser_page
def schedule(event: Event):
    day = _chosen_day(event, request.args.get("day"))
    grid = services.schedule_grid(event, day) if day else None
    form = _session_form(event, formdata=None)
    if day is not None:
        form.day.data = day.date.isoformat()
    return render_template(
        "organiser/schedule.html",
        event=event,
        grid=grid,
        form=form,
        move_form=MoveForm(formdata=None),
        selected_day=day,
    )


@bp.route(f"{PREFIX}/schedule/new", methods=["GET", "POST"])
@organiser_page
def new_session(event: Event):
    form = _session_form(event)
    if request.method == "GET":
        form = _session_form(event, formdata=request.args or None)
        form.keep.data = False
    warnings: list = []
    if request.method == "POST" and form.validate_on_submit():
        saved, warnings, _changed = _save_from_form(event, form, None)
        if saved is not None:
            flash(_("“%(title)s” is on the schedule.", title=saved.title), "success")
            for problem in warnings:
                flash(problem.message, "warning")
            return _go(".schedule", event, anchor=f"session-{saved.id}", day=form.day.data)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "organiser/session_form.html", event=event, form=form, warnings=warnings, session=None
    ), status


@bp.route(f"{PREFIX}/schedule/<int:session_id>", methods=["GET", "POST"])
@organiser_page
def edit_session(event: Event, session_id: int):
    session = _event_session(event, session_id)
    form = _session_form(event, obj=session)
    warnings: list = []
    current = None
    if request.method == "POST" and form.validate_on_submit():
        saved, warnings, current = _save_from_form(event, form, session)
        if saved is not None:
            flash(_("“%(title)s” is saved.", title=saved.title), "success")
            for problem in warnings:
                flash(problem.message, "warning")
            return _go(
                ".schedule", event, anchor=f"session-{saved.id}", day=saved.start.date().isoformat()
            )
        if current is not None:
            form.version.data = str(current.version)  # saving again now is a deliberate choice
    elif request.method == "GET":
        form.keep.data = False
    status = 200 if request.method == "GET" else (409 if current is not None else 422)
    problems = services.check_session(event, Draft.of(session)) if request.method == "GET" else []
    return render_template(
        "organiser/session_form.html",
        event=event,
        form=form,
        warnings=warnings,
        session=session,
        current=current,
        existing_problems=problems,
        delete_form=DeleteForm(formdata=None, data={"version": session.version}),
    ), status


@bp.route(f"{PREFIX}/schedule/<int:session_id>/move", methods=["POST"])
@organiser_page
def move_session(event: Event, session_id: int):
    """A drag on the grid (JSON for the script; a plain POST falls back to the edit page)."""
    session = _event_session(event, session_id)
    form = MoveForm()
    if not form.validate_on_submit():
        if _wants_json():
            return jsonify(status="invalid", messages=[_("The move could not be read.")]), 400
        abort(400)
    start = datetime.combine(form.day.data, form.start.data)
    end = datetime.combine(form.day.data, form.end.data)
    if form.end.data == datetime.min.time():
        end += timedelta(days=1)
    draft = Draft(
        title=session.title,
        kind=session.kind,
        start=start,
        end=end,
        location_id=form.location.data,
        exhibitor_id=session.exhibitor_id,
        id=session.id,
    )
    try:
        outcome = services.save_session(
            event, draft, session=session, version=form.version.data, keep_warnings=form.keep.data
        )
    except ImpossibleSession as error:
        db.session.rollback()
        return _move_answer("impossible", [p.message for p in error.problems], 422, event, session)
    except NeedsConfirmation as error:
        db.session.rollback()
        return _move_answer("confirm", [p.message for p in error.problems], 409, event, session)
    except RecordChanged as error:
        db.session.rollback()
        current = error.current
        text = _(
            "Someone else changed “%(title)s” meanwhile: it is now %(start)s–%(end)s.",
            title=current.title,
            start=current.start.strftime("%H:%M"),
            end=current.end.strftime("%H:%M"),
        )
        return _move_answer("changed", [text], 409, event, current)
    messages = [p.message for p in outcome.warnings]
    if _wants_json():
        return jsonify(status="saved", version=outcome.session.version, messages=messages)
    flash(_("“%(title)s” is saved.", title=outcome.session.title), "success")
    return _go(".schedule", event, day=outcome.session.start.date().isoformat())


def _move_answer(status: str, messages: list[str], code: int, event: Event, session):
    if _wants_json():
        return jsonify(status=status, messages=messages), code
    for message in messages:
        flash(message, "error")
    return _go(".edit_session", event, session_id=session.id)


@bp.route(f"{PREFIX}/schedule/<int:session_id>/delete", methods=["POST"])
@organiser_page
def delete_session(event: Event, session_id: int):
    session = _event_session(event, session_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    day = session.start.date().isoformat()
    title = session.title
    try:
        services.delete_session(session, version=form.version.data)
    except RecordChanged:
        db.session.rollback()
        flash(_("Someone else changed this session meanwhile; check it before deleting."), "error")
        return _go(".edit_session", event, session_id=session_id)
    flash(_("“%(title)s” is removed from the schedule.", title=title), "success")
    return _go(".schedule", event, day=day)


def _event_session(event: Event, session_id: int) -> EventSession:
    session = db.session.get(EventSession, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    return session


# --- Floor plan -----------------------------------------------------------------------------


def _stand(event: Event, stand_id: int) -> Stand:
    stand = exhibitor_services.stand_of_event(event, stand_id)
    if stand is None:
        abort(404)
    return stand


def _floor_page(event: Event, *, errors: dict | None = None, status: int = 200):
    exhibitor_rows = db.session.execute(
        select(Exhibitor.name, Exhibitor.ref)
        .where(Exhibitor.event_id == event.id, Exhibitor.approval == "approved")
        .order_by(func.lower(Exhibitor.name))
    ).all()
    return render_template(
        "organiser/floor_plan.html",
        event=event,
        plans=floor_plan(event),
        halls=services.hall_figures(event),
        exhibitors=exhibitor_rows,
        errors=errors or {},
        typed=request.form,
    ), status


@bp.route(f"{PREFIX}/floor-plan/")
@organiser_page
def floor(event: Event):
    return _floor_page(event)


@bp.route(
    f"{PREFIX}/floor-plan/<int:stand_id>/<any(confirm, release, assign):action>", methods=["POST"]
)
@organiser_page
def stand_action(event: Event, stand_id: int, action: str):
    stand = _stand(event, stand_id)
    code = stand.ref
    if action == "assign":
        form = AssignForm()
        if not form.validate_on_submit():
            return _floor_page(
                event, errors={stand_id: _("Choose an exhibitor from the list.")}, status=422
            )
        exhibitor = _exhibitor_named(event, form.exhibitor.data)
        if exhibitor is None:
            return _floor_page(
                event, errors={stand_id: _("No approved exhibitor has that name.")}, status=422
            )
        try:
            services.assign_stand(event, stand, exhibitor)
        except (OrganiserError, exhibitor_services.StandUnavailable):
            db.session.rollback()
            flash(_("Stand %(code)s is no longer free.", code=code), "error")
        else:
            flash(
                _("Stand %(code)s is on hold for %(name)s.", code=code, name=exhibitor.name),
                "success",
            )
        return _go(".floor", event, anchor=f"stand-{stand_id}")
    if not DeleteForm().validate_on_submit():
        abort(400)
    try:
        if action == "confirm":
            exhibitor_services.confirm_stand(stand)
        else:
            exhibitor_services.release_stand(stand)
    except exhibitor_services.ExhibitorError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        if action == "confirm":
            flash(_("Stand %(code)s is confirmed.", code=code), "success")
        else:
            flash(_("Stand %(code)s is free again.", code=code), "success")
    return _go(".floor", event, anchor=f"stand-{stand_id}")


def _exhibitor_named(event: Event, text: str) -> Exhibitor | None:
    """The approved exhibitor the organiser picked: "Name (ref)", a ref, or an exact name."""
    text = text.strip()
    ref = text[text.rfind("(") + 1 : -1] if text.endswith(")") and "(" in text else text
    for clause in (Exhibitor.ref == ref, func.lower(Exhibitor.name) == text.lower()):
        found = (
            db.session.execute(
                select(Exhibitor).where(
                    Exhibitor.event_id == event.id, Exhibitor.approval == "approved", clause
                )
            )
            .scalars()
            .first()
        )
        if found is not None:
            return found
    return None


def _stand_form(event: Event, stand: Stand | None = None) -> StandForm:
    data = None
    if stand is not None:
        data = {
            "ref": stand.ref,
            "location": stand.location_id,
            "width_m": stand.width_m,
            "depth_m": stand.depth_m,
            "x_m": stand.x_m,
            "y_m": stand.y_m,
            "price": stand.price,
            "currency": stand.currency,
            "version": stand.version,
        }
    form = StandForm(data=data)
    form.location.choices = [(location.id, location.name) for location in event.locations]
    return form


@bp.route(f"{PREFIX}/floor-plan/new", methods=["GET", "POST"])
@bp.route(f"{PREFIX}/floor-plan/<int:stand_id>", methods=["GET", "POST"])
@organiser_page
def edit_stand(event: Event, stand_id: int | None = None):
    stand = _stand(event, stand_id) if stand_id is not None else None
    form = _stand_form(event, stand)
    current = None
    if request.method == "POST" and form.validate_on_submit():
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        details = services.StandDetails(
            ref=form.ref.data,
            location_id=form.location.data,
            width_m=form.width_m.data,
            depth_m=form.depth_m.data,
            x_m=form.x_m.data,
            y_m=form.y_m.data,
            price=form.price.data,
            currency=form.currency.data,
        )
        try:
            saved = services.save_stand(event, details, stand=stand, version=version)
        except RecordChanged as error:
            db.session.rollback()
            current = error.current
            form.version.data = str(current.version)
        except OrganiserError as error:
            db.session.rollback()
            target = getattr(form, error.field or "", None) or form.ref
            target.errors = [*target.errors, str(error.message)]
        else:
            flash(_("Stand %(code)s is saved.", code=saved.ref), "success")
            return _go(".floor", event, anchor=f"stand-{saved.id}")
    status = 200 if request.method == "GET" else (409 if current is not None else 422)
    return render_template(
        "organiser/stand_form.html", event=event, form=form, stand=stand, current=current
    ), status


# --- Event setup ----------------------------------------------------------------------------


@bp.route(f"{PREFIX}/setup/", methods=["GET", "POST"])
@organiser_page
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
        return _go(".event_setup", event)
    return _setup_page(event, details=details, status=422 if request.method == "POST" else 200)


def _setup_page(event: Event, *, status: int = 200, **forms: Any):
    details = forms.pop("details", None) or EventDetailsForm(obj=event, formdata=None)
    day_forms = {}
    for day in event.days:
        given = forms.pop(f"day-{day.id}", None)
        day_forms[day.id] = given or DayForm(
            formdata=None,
            prefix=f"day{day.id}",
            data={"kinds": day.kinds, "opens": day.opens, "closes": day.closes},
        )
    location_form = forms.pop("location", None) or LocationForm(formdata=None, prefix="loc")
    slots_form = forms.pop("slots", None) or SlotsForm(formdata=None, prefix="slots")
    tables_form = forms.pop("tables", None) or TablesForm(formdata=None, prefix="tables")
    tables_form.location.choices = [
        (location.id, location.name)
        for location in event.locations
        if location.kind == "meeting_area"
    ]
    event_form = forms.pop("new_event", None) or EventForm(formdata=None, prefix="new")
    _event_choices(event_form)
    return render_template(
        "organiser/setup.html",
        event=event,
        details=details,
        day_forms=day_forms,
        location_form=location_form,
        slots_form=slots_form,
        tables_form=tables_form,
        event_form=event_form,
        summary=setup.matchmaking_summary(event),
    ), status


def _event_choices(form: EventForm) -> None:
    form.copy_from.choices = [(None, _("Nothing: a blank event"))] + [
        (other.id, f"{other.name} ({other.start_date.year})")
        for other in setup.events_organised_by(current_user)
    ]


@bp.route(f"{PREFIX}/setup/days/<int:day_id>", methods=["POST"])
@organiser_page
def edit_day(event: Event, day_id: int):
    day = next((d for d in event.days if d.id == day_id), None)
    if day is None:
        abort(404)
    form = DayForm(prefix=f"day{day.id}")
    if form.validate_on_submit():
        setup.update_day(day, kinds=form.kinds.data, opens=form.opens.data, closes=form.closes.data)
        flash(_("%(day)s is saved.", day=day.date.isoformat()), "success")
        return _go(".event_setup", event, anchor=f"day-{day.id}")
    return _setup_page(event, status=422, **{f"day-{day.id}": form})


@bp.route(f"{PREFIX}/setup/locations", methods=["POST"])
@organiser_page
def add_location(event: Event):
    form = LocationForm(prefix="loc")
    if form.validate_on_submit():
        location = setup.add_location(
            event,
            name=form.name.data,
            kind=form.kind.data,
            capacity=form.capacity.data,
            restricted=form.restricted.data,
        )
        flash(_("%(name)s is added.", name=location.name), "success")
        return _go(".event_setup", event, anchor="locations")
    return _setup_page(event, status=422, location=form)


@bp.route(f"{PREFIX}/setup/locations/<int:location_id>", methods=["GET", "POST"])
@organiser_page
def edit_location(event: Event, location_id: int):
    location = next((place for place in event.locations if place.id == location_id), None)
    if location is None:
        abort(404)
    form = LocationForm(obj=location)
    if form.validate_on_submit():
        setup.update_location(
            location,
            name=form.name.data,
            kind=form.kind.data,
            capacity=form.capacity.data,
            restricted=form.restricted.data,
        )
        flash(_("%(name)s is saved.", name=location.name), "success")
        return _go(".event_setup", event, anchor="locations")
    return render_template(
        "organiser/location_form.html", event=event, location=location, form=form
    ), (422 if form.errors else 200)


@bp.route(f"{PREFIX}/setup/slots", methods=["POST"])
@organiser_page
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
        return _go(".event_setup", event, anchor="slots")
    return _setup_page(event, status=422, slots=form)


@bp.route(f"{PREFIX}/setup/tables", methods=["POST"])
@organiser_page
def add_tables(event: Event):
    form = TablesForm(prefix="tables")
    form.location.choices = [
        (location.id, location.name)
        for location in event.locations
        if location.kind == "meeting_area"
    ]
    if form.validate_on_submit():
        try:
            made = setup.add_tables(event, form.location.data, form.count.data, form.prefix.data)
        except OrganiserError as error:
            db.session.rollback()
            form.prefix.errors = [str(error.message)]
        else:
            flash(_("%(num)d tables added.", num=made), "success")
            return _go(".event_setup", event, anchor="tables")
    return _setup_page(event, status=422, tables=form)


@bp.route(f"{PREFIX}/setup/new-event", methods=["POST"])
@organiser_page
def create_event(event: Event):
    form = EventForm(prefix="new")
    _event_choices(form)
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
            db.session.rollback()
            target = getattr(form, error.field or "", None) or form.slug
            target.errors = [*target.errors, str(error.message)]
        else:
            flash(_("%(name)s is created.", name=created.name), "success")
            return redirect(url_for(".event_setup", slug=created.slug), code=303)
    return _setup_page(event, status=422, new_event=form)


# --- Automatic meeting scheduler ----------------------------------------------------------


@bp.route(f"{PREFIX}/scheduler/", methods=["GET", "POST"])
@organiser_page
def scheduler(event: Event):
    form = SchedulerForm()
    if form.validate_on_submit():
        token = planning.run_preview(
            event, user_id=current_user.id, time_limit=float(form.time_limit.data)
        )
        return _go(".scheduler_preview", event, token=token)
    return render_template(
        "organiser/scheduler.html",
        event=event,
        form=form,
        state=planning.matchmaking_state(event),
    ), (422 if form.errors else 200)


@bp.route(f"{PREFIX}/scheduler/<token>", methods=["GET", "POST"])
@organiser_page
def scheduler_preview(event: Event, token: str):
    preview = planning.load_preview(event, token, user_id=current_user.id)
    if preview is None:
        flash(_("This plan was applied, discarded or has expired. Run the scheduler again."))
        return _go(".scheduler", event)
    form = DeleteForm()  # only the CSRF token matters here
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("decision") == "discard":
            planning.discard_preview(token)
            flash(_("The plan is discarded; no meeting was written."), "success")
            return _go(".scheduler", event)
        try:
            written = planning.apply_preview(event, preview, token)
        except planning.PlanOutdated as error:
            flash(
                _(
                    "The meetings changed since this plan was made (%(num)d of its meetings "
                    "no longer fit). Nothing was written: run the scheduler again.",
                    num=error.count,
                ),
                "error",
            )
            return _go(".scheduler", event)
        except planning.PlanRejected:
            flash(
                _(
                    "The meetings changed while the plan was written. Nothing was "
                    "written: run the scheduler again."
                ),
                "error",
            )
            return _go(".scheduler", event)
        flash(
            ngettext(
                "%(num)d meeting is scheduled; the delegates and exhibitors see it now.",
                "%(num)d meetings are scheduled; the delegates and exhibitors see them now.",
                written,
            ),
            "success",
        )
        return _go(".scheduler", event)
    unplaced = preview["unplaced"]
    pages = max(1, -(-len(unplaced) // planning.UNPLACED_SHOWN))
    page = min(_page_number(), pages)
    start = (page - 1) * planning.UNPLACED_SHOWN
    return render_template(
        "organiser/scheduler_preview.html",
        event=event,
        form=form,
        token=token,
        plan=preview,
        slot_days=planning.slots_by_day(preview["slots"]),
        unplaced=unplaced[start : start + planning.UNPLACED_SHOWN],
        unplaced_from=start,
        page=page,
        pages=pages,
    )


# --- Audit log ------------------------------------------------------------------------------


@bp.route(f"{PREFIX}/audit/")
@organiser_page
def audit(event: Event):
    wanted = services.AuditQuery(
        entity=request.args.get("entity", "")[:40],
        action=request.args.get("action", "")[:40],
        page=_page_number(),
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
