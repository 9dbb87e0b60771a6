"""Country names in the reader's language, from Babel's CLDR data (no list of our own)."""

from __future__ import annotations

from babel import Locale
from flask_babel import get_locale


def country_name(code: str | None, locale: Locale | str | None = None) -> str:
    if not code:
        return ""
    locale = Locale.parse(locale or get_locale() or "en")
    return locale.territories.get(code.upper(), code.upper())
