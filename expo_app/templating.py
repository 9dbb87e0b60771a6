"""Template helpers: languages, the current event, dates in the reader's language."""

from __future__ import annotations

from datetime import date, datetime, time

from babel import dates as babel_dates
from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user


def formatting_locale() -> str:
    """English pages use British conventions (11 November 2025, 14:30), as expos do."""
    locale = str(get_locale() or "en")
    return "en_GB" if locale == "en" else locale


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject_globals() -> dict:
        return {
            "role_links": role_links,
            "languages": current_app.config["LANGUAGES"],
            "current_locale": str(get_locale() or "en"),
            "current_path": request.full_path.rstrip("?") if request else "/",
        }

    @app.template_filter("day")
    def format_day(value: date | datetime, style: str = "full") -> str:
        return babel_dates.format_date(value, style, locale=formatting_locale()) if value else ""

    @app.template_filter("hm")
    def format_hour(value: time | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.time()
        # Event times are local wall-clock times: format them as they are, no zone shift.
        return babel_dates.format_time(value, "short", locale=formatting_locale())


# The pages each role starts from, per event, as (endpoint, label). A link shows only once
# its blueprint is registered, so portals can land one at a time.
ROLE_LINKS = {
    "organiser": [("organiser.dashboard", _l("Manage")), ("badges.checkin", _l("Gate"))],
    "exhibitor": [("exhibitor_portal.dashboard", _l("My company"))],
    "delegate": [("delegate_portal.dashboard", _l("My meetings"))],
    "gate": [("badges.checkin", _l("Gate"))],
}


def role_links(event) -> list[tuple[str, str]]:
    """Navigation links (url, label) for the signed-in person's role at this event."""
    if event is None or not current_user.is_authenticated:
        return []
    from expo_app.accounts.permissions import is_gate_staff_of, is_organiser_of

    attached = {"organiser": is_organiser_of, "gate": is_gate_staff_of}.get(current_user.role)
    if attached is not None and not attached(current_user, event.id):
        return []  # staff of other events: nothing to do here
    return [
        (url_for(endpoint, slug=event.slug), str(label))
        for endpoint, label in ROLE_LINKS.get(current_user.role, [])
        if endpoint in current_app.view_functions
    ]
