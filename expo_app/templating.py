"""Template helpers: languages, the current event, dates in the reader's language."""

from __future__ import annotations

from datetime import date, datetime, time

from babel import dates as babel_dates
from flask import Flask, current_app, request
from flask_babel import get_locale


def formatting_locale() -> str:
    """English pages use British conventions (11 November 2025, 14:30), as expos do."""
    locale = str(get_locale() or "en")
    return "en_GB" if locale == "en" else locale


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject_globals() -> dict:
        return {
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
