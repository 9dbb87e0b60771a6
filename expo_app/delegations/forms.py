"""Delegate portal forms: registration (alone or with a delegation), members, requests."""

from __future__ import annotations

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional

from expo_app.accounts.services import MIN_PASSWORD_LENGTH
from expo_app.delegations.services import DelegationDetails, PersonDetails, RegistrationError
from expo_app.forms import PageForm, RowForm
from expo_app.matchmaking.booking import MAX_MESSAGE_LENGTH
from expo_app.web.once import OnceFields
from expo_app.web.params import parse_int

# CLDR "territories" that are not countries one holds a passport of.
NOT_COUNTRIES = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}
MEMBER_ROWS = 3
MAX_MEMBER_ROWS = 30
PHOTO_HINT = _l("Optional, for your badge: JPEG, PNG or WebP, at most 5 MB, face clearly visible.")


def country_choices() -> list[SelectChoice]:
    """Every country, named and sorted in the reader's language."""
    locale = Locale.parse(str(get_locale() or "en"))
    names = [
        (code, name)
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    ]
    names.sort(key=lambda pair: pair[1].casefold())
    return [SelectChoice("", _l("Choose a country…"))] + [
        SelectChoice(code, name) for code, name in names
    ]


def kind_choices() -> list[SelectChoice]:
    return [
        SelectChoice("government", _l("Government")),
        SelectChoice("military", _l("Armed forces")),
        SelectChoice("industry", _l("Industry")),
        SelectChoice("press", _l("Press")),
        SelectChoice("other", _l("Other")),
    ]


class MemberForm(RowForm):
    """One member row of a delegation; a row left blank is ignored."""

    name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    title = StringField(_l("Title or rank"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Nationality"), validators=[Optional()])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    photo = FileField(_l("ID photo"))

    def is_blank(self) -> bool:
        return not any(
            (f.data or "").strip() if isinstance(f.data, str) else False
            for f in (self.name, self.title, self.organisation, self.email)
        )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.is_blank():
            return ok
        for required in (self.name, self.email):
            if not (required.data or "").strip():
                required.errors = [*required.errors, _l("Needed for every member.")]
                ok = False
        return ok


def person_details(form) -> PersonDetails:
    """What a person's fields (a form or a member row) say, for the services."""
    photo = form.photo.data
    return PersonDetails(
        name=form.name.data or "",
        email=form.email.data or "",
        title=form.title.data,
        organisation=form.organisation.data,
        country=form.country.data,
        photo=photo.read() if photo else None,
    )


class PersonFields:
    """The fields of one person, shared by registration and 'add a member'."""

    name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=200)])
    title = StringField(_l("Title or rank"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Nationality"), validators=[InputRequired()])
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)])
    photo = FileField(_l("ID photo"))

    def person(self) -> PersonDetails:
        return person_details(self)

    def has_errors(self) -> bool:
        return bool(self.form_errors) or any(f.errors for f in self)

    def place_error(self, error: RegistrationError) -> None:
        """A service's refusal next to its field (the email field when it names none)."""
        target = getattr(self, error.field or "", None) or self.email
        target.errors = [*target.errors, str(error)]


class RegistrationForm(PersonFields, PageForm):
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    as_delegation = BooleanField(_l("I am the head of a delegation and register its members"))
    delegation_name = StringField(_l("Delegation name"), validators=[Optional(), Length(max=200)])
    delegation_country = SelectField(
        _l("Country the delegation represents"), validators=[Optional()]
    )
    delegation_kind = SelectField(_l("Kind of delegation"), validators=[Optional()])
    members = FieldList(FormField(MemberForm), min_entries=MEMBER_ROWS, max_entries=MAX_MEMBER_ROWS)

    def __init__(self, *args, needs_password: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.needs_password = needs_password
        countries = country_choices()
        self.country.choices = countries
        self.delegation_country.choices = countries
        self.delegation_kind.choices = kind_choices()
        for row in self.members:
            row.country.choices = countries

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.needs_password and not self.password.data:
            self.password.errors = [*self.password.errors, _l("Choose a password.")]
            ok = False
        if self.as_delegation.data:
            if not (self.delegation_name.data or "").strip():
                self.delegation_name.errors = [
                    *self.delegation_name.errors,
                    _l("Give the delegation's name."),
                ]
                ok = False
            if not self.delegation_country.data:
                self.delegation_country.errors = [
                    *self.delegation_country.errors,
                    _l("Choose the country the delegation represents."),
                ]
                ok = False
        return ok

    def prefill(self, user) -> None:
        """A signed-in account registers with the email and name it has already."""
        self.email.data = user.email
        self.name.data = user.display_name

    def member_rows(self) -> list[tuple[int, MemberForm]]:
        """The member rows filled in, with their row number: blank rows are left out."""
        return [(i, row.form) for i, row in enumerate(self.members) if not row.form.is_blank()]

    def delegation(self) -> DelegationDetails | None:
        """The delegation registered with the head, or None when registering alone."""
        if not self.as_delegation.data:
            return None
        return DelegationDetails(
            name=self.delegation_name.data,
            country=self.delegation_country.data,
            kind=self.delegation_kind.data,
            members=[person_details(row) for _i, row in self.member_rows()],
        )

    def has_errors(self) -> bool:
        return super().has_errors() or any(row.form.errors for row in self.members)

    def place_error(self, error: RegistrationError) -> None:
        """Put a refusal next to its field; 'members-N-x' counts only the rows filled in
        (what the service saw), so it is mapped back to the row on the page."""
        name = error.field or ""
        if name.startswith("members-"):
            _prefix, index, field = name.split("-", 2)
            rows = self.member_rows()
            row = parse_int(index, lo=0, hi=len(rows) - 1)
            if row is not None:
                target = getattr(rows[row][1], field, None)
                if target is not None:
                    target.errors = [*target.errors, str(error)]
                    return
        super().place_error(error)

    def add_member_row(self) -> None:
        if len(self.members) < MAX_MEMBER_ROWS:
            self.members.append_entry()
            self.members[-1].country.choices = self.country.choices


class AddMemberForm(OnceFields, PersonFields, PageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()


class MeetingRequestForm(OnceFields, PageForm):
    message = TextAreaField(
        _l("Message to the exhibitor"),
        validators=[Optional(), Length(max=MAX_MESSAGE_LENGTH)],
    )
    priority = SelectField(
        _l("How important is this meeting?"),
        choices=[
            SelectChoice("1", _l("Nice to have")),
            SelectChoice("2", _l("Important")),
            SelectChoice("3", _l("Essential")),
        ],
        default="1",
    )
    for_ref = HiddenField()
