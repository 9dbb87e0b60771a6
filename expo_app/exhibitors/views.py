"""The exhibitor portal, under /e/<slug>/exhibitor/: registration, the account's status,
stand booking on the floor plan, profile, staff, demo requests and meetings.

Every route goes through the one request path (`web.rh.event_page`): it resolves the
event, admits the exhibitor (or anyone, for registration and logos), commits a write that
succeeded and rolls back the rest. Views parse the form, call a service, render or
redirect; the rules are in `exhibitors.services` and matchmaking's booking."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from babel import dates as babel_dates
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from expo_app.badges.services import gets_badge
from expo_app.countries import country_name
from expo_app.errors import DomainError, field_error
from expo_app.events.models import Event
from expo_app.exhibitors import services
from expo_app.exhibitors.floorplan import floor_plan
from expo_app.exhibitors.forms import (
    CapacityForm,
    CompanyForm,
    DemoRequestForm,
    MeetingRequestForm,
    ProfileForm,
    RegistrationForm,
    RespondForm,
    StaffForm,
    country_choices,
)
from expo_app.exhibitors.models import DemoRequest, Exhibitor, Stand
from expo_app.exhibitors.services import (
    DETAIL_FIELDS,
    CompanyDetails,
    LogoRejected,
    Registrant,
    parse_sectors,
)
from expo_app.matchmaking import booking
from expo_app.matchmaking.agenda import agenda
from expo_app.matchmaking.agenda import agenda_ics as agenda_calendar
from expo_app.matchmaking.booking import BookingError, RequestClosed
from expo_app.matchmaking.models import Meeting, MeetingRequest, Side
from expo_app.matchmaking.queries import slot_of_event
from expo_app.templating import formatting_locale
from expo_app.web.access import APPROVED_EXHIBITOR, EXHIBITOR, PUBLIC
from expo_app.web.once import first_send, sent_already
from expo_app.web.params import arg_int, int_list
from expo_app.web.rh import event_page, of_event
from expo_app.web.throttles import registration_received, registration_throttle

bp = Blueprint("exhibitor_portal", __name__)

PREFIX = "/e/<slug>/exhibitor"


def _go(endpoint: str, event: Event, anchor: str | None = None, **values: Any):
    url = url_for(endpoint, slug=event.slug, **values)
    return redirect(url + (f"#{anchor}" if anchor else ""), code=303)


def _rendered(template: str, form=None, **context: Any):
    status = 422 if form is not None and form.errors else 200
    return render_template(template, form=form, **context), status


def _refused(form, error: DomainError, default_field: str) -> None:
    """A service's refusal next to its field (or next to `default_field`)."""
    field_error(form, error, error.field or default_field)


# --- Registration and the account's status ---------------------------------------------


def _details(form: CompanyForm) -> CompanyDetails:
    typed = {name: getattr(form, name).data for name in DETAIL_FIELDS}
    return CompanyDetails(**typed, sectors=parse_sectors(form.sectors.data))


def _uploaded_logo(form: CompanyForm) -> bytes | None:
    """The checked, re-encoded logo, or None; a refusal goes next to the field."""
    upload = form.logo.data
    if not isinstance(upload, FileStorage) or not upload.filename:
        return None
    try:
        return services.prepare_logo(upload.stream)
    except LogoRejected as error:
        form.logo.errors.append(str(error))
        return None


def _logo_not_kept(form: CompanyForm) -> None:
    """A form sent back with errors does not keep its file: say so next to the field."""
    if form.errors and form.logo.data and not form.logo.errors:
        form.logo.errors.append(_("For your safety the file was not kept: choose it again."))


def _register(event: Event, who: Registrant, form: CompanyForm) -> Exhibitor | bool:
    """The registration the form asks for; True when a visitor's registration is received
    (a new account, or a known email: the same answer); False with the refusals next to
    the fields."""
    logo = _uploaded_logo(form)
    if form.errors:
        return False
    try:
        exhibitor = services.register_exhibitor(
            event,
            _details(form),
            email=form.email.data if who.new_account else None,
            password=form.password.data if who.new_account else None,
            user=who.user,
            logo=logo,
        )
    except DomainError as error:
        _refused(form, error, "name")
        return False
    return True if who.new_account else exhibitor


@bp.route(f"{PREFIX}/register", methods=["GET", "POST"])
@registration_throttle
@event_page(PUBLIC)
def register(event: Event):
    """Visitors and exhibitor accounts without a company here; the service says who may."""
    who = services.registrant(current_user, event)
    if not who.may_register:
        return render_template("exhibitors/register.html", event=event, form=None), 403
    if who.exhibitor is not None:
        return redirect(url_for(".dashboard", slug=event.slug))
    form = RegistrationForm() if who.new_account else CompanyForm()
    if form.validate_on_submit():
        exhibitor = _register(event, who, form)
        if exhibitor is True:  # no automatic sign-in: it would tell new and known apart
            return registration_received(url_for(".dashboard", slug=event.slug))
        if exhibitor:
            message = _(
                "Thank you: %(name)s is registered and waits for the organiser's approval.",
                name=exhibitor.name,
            )
            flash(message, "success")
            return _go(".dashboard", event)
    _logo_not_kept(form)
    return _rendered("exhibitors/register.html", form=form, event=event)


@bp.route(f"{PREFIX}/")
@event_page(EXHIBITOR)
def dashboard(event: Event, exhibitor: Exhibitor):
    return render_template(
        "exhibitors/dashboard.html",
        event=event,
        exhibitor=exhibitor,
        summary=services.dashboard_summary(exhibitor, event),
    )


# --- Stand booking on the floor plan -----------------------------------------------------


def _stand_page(event: Event, exhibitor: Exhibitor, *, error: str | None = None, status=200):
    return render_template(
        "exhibitors/stand.html",
        event=event,
        exhibitor=exhibitor,
        plans=floor_plan(event, viewer=exhibitor),
        mine=services.held_stands(exhibitor),
        hold=services.current_hold(exhibitor),
        error=error,
    ), status


@bp.route(f"{PREFIX}/stand")
@event_page(EXHIBITOR)
def stand(event: Event, exhibitor: Exhibitor):
    return _stand_page(event, exhibitor)


@bp.route(f"{PREFIX}/stand/reserve", methods=["POST"])
@event_page(APPROVED_EXHIBITOR)
def reserve(event: Event, exhibitor: Exhibitor):
    stand_id = arg_int(request.form, "stand_id", missing=400, invalid=400)
    try:
        held = services.hold_stand(exhibitor, stand_id)
    except DomainError as error:  # taken meanwhile (the message names it), or not allowed
        return _stand_page(event, exhibitor, error=str(error), status=409)
    flash(
        _("Stand %(code)s is on hold for you until the organiser confirms it.", code=held.ref),
        "success",
    )
    return _go(".stand", event, anchor=f"stand-{held.id}")


@bp.route(f"{PREFIX}/stand/<int:stand_id>/cancel", methods=["POST"])
@event_page(APPROVED_EXHIBITOR)
def cancel_stand(event: Event, exhibitor: Exhibitor, stand_id: int):
    held = of_event(Stand, stand_id, event, exhibitor_id=exhibitor.id)
    code = held.ref
    try:
        services.cancel_hold(exhibitor, held.id)
    except DomainError as error:
        return _stand_page(event, exhibitor, error=str(error), status=409)
    flash(_("Your hold on stand %(code)s is cancelled.", code=code), "success")
    return _go(".stand", event)


# --- Profile, catalogue preview, logo ---------------------------------------------------


def _profile_data(exhibitor: Exhibitor) -> dict:
    saved = {name: getattr(exhibitor, name) for name in DETAIL_FIELDS}
    return {**saved, "sectors": ", ".join(exhibitor.sector_names)}


def logo_url(exhibitor: Exhibitor) -> str | None:
    if not exhibitor.logo_path:
        return None
    version = exhibitor.logo_path.rsplit("-", 1)[-1].split(".")[0]
    return url_for("exhibitor_portal.logo", slug=exhibitor.event.slug, ref=exhibitor.ref, v=version)


def _preview(exhibitor: Exhibitor, form: ProfileForm | None = None) -> SimpleNamespace:
    """What delegates will see: the saved entry, or the form's unsaved text."""
    if form is None:
        details = _profile_data(exhibitor)
        details["sectors"] = exhibitor.sector_names
    else:
        details = {name: getattr(form, name).data for name in _profile_data(exhibitor)}
        details["sectors"] = parse_sectors(form.sectors.data)
    return SimpleNamespace(
        **details,
        ref=exhibitor.ref,
        logo=logo_url(exhibitor),
        stands=services.held_stands(exhibitor),
    )


@bp.route(f"{PREFIX}/profile", methods=["GET", "POST"])
@event_page(EXHIBITOR)
def profile(event: Event, exhibitor: Exhibitor):
    form = ProfileForm(data=_profile_data(exhibitor) if request.method == "GET" else None)
    valid = form.validate_on_submit()
    previewing = valid and request.form.get("action") == "preview"
    if valid and not previewing:
        logo = _uploaded_logo(form)
        if not form.errors:
            services.update_profile(
                exhibitor, _details(form), logo=logo, remove_logo=form.remove_logo.data
            )
            flash(_("Your profile is saved."), "success")
            return _go(".profile", event, anchor="preview")
    _logo_not_kept(form)
    return _rendered(
        "exhibitors/profile.html",
        form=form,
        event=event,
        exhibitor=exhibitor,
        preview=_preview(exhibitor, form if previewing else None),
        previewing=previewing,
    )


@bp.route(f"{PREFIX}/logos/<ref>")
@event_page(PUBLIC)
def logo(event: Event, ref: str):
    """A logo: public once approved; before, its owner and organisers (the service says)."""
    name = services.visible_logo(event, ref, current_user)
    if name is None:
        abort(404)
    response = send_from_directory(services.logo_folder(), name, mimetype="image/png", max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- Staff -----------------------------------------------------------------------------


@bp.route(f"{PREFIX}/staff", methods=["GET", "POST"])
@event_page(APPROVED_EXHIBITOR)
def staff(event: Event, exhibitor: Exhibitor):
    form = StaffForm()
    if form.validate_on_submit():
        if not first_send(form):
            return sent_already(_go(".staff", event))
        try:
            person = services.add_staff(
                exhibitor,
                name=form.name.data,
                email=form.email.data,
                title=form.title.data,
                country=form.country.data,
            )
        except DomainError as error:
            _refused(form, error, "name")
        else:
            message = _("%(name)s is on your staff, waiting for accreditation.", name=person.name)
            flash(message, "success")
            return _go(".staff", event)
    people = services.staff_of(exhibitor)
    return _rendered(
        "exhibitors/staff.html",
        form=form,
        event=event,
        exhibitor=exhibitor,
        people=people,
        badges_ready=any(gets_badge(person) for person in people),
        used=services.badges_used(exhibitor),
        allowance=services.badge_allowance(exhibitor, event),
        area=services.total_stand_area(exhibitor),
    )


@bp.route(f"{PREFIX}/staff/<int:participant_id>/remove", methods=["POST"])
@event_page(APPROVED_EXHIBITOR)
def remove_staff(event: Event, exhibitor: Exhibitor, participant_id: int):
    person = services.staff_member(exhibitor, participant_id)
    if person is None:
        abort(404)
    name = person.name
    services.remove_staff(exhibitor, person)
    flash(_("%(name)s is no longer on your staff.", name=name), "success")
    return _go(".staff", event)


# --- Demo slot requests -------------------------------------------------------------------


def _demo_form(event: Event) -> DemoRequestForm:
    locale = formatting_locale()
    days = [
        (day.date.isoformat(), babel_dates.format_date(day.date, "full", locale=locale))
        for day in services.demo_days(event)
    ]
    delegations, wanted = services.demo_audience(event)
    return DemoRequestForm(
        days=days,
        delegations=[(d.id, f"{d.name} ({country_name(d.country)})") for d in delegations],
        countries=[(code, name) for code, name in country_choices() if code in wanted],
    )


@bp.route(f"{PREFIX}/demos", methods=["GET", "POST"])
@event_page(APPROVED_EXHIBITOR)
def demos(event: Event, exhibitor: Exhibitor):
    form = _demo_form(event)
    if form.validate_on_submit():
        if not first_send(form):
            return sent_already(_go(".demos", event))
        preferred = form.preferred_date.data
        try:
            services.request_demo(
                exhibitor,
                title=form.title.data,
                description=form.description.data,
                duration_min=form.duration.data,
                equipment=form.equipment.data,
                preferred_date=date.fromisoformat(preferred) if preferred else None,
                delegation_ids=form.delegations.data,
                countries=form.countries.data,
            )
        except DomainError as error:
            _refused(form, error, "title")
        else:
            flash(_("Your demo request is sent to the organiser."), "success")
            return _go(".demos", event)
    return _rendered(
        "exhibitors/demos.html",
        form=form,
        event=event,
        exhibitor=exhibitor,
        requests=services.demo_requests_of(exhibitor),
    )


@bp.route(f"{PREFIX}/demos/<int:demo_id>/withdraw", methods=["POST"])
@event_page(APPROVED_EXHIBITOR)
def withdraw_demo(event: Event, exhibitor: Exhibitor, demo_id: int):
    demo = of_event(DemoRequest, demo_id, event, exhibitor_id=exhibitor.id)
    try:
        services.withdraw_demo(demo)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("The demo request is withdrawn."), "success")
    return _go(".demos", event)


# --- Meetings: capacity, availability, requests, agenda ------------------------------------


def _who() -> str:
    """The delegate search typed on the meetings page."""
    return (request.values.get("who") or "").strip()[:100]


def _request_form(event: Event, query: str, **kwargs: Any) -> MeetingRequestForm:
    form = MeetingRequestForm(**kwargs)
    form.target.choices = services.request_choices(event, query)
    return form


def _meetings_page(
    event: Event,
    exhibitor: Exhibitor,
    *,
    capacity_form: CapacityForm | None = None,
    request_form: MeetingRequestForm | None = None,
    error: str | None = None,
    status: int = 200,
):
    query = _who()
    request_form = request_form or _request_form(event, query, formdata=None)
    matches = next(iter(request_form.target.choices.values()), []) if query else []
    if matches and not request_form.target.data:
        request_form.target.data = matches[0][0]  # the first person found, ready to ask
    return render_template(
        "exhibitors/meetings.html",
        event=event,
        exhibitor=exhibitor,
        side=Side.EXHIBITOR,
        priority_label=services.priority_label,
        capacity_form=capacity_form
        or CapacityForm(formdata=None, data={"capacity": exhibitor.meeting_capacity}),
        request_form=request_form,
        incoming=services.incoming_requests(exhibitor),
        waiting=services.requests_waiting_for_a_time(exhibitor),
        sent=services.sent_requests(exhibitor),
        slot_days=services.slot_states(event, exhibitor),
        agenda_days=agenda(event, exhibitor=exhibitor),
        query=query,
        matches=len(matches),
        error=error,
    ), status


@bp.route(f"{PREFIX}/meetings")
@event_page(APPROVED_EXHIBITOR)
def meetings(event: Event, exhibitor: Exhibitor):
    return _meetings_page(event, exhibitor)


@bp.route(f"{PREFIX}/meetings/capacity", methods=["POST"])
@event_page(APPROVED_EXHIBITOR)
def capacity(event: Event, exhibitor: Exhibitor):
    form = CapacityForm()
    if form.validate_on_submit():
        try:
            services.set_meeting_capacity(exhibitor, form.capacity.data)
        except DomainError as error:
            _refused(form, error, "capacity")
        else:
            message = _("You take up to %(num)s meetings at the same time.", num=form.capacity.data)
            flash(message, "success")
            return _go(".meetings", event, anchor="capacity-form")
    return _meetings_page(event, exhibitor, capacity_form=form, status=422)


def _ids(name: str) -> set[int]:
    return set(int_list(request.form.getlist(name)))


@bp.route(f"{PREFIX}/meetings/availability", methods=["POST"])
@event_page(APPROVED_EXHIBITOR)
def availability(event: Event, exhibitor: Exhibitor):
    try:
        services.save_availability(event, exhibitor, shown=_ids("shown"), blocked=_ids("blocked"))
    except booking.AvailabilityRefused as refusal:
        for problem in refusal.problems:
            flash(problem, "error")
        return _meetings_page(event, exhibitor, status=409)
    flash(_("Your availability is saved."), "success")
    return _go(".meetings", event, anchor="availability")


def _own_request(event: Event, exhibitor: Exhibitor, request_id: int) -> MeetingRequest:
    """One of this exhibitor's requests at this event; another's is not found (404)."""
    return of_event(MeetingRequest, request_id, event, exhibitor_id=exhibitor.id)


@bp.route(f"{PREFIX}/meetings/requests/<int:request_id>/respond", methods=["POST"])
@event_page(APPROVED_EXHIBITOR)
def respond(event: Event, exhibitor: Exhibitor, request_id: int):
    wish = _own_request(event, exhibitor, request_id)
    form = RespondForm()
    decision = request.form.get("decision")
    if decision not in ("accept", "decline") or not form.validate_on_submit():
        message = _("Choose to accept or decline the request.")
        return _meetings_page(event, exhibitor, error=message, status=422)
    accept, name = decision == "accept", wish.delegate.name
    try:
        booking.respond_to_request(
            wish, by=Side.EXHIBITOR, accept=accept, message=form.message.data
        )
    except RequestClosed as closed:  # answered or withdrawn meanwhile: say so, no error
        flash(str(closed), "error")
        return _go(".meetings", event, anchor="incoming")
    except BookingError as refused:  # not this side's to answer (its own invitation)
        return _meetings_page(event, exhibitor, error=str(refused), status=409)
    if not accept:
        flash(_("You declined the request of %(name)s.", name=name), "success")
        return _go(".meetings", event, anchor="incoming")
    flash(
        _("You accepted to meet %(name)s. Choose a time now, or let them pick one.", name=name),
        "success",
    )
    return _go(".schedule", event, request_id=wish.id)


def _book(event: Event, exhibitor: Exhibitor, wish: MeetingRequest):
    """Book the chosen slot: (meeting, None, 200), or (None, why, status) when refused."""
    slot = slot_of_event(event, arg_int(request.form, "slot_id"))
    if slot is None:
        return None, _("Choose one of the free times."), 422
    try:
        meeting = booking.book_meeting(
            event,
            delegate=wish.delegate,
            exhibitor=exhibitor,
            slot=slot,
            by=Side.EXHIBITOR,
            request=wish,
        )
    except BookingError as refused:  # taken meanwhile, or not the exhibitor's to book
        return None, str(refused), 409
    return meeting, None, 200


@bp.route(f"{PREFIX}/meetings/requests/<int:request_id>/schedule", methods=["GET", "POST"])
@event_page(APPROVED_EXHIBITOR)
def schedule(event: Event, exhibitor: Exhibitor, request_id: int):
    wish = _own_request(event, exhibitor, request_id)
    error, status = None, 200
    if request.method == "POST":
        meeting, error, status = _book(event, exhibitor, wish)
        if meeting is not None:
            flash(
                _("The meeting with %(name)s is in your agenda.", name=wish.delegate.name),
                "success",
            )
            return _go(".meetings", event, anchor=f"meeting-{meeting.id}")
    return render_template(
        "exhibitors/schedule.html",
        event=event,
        exhibitor=exhibitor,
        wish=wish,
        bookable=wish.bookable_by(Side.EXHIBITOR),
        awaiting=wish.awaits_answer_from(Side.EXHIBITOR),
        options=services.schedule_options(event, exhibitor, wish),
        error=error,
    ), status


@bp.route(f"{PREFIX}/meetings/request", methods=["POST"])
@event_page(APPROVED_EXHIBITOR)
def request_meeting(event: Event, exhibitor: Exhibitor):
    form = _request_form(event, _who())
    if form.validate_on_submit():
        if not first_send(form):
            return sent_already(_go(".meetings", event, anchor="sent"))
        person = services.meeting_target(event, form.target.data)
        if person is None:
            form.target.errors.append(_("Choose a delegation or a delegate of this event."))
        else:
            try:
                booking.send_request(
                    event,
                    delegate=person,
                    exhibitor=exhibitor,
                    requested_by=Side.EXHIBITOR,
                    message=form.message.data,
                    priority=form.priority.data,
                )
            except BookingError as error:
                form.target.errors.append(str(error))
            else:
                flash(_("Your request is sent to %(name)s.", name=person.name), "success")
                return _go(".meetings", event, anchor="sent")
    return _meetings_page(event, exhibitor, request_form=form, status=422)


@bp.route(f"{PREFIX}/meetings/requests/<int:request_id>/cancel", methods=["POST"])
@event_page(APPROVED_EXHIBITOR)
def cancel_request(event: Event, exhibitor: Exhibitor, request_id: int):
    wish = _own_request(event, exhibitor, request_id)
    try:
        booking.cancel_request(wish, by=Side.EXHIBITOR)
    except BookingError as error:
        flash(str(error), "error")
    else:
        flash(_("The request is cancelled."), "success")
    return _go(".meetings", event, anchor="sent")


@bp.route(f"{PREFIX}/meetings/<int:meeting_id>/cancel", methods=["POST"])
@event_page(APPROVED_EXHIBITOR)
def cancel_meeting(event: Event, exhibitor: Exhibitor, meeting_id: int):
    meeting = of_event(Meeting, meeting_id, event, exhibitor_id=exhibitor.id)
    try:
        booking.cancel_meeting(meeting)
    except BookingError as error:
        flash(str(error), "error")
    else:
        flash(
            _("The meeting is cancelled; the request stays accepted and waits for a new time."),
            "success",
        )
    return _go(".meetings", event, anchor="agenda")


@bp.route(f"{PREFIX}/meetings/agenda.ics")
@event_page(APPROVED_EXHIBITOR)
def agenda_ics(event: Event, exhibitor: Exhibitor):
    return Response(
        agenda_calendar(event, exhibitor=exhibitor),
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="{event.slug}-{exhibitor.ref}.ics"',
            "Cache-Control": "private, no-store",
        },
    )
