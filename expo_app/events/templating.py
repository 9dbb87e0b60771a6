"""The event's named kinds in templates: `SessionKind.label_of(kind)` and its siblings, so
a page shows the same label as forms, PDFs and the CLI (no label table in a template)."""

from __future__ import annotations

from flask import Flask

from expo_app.events.models import DayKind, LocationKind, SessionKind

LABELLED_KINDS = {"DayKind": DayKind, "LocationKind": LocationKind, "SessionKind": SessionKind}


def register(app: Flask) -> None:
    """Globals, not context: macros imported without context (macros/event.html) see them."""
    app.jinja_env.globals.update(LABELLED_KINDS)
