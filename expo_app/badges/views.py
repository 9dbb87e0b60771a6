"""Badge pages: organisers print badges, holders download their own, gate staff check in,
and anyone fetches the public key and revocation list for an offline scanner.

Every page goes one way (`badge_page`): the event from the slug, the access rule of
the page, the view, one commit at the end (or a rollback). A `BadgeError` becomes a
message for the person, never a 500.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from expo_app.accounts.permissions import (
    exhibitor_of,
    is_gate_staff_of,
    is_organiser_of,
    participant_of,
)
from expo_app.badges import services
from expo_app.badges.forms import ScanForm
from expo_app.badges.layout import LAYOUT_NAMES
from expo_app.badges.services import BadgeError, NotApproved
from expo_app.delegations.models import Delegation, Participant
from expo_app.events.models import Event
from expo_app.events.services import event_or_404
from expo_app.extensions import db, login_manager
from expo_app.forms import PageForm

bp = Blueprint("badges", __name__)


# --- The one path every badge page takes --------------------------------------------------


def may_work_the_gate(user: Any, event: Event) -> bool:
    """The event's gate staff and its organisers."""
    return is_gate_staff_of(user, event.id) or is_organiser_of(user, event.id)


ACCESS: dict[str, Callable[[Any, Event], bool]] = {
    "public": lambda user, event: True,
    "signed_in": lambda user, event: True,
    "organiser": lambda user, event: is_organiser_of(user, event.id),
    "gate": may_work_the_gate,
}


def badge_page(access: str) -> Callable:
    """The event, the access rule ("public", "signed_in", "organiser", "gate"), the view,
    then one commit; anonymous visitors of a private page go to the login page."""

    rule = ACCESS[access]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(slug: str, **kwargs: Any) -> Any:
            event = event_or_404(slug)
            if access != "public" and not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not rule(current_user, event):
                abort(403)
            try:
                response = view(event, **kwargs)
                db.session.commit()
            except BadgeError as error:
                db.session.rollback()
                return _refused(error)
            except Exception:
                db.session.rollback()
                raise
            return response

        return wrapped

    return decorator


def _refused(error: BadgeError):
    if isinstance(error, NotApproved):
        message = _("Badges are given to approved participants only. %(detail)s", detail=error)
    else:
        message = str(error)
    return render_template("errors/error.html", code=409, message=message), 409


def _layout() -> str:
    layout = request.args.get("layout", "a6")
    if layout not in LAYOUT_NAMES:
        abort(404)
    return layout


def _pdf(event: Event, ids: Sequence[int], name: str) -> Response:
    """The badges as a PDF download, drawn into a temporary file (never all in memory)."""
    if not ids:
        raise BadgeError(_("Nobody here has an approved accreditation yet: no badge to print."))
    layout = _layout()
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (send_file closes it after sending)
    try:
        services.write_badges(event, handle, ids, layout)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return send_file(
        handle,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{event.slug}-{name}-{layout}.pdf",
        max_age=0,
    )


# --- Organisers: print and reissue ------------------------------------------------------------


@bp.route("/e/<slug>/manage/badges/")
@badge_page("organiser")
def manage(event: Event):
    search = request.args.get("q", "").strip()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    return render_template(
        "badges/manage.html",
        event=event,
        overview=services.badge_overview(event, search, page),
        q=search,
        categories=services.CATEGORY_NAMES,
        category_of=services.category_of,
        gets_badge=services.gets_badge,
        reissue_form=PageForm(),  # only its CSRF token
    )


@bp.route("/e/<slug>/manage/badges/all.pdf")
@badge_page("organiser")
def all_pdf(event: Event):
    return _pdf(event, services.holder_ids(event), "badges")


@bp.route("/e/<slug>/manage/badges/delegation/<int:delegation_id>.pdf")
@badge_page("organiser")
def delegation_pdf(event: Event, delegation_id: int):
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.event_id != event.id:
        abort(404)
    ids = services.holder_ids(event, delegations=[delegation.id])
    return _pdf(event, ids, f"badges-{delegation.ref}")


@bp.route("/e/<slug>/manage/badges/person/<int:participant_id>.pdf")
@badge_page("organiser")
def person_pdf(event: Event, participant_id: int):
    person = _person(event, participant_id)
    return _pdf(event, services.holder_ids(event, participants=[person.id]), person.ref)


@bp.route("/e/<slug>/manage/badges/person/<int:participant_id>/reissue", methods=["POST"])
@badge_page("organiser")
def reissue(event: Event, participant_id: int):
    person = _person(event, participant_id)
    if not PageForm().validate_on_submit():
        abort(400)
    version = services.reissue(person)
    flash(
        _(
            "New badge for %(name)s (version %(version)s): the previous one is now revoked.",
            name=person.name,
            version=version,
        ),
        "success",
    )
    return redirect(
        url_for(".manage", slug=event.slug, q=request.form.get("q") or None) + "#people", 303
    )


def _person(event: Event, participant_id: int) -> Participant:
    person = db.session.get(Participant, participant_id)
    if person is None or person.event_id != event.id:
        abort(404)
    return person


# --- Holders: their own badge ------------------------------------------------------------------


@bp.route("/e/<slug>/my/badge.pdf")
@badge_page("signed_in")
def my_badge(event: Event):
    me = participant_of(current_user, event.id)
    if me is None:
        abort(404)
    services.ensure_approved(me)
    return _pdf(event, services.holder_ids(event, participants=[me.id]), "badge")


@bp.route("/e/<slug>/my/staff-badges.pdf")
@badge_page("signed_in")
def staff_badges(event: Event):
    """An exhibitor's account prints the badges of its approved staff."""
    exhibitor = exhibitor_of(current_user, event.id)
    if exhibitor is None:
        abort(404)
    return _pdf(event, services.holder_ids(event, exhibitor_id=exhibitor.id), "staff-badges")


# --- Offline scanners --------------------------------------------------------------------------


@bp.route("/e/<slug>/badges/public-key.pem")
@badge_page("public")
def public_key(event: Event):
    response = Response(services.public_key_pem(event), mimetype="application/x-pem-file")
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-badge-key.pem"'
    return response


@bp.route("/e/<slug>/badges/revocations.json")
@badge_page("public")
def revocations(event: Event):
    body = json.dumps(services.revocation_list(event), indent=1, ensure_ascii=False)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{event.slug}-revocations.json"'
    )
    response.cache_control.no_store = True
    return response


# --- The gate ----------------------------------------------------------------------------------


@bp.route("/e/<slug>/gate/", methods=["GET", "POST"])
@badge_page("gate")
def checkin(event: Event):
    gates = services.gates(event)
    form = ScanForm(gate=request.args.get("gate", services.MAIN_GATE))
    form.gate.choices = [SelectChoice(gate.key, gate.name) for gate in gates]
    result = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            gate = services.gate_named(event, form.gate.data)
            if gate is None:  # pragma: no cover - the select refuses unknown gates
                abort(400)
            result = services.check_in(
                event, form.code.data, gate, form.direction.data, user_id=current_user.id
            )
            form.code.data = ""
        else:
            status = 400
    counts = services.zone_counts(event)
    if _wants_json():
        return jsonify(
            admitted=result.admitted if result else None,
            reason=result.reason if result else None,
            errors=form.errors,
            result_html=render_template("badges/_result.html", event=event, result=result),
            counts_html=render_template("badges/_counts.html", counts=counts),
        ), status
    return render_template(
        "badges/checkin.html", event=event, form=form, result=result, counts=counts
    ), status


@bp.route("/e/<slug>/gate/counts")
@badge_page("gate")
def counts(event: Event):
    """The live counts, as a fragment the gate page refreshes."""
    return render_template("badges/_counts.html", counts=services.zone_counts(event))


@bp.route("/e/<slug>/gate/photo/<int:participant_id>.jpg")
@badge_page("gate")
def photo(event: Event, participant_id: int):
    from expo_app.delegations.services import photo_file

    path = photo_file(_person(event, participant_id))
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=0)


def _wants_json() -> bool:
    """The gate page's script asks for JSON; a browser without it gets the whole page."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )
