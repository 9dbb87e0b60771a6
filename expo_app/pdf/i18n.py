"""PDFs in the language asked for (en, fr), whatever language the web page was shown in.

Every PDF is built inside `pdf_language(lang)`: Flask-Babel's gettext, Babel's date
formats and the CLDR country names then all answer in that language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

from babel import dates as babel_dates
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from expo_app.countries import country_name
from expo_app.events.models import DayKind


class UnknownLanguage(ValueError):
    """A PDF was asked for in a language the installation does not offer."""


def pdf_languages() -> list[str]:
    return list(current_app.config.get("LANGUAGES", {"en": "English"}))


def check_language(lang: str) -> str:
    if lang not in pdf_languages():
        offered = ", ".join(pdf_languages())
        raise UnknownLanguage(f"unknown language {lang!r} (offered: {offered})")
    return lang


@contextmanager
def pdf_language(lang: str) -> Iterator[str]:
    """Translate everything inside the block into `lang` (needs an app context)."""
    check_language(lang)
    with force_locale(lang):
        yield lang


def locale_code() -> str:
    return str(get_locale() or "en")


def format_day(value: date | datetime, style: str = "full") -> str:
    """'Tuesday, November 11, 2025' / 'mardi 11 novembre 2025'."""
    return babel_dates.format_date(value, style, locale=locale_code())


def format_hm(value: time | datetime | None) -> str:
    """A local wall-clock time as people write it ('9:00 AM' / '09:00'), no zone shift."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.time()
    return babel_dates.format_time(value, "short", locale=locale_code())


def format_span(start: time | datetime | None, end: time | datetime | None) -> str:
    return f"{format_hm(start)} – {format_hm(end)}" if start and end else format_hm(start)


def format_date_range(first: date, last: date) -> str:
    """'November 11, 2025 – November 14, 2025' / '11 novembre 2025 – 14 novembre 2025'."""
    if first == last:
        return format_day(first, "long")
    return f"{format_day(first, 'long')} – {format_day(last, 'long')}"


def country(code: str | None) -> str:
    return country_name(code, locale_code())


def day_kinds(kinds: Iterable[str]) -> str:
    """What happens on a day, in words: "Static display · Business matchmaking"."""
    return " · ".join(DayKind.label_of(kind) for kind in kinds)


def restricted_access_note() -> str:
    return _("Access with an authorised badge only.")
