"""Vetting pages: the participant's identity document and visa invitation letters, the
security officers' queue, the organiser's switch and status list, and the public check
of a letter. Thin: the rules are in services and letters."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from expo_app.delegations.models import Participant
from expo_app.delegations.portal import Portal
from expo_app.errors import DomainError, field_error
from expo_app.events.models import Event
from expo_app.extensions import limiter
from expo_app.vetting import letters, purge, services
from expo_app.vetting.forms import (
    DocumentForm,
    LetterCheckForm,
    LetterForm,
    PurgeForm,
    RevealForm,
    ScanForm,
    VerdictForm,
    VettingSwitchForm,
)
from expo_app.vetting.services import VettingError
from expo_app.web.access import DELEGATE, ORGANISER, PUBLIC, SECURITY
from expo_app.web.rh import event_page, of_event

bp = Blueprint("vetting", __name__)


@bp.route("/e/<slug>/my/identity", methods=["GET", "POST"])
@event_page(DELEGATE)
def my_document(event: Event, portal: Portal):
    """The delegate's identity document for the host nation's security vetting."""
    me = portal.me
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            warnings = services.submit_document(me, form.details())
        except VettingError as error:
            field_error(form, error)
        else:
            flash(_("Your identity document was sent for security vetting."), "success")
            for warning in warnings:
                flash(warning, "warning")
            return redirect(url_for(".my_document", slug=event.slug), 303)
    status = 422 if form.errors or form.form_errors else 200
    return _identity_page(event, portal, form, status)


def _identity_page(event: Event, portal: Portal, form: DocumentForm, status: int):
    me = portal.me
    return render_template(
        "vetting/my_document.html",
        event=event,
        me=me,
        form=form,
        document=me.identity_document,
        holders=letters.holders(portal.people),
        letter_form=LetterForm(formdata=None),
    ), status


def _lang() -> str:
    wanted = request.values.get("lang", "")
    if wanted in current_app.config["LANGUAGES"]:
        return wanted
    return str(get_locale() or "en")


@bp.route("/e/<slug>/my/visa-letter", methods=["POST"])
@event_page(DELEGATE)
def visa_letter(event: Event, portal: Portal):
    """The visa invitation letter of the delegate or of a member they lead, as a PDF. A
    POST: the first one issues the letter, and every one prints the sealed document
    (audited); the same reference every time."""
    form = LetterForm()
    if not form.validate_on_submit():
        return _identity_page(event, portal, DocumentForm(formdata=None), 422)
    person = portal.person(form.who.data)
    try:
        letter = letters.issue_letter(person)
        data = letters.letter_pdf(letter, _lang(), by=current_user)
    except letters.LetterRefused as refused:
        flash(str(refused), "error")
        return _identity_page(event, portal, DocumentForm(formdata=None), refused.status)
    response = Response(data, mimetype="application/pdf")
    filename = f"{event.slug}-visa-letter-{person.ref}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Checks that match no letter, per client address: a consulate that checks real letters
# is never slowed, a script that tries references is.
LETTER_CHECK_LIMIT = "20 per hour"


def _check_limit() -> str:
    return current_app.config.get("EXPO_LETTER_CHECK_LIMIT", LETTER_CHECK_LIMIT)


letter_check_throttle = limiter.limit(
    _check_limit,
    methods=["GET"],
    scope="letter-check",
    deduct_when=lambda response: bool(g.get("letter_check_missed")),
    exempt_when=lambda: not _check_asked(),
)


def _check_asked() -> bool:
    return "reference" in request.args or "last_name" in request.args


@bp.route("/e/<slug>/letters/check")
@letter_check_throttle
@event_page(PUBLIC)
def letter_check(event: Event):
    """Anyone (a consulate) checks a letter by its reference and the holder's last name.
    A GET form, so it never writes; the answer for a wrong reference and for a wrong
    name is the same, so it never tells which references exist."""
    asked = _check_asked()
    form = LetterCheckForm(formdata=request.args if asked else None)
    check, status = None, 200
    if asked:
        if form.validate():
            check = letters.check_letter(event, form.reference.data, form.last_name.data)
            g.letter_check_missed = not check.matched
        else:
            status = 422
    return render_template("vetting/letter_check.html", event=event, form=form, check=check), status


@bp.route("/e/<slug>/security/")
@event_page(SECURITY)
def queue(event: Event):
    return render_template("vetting/queue.html", event=event, people=services.vetting_queue(event))


@bp.route("/e/<slug>/security/<int:participant_id>", methods=["GET", "POST"])
@event_page(SECURITY)
def person(event: Event, participant_id: int):
    """One person's vetting. The document is unsealed only on a POST ("Show the
    document"), because each reading is audited and a GET never writes."""
    someone = of_event(Participant, participant_id, event)
    form = VerdictForm()
    reveal = RevealForm(prefix="reveal")
    opened, status = None, 200
    if reveal.submit.data and reveal.validate_on_submit():
        try:
            opened = services.open_document(someone, by=current_user)
        except VettingError as error:
            flash(str(error), "error")
    elif form.submit.data and form.validate_on_submit():
        try:
            services.decide(someone, form.verdict.data, form.reason.data, by=current_user)
        except VettingError as error:
            field_error(form, error)
        else:
            flash(_("Verdict saved for %(name)s.", name=someone.name), "success")
            return redirect(url_for(".queue", slug=event.slug), 303)
    if form.errors or form.form_errors:
        status = 422
    return render_template(
        "vetting/person.html",
        event=event,
        person=someone,
        document=someone.identity_document,
        opened=opened,
        form=form,
        reveal=reveal,
        scan_form=ScanForm(prefix="scan", formdata=None),
    ), status


@bp.route("/e/<slug>/security/<int:participant_id>/scan", methods=["POST"])
@event_page(SECURITY)
def scan(event: Event, participant_id: int):
    """The scan of a person's document, for a security officer: a POST, since each
    opening is audited; served inline in a sandbox, never cached."""
    someone = of_event(Participant, participant_id, event)
    if not ScanForm(prefix="scan").validate_on_submit():
        return redirect(url_for(".person", slug=event.slug, participant_id=someone.id), 303)
    try:
        data, mimetype = services.open_scan(someone, by=current_user)
    except VettingError as error:
        flash(str(error), "error")
        return redirect(url_for(".person", slug=event.slug, participant_id=someone.id), 303)
    response = Response(data, mimetype=mimetype)
    extension = {"image/jpeg": "jpg", "image/png": "png"}.get(mimetype, "pdf")
    response.headers["Content-Disposition"] = f'inline; filename="scan-{someone.ref}.{extension}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


@bp.route("/e/<slug>/manage/vetting", methods=["GET", "POST"])
@event_page(ORGANISER)
def overview(event: Event):
    """The organiser's view: the switch, the retention period, each person's verdict
    (never a document), and the erasure once the period is over."""
    form = VettingSwitchForm(
        data={"required": event.security_vetting, "retention_days": purge.retention_days(event)}
    )
    purge_form = PurgeForm(prefix="purge")
    status = 200
    if purge_form.purge.data and purge_form.validate_on_submit():
        try:
            purged = purge.purge_personal_data(event)
        except DomainError as error:
            flash(str(error), "error")
            status = 409
        else:
            flash(
                _(
                    "Erased %(documents)s identity documents and %(photos)s photos.",
                    documents=purged.documents,
                    photos=purged.photos,
                ),
                "success",
            )
            return redirect(url_for(".overview", slug=event.slug), 303)
    elif form.save.data:
        if form.validate_on_submit():
            services.set_vetting_required(event, form.required.data)
            services.set_retention(event, form.retention_days.data)
            flash(_("Security vetting setting saved."), "success")
            return redirect(url_for(".overview", slug=event.slug), 303)
        status = 422
    return render_template(
        "vetting/overview.html",
        event=event,
        form=form,
        purge_form=purge_form,
        purge_date=purge.purge_date(event),
        people=services.vetting_queue(event),
    ), status
