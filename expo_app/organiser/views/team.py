"""The event's team: who organises it, checks badges at its gates and vets its
participants; inviting someone by email and removing someone. The rules are
accounts.team's; this page parses the forms and shows what the rules said."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from expo_app.accounts import team as team_rules
from expo_app.accounts.forms import InviteForm, RemoveMemberForm
from expo_app.accounts.services import AccountError
from expo_app.errors import field_error
from expo_app.events.models import Event
from expo_app.organiser.views.common import PREFIX, bp, go
from expo_app.web.access import ORGANISER
from expo_app.web.once import first_send, sent_already
from expo_app.web.params import parse_int
from expo_app.web.rh import event_page


def _team_page(
    event: Event,
    *,
    invite_form: InviteForm | None = None,
    invitation: team_rules.Invitation | None = None,
    removal: tuple[int | None, str] | None = None,
    status: int = 200,
):
    """The Team page; `removal` is a refused removal: (whose row, the message)."""
    link = None
    if invitation is not None and invitation.token:
        link = url_for("accounts.accept_invitation", token=invitation.token, _external=True)
    response = make_response(
        render_template(
            "organiser/team.html",
            event=event,
            members=team_rules.team_of(event),
            invite_form=invite_form or InviteForm(formdata=None),
            invitation=invitation,
            link=link,
            removal=removal,
            link_days=team_rules.lifetime().days,
        ),
        status,
    )
    if link:  # the one-time link is in this answer only
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route(f"{PREFIX}/team")
@event_page(ORGANISER)
def team(event: Event):
    return _team_page(event)


@bp.route(f"{PREFIX}/team/invite", methods=["POST"])
@event_page(ORGANISER)
def invite_member(event: Event):
    form = InviteForm()
    if not form.validate_on_submit():
        return _team_page(event, invite_form=form, status=422)
    if not first_send(form):
        return sent_already(go(".team", event))
    try:
        invitation = team_rules.invite(
            event, form.email.data, form.role.data, display_name=form.name.data
        )
    except AccountError as error:
        field_error(form, error)
        return _team_page(event, invite_form=form, status=422)
    if invitation.token is None:
        flash(_("%(email)s is now in the team.", email=invitation.user.email), "success")
        return go(".team", event)
    # Shown on this answer, not flashed: the link must not sit in the session cookie.
    return _team_page(event, invitation=invitation)


@bp.route(f"{PREFIX}/team/remove", methods=["POST"])
@event_page(ORGANISER)
def remove_member(event: Event):
    form = RemoveMemberForm()
    member_id = parse_int(form.member.data, lo=1) if form.validate_on_submit() else None
    me = current_user._get_current_object()
    try:
        removed = team_rules.remove_from_team(event, member_id, by=me)
    except AccountError as error:
        return _team_page(event, removal=(member_id, str(error)), status=422)
    if removed.id == me.id:
        flash(_("You are no longer in the team of %(event)s.", event=event.name), "success")
        return redirect(url_for("public.overview", slug=event.slug), code=303)
    name = removed.display_name or removed.email
    flash(_("%(name)s is no longer in the team.", name=name), "success")
    return go(".team", event)
