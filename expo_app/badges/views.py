"""Badge pages: organisers print badges, holders download their own, gate staff check in,
and anyone fetches the public key and revocation list for an offline scanner.

Every page takes the one request path (`event_page(level)`): the level says who may come
(the registry in expo_app/web/access.py), a `BadgeError` becomes a message page, and only
a scan at the gate or a reissue writes (committed by the path, never by a view).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence

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

from expo_app.badges import services
from expo_app.badges.forms import ScanForm
from expo_app.badges.layout import LAYOUT_NAMES
from expo_app.badges.services import BadgeError
from expo_app.delegations.models import Delegation, Participant
from expo_app.delegations.portal import Portal
from expo_app.events.models import Event
from expo_app.exhibitors.models import Exhibitor
from expo_app.forms import PageForm
from expo_app.web.access import APPROVED_EXHIBITOR, DELEGATE, GATE, ORGANISER, PUBLIC
from expo_app.web.params import page_arg
from expo_app.web.rh import event_page, of_event

bp = Blueprint("badges", __name__)


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


def _download(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Organisers: print and reissue ------------------------------------------------------------


@bp.route("/e/<slug>/manage/badges/")
@event_page(ORGANISER)
def manage(event: Event):
    search = request.args.get("q", "").strip()
    page = page_arg()
    return render_template(
        "badges/manage.html",
        event=event,
        overview=services.badge_overview(event, search, page),
        q=search,
        category_of=services.category_of,
        category_name=services.category_name,
        gets_badge=services.gets_badge,
        reissue_form=PageForm(),  # only its CSRF token
    )


@bp.route("/e/<slug>/manage/badges/all.pdf")
@event_page(ORGANISER)
def all_pdf(event: Event):
    return _pdf(event, services.holder_ids(event), "badges")


@bp.route("/e/<slug>/manage/badges/delegation/<int:delegation_id>.pdf")
@event_page(ORGANISER)
def delegation_pdf(event: Event, delegation_id: int):
    delegation = of_event(Delegation, delegation_id, event)
    ids = services.holder_ids(event, delegations=[delegation.id])
    return _pdf(event, ids, f"badges-{delegation.ref}")


@bp.route("/e/<slug>/manage/badges/person/<int:participant_id>.pdf")
@event_page(ORGANISER)
def person_pdf(event: Event, participant_id: int):
    person = of_event(Participant, participant_id, event)
    return _pdf(event, services.holder_ids(event, participants=[person.id]), person.ref)


@bp.route("/e/<slug>/manage/badges/person/<int:participant_id>/reissue", methods=["POST"])
@event_page(ORGANISER)
def reissue(event: Event, participant_id: int):
    person = of_event(Participant, participant_id, event)
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


# --- Holders: their own badge ------------------------------------------------------------------


@bp.route("/e/<slug>/my/badge.pdf")
@event_page(DELEGATE)
def my_badge(event: Event, portal: Portal):
    services.ensure_approved(portal.me)
    return _pdf(event, services.holder_ids(event, participants=[portal.me.id]), "badge")


@bp.route("/e/<slug>/my/staff-badges.pdf")
@event_page(APPROVED_EXHIBITOR)
def staff_badges(event: Event, exhibitor: Exhibitor):
    """An exhibitor's account prints the badges of its approved staff."""
    return _pdf(event, services.holder_ids(event, exhibitor_id=exhibitor.id), "staff-badges")


# --- Offline scanners --------------------------------------------------------------------------


@bp.route("/e/<slug>/badges/public-key.pem")
@event_page(PUBLIC)
def public_key(event: Event):
    response = Response(services.public_key_pem(event), mimetype="application/x-pem-file")
    return _download(response, f"{event.slug}-badge-key.pem")


@bp.route("/e/<slug>/badges/revocations.json")
@event_page(PUBLIC)
def revocations(event: Event):
    body = json.dumps(services.revocation_list(event), indent=1, ensure_ascii=False)
    response = _download(
        Response(body, mimetype="application/json"), f"{event.slug}-revocations.json"
    )
    response.cache_control.no_store = True
    return response


@bp.route("/e/<slug>/gate/demos.json")
@event_page(GATE)
def demo_list(event: Event):
    """The signed demo list for offline scanners: gate staff only, since it names who may
    watch export-controlled demos."""
    body = json.dumps(services.demo_list(event), indent=1, ensure_ascii=False)
    response = _download(Response(body, mimetype="application/json"), f"{event.slug}-demos.json")
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response


# --- The gate ----------------------------------------------------------------------------------


@bp.route("/e/<slug>/gate/", methods=["GET", "POST"])
@event_page(GATE)
def checkin(event: Event):
    """Scan a badge (POST logs the scan, whatever the verdict) and show the live counts."""
    form = ScanForm.at(event, request.args.get("gate"))
    result, status = None, 200
    if request.method == "POST":
        if form.validate_on_submit():
            result = services.check_in_at(
                event, form.code.data, form.gate.data, form.direction.data, current_user.id
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
@event_page(GATE)
def counts(event: Event):
    """The live counts, as a fragment the gate page refreshes."""
    return render_template("badges/_counts.html", counts=services.zone_counts(event))


@bp.route("/e/<slug>/gate/photo/<int:participant_id>.jpg")
@event_page(GATE)
def photo(event: Event, participant_id: int):
    from expo_app.delegations.services import photo_file

    path = photo_file(of_event(Participant, participant_id, event))
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=0)


def _wants_json() -> bool:
    """The gate page's script asks for JSON; a browser without it gets the whole page."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )
