"""Error pages: every error a person can cause gets a page, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from expo_app.extensions import db


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("This form has expired or was sent from another page. Please try again.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {
            403: _("You do not have access to this page."),
            404: _("This page does not exist."),
            405: _("This action is not allowed here."),
            413: _("The file you sent is too large."),
        }
        message = messages.get(error.code or 500, error.description)
        return render_template("errors/error.html", code=error.code, message=message), error.code

    @app.errorhandler(500)
    def server_error(error: Exception):
        db.session.rollback()
        message = _("Something went wrong on our side. Nothing was changed; please try again.")
        return render_template("errors/error.html", code=500, message=message), 500
