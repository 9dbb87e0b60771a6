"""Sign-in, account and team forms."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional

from expo_app.accounts.models import TEAM_ROLES
from expo_app.forms import PageForm
from expo_app.web.once import OnceFields


def strip(value):
    return value.strip() if isinstance(value, str) else value


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


def _team_roles() -> list[tuple[str, str]]:
    """Asked at each render, so the labels are in the reader's language."""
    return [(role.value, role.label) for role in TEAM_ROLES]


class InviteForm(OnceFields, PageForm):
    """The Team page's invitation; the rules are accounts.team.invite's."""

    email = EmailField(
        _l("Email"), validators=[InputRequired(), Email(), Length(max=254)], filters=[strip]
    )
    role = SelectField(_l("Role"), choices=_team_roles)  # "Not a valid choice" if none
    name = StringField(_l("Name (optional)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Invite"))


class RemoveMemberForm(PageForm):
    """One row's button on the Team page: which account (its id) leaves the team."""

    member = HiddenField(render_kw={"id": False})


class AcceptInvitationForm(PageForm):
    """The invitation link's page. The password rule is the service's, as on the account
    page (accounts.services.check_password_rule)."""

    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Set my password"))
