"""Errors a person can cause, and the pages they get: never a traceback.

`DomainError` is the one base of every refusal a service raises (a slot taken, a stand
held by someone else, a request already answered): it carries the message a person
reads, the form field it belongs next to, and the HTTP status the request path answers
with when no view handled it. Views put it next to its field with `field_error`; the
CLI prints it as the one-line reason of a non-zero exit.
"""

from __future__ import annotations

import math
import time
from contextlib import nullcontext
from typing import Any

from flask import Flask, current_app, has_request_context, render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException

from expo_app.extensions import db


def language() -> Any:
    """Messages in the reader's language in a request; elsewhere (CLI, threads, tests) in
    the default language, since the app's locale selector needs a request."""
    if has_request_context():
        return nullcontext()
    return force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))


class DomainError(Exception):
    """A rule said no. `str()` is the message in the reader's language; `field` names the
    form field it belongs to (None: the whole form); `status` is the HTTP answer."""

    default_message: Any = _l("This is not possible.")
    status: int = 409

    def __init__(self, message: Any = None, *, field: str | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.field = field if field is not None else getattr(type(self), "default_field", None)
        super().__init__(self.message)

    def __str__(self) -> str:
        with language():
            return str(self.message)


def field_error(form: Any, error: DomainError, field: str | None = None) -> None:
    """Show a service's refusal next to the field it concerns (or above the form)."""
    name = field or error.field
    target = getattr(form, name, None) if name else None
    if target is not None and hasattr(target, "errors"):
        if not isinstance(target.errors, list):
            target.errors = list(target.errors)
        target.errors.append(str(error))
    else:
        form.form_errors.append(str(error))


class NulInRequest(BadRequest):
    """A NUL byte in the address or a form (see web.params): refused before any view."""


def error_page(message: str, status: int):
    return render_template("errors/error.html", code=status, message=message), status


def retry_wait() -> int | None:
    """Seconds until the throttle that refused this request lets it through again."""
    from expo_app.extensions import limiter

    try:
        limit = limiter.current_limit
        return max(1, math.ceil(limit.reset_at - time.time())) if limit else None
    except Exception:  # the storage is gone: say "later" without a time
        return None


def too_many_attempts(wait_seconds: int | None) -> str:
    """The 429 message: try again in so many minutes (or later, when unknown)."""
    if wait_seconds is None:
        return _("Too many attempts. Please wait a while and try again.")
    minutes = max(1, math.ceil(wait_seconds / 60))
    return ngettext(
        "Too many attempts. Try again in %(num)d minute.",
        "Too many attempts. Try again in %(num)d minutes.",
        minutes,
    )


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        message = _("This form has expired or was sent from another page. Please try again.")
        return error_page(message, 400)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        return error_page(str(error), error.status)

    @app.errorhandler(NulInRequest)
    def nul_in_request(error: NulInRequest):
        db.session.rollback()
        message = _(
            "This request holds a character that is not allowed (a NUL byte). "
            "Please check what you typed or pasted and try again."
        )
        return error_page(message, 400)

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error: RateLimitExceeded):
        db.session.rollback()
        wait = retry_wait()
        body, status = error_page(too_many_attempts(wait), 429)
        headers = {"Retry-After": str(wait)} if wait else {}
        return body, status, headers

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {
            400: _("This request is not valid."),
            403: _("You do not have access to this page."),
            404: _("This page does not exist."),
            405: _("This action is not allowed here."),
            413: _("The file you sent is too large."),
            429: _("Too many attempts. Please wait a while and try again."),
        }
        message = messages.get(error.code or 500, error.description)
        return error_page(message, error.code or 500)

    @app.errorhandler(500)
    def server_error(error: Exception):
        db.session.rollback()
        message = _("Something went wrong on our side. Nothing was changed; please try again.")
        return error_page(message, 500)
