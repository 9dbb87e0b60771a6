"""The delegate portal under /e/<slug>/: registration, status, booking, meetings, agenda.

Every page goes the one request path (`event_page`): the DELEGATE level gives the view
the delegate's `Portal` (who they act for: themselves, and a head of delegation their
members), whose loaders answer 404 for anyone else's meeting, request or member. Views
parse the form, call a service, render or redirect; the path commits. A refusal the
person caused is shown next to what they were doing, with a 4xx status.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from expo_app.badges.services import gets_badge
from expo_app.delegations import queries, services
from expo_app.delegations.forms import (
    PHOTO_HINT,
    AddMemberForm,
    MeetingRequestForm,
    RegistrationForm,
)
from expo_app.delegations.models import Participant
from expo_app.delegations.portal import Portal
from expo_app.delegations.queries import RegistrationStep
from expo_app.errors import DomainError, field_error
from expo_app.events.clock import event_time, slot_label
from expo_app.events.models import Event, EventSession
from expo_app.exhibitors import services as exhibitors
from expo_app.exhibitors.models import Exhibitor
from expo_app.matchmaking import booking
from expo_app.matchmaking.agenda import agenda_ics as calendar_of
from expo_app.matchmaking.models import MeetingRequest, Side
from expo_app.matchmaking.queries import meeting_place, meetings_of, requests_of
from expo_app.vetting.forms import DocumentForm
from expo_app.vetting.services import VettingError
from expo_app.web.access import DELEGATE, PUBLIC
from expo_app.web.once import first_send, sent_already
from expo_app.web.params import arg_int, int_list
from expo_app.web.rh import event_page, of_event
from expo_app.web.throttles import registration_received, registration_throttle

bp = Blueprint("delegate_portal", __name__)


def back(default: str) -> str:
    from expo_app.accounts.views import safe_next

    return safe_next(request.form.get("next"), default)


@bp.app_context_processor
def booking_helpers() -> dict:
    return {"delegate_booking": delegate_booking}


def delegate_booking(event: Event, exhibitor: Exhibitor) -> queries.BookingBox:
    """The exhibitor page's 'meet this exhibitor' box, for whoever is looking."""
    return queries.booking_box(event, exhibitor, current_user)


# --------------------------------------------------------------------------- registration


def _register_page(
    event: Event,
    form: RegistrationForm | None,
    status: int | None = None,
    identity: DocumentForm | None = None,
):
    if status is None:
        failed = form is not None and form.has_errors()
        status = 422 if failed or (identity is not None and identity.errors) else 200
    page = render_template(
        "delegations/register.html",
        event=event,
        form=form,
        photo_hint=PHOTO_HINT,
        identity=identity,
    )
    return page, status


def _identity_form(event: Event) -> DocumentForm | None:
    """With vetting on, registration asks for the identity document too."""
    return DocumentForm(prefix="identity") if event.security_vetting else None


@bp.route("/e/<slug>/register", methods=["GET", "POST"])
@registration_throttle
@event_page(PUBLIC)
def register(event: Event):
    step = queries.registration_step(current_user, event)
    if step is RegistrationStep.OTHER_ROLE:
        return _register_page(event, None, 403)
    if step is RegistrationStep.REGISTERED:
        return redirect(url_for(".dashboard", slug=event.slug))
    signed_in = step is RegistrationStep.SIGNED_IN
    form = RegistrationForm(needs_password=not signed_in)
    identity = _identity_form(event)
    if request.method == "GET" and signed_in:
        form.prefill(current_user)
    if request.method == "POST" and request.form.get("action") == "more":
        form.add_member_row()
        form.as_delegation.data = True
        return _register_page(event, form, 200, identity)
    valid = form.validate_on_submit()
    if identity is not None and request.method == "POST":
        valid = identity.validate() and valid
    if not valid:
        return _register_page(event, form, identity=identity)
    try:
        services.register(
            event,
            person=form.person(),
            user=current_user if signed_in else None,
            password=form.password.data,
            delegation=form.delegation(),
            document=identity.details() if identity is not None else None,
        )
    except services.RegistrationError as error:
        form.place_error(error)
        return _register_page(event, form, identity=identity)
    except VettingError as error:
        field_error(identity, error)
        return _register_page(event, form, 422, identity)
    if not signed_in:
        # The same answer whether the email was new (account and registration made) or
        # known (nothing written): no automatic sign-in, which would tell them apart.
        return registration_received(url_for(".register", slug=event.slug))
    flash(
        _(
            "Thank you, your registration is received. The organisers check every "
            "registration; you can book meetings once you are accredited."
        ),
        "success",
    )
    return redirect(url_for(".dashboard", slug=event.slug))


# --------------------------------------------------------------------------- dashboard


@bp.route("/e/<slug>/my/")
@event_page(DELEGATE)
def dashboard(event: Event, portal: Portal):
    overview = queries.overview(event, portal.ids)
    return render_template(
        "delegations/dashboard.html",
        event=event,
        portal=portal,
        delegation=portal.delegation,
        badge_url=url_for("badges.my_badge", slug=event.slug) if gets_badge(portal.me) else None,
        meetings=overview.meetings[:5],
        meeting_count=len(overview.meetings),
        invitations=overview.invitations,
    )


@bp.route("/e/<slug>/my/members/new", methods=["GET", "POST"])
@event_page(DELEGATE)
def add_member(event: Event, portal: Portal):
    portal.led_delegation()  # only a head adds members: anyone else gets 404
    form = AddMemberForm()
    if form.validate_on_submit():
        if not first_send(form):
            return sent_already(redirect(url_for(".dashboard", slug=event.slug)))
        try:
            member = services.add_member(event, portal.me, form.person())
        except services.RegistrationError as error:
            form.place_error(error)
        else:
            flash(_("%(name)s is added and waits for accreditation.", name=member.name), "success")
            return redirect(url_for(".dashboard", slug=event.slug))
    return render_template(
        "delegations/add_member.html",
        event=event,
        form=form,
        portal=portal,
        photo_hint=PHOTO_HINT,
    ), 422 if form.has_errors() else 200


@bp.route("/e/<slug>/my/photo/<ref>.jpg")
@event_page(DELEGATE)
def photo(event: Event, portal: Portal, ref: str):
    path = services.photo_file(portal.person(ref))
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=0)


# --------------------------------------------------------------------------- booking


@dataclass
class BookingTarget:
    """Whom a booking is for, with whom, and on which request (from the URL and form)."""

    exhibitor: Exhibitor
    person: Participant
    request: MeetingRequest | None = None


def _booking_target(event: Event, portal: Portal, ref: str) -> BookingTarget:
    exhibitor = exhibitors.exhibitor_by_ref(event, ref)
    if exhibitor is None:
        abort(404)
    request_id = arg_int(request.values, "request", invalid=404)
    if request_id is not None:
        chosen = portal.meeting_request(request_id, exhibitor_id=exhibitor.id)
        return BookingTarget(exhibitor, portal.person(chosen.delegate.ref), chosen)
    person = portal.person(request.values.get("for_ref") or request.values.get("for"))
    return BookingTarget(exhibitor, person)


def _book_page(event: Event, portal: Portal, target: BookingTarget, status: int = 200, form=None):
    return render_template(
        "delegations/book.html",
        event=event,
        portal=portal,
        exhibitor=target.exhibitor,
        person=target.person,
        page=queries.book_page(event, target.exhibitor, target.person),
        request_form=form or MeetingRequestForm(for_ref=target.person.ref),
        chosen_request=target.request,
    ), status


@bp.route("/e/<slug>/exhibitors/<ref>/book", methods=["GET", "POST"])
@event_page(DELEGATE)
def book(event: Event, portal: Portal, ref: str):
    target = _booking_target(event, portal, ref)
    if request.method == "GET":
        return _book_page(event, portal, target)
    if request.form.get("action", "book") == "request":
        return _send_request(event, portal, target)
    return _book_slot(event, portal, target)


def _send_request(event: Event, portal: Portal, target: BookingTarget):
    form = MeetingRequestForm()
    if not form.validate_on_submit():
        return _book_page(event, portal, target, 422, form=form)
    if not first_send(form):
        return sent_already(redirect(url_for(".meetings", slug=event.slug)))
    try:
        booking.send_request(
            event,
            delegate=target.person,
            exhibitor=target.exhibitor,
            requested_by=Side.DELEGATE,
            message=form.message.data,
            priority=int(form.priority.data),
        )
    except booking.BookingError as error:
        form.message.errors = [*form.message.errors, str(error)]
        return _book_page(event, portal, target, 409, form=form)
    flash(
        _(
            "Your request is sent to %(name)s. You will see the answer in your meetings.",
            name=target.exhibitor.name,
        ),
        "success",
    )
    return redirect(url_for(".meetings", slug=event.slug))


def _book_slot(event: Event, portal: Portal, target: BookingTarget):
    slot = queries.slot_of(event, request.form.get("slot"))
    if slot is None:
        flash(_("Choose one of the free slots."), "error")
        return _book_page(event, portal, target, 422)
    try:
        meeting = booking.book_meeting(
            event,
            delegate=target.person,
            exhibitor=target.exhibitor,
            slot=slot,
            by=Side.DELEGATE,
            request=target.request,
        )
    except booking.SlotTaken as error:
        flash(_("%(reason)s Here are the slots still free.", reason=str(error)), "error")
        return _book_page(event, portal, target, 409)
    except booking.BookingError as error:
        flash(str(error), "error")
        return _book_page(event, portal, target, 409)
    flash(
        _(
            "Booked: %(who)s meets %(name)s on %(when)s, %(where)s.",
            who=target.person.name,
            name=target.exhibitor.name,
            when=slot_label(meeting.slot),
            where=meeting_place(meeting),
        ),
        "success",
    )
    return redirect(url_for(".meetings", slug=event.slug))


# --------------------------------------------------------------------------- meetings


@bp.route("/e/<slug>/my/meetings")
@event_page(DELEGATE)
def meetings(event: Event, portal: Portal):
    return render_template(
        "delegations/meetings.html",
        event=event,
        portal=portal,
        meetings=meetings_of(event, portal.ids),
        requests=requests_of(event, portal.ids),
        place=meeting_place,
        describe=queries.request_sentence,
        local=lambda moment: event_time(event, moment),
    )


@bp.route("/e/<slug>/my/meetings/<int:meeting_id>/cancel", methods=["POST"])
@event_page(DELEGATE)
def cancel_meeting(event: Event, portal: Portal, meeting_id: int):
    meeting = portal.meeting(meeting_id)
    name = meeting.exhibitor.name
    try:
        booking.cancel_request(meeting.request, by=Side.DELEGATE)
    except booking.BookingError as error:
        flash(str(error), "error")
    else:
        flash(_("The meeting with %(name)s is cancelled.", name=name), "success")
    return redirect(back(url_for(".meetings", slug=event.slug)))


def _move_page(event: Event, portal: Portal, meeting, status: int = 200):
    return render_template(
        "delegations/move.html",
        event=event,
        portal=portal,
        meeting=meeting,
        place=meeting_place(meeting),
        days=queries.free_days(event, meeting.delegate, meeting.exhibitor),
    ), status


@bp.route("/e/<slug>/my/meetings/<int:meeting_id>/move", methods=["GET", "POST"])
@event_page(DELEGATE)
def move_meeting(event: Event, portal: Portal, meeting_id: int):
    meeting = portal.meeting(meeting_id)
    if request.method == "GET":
        return _move_page(event, portal, meeting)
    slot = queries.slot_of(event, request.form.get("slot"))
    if slot is None:
        flash(_("Choose one of the free slots."), "error")
        return _move_page(event, portal, meeting, 422)
    try:
        booking.reschedule_meeting(meeting, slot)
    except booking.BookingError as error:
        flash(str(error), "error")
        return _move_page(event, portal, portal.meeting(meeting_id), 409)
    flash(
        _(
            "The meeting with %(name)s is moved to %(when)s, %(where)s.",
            name=meeting.exhibitor.name,
            when=slot_label(slot),
            where=meeting_place(meeting),
        ),
        "success",
    )
    return redirect(url_for(".meetings", slug=event.slug))


@bp.route("/e/<slug>/my/requests/<int:request_id>/cancel", methods=["POST"])
@event_page(DELEGATE)
def cancel_request(event: Event, portal: Portal, request_id: int):
    found = portal.meeting_request(request_id)
    try:
        booking.cancel_request(found, by=Side.DELEGATE)
    except booking.BookingError as error:
        flash(str(error), "error")
    else:
        flash(_("The request to %(name)s is withdrawn.", name=found.exhibitor.name), "success")
    return redirect(url_for(".meetings", slug=event.slug))


@bp.route("/e/<slug>/my/requests/<int:request_id>/answer", methods=["POST"])
@event_page(DELEGATE)
def answer_request(event: Event, portal: Portal, request_id: int):
    """A delegate answers an exhibitor's invitation."""
    found = portal.invitation(request_id)
    accept = request.form.get("accept") == "1"
    try:
        booking.respond_to_request(found, by=Side.DELEGATE, accept=accept)
    except booking.BookingError as error:
        flash(str(error), "error")
    else:
        if accept:
            flash(
                _("Accepted. Pick a slot now, or the organisers' scheduler will place it."),
                "success",
            )
        else:
            flash(_("Invitation declined."), "info")
    return redirect(url_for(".meetings", slug=event.slug))


# --------------------------------------------------------------------------- availability


def _availability_page(event: Event, portal: Portal, person: Participant, status: int = 200):
    return render_template(
        "delegations/availability.html",
        event=event,
        portal=portal,
        person=person,
        page=queries.availability_page(event, person),
    ), status


@bp.route("/e/<slug>/my/availability", methods=["GET", "POST"])
@event_page(DELEGATE)
def availability(event: Event, portal: Portal):
    who = request.values.get("who") or None
    person = portal.person(who)
    if request.method == "GET":
        return _availability_page(event, portal, person)
    wanted = set(int_list(request.form.getlist("blocked")))
    try:
        services.save_availability(event, person, wanted)
    except services.AvailabilityRefused as refusal:
        for problem in refusal.problems:
            flash(problem, "error")
        return _availability_page(event, portal, person, 409)
    flash(_("Your availability is saved."), "success")
    return redirect(url_for(".availability", slug=event.slug, who=who))


# --------------------------------------------------------------------------- agenda


def _lang() -> str:
    wanted = request.args.get("lang", "")
    if wanted in current_app.config["LANGUAGES"]:
        return wanted
    return str(get_locale() or "en")


def _agenda_page(
    event: Event, portal: Portal, person: Participant, subscription_url: str | None = None
):
    return render_template(
        "delegations/agenda.html",
        event=event,
        portal=portal,
        person=person,
        page=queries.agenda_page(event, person),
        subscription_url=subscription_url,
    )


@bp.route("/e/<slug>/my/agenda")
@event_page(DELEGATE)
def agenda(event: Event, portal: Portal):
    return _agenda_page(event, portal, portal.person(request.args.get("who")))


@bp.route("/e/<slug>/my/agenda.ics")
@event_page(DELEGATE)
def agenda_ics(event: Event, portal: Portal):
    person = portal.person(request.args.get("who"))
    data = calendar_of(event, participant=person)
    return _download(data, "text/calendar", f"{event.slug}-agenda.ics", attachment=True)


@bp.route("/e/<slug>/my/agenda.pdf")
@event_page(DELEGATE)
def agenda_pdf(event: Event, portal: Portal):
    person = portal.person(request.args.get("who"))
    data = services.personal_agenda_pdf(event, person, _lang())
    return _download(data, "application/pdf", f"{event.slug}-agenda.pdf", attachment=True)


@bp.route("/e/<slug>/my/agenda/link", methods=["POST"])
@event_page(DELEGATE)
def calendar_link(event: Event, portal: Portal):
    """Make (or replace) the private subscription URL; it is shown once, only its hash is kept."""
    if request.form.get("action") == "revoke":
        services.revoke_calendar_token(portal.me)
        flash(_("The calendar link is revoked: calendars using it stop updating."), "success")
        return redirect(url_for(".agenda", slug=event.slug))
    token = services.new_calendar_token(portal.me)
    url = url_for(".subscription", slug=event.slug, token=token, _external=True)
    return (
        _agenda_page(event, portal, portal.me, subscription_url=url),
        200,
        {"Cache-Control": "no-store"},
    )


@bp.route("/e/<slug>/my/sessions/<int:session_id>/follow", methods=["POST"])
@event_page(DELEGATE)
def follow(event: Event, portal: Portal, session_id: int):
    who = request.form.get("who") or None
    person = portal.person(who)
    session = of_event(EventSession, session_id, event)
    wanted = request.form.get("follow") == "1"
    try:
        row = services.follow_session(person, session, wanted)
    except DomainError as refused:
        flash(str(refused), "error")
        return redirect(url_for(".agenda", slug=event.slug, who=who) + "#programme", code=303)
    if row is not None and row.waitlisted:
        place = services.seats.waitlist_position(row)
        flash(
            _(
                "“%(title)s” is full: %(name)s is number %(place)d on its waitlist and gets"
                " the next free seat.",
                title=session.title,
                name=person.name,
                place=place,
            ),
            "info",
        )
    elif wanted:
        flash(_("“%(title)s” is in the agenda.", title=session.title), "success")
    else:
        flash(_("“%(title)s” is out of the agenda.", title=session.title), "info")
    return redirect(url_for(".agenda", slug=event.slug, who=who) + "#programme")


@bp.route("/e/<slug>/ics/<token>.ics")
@event_page(PUBLIC)
def subscription(event: Event, token: str):
    """The private calendar feed: no sign-in, the secret in the URL is the key."""
    data = services.calendar_feed(event, token)
    if data is None:
        abort(404)
    return _download(data, "text/calendar", f"{event.slug}.ics", attachment=False)


def _download(data: bytes, mimetype: str, filename: str, *, attachment: bool) -> Response:
    """A private file (agenda, calendar): never kept by a shared cache."""
    response = Response(data, mimetype=mimetype)
    if mimetype == "text/calendar":
        response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
