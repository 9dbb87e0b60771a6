"""Vetting pages: the participant's identity document, the security officers' queue
and the organiser's switch and status list. Thin: the rules are in services."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from expo_app.delegations.models import Participant
from expo_app.delegations.portal import Portal
from expo_app.errors import DomainError, field_error
from expo_app.events.models import Event
from expo_app.vetting import purge, services
from expo_app.vetting.forms import (
    DocumentForm,
    PurgeForm,
    RevealForm,
    VerdictForm,
    VettingSwitchForm,
)
from expo_app.vetting.services import VettingError
from expo_app.web.access import DELEGATE, ORGANISER, SECURITY
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
    return render_template(
        "vetting/my_document.html",
        event=event,
        me=me,
        form=form,
        document=me.identity_document,
    ), status


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
    ), status


@bp.route("/e/<slug>/manage/vetting", methods=["GET", "POST"])
@event_page(ORGANISER)
def overview(event: Event):
    """The organiser's view: the switch, the retention period, each person's verdict
    (never a document), and the erasure once the period is over."""
    form = VettingSwitchForm(
        data={"required": event.security_vetting, "retention_days": event.retention_days}
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
