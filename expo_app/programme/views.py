"""The programme PDF on the event's public pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request, send_file
from flask_babel import get_locale

from expo_app.events.models import Event
from expo_app.programme.cache import open_programme
from expo_app.web.access import PUBLIC
from expo_app.web.rh import event_page

bp = Blueprint("programme", __name__)


@bp.get("/e/<slug>/programme.pdf")
@event_page(PUBLIC)
def programme_pdf(event: Event):
    """The programme in ?lang=en|fr, by default in the language the page is shown in."""
    asked = request.args.get("lang")
    lang = asked or str(get_locale() or "en")
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    handle, key = open_programme(event, lang)
    response = send_file(
        handle,
        mimetype="application/pdf",
        download_name=f"{event.slug}-programme-{lang}.pdf",
        etag=key,
        max_age=0,
    )
    if not asked:
        # Without ?lang the answer depends on the visitor's language choice.
        response.vary.update(("Cookie", "Accept-Language"))
    return response
