"""The floor plan: occupancy and revenue per hall, stands to confirm, release or assign,
and the stand form. Holds, confirmations and releases are the exhibitors' rules."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext as _

from expo_app.events.models import Event
from expo_app.exhibitors import services as exhibitor_services
from expo_app.exhibitors.floorplan import floor_plan
from expo_app.exhibitors.models import Stand
from expo_app.exhibitors.services import ExhibitorError, StandUnavailable
from expo_app.organiser import services
from expo_app.organiser.forms import AssignForm, DeleteForm, StandForm
from expo_app.organiser.services import OrganiserError, RecordChanged
from expo_app.organiser.views.common import (
    PREFIX,
    WITHOUT_VERSION,
    add_error,
    bp,
    go,
    version_of,
)
from expo_app.web.access import ORGANISER
from expo_app.web.once import first_send, sent_already
from expo_app.web.rh import event_page, of_event


def _floor_page(event: Event, *, errors: dict | None = None, status: int = 200):
    return render_template(
        "organiser/floor_plan.html",
        event=event,
        plans=floor_plan(event),
        halls=services.hall_figures(event),
        exhibitors=services.approved_exhibitors(event),
        errors=errors or {},
        typed=request.form,
    ), status


@bp.route(f"{PREFIX}/floor-plan/")
@event_page(ORGANISER)
def floor(event: Event):
    return _floor_page(event)


@bp.route(
    f"{PREFIX}/floor-plan/<int:stand_id>/<any(confirm, release, assign):action>", methods=["POST"]
)
@event_page(ORGANISER)
def stand_action(event: Event, stand_id: int, action: str):
    stand = of_event(Stand, stand_id, event)
    if action == "assign":
        return _assign(event, stand)
    if not DeleteForm().validate_on_submit():
        abort(400)
    code = stand.ref
    try:
        if action == "confirm":
            exhibitor_services.confirm_stand(stand)
        else:
            exhibitor_services.release_stand(stand)
    except ExhibitorError as error:
        flash(str(error), "error")
    else:
        if action == "confirm":
            flash(_("Stand %(code)s is confirmed.", code=code), "success")
        else:
            flash(_("Stand %(code)s is free again.", code=code), "success")
    return go(".floor", event, anchor=f"stand-{stand_id}")


def _assign(event: Event, stand: Stand):
    """Put a free stand on hold for the approved exhibitor the organiser named."""
    stand_id, code = stand.id, stand.ref
    form = AssignForm()
    if not form.validate_on_submit():
        refusal = _("Choose an exhibitor from the list.")
        return _floor_page(event, errors={stand_id: refusal}, status=422)
    exhibitor = services.approved_exhibitor_named(event, form.exhibitor.data)
    if exhibitor is None:
        refusal = _("No approved exhibitor has that name.")
        return _floor_page(event, errors={stand_id: refusal}, status=422)
    name = exhibitor.name
    try:
        services.assign_stand(event, stand, exhibitor)
    except (OrganiserError, StandUnavailable):
        flash(_("Stand %(code)s is no longer free.", code=code), "error")
    else:
        flash(_("Stand %(code)s is on hold for %(name)s.", code=code, name=name), "success")
    return go(".floor", event, anchor=f"stand-{stand_id}")


def _stand_form(event: Event, stand: Stand | None = None) -> StandForm:
    data = None
    if stand is not None:
        fields = ("ref", "location_id", "width_m", "depth_m", "x_m", "y_m", "price", "currency")
        data = {name.removesuffix("_id"): getattr(stand, name) for name in fields}
        data["version"] = stand.version
    form = StandForm(data=data)
    form.location.choices = [(location.id, location.name) for location in event.locations]
    return form


def _details(form: StandForm) -> services.StandDetails:
    return services.StandDetails(
        ref=form.ref.data,
        location_id=form.location.data,
        width_m=form.width_m.data,
        depth_m=form.depth_m.data,
        x_m=form.x_m.data,
        y_m=form.y_m.data,
        price=form.price.data,
        currency=form.currency.data,
    )


@bp.route(f"{PREFIX}/floor-plan/new", methods=["GET", "POST"])
@bp.route(f"{PREFIX}/floor-plan/<int:stand_id>", methods=["GET", "POST"])
@event_page(ORGANISER)
def edit_stand(event: Event, stand_id: int | None = None):
    stand = of_event(Stand, stand_id, event) if stand_id is not None else None
    form = _stand_form(event, stand)
    current = None
    if request.method == "POST" and stand is not None and version_of(form) is None:
        add_error(form, None, str(WITHOUT_VERSION), fallback="ref")
    elif request.method == "POST" and form.validate_on_submit():
        if stand is None and not first_send(form):
            return sent_already(go(".floor", event))
        try:
            saved = services.save_stand(
                event, _details(form), stand=stand, version=version_of(form)
            )
        except RecordChanged as error:
            current = error.current
            form.version.data = str(current.version)
        except OrganiserError as error:
            add_error(form, error.field, str(error), fallback="ref")
        else:
            flash(_("Stand %(code)s is saved.", code=saved.ref), "success")
            return go(".floor", event, anchor=f"stand-{saved.id}")
    status = 200 if request.method == "GET" else (409 if current is not None else 422)
    return render_template(
        "organiser/stand_form.html", event=event, form=form, stand=stand, current=current
    ), status
