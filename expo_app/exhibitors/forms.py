"""Forms of the exhibitor portal: registration, profile, staff, demo requests, matchmaking."""

from __future__ import annotations

import unicodedata

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from expo_app.exhibitors.services import MAX_MEETING_CAPACITY, MAX_SECTORS, parse_sectors
from expo_app.forms import BoundedIntegerField, PageForm, whole_number
from expo_app.links import WebAddress
from expo_app.web.once import OnceFields

# Region and grouping codes CLDR lists among territories that are not countries.
NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}


def country_choices(blank: str | None = None) -> list[tuple[str, str]]:
    """ISO 3166 countries named in the reader's language, in that language's A to Z."""
    locale = Locale.parse(str(get_locale() or "en"))
    names = [
        (code, name)
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    ]
    names.sort(key=lambda item: _sort_key(item[1]))
    return ([("", blank)] if blank is not None else []) + names


def _sort_key(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def strip(value):
    return value.strip() if isinstance(value, str) else value


def sectors_limit(form, field) -> None:
    if len(parse_sectors(field.data)) > MAX_SECTORS:
        raise ValidationError(_l("Give at most %(max)s sectors.", max=MAX_SECTORS))


PHONE = Regexp(
    r"^\+?[0-9 ().\-]{6,40}$", message=_l("Enter a phone number, e.g. +223 20 22 33 44.")
)


class CompanyForm(PageForm):
    """What a company says about itself (registration and profile)."""

    name = StringField(
        _l("Company name"), validators=[InputRequired(), Length(max=200)], filters=[strip]
    )
    country = SelectField(_l("Country"), validators=[InputRequired()])
    sectors = StringField(
        _l("Sectors"), validators=[Length(max=1000), sectors_limit], filters=[strip]
    )
    description = TextAreaField(
        _l("Description in English"), validators=[Optional(), Length(max=4000)], filters=[strip]
    )
    description_fr = TextAreaField(
        _l("Description in French"), validators=[Optional(), Length(max=4000)], filters=[strip]
    )
    # Text, not type=url: what was typed goes back into the field even when it is not a URL.
    # The one URL rule (expo_app.links): http(s) only, "baykartech.com" becomes https://.
    website = StringField(
        _l("Website"),
        validators=[Optional(), WebAddress()],
        filters=[strip],
        render_kw={"inputmode": "url"},
    )
    logo = FileField(_l("Logo"))
    contact_name = StringField(
        _l("Contact person"), validators=[InputRequired(), Length(max=200)], filters=[strip]
    )
    contact_email = EmailField(
        _l("Contact person's email"),
        validators=[Optional(), Email(), Length(max=254)],
        filters=[strip],
    )
    contact_phone = TelField(
        _l("Contact person's phone"), validators=[Optional(), PHONE], filters=[strip]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices(blank=str(_l("Choose a country")))


class RegistrationForm(CompanyForm):
    """A company signing up, with the account it will sign in with."""

    email = EmailField(
        _l("Your email (you sign in with it)"),
        validators=[InputRequired(), Email(), Length(max=254)],
        filters=[strip],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(),
            Length(min=8, max=200, message=_l("Use at least 8 characters.")),
        ],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            InputRequired(),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class ProfileForm(CompanyForm):
    remove_logo = BooleanField(_l("Remove the current logo"))


class StaffForm(OnceFields, PageForm):
    name = StringField(
        _l("Full name"), validators=[InputRequired(), Length(max=200)], filters=[strip]
    )
    email = EmailField(
        _l("Email"), validators=[InputRequired(), Email(), Length(max=254)], filters=[strip]
    )
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)], filters=[strip])
    country = SelectField(_l("Nationality"), validators=[Optional()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices(blank=str(_l("Same as the company")))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


DURATIONS = [15, 20, 30, 45, 60, 90, 120, 180]


class DemoRequestForm(OnceFields, PageForm):
    title = StringField(
        _l("Title of the demo"), validators=[InputRequired(), Length(max=300)], filters=[strip]
    )
    description = TextAreaField(
        _l("What delegates will see"), validators=[Optional(), Length(max=2000)], filters=[strip]
    )
    duration = SelectField(
        _l("Duration"),
        coerce=whole_number,
        choices=[(minutes, _l("%(num)s minutes", num=minutes)) for minutes in DURATIONS],
        default=30,
    )
    equipment = TextAreaField(
        _l("Equipment and needs"),
        validators=[Optional(), Length(max=2000)],
        filters=[strip],
    )
    preferred_date = SelectField(_l("Preferred day"), validators=[Optional()])
    delegations = MultiCheckboxField(_l("Delegations allowed"), coerce=whole_number)
    countries = MultiCheckboxField(_l("Countries allowed"))

    def __init__(self, *args, days=(), delegations=(), countries=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.preferred_date.choices = [("", str(_l("No preference")))] + list(days)
        self.delegations.choices = list(delegations)
        self.countries.choices = list(countries)


class CapacityForm(PageForm):
    capacity = BoundedIntegerField(
        _l("Meetings at the same time"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_MEETING_CAPACITY)],
    )


class RespondForm(PageForm):
    message = TextAreaField(
        _l("Message to the delegate"), validators=[Optional(), Length(max=1000)], filters=[strip]
    )


class MeetingRequestForm(OnceFields, PageForm):
    # Rendered by hand (a "choose" option, then one group per delegation); checked in the view.
    target = SelectField(_l("Whom to meet"), validate_choice=False)
    priority = SelectField(
        _l("Priority"),
        coerce=whole_number,
        choices=[(1, _l("Normal")), (2, _l("High")), (3, _l("Very high"))],
        default=1,
    )
    message = TextAreaField(
        _l("Message"), validators=[Optional(), Length(max=1000)], filters=[strip]
    )


class ReviewForm(PageForm):
    note = TextAreaField(
        _l("Note to the exhibitor"), validators=[Optional(), Length(max=1000)], filters=[strip]
    )


class PlaceDemoForm(PageForm):
    location = SelectField(_l("Demo zone"), coerce=whole_number, validators=[InputRequired()])
    start = StringField(_l("Start"), validators=[InputRequired()], filters=[strip])
