"""Public, read-only pages: the list of events, and per event its overview,
exhibitor directory and schedule. Every event page takes the one request path at the
PUBLIC level (anyone, signed in or not); being read-only, they never write."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from expo_app.countries import country_name
from expo_app.events import services as events
from expo_app.events.models import Event
from expo_app.exhibitors import services as exhibitors
from expo_app.exhibitors.admission import viewer_of
from expo_app.web.access import PUBLIC
from expo_app.web.params import page_arg
from expo_app.web.rh import event_page, page

bp = Blueprint("public", __name__)


@bp.app_template_filter("country")
def _country(code: str | None) -> str:
    return country_name(code)


@bp.route("/")
@page
def index():
    all_events = events.list_events()
    if len(all_events) == 1:
        return redirect(url_for("public.overview", slug=all_events[0].slug))
    return render_template("public/index.html", events=all_events)


@bp.route("/e/<slug>/")
@event_page(PUBLIC)
def overview(event: Event):
    return render_template(
        "public/overview.html",
        event=event,
        days=events.programme(event, viewer_of(event.id, current_user)),
        counts=events.event_counts(event),
    )


@bp.route("/e/<slug>/exhibitors/")
@event_page(PUBLIC)
def directory(event: Event):
    wanted = exhibitors.DirectoryFilter(
        query=request.args.get("q", "").strip()[:100],
        sector=request.args.get("sector", "").strip()[:100],
        country=request.args.get("country", "").strip()[:2],
        page=page_arg(),
    )
    return render_template(
        "public/directory.html",
        event=event,
        wanted=wanted,
        page=exhibitors.directory(event, wanted),
        sectors=exhibitors.sectors_of_event(event),
        countries=exhibitors.countries_of_event(event),
    )


@bp.route("/e/<slug>/exhibitors/<ref>")
@event_page(PUBLIC)
def exhibitor(event: Event, ref: str):
    """An approved exhibitor's public page; any other (pending, refused, unknown): 404."""
    found = exhibitors.exhibitor_by_ref(event, ref)
    if found is None:
        abort(404)
    sessions = events.sessions_of_exhibitor(event, found.id, viewer_of(event.id, current_user))
    return render_template("public/exhibitor.html", event=event, exhibitor=found, sessions=sessions)


@bp.route("/e/<slug>/schedule/")
@event_page(PUBLIC)
def schedule(event: Event):
    days = events.programme(event, viewer_of(event.id, current_user))
    return render_template("public/schedule.html", event=event, days=days)
