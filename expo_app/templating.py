"""Template helpers: languages, the current event, dates in the reader's language, the
named states templates ask for labels, and the navigation each person gets at an event."""

from __future__ import annotations

from datetime import date, datetime, time

from babel import dates as babel_dates
from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from expo_app.accounts.models import Role
from expo_app.exhibitors.models import description_in


def formatting_locale() -> str:
    """English pages use British conventions (11 November 2025, 14:30), as expos do."""
    locale = str(get_locale() or "en")
    return "en_GB" if locale == "en" else locale


def register(app: Flask) -> None:
    from expo_app.events.models import DayKind, LocationKind, SessionKind

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["description_in"] = description_in
    # The named states with their labels, so a template says `SessionKind.label_of(kind)`
    # instead of keeping its own dictionary of words.
    app.jinja_env.globals.update(
        DayKind=DayKind, SessionKind=SessionKind, LocationKind=LocationKind, Role=Role
    )

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


def nav_links():
    """The pages a person starts from at an event, as (endpoint, label, access level).
    A link shows to whoever its page's level lets in (or sends on to a first step, such
    as registering): the access registry is the one word on who may go where."""
    from expo_app.web.access import DELEGATE, EXHIBITOR, GATE, ORGANISER, SECURITY

    return [
        ("organiser.dashboard", _l("Manage"), ORGANISER),
        ("badges.checkin", _l("Gate"), GATE),
        ("vetting.queue", _l("Vetting"), SECURITY),
        ("exhibitor_portal.dashboard", _l("My company"), EXHIBITOR),
        ("delegate_portal.dashboard", _l("My meetings"), DELEGATE),
    ]


def role_links(event) -> list[tuple[str, str]]:
    """Navigation links (url, label) for the signed-in person at this event. A link shows
    only once its blueprint is registered, so portals can land one at a time."""
    if event is None or not current_user.is_authenticated:
        return []
    from expo_app.web.access import GoFirst, Refusal

    links = []
    for endpoint, label, level in nav_links():
        if endpoint not in current_app.view_functions:
            continue
        try:
            level(current_user, event)
        except GoFirst:
            pass  # their page sends them on to the step they still have to take
        except Refusal:
            continue
        links.append((url_for(endpoint, slug=event.slug), str(label)))
    return links
