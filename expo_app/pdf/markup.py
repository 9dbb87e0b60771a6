"""Text for reportlab paragraphs: data escaped, spaces that must not break, time spans."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from xml.sax.saxutils import escape

from expo_app.pdf.i18n import format_hm


def esc(text: str | None) -> str:
    """Data as paragraph text: '&', '<' and '>' are markup for reportlab."""
    return escape(text or "")


def attr(text: str) -> str:
    """Data inside a markup attribute (href="...")."""
    return escape(text, {'"': "&quot;"})


def nobreak(text: str) -> str:
    """Escaped, and never wrapped inside ('9:00 AM', 'Stand A-01')."""
    return esc(text).replace(" ", "&nbsp;").replace("\u202f", "&nbsp;")


def time_span(start: time | datetime | None, end: time | datetime | None) -> str:
    """'11:45 AM – 1:00 PM', wrapping (if it must) only after the dash."""
    if end is None:
        return nobreak(format_hm(start))
    return f"{nobreak(format_hm(start))} – {nobreak(format_hm(end))}"


def distinct_parts(parts: Iterable[str | None]) -> list[str]:
    """The non-empty parts, each once, leaving out one that another contains:
    "Ministry of Defence" goes when "Nigeria — Ministry of Defence" is there."""
    kept = list(dict.fromkeys(part for part in parts if part))
    return [part for part in kept if not any(part != other and part in other for other in kept)]
