"""Sign in, sign out, and the language switch: pages outside any event, on the
transaction half of the request path (`rh.page`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from expo_app.accounts import permissions  # noqa: F401  (registers the user loader)
from expo_app.accounts.forms import LoginForm
from expo_app.accounts.services import authenticate
from expo_app.extensions import login_manager
from expo_app.web.rh import page

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.login"
login_manager.login_message_category = "info"


login_manager.localize_callback = _


def N_(message: str) -> str:  # marks a string for the catalogue; translated when shown
    return message


login_manager.login_message = N_("Please sign in to see this page.")


def safe_next(target: str | None, default: str) -> str:
    """Only follow a `next` that stays on this site (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return default


@bp.route("/login", methods=["GET", "POST"])
@page
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong email or password."))
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, you are signed in."), "success")
            return redirect(safe_next(form.next.data, url_for("public.index")))
    status = 200 if not form.errors else 422
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@page
def logout():
    if current_user.is_authenticated:
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/language/<code>", methods=["POST"])
@page
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next"), url_for("public.index")))
