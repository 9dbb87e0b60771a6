"""The exhibitor portal, under /e/<slug>/exhibitor/: registration, the account's status,
stand booking on the floor plan, profile, staff, demo requests and meetings; plus the
organiser's minimal review pages (approve, confirm or release a stand, place a demo)
until the organiser workspace takes them over."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
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
from flask_login import current_user, login_user
from werkzeug.datastructures import FileStorage

from expo_app.accounts.models import User
from expo_app.accounts.permissions import exhibitor_of, is_organiser_of
from expo_app.accounts.services import AccountError, find_user_by_email
from expo_app.badges.services import gets_badge
from expo_app.countries import country_name
from expo_app.delegations.models import Delegation, Participant
from expo_app.events.models import Event, Location
from expo_app.events.services import event_or_404
from expo_app.exhibitors import services
from expo_app.exhibitors.floorplan import floor_plan
from expo_app.exhibitors.forms import (
    CapacityForm,
    CompanyForm,
    DemoRequestForm,
    MeetingRequestForm,
    PlaceDemoForm,
    ProfileForm,
    RegistrationForm,
    RespondForm,
    ReviewForm,
    StaffForm,
    country_choices,
)
from expo_app.exhibitors.models import DemoRequest, Exhibitor, Stand
from expo_app.exhibitors.services import (
    CompanyDetails,
    ExhibitorError,
    LogoRejected,
    StandUnavailable,
    parse_sectors,
)
from expo_app.extensions import db, login_manager
from expo_app.matchmaking import booking
from expo_app.matchmaking.booking import BookingError, SlotTaken
from expo_app.templating import formatting_locale

bp = Blueprint("exhibitor_portal", __name__)

PREFIX = "/e/<slug>/exhibitor"


# --- The one path every portal request takes ---------------------------------------------


def _in_transaction(view: Callable, *args: Any, **kwargs: Any) -> Any:
    """Run the view, commit what its services wrote, roll back on any error."""
    try:
        response = view(*args, **kwargs)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return response


def exhibitor_page(*, approved_only: bool = False) -> Callable:
    """Signed-in exhibitor with a company at this event; the view gets (event, exhibitor).

    Another role gets 403; an exhibitor account without a company here is sent to the
    registration; a company not approved yet is sent back to its dashboard when the page
    needs approval (stand booking, staff, demos, meetings).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(slug: str, **kwargs: Any) -> Any:
            event = event_or_404(slug)
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role != "exhibitor":
                abort(403)
            exhibitor = exhibitor_of(current_user, event.id)
            if exhibitor is None:
                return redirect(url_for(".register", slug=slug))
            if approved_only and exhibitor.approval != "approved":
                flash(_("This page opens once the organiser has approved your company."), "info")
                return redirect(url_for(".dashboard", slug=slug))
            return _in_transaction(view, event, exhibitor, **kwargs)

        return wrapped

    return decorator


def organiser_page(view: Callable) -> Callable:
    """Signed-in organiser of this event; the view gets (event)."""

    @wraps(view)
    def wrapped(slug: str, **kwargs: Any) -> Any:
        event = event_or_404(slug)
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not is_organiser_of(current_user, event.id):
            abort(403)
        return _in_transaction(view, event, **kwargs)

    return wrapped


def _go(endpoint: str, event: Event, anchor: str | None = None, **values: Any):
    url = url_for(endpoint, slug=event.slug, **values)
    return redirect(url + (f"#{anchor}" if anchor else ""), code=303)


def _owned(obj: Any, exhibitor: Exhibitor) -> Any:
    """Another exhibitor's things are not found: guessing an id tells nothing."""
    if obj is None or getattr(obj, "exhibitor_id", None) != exhibitor.id:
        abort(404)
    return obj


# --- Registration and the account's status ---------------------------------------------


def _details(form: CompanyForm) -> CompanyDetails:
    return CompanyDetails(
        name=form.name.data,
        country=form.country.data,
        sectors=parse_sectors(form.sectors.data),
        description=form.description.data,
        description_fr=form.description_fr.data,
        website=form.website.data,
        contact_name=form.contact_name.data,
        contact_email=form.contact_email.data,
        contact_phone=form.contact_phone.data,
    )


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


def _rendered(template: str, form=None, **context: Any):
    status = 422 if form is not None and form.errors else 200
    return render_template(template, form=form, **context), status


@bp.route(f"{PREFIX}/register", methods=["GET", "POST"])
def register(slug: str):
    event = event_or_404(slug)
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if user is not None and user.role != "exhibitor":
        return render_template("exhibitors/register.html", event=event, form=None), 403
    if user is not None and exhibitor_of(user, event.id) is not None:
        return redirect(url_for(".dashboard", slug=slug))
    form = CompanyForm() if user is not None else RegistrationForm()
    if form.validate_on_submit():
        logo = _uploaded_logo(form)
        if user is None and find_user_by_email(form.email.data) is not None:
            form.email.errors.append(
                _("An account with this email exists already: sign in, then register.")
            )
        if not form.errors:
            try:
                exhibitor = services.register_exhibitor(
                    event,
                    _details(form),
                    email=None if user else form.email.data,
                    password=None if user else form.password.data,
                    user=user,
                    logo=logo,
                )
                account = db.session.get(User, exhibitor.user_id)
                db.session.commit()
            except (AccountError, ExhibitorError) as error:
                db.session.rollback()
                if isinstance(error, AccountError) and user is None:
                    form.email.errors.append(
                        _("An account with this email exists already: sign in, then register.")
                    )
                else:
                    form.name.errors.append(str(error))
            else:
                if user is None:
                    login_user(account)
                message = _(
                    "Thank you: %(name)s is registered and waits for the organiser's approval.",
                    name=exhibitor.name,
                )
                flash(message, "success")
                return redirect(url_for(".dashboard", slug=slug), code=303)
    if form.errors and form.logo.data and not form.logo.errors:
        form.logo.errors.append(_("For your safety the file was not kept: choose it again."))
    return _rendered("exhibitors/register.html", form=form, event=event)


@bp.route(f"{PREFIX}/")
@exhibitor_page()
def dashboard(event: Event, exhibitor: Exhibitor):
    summary = SimpleNamespace(stands=[], staff=0, allowance=0, demos=0, incoming=0, meetings=0)
    if exhibitor.approval == "approved":
        summary.stands = services.held_stands(exhibitor)
        summary.staff = services.badges_used(exhibitor)
        summary.allowance = services.badge_allowance(exhibitor, event)
        summary.demos = len(services.demo_requests_of(exhibitor))
        summary.__dict__.update(services.matchmaking_summary(exhibitor))
    return render_template(
        "exhibitors/dashboard.html", event=event, exhibitor=exhibitor, summary=summary
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
@exhibitor_page()
def stand(event: Event, exhibitor: Exhibitor):
    return _stand_page(event, exhibitor)


@bp.route(f"{PREFIX}/stand/reserve", methods=["POST"])
@exhibitor_page(approved_only=True)
def reserve(event: Event, exhibitor: Exhibitor):
    stand_id = request.form.get("stand_id", type=int)
    if stand_id is None:
        abort(400)
    try:
        held = services.hold_stand(exhibitor, stand_id)
    except StandUnavailable:
        taken = db.session.get(Stand, stand_id)
        code = taken.ref if taken is not None and taken.event_id == event.id else "?"
        message = _(
            "Sorry, stand %(code)s has just been taken by another exhibitor. The plan below "
            "is up to date: please choose another stand.",
            code=code,
        )
        return _stand_page(event, exhibitor, error=message, status=409)
    except ExhibitorError as error:
        return _stand_page(event, exhibitor, error=str(error), status=409)
    flash(
        _("Stand %(code)s is on hold for you until the organiser confirms it.", code=held.ref),
        "success",
    )
    return _go(".stand", event, anchor=f"stand-{held.id}")


@bp.route(f"{PREFIX}/stand/<int:stand_id>/cancel", methods=["POST"])
@exhibitor_page(approved_only=True)
def cancel_stand(event: Event, exhibitor: Exhibitor, stand_id: int):
    held = services.stand_of_event(event, stand_id)
    if held is None or held.exhibitor_id != exhibitor.id:
        abort(404)
    code = held.ref
    try:
        services.cancel_hold(exhibitor, stand_id)
    except ExhibitorError as error:
        return _stand_page(event, exhibitor, error=str(error), status=409)
    flash(_("Your hold on stand %(code)s is cancelled.", code=code), "success")
    return _go(".stand", event)


# --- Profile, catalogue preview, logo ---------------------------------------------------


def _profile_data(exhibitor: Exhibitor) -> dict:
    return {
        "name": exhibitor.name,
        "country": exhibitor.country,
        "sectors": ", ".join(exhibitor.sector_names),
        "description": exhibitor.description,
        "description_fr": exhibitor.description_fr,
        "website": exhibitor.website,
        "contact_name": exhibitor.contact_name,
        "contact_email": exhibitor.contact_email,
        "contact_phone": exhibitor.contact_phone,
    }


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
@exhibitor_page()
def profile(event: Event, exhibitor: Exhibitor):
    form = ProfileForm(data=_profile_data(exhibitor) if request.method == "GET" else None)
    previewing = False
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            previewing = True
        else:
            logo = _uploaded_logo(form)
            if not form.errors:
                services.update_profile(
                    exhibitor, _details(form), logo=logo, remove_logo=form.remove_logo.data
                )
                flash(_("Your profile is saved."), "success")
                return _go(".profile", event, anchor="preview")
    if form.errors and form.logo.data and not form.logo.errors:
        form.logo.errors.append(_("For your safety the file was not kept: choose it again."))
    return _rendered(
        "exhibitors/profile.html",
        form=form,
        event=event,
        exhibitor=exhibitor,
        preview=_preview(exhibitor, form if previewing else None),
        previewing=previewing,
    )


@bp.route(f"{PREFIX}/logos/<ref>")
def logo(slug: str, ref: str):
    """A logo: public once the exhibitor is approved; before, only its owner and organisers."""
    event = event_or_404(slug)
    found = services.exhibitor_of_event(event, ref)
    if found is None or not found.logo_path:
        abort(404)
    if found.approval != "approved":
        own = current_user.is_authenticated and found.user_id == current_user.id
        if not (own or is_organiser_of(current_user, event.id)):
            abort(404)
    response = send_from_directory(
        services.logo_folder(), found.logo_path, mimetype="image/png", max_age=3600
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- Staff -----------------------------------------------------------------------------


@bp.route(f"{PREFIX}/staff", methods=["GET", "POST"])
@exhibitor_page(approved_only=True)
def staff(event: Event, exhibitor: Exhibitor):
    form = StaffForm()
    if form.validate_on_submit():
        try:
            person = services.add_staff(
                exhibitor,
                name=form.name.data,
                email=form.email.data,
                title=form.title.data,
                country=form.country.data,
            )
        except ExhibitorError as error:
            db.session.rollback()
            (getattr(form, error.field) if error.field else form.name).errors.append(str(error))
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
@exhibitor_page(approved_only=True)
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
    demo_days = [day for day in event.days if day.has_kind("demo")] or list(event.days)
    days = [
        (
            day.date.isoformat(),
            babel_dates.format_date(day.date, "full", locale=formatting_locale()),
        )
        for day in demo_days
    ]
    delegations, wanted = services.demo_audience(event)
    countries = [(code, name) for code, name in country_choices() if code in wanted]
    return DemoRequestForm(
        days=days,
        delegations=[(d.id, f"{d.name} ({country_name(d.country)})") for d in delegations],
        countries=countries,
    )


@bp.route(f"{PREFIX}/demos", methods=["GET", "POST"])
@exhibitor_page(approved_only=True)
def demos(event: Event, exhibitor: Exhibitor):
    form = _demo_form(event)
    if form.validate_on_submit():
        try:
            services.request_demo(
                exhibitor,
                title=form.title.data,
                description=form.description.data,
                duration_min=form.duration.data,
                equipment=form.equipment.data,
                preferred_date=(
                    date.fromisoformat(form.preferred_date.data)
                    if form.preferred_date.data
                    else None
                ),
                delegation_ids=form.delegations.data,
                countries=form.countries.data,
            )
        except ExhibitorError as error:
            db.session.rollback()
            (getattr(form, error.field) if error.field else form.title).errors.append(str(error))
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
@exhibitor_page(approved_only=True)
def withdraw_demo(event: Event, exhibitor: Exhibitor, demo_id: int):
    demo = services.demo_request_of(exhibitor, demo_id)
    if demo is None:
        abort(404)
    try:
        services.withdraw_demo(demo)
    except ExhibitorError as error:
        flash(str(error), "error")
    else:
        flash(_("The demo request is withdrawn."), "success")
    return _go(".demos", event)


# --- Organiser review (until the organiser workspace takes these over) --------------------


@bp.route(f"{PREFIX}/review/")
@organiser_page
def review(event: Event):
    return render_template(
        "exhibitors/review.html",
        event=event,
        waiting=services.exhibitors_awaiting_approval(event),
        holds=services.stands_on_hold(event),
        demo_requests=services.pending_demo_requests(event),
        zones=services.demo_zones(event),
    )


@bp.route(f"{PREFIX}/review/exhibitors/<int:exhibitor_id>", methods=["POST"])
@organiser_page
def decide(event: Event, exhibitor_id: int):
    found = db.session.get(Exhibitor, exhibitor_id)
    if found is None or found.event_id != event.id:
        abort(404)
    form = ReviewForm()
    decision = request.form.get("decision")
    if decision not in ("approve", "reject") or not form.validate_on_submit():
        abort(400)
    services.approve_exhibitor(found, approve=decision == "approve", note=form.note.data)
    if decision == "approve":
        flash(_("%(name)s is approved.", name=found.name), "success")
    else:
        flash(_("%(name)s is rejected.", name=found.name), "success")
    return _go(".review", event)


def _event_stand(event: Event, stand_id: int) -> Stand:
    found = services.stand_of_event(event, stand_id)
    if found is None:
        abort(404)
    return found


@bp.route(f"{PREFIX}/review/stands/<int:stand_id>/confirm", methods=["POST"])
@organiser_page
def confirm(event: Event, stand_id: int):
    found = _event_stand(event, stand_id)
    code = found.ref
    try:
        services.confirm_stand(found)
    except ExhibitorError as error:
        flash(str(error), "error")
    else:
        flash(_("Stand %(code)s is confirmed.", code=code), "success")
    return _go(".review", event)


@bp.route(f"{PREFIX}/review/stands/<int:stand_id>/release", methods=["POST"])
@organiser_page
def release(event: Event, stand_id: int):
    found = _event_stand(event, stand_id)
    code = found.ref
    try:
        services.release_stand(found)
    except ExhibitorError as error:
        flash(str(error), "error")
    else:
        flash(_("Stand %(code)s is free again.", code=code), "success")
    return _go(".review", event)


@bp.route(f"{PREFIX}/review/demos/<int:demo_id>/place", methods=["POST"])
@organiser_page
def place(event: Event, demo_id: int):
    demo = db.session.get(DemoRequest, demo_id)
    if demo is None or demo.event_id != event.id:
        abort(404)
    form = PlaceDemoForm()
    form.location.choices = [(zone.id, zone.name) for zone in services.demo_zones(event)]
    if form.validate_on_submit():
        try:
            start = datetime.fromisoformat(form.start.data)
        except ValueError:
            flash(_("Give the start as a date and time, e.g. 2025-11-13T10:00."), "error")
            return _go(".review", event)
        zone = db.session.get(Location, form.location.data)
        try:
            services.place_demo(demo, location=zone, start=start.replace(second=0, tzinfo=None))
        except ExhibitorError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(_("The demo is on the schedule."), "success")
    else:
        flash(_("Choose a demo zone and a start time."), "error")
    return _go(".review", event)


# --- Meetings: capacity, availability, requests, agenda ------------------------------------


def _request_choices(event: Event, query: str = "") -> dict[str, list[tuple[str, str]]]:
    """Whom to meet, as option groups: delegates matching the search (if any), then the
    delegations by kind, government first (a request to a delegation goes to its contact)."""
    kinds = {
        "government": _("Government delegations"),
        "military": _("Military delegations"),
        "industry": _("Industry delegations"),
        "press": _("Press"),
        "other": _("Other delegations"),
    }
    groups: dict[str, list[tuple[str, str]]] = {}
    if query:
        label = _("Delegates matching “%(text)s”", text=query)
        groups[label] = [
            (
                f"person:{person.id}",
                " — ".join(
                    part
                    for part in (
                        person.name,
                        person.title,
                        person.delegation.name if person.delegation else person.organisation,
                    )
                    if part
                ),
            )
            for person in services.find_delegates(event, query)
        ]
    for delegation, contact in services.delegations_to_meet(event):
        label = kinds.get(delegation.kind or "", kinds["other"])
        text = _(
            "%(delegation)s (%(country)s), through %(name)s",
            delegation=delegation.name,
            country=country_name(delegation.country),
            name=contact.name,
        )
        groups.setdefault(label, []).append((f"delegation:{delegation.id}", text))
    return groups


def _meeting_target(event: Event, value: str) -> Participant | None:
    kind, _sep, raw = (value or "").partition(":")
    if not raw.isdigit():
        return None
    if kind == "delegation":
        delegation = db.session.get(Delegation, int(raw))
        if delegation is None or delegation.event_id != event.id:
            return None
        return services.delegation_contact(delegation)
    if kind == "person":
        person = db.session.get(Participant, int(raw))
        if person is None or person.event_id != event.id:
            return None
        return person
    return None


def _meetings_page(
    event: Event,
    exhibitor: Exhibitor,
    *,
    capacity_form: CapacityForm | None = None,
    request_form: MeetingRequestForm | None = None,
    error: str | None = None,
    status: int = 200,
):
    capacity_form = capacity_form or CapacityForm(
        formdata=None, data={"capacity": exhibitor.meeting_capacity}
    )
    query = (request.values.get("who") or "").strip()[:100]
    if request_form is None:
        request_form = MeetingRequestForm(formdata=None)
        request_form.target.choices = _request_choices(event, query)
    matches = next(iter(request_form.target.choices.values()), []) if query else []
    if matches and not request_form.target.data:
        request_form.target.data = matches[0][0]
    days = booking.agenda(event, exhibitor=exhibitor)
    return render_template(
        "exhibitors/meetings.html",
        event=event,
        exhibitor=exhibitor,
        capacity_form=capacity_form,
        request_form=request_form,
        respond_form=RespondForm(formdata=None),
        incoming=services.incoming_requests(exhibitor),
        waiting=services.requests_waiting_for_a_time(exhibitor),
        sent=services.sent_requests(exhibitor),
        slot_days=services.slot_states(event, exhibitor),
        agenda_days=days,
        query=query,
        matches=len(matches),
        error=error,
    ), status


@bp.route(f"{PREFIX}/meetings")
@exhibitor_page(approved_only=True)
def meetings(event: Event, exhibitor: Exhibitor):
    booking.expire_requests(event, commit=False)  # unanswered in time: not shown as waiting
    return _meetings_page(event, exhibitor)


@bp.route(f"{PREFIX}/meetings/capacity", methods=["POST"])
@exhibitor_page(approved_only=True)
def capacity(event: Event, exhibitor: Exhibitor):
    form = CapacityForm()
    if form.validate_on_submit():
        try:
            services.set_meeting_capacity(exhibitor, form.capacity.data)
        except ExhibitorError as error:
            form.capacity.errors.append(str(error))
        else:
            message = _("You take up to %(num)s meetings at the same time.", num=form.capacity.data)
            flash(message, "success")
            return _go(".meetings", event, anchor="capacity-form")
    return _meetings_page(event, exhibitor, capacity_form=form, status=422)


@bp.route(f"{PREFIX}/meetings/availability", methods=["POST"])
@exhibitor_page(approved_only=True)
def availability(event: Event, exhibitor: Exhibitor):
    wanted = {int(v) for v in request.form.getlist("blocked") if v.isdigit()}
    shown = {int(v) for v in request.form.getlist("shown") if v.isdigit()}
    problems = []
    changed = 0
    for _day, states in services.slot_states(event, exhibitor):
        for state in states:
            if state.slot.id not in shown:
                continue
            block = state.slot.id in wanted
            if block == state.blocked:
                continue
            try:
                booking.set_blocked(
                    event, slot=state.slot, exhibitor=exhibitor, blocked=block, commit=False
                )
                changed += 1
            except BookingError as error:
                problems.append(str(error))
    for problem in problems:
        flash(problem, "error")
    if changed or not problems:
        flash(_("Your availability is saved."), "success")
    return _go(".meetings", event, anchor="availability")


@bp.route(f"{PREFIX}/meetings/requests/<int:request_id>/respond", methods=["POST"])
@exhibitor_page(approved_only=True)
def respond(event: Event, exhibitor: Exhibitor, request_id: int):
    wish = _owned(services.request_of(exhibitor, request_id), exhibitor)
    form = RespondForm()
    decision = request.form.get("decision")
    if decision not in ("accept", "decline") or not form.validate_on_submit():
        return _meetings_page(
            event, exhibitor, error=_("Choose to accept or decline the request."), status=422
        )
    name = wish.delegate.name
    try:
        booking.respond_to_request(
            wish, accept=decision == "accept", message=form.message.data, commit=False
        )
    except BookingError as error:
        flash(str(error), "error")
        return _go(".meetings", event, anchor="incoming")
    if decision == "decline":
        flash(_("You declined the request of %(name)s.", name=name), "success")
        return _go(".meetings", event, anchor="incoming")
    flash(
        _("You accepted to meet %(name)s. Choose a time now, or let them pick one.", name=name),
        "success",
    )
    return _go(".schedule", event, request_id=wish.id)


@bp.route(f"{PREFIX}/meetings/requests/<int:request_id>/schedule", methods=["GET", "POST"])
@exhibitor_page(approved_only=True)
def schedule(event: Event, exhibitor: Exhibitor, request_id: int):
    wish = _owned(services.request_of(exhibitor, request_id), exhibitor)
    error = None
    status = 200
    if request.method == "POST":
        slot = services.slot_of_event(event, request.form.get("slot_id", type=int) or 0)
        if slot is None:
            error, status = _("Choose one of the free times."), 422
        else:
            try:
                meeting = booking.book_meeting(
                    event,
                    delegate=wish.delegate,
                    exhibitor=exhibitor,
                    slot=slot,
                    request=wish,
                    commit=False,
                )
            except SlotTaken as taken:
                error, status = str(taken), 409
            except BookingError as refused:
                error, status = str(refused), 409
            else:
                flash(
                    _("The meeting with %(name)s is in your agenda.", name=wish.delegate.name),
                    "success",
                )
                return _go(".meetings", event, anchor=f"meeting-{meeting.id}")
    options = []
    if wish.status == "accepted" and wish.meeting is None:
        options = booking.slots_by_day(
            booking.free_slots(event, delegate=wish.delegate, exhibitor=exhibitor)
        )
    return render_template(
        "exhibitors/schedule.html",
        event=event,
        exhibitor=exhibitor,
        wish=wish,
        options=options,
        error=error,
    ), status


@bp.route(f"{PREFIX}/meetings/request", methods=["POST"])
@exhibitor_page(approved_only=True)
def request_meeting(event: Event, exhibitor: Exhibitor):
    form = MeetingRequestForm()
    form.target.choices = _request_choices(event, (request.form.get("who") or "").strip()[:100])
    if form.validate_on_submit():
        person = _meeting_target(event, form.target.data)
        if person is None:
            form.target.errors.append(_("Choose a delegation or a delegate of this event."))
        else:
            try:
                booking.send_request(
                    event,
                    delegate=person,
                    exhibitor=exhibitor,
                    requested_by="exhibitor",
                    message=form.message.data,
                    priority=form.priority.data,
                    commit=False,
                )
            except BookingError as error:
                form.target.errors.append(str(error))
            else:
                flash(_("Your request is sent to %(name)s.", name=person.name), "success")
                return _go(".meetings", event, anchor="sent")
    return _meetings_page(event, exhibitor, request_form=form, status=422)


@bp.route(f"{PREFIX}/meetings/requests/<int:request_id>/cancel", methods=["POST"])
@exhibitor_page(approved_only=True)
def cancel_request(event: Event, exhibitor: Exhibitor, request_id: int):
    wish = _owned(services.request_of(exhibitor, request_id), exhibitor)
    try:
        booking.cancel_request(wish, commit=False)
    except BookingError as error:
        flash(str(error), "error")
    else:
        flash(_("The request is cancelled."), "success")
    return _go(".meetings", event, anchor="sent")


@bp.route(f"{PREFIX}/meetings/<int:meeting_id>/cancel", methods=["POST"])
@exhibitor_page(approved_only=True)
def cancel_meeting(event: Event, exhibitor: Exhibitor, meeting_id: int):
    meeting = _owned(services.meeting_of(exhibitor, meeting_id), exhibitor)
    try:
        booking.cancel_meeting(meeting, commit=False)
    except BookingError as error:
        flash(str(error), "error")
    else:
        flash(
            _("The meeting is cancelled; the request stays accepted and waits for a new time."),
            "success",
        )
    return _go(".meetings", event, anchor="agenda")


@bp.route(f"{PREFIX}/meetings/agenda.ics")
@exhibitor_page(approved_only=True)
def agenda_ics(event: Event, exhibitor: Exhibitor):
    body = booking.agenda_ics(event, exhibitor=exhibitor)
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="{event.slug}-{exhibitor.ref}.ics"',
            "Cache-Control": "private, no-store",
        },
    )
