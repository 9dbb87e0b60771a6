"""The accreditation queue, the exhibitor and participant lists, and their CSV export and
import (upload, preview, accept or cancel)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response, abort, flash, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from expo_app.delegations.models import Accreditation, Participant, ParticipantRole
from expo_app.errors import field_error
from expo_app.events.models import Event
from expo_app.exhibitors.models import Approval
from expo_app.organiser import csvio, services
from expo_app.organiser.forms import DeleteForm, ImportForm
from expo_app.organiser.services import ListQuery, OrganiserError
from expo_app.organiser.views.common import PREFIX, bp, go, page_number, posted_decision
from expo_app.web.access import ORGANISER
from expo_app.web.params import arg_int, int_list, parse_int
from expo_app.web.rh import event_page

LISTS = "<any(exhibitors, participants):kind>"

# --- Accreditation --------------------------------------------------------------------------


def _queue_page(event: Event, *, errors: dict | None = None, status: int = 200):
    delegation = arg_int(request.values, "delegation")
    queue = services.accreditation_queue(event, delegation_id=delegation, page=page_number())
    chosen = set(int_list(request.form.getlist("participants")))
    return (
        render_template(
            "organiser/accreditation.html",
            event=event,
            queue=queue,
            delegation=delegation,
            errors=errors or {},
            chosen=chosen,
            typed=request.form,
        ),
        status,
    )


@dataclass
class _Decision:
    """What the queue's form asks: one person's button (act=approve-12) or the bulk one."""

    approve: bool
    ids: list[int]
    reason: str | None
    reason_field: str  # where a missing reason is shown

    @classmethod
    def read(cls, form: MultiDict) -> _Decision:
        decision, _sep, single = form.get("act", "").partition("-")
        one = parse_int(single, lo=1) if single else None
        if decision not in ("approve", "reject") or (single and one is None):
            abort(400)
        approve, bulk_reason = decision == "approve", form.get("reason", "").strip()
        if one is not None:
            reason = form.get(f"reason-{one}", "").strip() or bulk_reason
            return cls(approve, [one], reason[:1000] or None, f"reason-{one}")
        ids = int_list(form.getlist("participants"))
        return cls(approve, ids, bulk_reason[:1000] or None, "reason")

    def done(self, changed: list[Participant]) -> str:
        if len(changed) == 1 and self.approve:
            return _("%(name)s is accredited.", name=changed[0].name)
        if len(changed) == 1:
            return _("%(name)s is refused.", name=changed[0].name)
        if self.approve:
            return _("%(num)d people accredited.", num=len(changed))
        return _("%(num)d people refused.", num=len(changed))


@bp.route(f"{PREFIX}/accreditation", methods=["GET", "POST"])
@event_page(ORGANISER)
def accreditation(event: Event):
    if request.method == "GET":
        return _queue_page(event)
    wanted = _Decision.read(request.form)
    try:
        changed = services.decide_accreditation(
            event, wanted.ids, approve=wanted.approve, reason=wanted.reason
        )
    except OrganiserError as error:
        field = wanted.reason_field if error.field == "reason" else error.field
        return _queue_page(event, errors={field: str(error)}, status=422)
    flash(wanted.done(changed), "success")
    return go(".accreditation", event, delegation=arg_int(request.form, "delegation"))


# --- Lists and CSV --------------------------------------------------------------------------


def _list_query() -> ListQuery:
    args = request.args
    return ListQuery(
        q=args.get("q", "").strip()[:100],
        status=args.get("status", "").strip()[:20],
        country=args.get("country", "").strip()[:2],
        sector=args.get("sector", "").strip()[:100],
        role=args.get("role", "").strip()[:20],
        delegation=arg_int(args, "delegation"),
        sort=args.get("sort", "name")[:20],
        page=page_number(),
    )


def _list_page(event: Event, kind: str, listing: Callable, filters: Callable, **page: Any):
    """A page of a management list as the query string asks, with its filters and import."""
    wanted = _list_query()
    return render_template(
        f"organiser/{kind}.html",
        event=event,
        wanted=wanted,
        page=listing(event, wanted),
        choices=filters(event),
        import_form=ImportForm(),
        **page,
    )


@bp.route(f"{PREFIX}/exhibitors/")
@event_page(ORGANISER)
def exhibitors(event: Event):
    return _list_page(
        event,
        "exhibitors",
        services.exhibitor_list,
        services.exhibitor_filter_choices,
        statuses=Approval.choices(),
        sorts=services.EXHIBITOR_SORTS,
    )


@bp.route(f"{PREFIX}/participants/")
@event_page(ORGANISER)
def participants(event: Event):
    return _list_page(
        event,
        "participants",
        services.participant_list,
        services.participant_filter_choices,
        statuses=Accreditation.choices(),
        roles=ParticipantRole.choices(),
        sorts=services.PARTICIPANT_SORTS,
    )


@bp.route(f"{PREFIX}/{LISTS}.csv")
@event_page(ORGANISER)
def export_csv(event: Event, kind: str):
    rows = csvio.export_rows(event, kind)
    response = Response(stream_with_context(rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-{kind}.csv"'
    return response


@bp.route(f"{PREFIX}/{LISTS}/import", methods=["POST"])
@event_page(ORGANISER)
def import_csv(event: Event, kind: str):
    form = ImportForm()
    if form.validate_on_submit():
        try:
            preview = csvio.preview_import(event, kind, form.file.data, user_id=current_user.id)
        except csvio.ImportRefused as error:
            field_error(form, error)
        else:
            return go(".import_preview", event, token=preview.token)
    return render_template(
        "organiser/import_form.html", event=event, kind=kind, form=form, back=f".{kind}"
    ), 422


@bp.route(f"{PREFIX}/import/<token>", methods=["GET", "POST"])
@event_page(ORGANISER)
def import_preview(event: Event, token: str):
    pending = csvio.load_pending(event, token, user_id=current_user.id)
    if pending is None:
        flash(_("This import has expired or was already done. Please upload the file again."))
        return go(".dashboard", event)
    form = DeleteForm()  # only the CSRF token matters here
    decision = posted_decision(form)
    if decision is None:
        return render_template(
            "organiser/import_preview.html", event=event, pending=pending, form=form
        )
    if decision != "cancel":
        return _accept(event, pending, form)
    csvio.discard_pending(token)
    flash(_("The import is cancelled; nothing was changed."), "success")
    return go(f".{pending.kind}", event)


def _accept(event: Event, pending: csvio.Pending, form: DeleteForm):
    """Write the import, or show the rows that the data changed under since the preview."""
    outcome = csvio.accept_import(event, pending)
    if outcome.errors:
        pending = csvio.refresh_pending(event, pending.token, pending, outcome.errors)
        flash(_("The data changed since the preview; check the rows marked below."), "error")
        return render_template(
            "organiser/import_preview.html", event=event, pending=pending, form=form
        ), 409
    csvio.discard_pending(pending.token)
    created, updated = outcome.created, outcome.updated
    message = _(
        "Import done: %(created)d added, %(updated)d updated.", created=created, updated=updated
    )
    flash(message, "success")
    return go(f".{pending.kind}", event)
