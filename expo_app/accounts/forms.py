"""Sign-in and account forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from expo_app.forms import PageForm


class LoginForm(PageForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(PageForm):
    """The password rule itself is the service's (accounts.services.check_password_rule)."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class SignOutEverywhereForm(PageForm):
    submit = SubmitField(_l("Sign out everywhere"))
