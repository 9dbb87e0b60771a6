"""Sign in, sign out, the account page, the team invitation link and the language switch:
pages outside any event, on the transaction half of the request path (`rh.page`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user

from expo_app.accounts import permissions  # noqa: F401  (registers the user loader)
from expo_app.accounts import team as team_rules
from expo_app.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    LoginForm,
    SignOutEverywhereForm,
)
from expo_app.accounts.services import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    authenticate,
    change_password,
)
from expo_app.accounts.signins import (
    end_all_sign_ins,
    end_sign_in,
    open_sign_ins,
    sign_in,
    touch_seen,
)
from expo_app.accounts.throttle import SIGN_IN, minutes, sign_in_keys
from expo_app.errors import field_error
from expo_app.extensions import login_manager
from expo_app.web.rh import page

bp = Blueprint("accounts", __name__)
bp.after_app_request(touch_seen)

login_manager.login_view = "accounts.login"
login_manager.login_message_category = "info"


login_manager.localize_callback = _


def N_(message: str) -> str:  # marks a string for the catalogue; translated when shown
    return message


login_manager.login_message = N_("Please sign in to see this page.")


def safe_next(target: str | None, default: str) -> str:
    """Only follow a `next` that stays on this site (no open redirect)."""
    if not target or not target.startswith("/") or "\\" in target:
        return default  # browsers read "/\\host" as "//host"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return default
    try:
        parts = urlsplit(target)
    except ValueError:  # "/[" and other addresses urlsplit cannot read
        return default
    if parts.scheme or parts.netloc:
        return default
    return target


def too_many_attempts(wait_seconds: int) -> str:
    n = minutes(wait_seconds)
    return ngettext(
        "Too many attempts. Try again in %(num)d minute.",
        "Too many attempts. Try again in %(num)d minutes.",
        n,
    )


@bp.route("/login", methods=["GET", "POST"])
@page
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        # Wrong passwords count per address and per email; once either is over the
        # limit even the right password waits, so guessing gains nothing.
        keys = sign_in_keys(get_remote_address(), form.email.data)
        wait = SIGN_IN.wait(keys)
        user = None if wait else authenticate(form.email.data, form.password.data)
        if wait:
            form.form_errors.append(too_many_attempts(wait))
            status = 429
        elif user is None:
            SIGN_IN.fail(keys)
            form.password.errors.append(_("Wrong email or password."))
        else:
            sign_in(user, remember=bool(form.remember.data))
            flash(_("Welcome, you are signed in."), "success")
            return redirect(safe_next(form.next.data, url_for("public.index")))
    if form.errors and status == 200:
        status = 422
    return render_template("accounts/login.html", form=form, events=open_events()), status


def open_events() -> list:
    """The events a newcomer on the sign-in page may take part in (the latest three);
    registration windows per role will narrow this."""
    from expo_app.events.services import list_events

    return list_events()[:3]


@bp.route("/logout", methods=["POST"])
@page
def logout():
    if current_user.is_authenticated:
        end_sign_in(current_user.current_sign_in)  # a copy of the cookie opens nothing now
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
@page
def account():
    """The signed-in person's own account: change the password, see and end sign-ins."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        # Guessing the current password from a borrowed session counts like sign-in.
        keys = sign_in_keys(get_remote_address(), user.email)
        wait = SIGN_IN.wait(keys)
        try:
            if wait:
                raise AccountError(too_many_attempts(wait), field="current_password")
            ended = change_password(user, form.current_password.data, form.password.data)
        except AccountError as error:
            if error.field == "current_password" and not wait:
                SIGN_IN.fail(keys)
            field_error(form, error)
            status = 429 if wait else 422
        else:
            if ended:
                flash(
                    ngettext(
                        "Your password is changed; %(num)d other sign-in is ended.",
                        "Your password is changed; %(num)d other sign-ins are ended.",
                        ended,
                    ),
                    "success",
                )
            else:
                flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.account"))
    elif form.errors:
        status = 422
    return render_template(
        "accounts/account.html",
        form=form,
        everywhere=SignOutEverywhereForm(),
        sign_ins=open_sign_ins(user),
        this_sign_in=user.current_sign_in,
        min_length=MIN_PASSWORD_LENGTH,
    ), status


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
@page
def sign_out_everywhere():
    """End every sign-in of the account, this one too (a lost phone, a shared laptop)."""
    end_all_sign_ins(current_user._get_current_object())
    logout_user()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("public.index"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@page
def accept_invitation(token: str):
    """An invited team member's one-time link: choose a password, then sign in. Anyone
    may open it (the invitee has no password yet); the signed token is the key, and an
    unknown, used or replaced one is a 404, an expired one a 410 (accounts.team)."""
    invitee = team_rules.invited_by(token, lock=request.method == "POST")
    form = AcceptInvitationForm()
    status = 200
    if form.validate_on_submit():
        try:
            team_rules.accept_invitation(invitee, form.password.data)
        except AccountError as error:
            field_error(form, error)
            status = 422
        else:
            flash(_("Your password is set. Sign in with your email and this password."), "success")
            return redirect(url_for("accounts.login"), code=303)
    elif form.errors:
        status = 422
    response = make_response(
        render_template(
            "accounts/invitation.html",
            form=form,
            invitee=invitee,
            min_length=MIN_PASSWORD_LENGTH,
        ),
        status,
    )
    # The address holds the key: no other site learns it, no cache keeps the page.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/language/<code>", methods=["POST"])
@page
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next"), url_for("public.index")))
