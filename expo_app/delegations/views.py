"""The delegate portal under /e/<slug>/: registration, status, booking, meetings, agenda.

Every page goes one way (`delegate_page`): the event from the slug, a signed-in
delegate, their participant record (else to registration), the people they act for
(themselves, and a head of delegation their members), then the view. Services raise
domain errors; `BookingError` becomes a message next to what the person was doing,
never a 500. Anyone else's meeting, request or member is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

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
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from expo_app.accounts.permissions import participant_of, role_required
from expo_app.badges.services import gets_badge
from expo_app.delegations import services
from expo_app.delegations.forms import (
    PHOTO_HINT,
    AddMemberForm,
    MeetingRequestForm,
    RegistrationForm,
)
from expo_app.delegations.models import Participant
from expo_app.events import services as events
from expo_app.events.models import Event, EventSession
from expo_app.exhibitors import services as exhibitors
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from expo_app.matchmaking import booking
from expo_app.matchmaking.models import Meeting, MeetingRequest, MeetingSlot

bp = Blueprint("delegate_portal", __name__)


@dataclass
class Portal:
    """Who is looking: the event, the signed-in delegate, and the people they act for."""

    event: Event
    me: Participant
    people: list[Participant]

    @property
    def is_head(self) -> bool:
        return len(self.people) > 1 or services.led_delegation(self.me) is not None

    @property
    def ids(self) -> list[int]:
        return [person.id for person in self.people]

    def person(self, ref: str | None) -> Participant:
        """One of the people this delegate acts for (themselves by default), else 404."""
        if not ref:
            return self.me
        for person in self.people:
            if person.ref == ref:
                return person
        abort(404)

    def meeting(self, meeting_id: int) -> Meeting:
        meeting = db.session.get(Meeting, meeting_id)
        if (
            meeting is None
            or meeting.event_id != self.event.id
            or meeting.delegate_id not in self.ids
        ):
            abort(404)
        return meeting

    def meeting_request(self, request_id: int) -> MeetingRequest:
        found = db.session.get(MeetingRequest, request_id)
        if found is None or found.event_id != self.event.id or found.delegate_id not in self.ids:
            abort(404)
        return found


def delegate_page(view: Callable) -> Callable:
    """The single path of every portal page (see the module docstring)."""

    @wraps(view)
    @role_required("delegate")
    def wrapped(slug: str, **kwargs: Any):
        event = events.event_or_404(slug)
        me = participant_of(current_user, event.id)
        if me is None:
            flash(_("Register for this event first."), "info")
            return redirect(url_for(".register", slug=slug))
        booking.expire_requests(event)
        portal = Portal(event, me, booking.delegation_members(me))
        return view(portal, **kwargs)

    return wrapped


def post_form() -> FlaskForm:
    """A form with only the CSRF token, for the portal's buttons."""
    return FlaskForm()


def back(default: str) -> str:
    from expo_app.accounts.views import safe_next

    return safe_next(request.form.get("next"), default)


@bp.app_context_processor
def booking_helpers() -> dict:
    return {"delegate_booking": delegate_booking}


def delegate_booking(event: Event, exhibitor: Exhibitor) -> dict:
    """What the exhibitor page shows about meeting this exhibitor, for whoever is looking:
    the free slots for an approved delegate, else why they cannot book (yet)."""
    state: dict[str, Any] = {"state": "anonymous", "days": [], "exhibitor": exhibitor}
    if not current_user.is_authenticated:
        return state
    if current_user.role != "delegate":
        state["state"] = "other_role"
        return state
    me = participant_of(current_user, event.id)
    if me is None:
        state["state"] = "not_registered"
        return state
    state["state"] = me.accreditation
    if me.accreditation == "approved":
        options = booking.free_slots(event, delegate=me, exhibitor=exhibitor)
        state["days"] = booking.slots_by_day(options)
    return state


# --------------------------------------------------------------------------- registration


def _person_from(form) -> services.PersonDetails:
    photo = form.photo.data
    return services.PersonDetails(
        name=form.name.data or "",
        email=form.email.data or "",
        title=form.title.data,
        organisation=form.organisation.data,
        country=form.country.data,
        photo=photo.read() if photo else None,
    )


def _field_by_name(form, name: str):
    """'members-2-email' → form.members[2].email; None for a name the form lacks."""
    if name.startswith("members-"):
        _prefix, index, field = name.split("-", 2)
        rows = form.members.entries
        if index.isdigit() and int(index) < len(rows):
            return getattr(rows[int(index)].form, field, None)
        return None
    return getattr(form, name, None)


@bp.route("/e/<slug>/register", methods=["GET", "POST"])
def register(slug: str):
    event = events.event_or_404(slug)
    signed_in = current_user.is_authenticated
    if signed_in and current_user.role != "delegate":
        return render_template("delegations/register.html", event=event, form=None), 403
    if signed_in and participant_of(current_user, event.id) is not None:
        return redirect(url_for(".dashboard", slug=slug))
    form = RegistrationForm(needs_password=not signed_in)
    if request.method == "GET" and signed_in:
        form.email.data = current_user.email
        form.name.data = current_user.display_name
    if request.method == "POST" and request.form.get("action") == "more":
        form.add_member_row()
        form.as_delegation.data = True
        return render_template(
            "delegations/register.html", event=event, form=form, photo_hint=PHOTO_HINT
        )
    if form.validate_on_submit():
        group = None
        if form.as_delegation.data:
            members = [_person_from(row.form) for row in form.members if not row.form.is_blank()]
            group = services.DelegationDetails(
                name=form.delegation_name.data,
                country=form.delegation_country.data,
                kind=form.delegation_kind.data,
                members=members,
            )
            # Field names of the rows kept, for errors: blank rows were left out.
            kept = [i for i, row in enumerate(form.members) if not row.form.is_blank()]
        try:
            head = services.register(
                event,
                person=_person_from(form),
                user=current_user if signed_in else None,
                password=form.password.data,
                delegation=group,
            )
        except services.RegistrationError as error:
            name = error.field
            if group is not None and name.startswith("members-"):
                _m, index, field = name.split("-", 2)
                name = f"members-{kept[int(index)]}-{field}"
            target = _field_by_name(form, name) or form.email
            target.errors = [*target.errors, error.message]
        else:
            if not signed_in:
                from expo_app.accounts.models import User

                login_user(db.session.get(User, head.user_id))
            flash(
                _(
                    "Thank you, your registration is received. The organisers check every "
                    "registration; you can book meetings once you are accredited."
                ),
                "success",
            )
            return redirect(url_for(".dashboard", slug=slug))
    status = 422 if form.errors or any(f.errors for f in form) else 200
    return render_template(
        "delegations/register.html", event=event, form=form, photo_hint=PHOTO_HINT
    ), status


# --------------------------------------------------------------------------- dashboard


@bp.route("/e/<slug>/my/")
@delegate_page
def dashboard(portal: Portal):
    meetings = booking.meetings_of(portal.event, portal.ids)
    requests = booking.requests_of(portal.event, portal.ids)
    waiting = [r for r in requests if r.status == "pending" and r.requested_by == "exhibitor"]
    return render_template(
        "delegations/dashboard.html",
        event=portal.event,
        portal=portal,
        delegation=services.led_delegation(portal.me) or portal.me.delegation,
        badge_url=url_for("badges.my_badge", slug=portal.event.slug)
        if gets_badge(portal.me)
        else None,
        meetings=meetings[:5],
        meeting_count=len(meetings),
        invitations=len(waiting),
        form=post_form(),
    )


@bp.route("/e/<slug>/my/members/new", methods=["GET", "POST"])
@delegate_page
def add_member(portal: Portal):
    if services.led_delegation(portal.me) is None:
        abort(404)
    form = AddMemberForm()
    if form.validate_on_submit():
        try:
            member = services.add_member(portal.event, portal.me, _person_from(form))
        except services.RegistrationError as error:
            target = getattr(form, error.field, None) or form.email
            target.errors = [*target.errors, error.message]
        else:
            flash(_("%(name)s is added and waits for accreditation.", name=member.name), "success")
            return redirect(url_for(".dashboard", slug=portal.event.slug))
    status = 422 if any(f.errors for f in form) else 200
    return render_template(
        "delegations/add_member.html",
        event=portal.event,
        form=form,
        portal=portal,
        photo_hint=PHOTO_HINT,
    ), status


@bp.route("/e/<slug>/my/photo/<ref>.jpg")
@delegate_page
def photo(portal: Portal, ref: str):
    person = portal.person(ref)
    path = services.photo_file(person)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=0)


# --------------------------------------------------------------------------- booking


def _book_page(
    portal: Portal, exhibitor: Exhibitor, person: Participant, status: int = 200, **extra
):
    options = []
    if person.accreditation == "approved":
        options = booking.free_slots(portal.event, delegate=person, exhibitor=exhibitor)
    form = extra.pop("form", None) or MeetingRequestForm(for_ref=person.ref)
    open_one = booking.open_request(person, exhibitor)
    return (
        render_template(
            "delegations/book.html",
            event=portal.event,
            portal=portal,
            exhibitor=exhibitor,
            person=person,
            days=booking.slots_by_day(options),
            request_form=form,
            open_request=open_one,
            post=post_form(),
            **extra,
        ),
        status,
    )


@bp.route("/e/<slug>/exhibitors/<ref>/book", methods=["GET", "POST"])
@delegate_page
def book(portal: Portal, ref: str):
    exhibitor = exhibitors.exhibitor_by_ref(portal.event, ref)
    if exhibitor is None:
        abort(404)
    person = portal.person(request.values.get("for_ref") or request.values.get("for"))
    chosen_request = None
    if request.values.get("request", "").isdigit():
        chosen_request = portal.meeting_request(int(request.values["request"]))
        if chosen_request.exhibitor_id != exhibitor.id:
            abort(404)
        person = portal.person(chosen_request.delegate.ref)
    if request.method == "GET":
        return _book_page(portal, exhibitor, person, chosen_request=chosen_request)
    action = request.form.get("action", "book")
    if action == "request":
        form = MeetingRequestForm()
        if not form.validate_on_submit():
            return _book_page(portal, exhibitor, person, 422, form=form)
        try:
            booking.send_request(
                portal.event,
                delegate=person,
                exhibitor=exhibitor,
                requested_by="delegate",
                message=form.message.data,
                priority=int(form.priority.data),
            )
        except booking.BookingError as error:
            form.message.errors = [*form.message.errors, str(error)]
            return _book_page(portal, exhibitor, person, 409, form=form)
        flash(
            _(
                "Your request is sent to %(name)s. You will see the answer in your meetings.",
                name=exhibitor.name,
            ),
            "success",
        )
        return redirect(url_for(".meetings", slug=portal.event.slug))
    if not post_form().validate_on_submit():
        abort(400)
    slot = _slot_or_none(portal.event, request.form.get("slot"))
    if slot is None:
        flash(_("Choose one of the free slots."), "error")
        return _book_page(portal, exhibitor, person, 422, chosen_request=chosen_request)
    try:
        meeting = booking.book_meeting(
            portal.event,
            delegate=person,
            exhibitor=exhibitor,
            slot=slot,
            request=chosen_request,
        )
    except booking.SlotTaken as error:
        flash(_("%(reason)s Here are the slots still free.", reason=str(error)), "error")
        return _book_page(portal, exhibitor, person, 409, chosen_request=chosen_request)
    except booking.BookingError as error:
        flash(str(error), "error")
        return _book_page(portal, exhibitor, person, 409, chosen_request=chosen_request)
    flash(
        _(
            "Booked: %(who)s meets %(name)s on %(when)s, %(where)s.",
            who=person.name,
            name=exhibitor.name,
            when=_when(meeting.slot),
            where=booking.meeting_place(meeting),
        ),
        "success",
    )
    return redirect(url_for(".meetings", slug=portal.event.slug))


def _slot_or_none(event: Event, value: str | None) -> MeetingSlot | None:
    if not value or not value.isdigit():
        return None
    slot = db.session.get(MeetingSlot, int(value))
    return slot if slot is not None and slot.event_id == event.id else None


def _when(slot: MeetingSlot) -> str:
    from babel import dates as babel_dates

    from expo_app.templating import formatting_locale

    locale = formatting_locale()
    return "{} {}".format(
        babel_dates.format_date(slot.start, "full", locale=locale),
        babel_dates.format_time(slot.start.time(), "short", locale=locale),
    )


# --------------------------------------------------------------------------- meetings


@bp.route("/e/<slug>/my/meetings")
@delegate_page
def meetings(portal: Portal):
    return render_template(
        "delegations/meetings.html",
        event=portal.event,
        portal=portal,
        meetings=booking.meetings_of(portal.event, portal.ids),
        requests=booking.requests_of(portal.event, portal.ids),
        place=booking.meeting_place,
        local=lambda moment: booking.event_time(portal.event, moment),
        post=post_form(),
    )


@bp.route("/e/<slug>/my/meetings/<int:meeting_id>/cancel", methods=["POST"])
@delegate_page
def cancel_meeting(portal: Portal, meeting_id: int):
    meeting = portal.meeting(meeting_id)
    name = meeting.exhibitor.name
    try:
        booking.cancel_request(meeting.request)
    except booking.BookingError as error:
        flash(str(error), "error")
    else:
        flash(_("The meeting with %(name)s is cancelled.", name=name), "success")
    return redirect(back(url_for(".meetings", slug=portal.event.slug)))


@bp.route("/e/<slug>/my/meetings/<int:meeting_id>/move", methods=["GET", "POST"])
@delegate_page
def move_meeting(portal: Portal, meeting_id: int):
    meeting = portal.meeting(meeting_id)
    status = 200
    if request.method == "POST":
        if not post_form().validate_on_submit():
            abort(400)
        slot = _slot_or_none(portal.event, request.form.get("slot"))
        if slot is None:
            flash(_("Choose one of the free slots."), "error")
            status = 422
        else:
            try:
                booking.reschedule_meeting(meeting, slot)
            except booking.BookingError as error:
                flash(str(error), "error")
                status = 409
                meeting = portal.meeting(meeting_id)
            else:
                flash(
                    _(
                        "The meeting with %(name)s is moved to %(when)s, %(where)s.",
                        name=meeting.exhibitor.name,
                        when=_when(slot),
                        where=booking.meeting_place(meeting),
                    ),
                    "success",
                )
                return redirect(url_for(".meetings", slug=portal.event.slug))
    options = booking.free_slots(
        portal.event, delegate=meeting.delegate, exhibitor=meeting.exhibitor
    )
    return render_template(
        "delegations/move.html",
        event=portal.event,
        portal=portal,
        meeting=meeting,
        place=booking.meeting_place(meeting),
        days=booking.slots_by_day(options),
        post=post_form(),
    ), status


@bp.route("/e/<slug>/my/requests/<int:request_id>/cancel", methods=["POST"])
@delegate_page
def cancel_request(portal: Portal, request_id: int):
    found = portal.meeting_request(request_id)
    try:
        booking.cancel_request(found)
    except booking.BookingError as error:
        flash(str(error), "error")
    else:
        flash(_("The request to %(name)s is withdrawn.", name=found.exhibitor.name), "success")
    return redirect(url_for(".meetings", slug=portal.event.slug))


@bp.route("/e/<slug>/my/requests/<int:request_id>/answer", methods=["POST"])
@delegate_page
def answer_request(portal: Portal, request_id: int):
    """A delegate answers an exhibitor's invitation."""
    found = portal.meeting_request(request_id)
    if found.requested_by != "exhibitor":
        abort(404)
    accept = request.form.get("accept") == "1"
    try:
        booking.respond_to_request(found, accept=accept)
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
    return redirect(url_for(".meetings", slug=portal.event.slug))


# --------------------------------------------------------------------------- availability


@bp.route("/e/<slug>/my/availability", methods=["GET", "POST"])
@delegate_page
def availability(portal: Portal):
    person = portal.person(request.values.get("who"))
    slots = list(
        db.session.execute(
            select(MeetingSlot)
            .where(MeetingSlot.event_id == portal.event.id)
            .order_by(MeetingSlot.start)
        ).scalars()
    )
    status = 200
    if request.method == "POST":
        if not post_form().validate_on_submit():
            abort(400)
        wanted = {int(v) for v in request.form.getlist("blocked") if v.isdigit()}
        current = booking.blocked_slot_ids(participant=person)
        problems = []
        for slot in slots:
            if (slot.id in wanted) != (slot.id in current):
                try:
                    booking.set_blocked(
                        portal.event, slot=slot, participant=person, blocked=slot.id in wanted
                    )
                except booking.BookingError as error:
                    problems.append(str(error))
        if problems:
            for problem in problems:
                flash(problem, "error")
            status = 409
        else:
            flash(_("Your availability is saved."), "success")
            return redirect(
                url_for(
                    ".availability", slug=portal.event.slug, who=request.values.get("who") or None
                )
            )
    busy = {m.slot_id for m in booking.meetings_of(portal.event, [person.id])}
    blocked = booking.blocked_slot_ids(participant=person)
    grouped: dict = {}
    for slot in slots:
        grouped.setdefault(slot.start.date(), []).append(slot)
    return render_template(
        "delegations/availability.html",
        event=portal.event,
        portal=portal,
        person=person,
        days=sorted(grouped.items()),
        busy=busy,
        blocked=blocked,
        post=post_form(),
    ), status


# --------------------------------------------------------------------------- agenda


def _lang() -> str:
    wanted = request.args.get("lang", "")
    if wanted in current_app.config["LANGUAGES"]:
        return wanted
    return str(get_locale() or "en")


def _agenda_page(portal: Portal, person: Participant, subscription_url: str | None = None):
    by_day: dict = {}
    for session in services.followable_sessions(portal.event):
        by_day.setdefault(session.start.date(), []).append(session)
    return render_template(
        "delegations/agenda.html",
        event=portal.event,
        portal=portal,
        person=person,
        days=booking.agenda(portal.event, participant=person),
        sessions_by_day=sorted(by_day.items()),
        followed=services.followed_session_ids(person),
        subscription_url=subscription_url,
        has_link=portal.me.ics_token_hash is not None,
        post=post_form(),
    )


@bp.route("/e/<slug>/my/agenda")
@delegate_page
def agenda(portal: Portal):
    return _agenda_page(portal, portal.person(request.args.get("who")))


@bp.route("/e/<slug>/my/agenda.ics")
@delegate_page
def agenda_ics(portal: Portal):
    person = portal.person(request.args.get("who"))
    data = booking.agenda_ics(portal.event, participant=person)
    return _ics_response(data, f"{portal.event.slug}-agenda.ics", attachment=True)


@bp.route("/e/<slug>/my/agenda.pdf")
@delegate_page
def agenda_pdf(portal: Portal):
    person = portal.person(request.args.get("who"))
    data = services.personal_agenda_pdf(portal.event, person, _lang())
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{portal.event.slug}-agenda.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/e/<slug>/my/agenda/link", methods=["POST"])
@delegate_page
def calendar_link(portal: Portal):
    """Make (or replace) the private subscription URL; it is shown once, only its hash is kept."""
    if not post_form().validate_on_submit():
        abort(400)
    if request.form.get("action") == "revoke":
        services.revoke_calendar_token(portal.me)
        flash(_("The calendar link is revoked: calendars using it stop updating."), "success")
        return redirect(url_for(".agenda", slug=portal.event.slug))
    token = services.new_calendar_token(portal.me)
    url = url_for(".subscription", slug=portal.event.slug, token=token, _external=True)
    return _agenda_page(portal, portal.me, subscription_url=url), 200, {"Cache-Control": "no-store"}


@bp.route("/e/<slug>/my/sessions/<int:session_id>/follow", methods=["POST"])
@delegate_page
def follow(portal: Portal, session_id: int):
    if not post_form().validate_on_submit():
        abort(400)
    person = portal.person(request.form.get("who"))
    session = db.session.get(EventSession, session_id)
    if session is None or session.event_id != portal.event.id:
        abort(404)
    wanted = request.form.get("follow") == "1"
    services.follow_session(person, session, wanted)
    if wanted:
        flash(_("“%(title)s” is in the agenda.", title=session.title), "success")
    else:
        flash(_("“%(title)s” is out of the agenda.", title=session.title), "info")
    target = url_for(".agenda", slug=portal.event.slug, who=request.form.get("who") or None)
    return redirect(target + "#programme")


@bp.route("/e/<slug>/ics/<token>.ics")
def subscription(slug: str, token: str):
    """The private calendar feed: no sign-in, the secret in the URL is the key."""
    event = events.event_or_404(slug)
    person = services.participant_by_calendar_token(event, token)
    if person is None:
        abort(404)
    from expo_app.accounts.models import User

    user = db.session.get(User, person.user_id) if person.user_id else None
    lang = user.locale if user and user.locale in current_app.config["LANGUAGES"] else None
    with force_locale(lang or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")):
        data = booking.agenda_ics(event, participant=person)
    return _ics_response(data, f"{event.slug}.ics", attachment=False)


def _ics_response(data: bytes, filename: str, *, attachment: bool) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.errorhandler(booking.BookingError)
def booking_refused(error: booking.BookingError):
    """A refusal no view caught: say why and go back to the meetings, never a 500."""
    db.session.rollback()
    flash(str(error), "error")
    slug = (request.view_args or {}).get("slug")
    return redirect(url_for(".meetings", slug=slug) if slug else url_for("public.index"))
