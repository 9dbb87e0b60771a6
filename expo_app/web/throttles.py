"""The registration doors: throttled together, and one answer for every visitor.

Both registration pages (delegate and exhibitor) share one Flask-Limiter limit per
client address, EXPO_REGISTRATION_LIMIT: a registration sent (the form was valid and
the service answered) counts, a form sent back with errors does not, so a person who
mistypes is not stopped while a script that makes accounts, or that tries emails to
learn which have one, is. Over the limit the page is a 429 that says when to try again
(expo_app.errors). A visitor is told the same whether their email was new or known
(`registration_received`), so neither page tells who has an account.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask.wrappers import Response
from flask_babel import gettext as _

from expo_app.extensions import limiter


def _registration_limit() -> str:
    return current_app.config["EXPO_REGISTRATION_LIMIT"]


def _sent(response: Response) -> bool:
    """A registration that went through the service (a redirect), not a form with errors."""
    return response.status_code in (302, 303)


def _adds_a_row() -> bool:
    """'Add a member row' posts the form only to draw it again."""
    return request.form.get("action") == "more"


registration_throttle = limiter.shared_limit(
    _registration_limit,
    scope="registration",
    methods=["POST"],
    deduct_when=_sent,
    exempt_when=_adds_a_row,
)


def registration_received(follow_url: str):
    """What a visitor sees after registering, whether the email was new or known: sign in
    with it to follow the registration (then `follow_url`)."""
    flash(
        _("Your registration is received. Sign in with your email and password to follow it."),
        "success",
    )
    return redirect(url_for("accounts.login", next=follow_url), code=303)
