"""Access zones: who holds which restricted location, one person's zones, a zone for a
whole delegation, and the standing rules. The rules live in `delegations.zones`."""

from __future__ import annotations

from typing import Any

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext

from expo_app.delegations import zones
from expo_app.delegations.models import (
    CATEGORY_ROLES,
    DelegationKind,
    Participant,
    ParticipantRole,
)
from expo_app.errors import field_error
from expo_app.events.models import Event
from expo_app.organiser.forms import (
    DelegationZoneForm,
    DeleteRuleForm,
    PersonZonesForm,
    ZoneRuleForm,
)
from expo_app.organiser.views.common import PREFIX, bp, go, page_number
from expo_app.web.access import ORGANISER
from expo_app.web.params import arg_int
from expo_app.web.rh import event_page, of_event

# Where the person's zone page goes back to: the table, or the accreditation queue.
BACK_TO = {"zones": ".zones_table", "accreditation": ".accreditation"}


def _zone_choices(event: Event) -> list[tuple[int, str]]:
    return [(location.id, location.name) for location in zones.restricted_locations(event)]


def _delegation_form(event: Event, form: DelegationZoneForm | None = None) -> DelegationZoneForm:
    form = form or DelegationZoneForm(formdata=None, prefix="bulk")
    form.delegation.choices = [(None, "—")] + zones.delegation_choices(event)
    form.location.choices = [(None, "—")] + _zone_choices(event)
    return form


def _rule_form(event: Event, form: ZoneRuleForm | None = None) -> ZoneRuleForm:
    form = form or ZoneRuleForm(formdata=None, prefix="rule")
    form.location.choices = [(None, "—")] + _zone_choices(event)
    return form


def _zones_page(event: Event, *, status: int = 200, **forms: Any):
    """The table and the forms, with the form just refused (if any) as it was sent."""
    delegation = arg_int(request.args, "delegation")
    return render_template(
        "organiser/zones.html",
        event=event,
        table=zones.zone_table(event, delegation_id=delegation, page=page_number()),
        delegation=delegation,
        bulk_form=_delegation_form(event, forms.get("bulk")),
        rule_form=_rule_form(event, forms.get("rule")),
        rules=zones.rules(event),
        describe=zones.rule_description,
        delete_form=forms.get("delete") or DeleteRuleForm(formdata=None),
        DelegationKind=DelegationKind,
    ), status


@bp.route(f"{PREFIX}/zones/")
@event_page(ORGANISER)
def zones_table(event: Event):
    return _zones_page(event)


@bp.route(f"{PREFIX}/zones/delegation", methods=["POST"])
@event_page(ORGANISER)
def delegation_zones(event: Event):
    form = _delegation_form(event, DelegationZoneForm(prefix="bulk"))
    if form.validate_on_submit() and form.act.data == "category":
        try:
            delegation, changed = zones.change_delegation_category(
                event, form.delegation.data, form.category.data
            )
        except zones.ZoneError as error:
            field_error(form, error)
        else:
            flash(
                ngettext(
                    "%(category)s badge for %(num)d member of %(delegation)s.",
                    "%(category)s badge for %(num)d members of %(delegation)s.",
                    len(changed),
                    category=ParticipantRole.label_of(form.category.data),
                    delegation=delegation.name,
                ),
                "success",
            )
            return go(".zones_table", event, delegation=delegation.id)
    elif form.validate_on_submit():
        give = form.act.data == "grant"
        try:
            delegation, location, changed = zones.change_delegation_zone(
                event, form.delegation.data, form.location.data, give=give
            )
        except zones.ZoneError as error:
            field_error(form, error)
        else:
            flash(_delegation_done(delegation.name, location.name, len(changed), give), "success")
            return go(".zones_table", event, delegation=delegation.id)
    return _zones_page(event, status=422, bulk=form)


def _delegation_done(delegation: str, zone: str, count: int, give: bool) -> str:
    if give:
        return ngettext(
            "%(zone)s granted to %(num)d member of %(delegation)s.",
            "%(zone)s granted to %(num)d members of %(delegation)s.",
            count,
            zone=zone,
            delegation=delegation,
        )
    return ngettext(
        "%(zone)s withdrawn from %(num)d member of %(delegation)s.",
        "%(zone)s withdrawn from %(num)d members of %(delegation)s.",
        count,
        zone=zone,
        delegation=delegation,
    )


@bp.route(f"{PREFIX}/zones/rules", methods=["POST"])
@event_page(ORGANISER)
def add_zone_rule(event: Event):
    form = _rule_form(event, ZoneRuleForm(prefix="rule"))
    if form.validate_on_submit():
        try:
            rule, changed = zones.add_rule(
                event,
                form.location.data,
                delegation_kind=form.delegation_kind.data,
                role=form.role.data,
                category=form.category.data,
            )
        except zones.ZoneError as error:
            field_error(form, error)
        else:
            flash(
                ngettext(
                    "The rule is saved: %(zone)s granted to %(num)d approved person now.",
                    "The rule is saved: %(zone)s granted to %(num)d approved people now.",
                    len(changed),
                    zone=zones.rule_gives(rule),
                ),
                "success",
            )
            return go(".zones_table", event, anchor="rules")
    return _zones_page(event, status=422, rule=form)


@bp.route(f"{PREFIX}/zones/rules/delete", methods=["POST"])
@event_page(ORGANISER)
def delete_zone_rule(event: Event):
    form = DeleteRuleForm()
    if form.validate_on_submit():
        try:
            zones.delete_rule(event, form.rule.data)
        except zones.ZoneError as error:
            field_error(form, error)
        else:
            flash(
                _("The rule is deleted. The zones it granted stay with their holders."), "success"
            )
            return go(".zones_table", event, anchor="rules")
    return _zones_page(event, status=422, delete=form)


@bp.route(f"{PREFIX}/zones/people/<int:participant_id>", methods=["GET", "POST"])
@event_page(ORGANISER)
def person_zones(event: Event, participant_id: int):
    person = of_event(Participant, participant_id, event)
    back = request.values.get("back", "zones")
    back = back if back in BACK_TO else "zones"
    # On a POST only what was ticked counts: nothing ticked is no zone at all.
    form = PersonZonesForm(
        data=None
        if request.method == "POST"
        else {"zones": person.zone_location_ids, "category": person.role}
    )
    form.zones.choices = _zone_choices(event)
    categorised = person.role in CATEGORY_ROLES
    if form.validate_on_submit():
        try:
            wanted = form.category.data if categorised else None  # absent: unchanged
            changed = bool(wanted) and zones.set_category(event, person, wanted)
            changed = zones.set_zones(event, person, form.zones.data or []) or changed
        except zones.ZoneError as error:
            field_error(form, error)
        else:
            if changed:
                flash(_("The zones of %(name)s are saved.", name=person.name), "success")
            else:
                flash(_("Nothing changed for %(name)s.", name=person.name), "success")
            return go(BACK_TO[back], event)
    return render_template(
        "organiser/person_zones.html",
        event=event,
        person=person,
        form=form,
        back=back,
        back_endpoint=BACK_TO[back],
        role_label=ParticipantRole.label_of(person.role),
        categorised=categorised,
    ), (422 if form.errors else 200)
