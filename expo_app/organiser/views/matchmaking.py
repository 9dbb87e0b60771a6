"""The automatic meeting scheduler: make a plan (the search runs within the request), look
at it, then apply or discard it. Nothing is written before the organiser applies."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from expo_app.events.models import Event
from expo_app.matchmaking import planning
from expo_app.organiser.forms import DeleteForm, SchedulerForm
from expo_app.organiser.plan_preview import plan_page
from expo_app.organiser.views.common import PREFIX, bp, go, page_number, posted_decision
from expo_app.web.access import ORGANISER
from expo_app.web.rh import event_page


@bp.route(f"{PREFIX}/scheduler/", methods=["GET", "POST"])
@event_page(ORGANISER)
def scheduler(event: Event):
    form = SchedulerForm()
    if form.validate_on_submit():
        token = planning.run_preview(
            event, user_id=current_user.id, time_limit=float(form.time_limit.data)
        )
        return go(".scheduler_preview", event, token=token)
    return render_template(
        "organiser/scheduler.html",
        event=event,
        form=form,
        state=planning.matchmaking_state(event),
    ), (422 if form.errors else 200)


@bp.route(f"{PREFIX}/scheduler/<token>", methods=["GET", "POST"])
@event_page(ORGANISER)
def scheduler_preview(event: Event, token: str):
    preview = planning.load_preview(event, token, user_id=current_user.id)
    if preview is None:
        flash(_("This plan was applied, discarded or has expired. Run the scheduler again."))
        return go(".scheduler", event)
    form = DeleteForm()  # only the CSRF token matters here
    decision = posted_decision(form)
    if decision is None:
        return render_template(
            "organiser/scheduler_preview.html",
            event=event,
            form=form,
            token=token,
            preview=plan_page(preview, page_number()),
        )
    if decision == "discard":
        planning.discard_preview(token)
        flash(_("The plan is discarded; no meeting was written."), "success")
    else:
        _apply(event, preview, token)
    return go(".scheduler", event)


def _apply(event: Event, preview: dict, token: str) -> None:
    """Write the plan's meetings and say how it went; a refused plan writes nothing."""
    try:
        written = planning.apply_preview(event, preview, token)
    except planning.PlanOutdated as error:
        message = _(
            "The meetings changed since this plan was made (%(num)d of its meetings "
            "no longer fit). Nothing was written: run the scheduler again.",
            num=error.count,
        )
        flash(message, "error")
    except planning.PlanRejected:
        message = _(
            "The meetings changed while the plan was written. Nothing was "
            "written: run the scheduler again."
        )
        flash(message, "error")
    else:
        message = ngettext(
            "%(num)d meeting is scheduled; the delegates and exhibitors see it now.",
            "%(num)d meetings are scheduled; the delegates and exhibitors see them now.",
            written,
        )
        flash(message, "success")
