"""Forms of the organiser workspace. Kinds take their choices from the events' enums (one
label per kind everywhere); choices that depend on the event are filled by the views."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from expo_app.delegations.models import CATEGORY_ROLES, DelegationKind, ParticipantRole
from expo_app.events.models import DayKind, LocationKind, SessionKind
from expo_app.forms import (
    BoundedIntegerField,
    FiniteDecimalField,
    FiniteFloatField,
    PageForm,
    whole_number,
)
from expo_app.links import WebAddress
from expo_app.web.once import OnceFields


def strip(value):
    return value.strip() if isinstance(value, str) else value


def optional_int(value):
    """A choice's id (ASCII digits within the database's range), or None for "none"."""
    if value in (None, "", "None"):
        return None
    return whole_number(value)


class SessionForm(OnceFields, PageForm):
    """A programme session; also the no-JavaScript way to do what the grid does by drag."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)], filters=[strip])
    kind = SelectField(_l("Kind"), choices=[])
    day = SelectField(_l("Day"), choices=[])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    location = SelectField(_l("Location"), coerce=optional_int, choices=[])
    exhibitor = SelectField(_l("Exhibitor (for a demo)"), coerce=optional_int, choices=[])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=4000)], filters=[strip]
    )
    capacity = BoundedIntegerField(
        _l("Seats"), validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    version = HiddenField()
    keep = BooleanField(_l("Keep it despite the warnings"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = SessionKind.choices()


class MoveForm(PageForm):
    """What a drag on the grid sends: where and when the session now is."""

    version = BoundedIntegerField(validators=[InputRequired()])
    day = DateField(validators=[InputRequired()])
    start = TimeField(validators=[InputRequired()])
    end = TimeField(validators=[InputRequired()])
    location = BoundedIntegerField(validators=[InputRequired()])
    keep = BooleanField()


class DeleteForm(PageForm):
    version = BoundedIntegerField(validators=[Optional()])


class StandForm(OnceFields, PageForm):
    ref = StringField(
        _l("Stand code"), validators=[InputRequired(), Length(max=64)], filters=[strip]
    )
    location = SelectField(_l("Location"), coerce=optional_int, choices=[])
    width_m = FiniteFloatField(
        _l("Width (m)"), validators=[InputRequired(), NumberRange(min=0.5, max=500)]
    )
    depth_m = FiniteFloatField(
        _l("Depth (m)"), validators=[InputRequired(), NumberRange(min=0.5, max=500)]
    )
    x_m = FiniteFloatField(
        _l("Distance from the left wall (m)"), validators=[Optional(), NumberRange(0, 5000)]
    )
    y_m = FiniteFloatField(
        _l("Distance from the top wall (m)"), validators=[Optional(), NumberRange(0, 5000)]
    )
    price = FiniteDecimalField(
        _l("Price"), places=2, validators=[Optional(), NumberRange(min=0, max=10**9)]
    )
    currency = StringField(
        _l("Currency"),
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z]{3}$", message=_l("Three letters, e.g. EUR or XOF.")),
        ],
        filters=[strip],
    )
    version = HiddenField()


class AssignForm(PageForm):
    exhibitor = StringField(
        _l("Exhibitor"), validators=[InputRequired(), Length(max=300)], filters=[strip]
    )


class ImportForm(PageForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])


class EventForm(PageForm):
    """A new event, blank or copied from an earlier one with every date shifted."""

    copy_from = SelectField(_l("Copy from"), coerce=optional_int, choices=[])
    slug = StringField(
        _l("Short name in the address"),
        validators=[
            InputRequired(),
            Length(min=2, max=64),
            Regexp(
                r"^[a-z0-9][a-z0-9-]*$",
                message=_l("Lower-case letters, digits and hyphens, e.g. bamex26."),
            ),
        ],
        filters=[strip],
    )
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)], filters=[strip])
    start_date = DateField(_l("First day"), validators=[InputRequired()])
    end_date = DateField(_l("Last day"), validators=[Optional()])
    timezone = StringField(
        _l("Time zone"), validators=[Optional(), Length(max=64)], filters=[strip]
    )
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)], filters=[strip])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)], filters=[strip])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class EventDetailsForm(PageForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)], filters=[strip])
    theme = StringField(_l("Theme"), validators=[Optional(), Length(max=300)], filters=[strip])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)], filters=[strip])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)], filters=[strip])
    website = StringField(_l("Website"), validators=[Optional(), WebAddress()], filters=[strip])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DayForm(PageForm):
    kinds = MultiCheckboxField(_l("What happens that day"), choices=[])
    opens = TimeField(_l("Opens at"), validators=[Optional()])
    closes = TimeField(_l("Closes at"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds.choices = DayKind.choices()

    def validate_kinds(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one."))

    def validate_closes(self, field):
        if field.data and self.opens.data and field.data <= self.opens.data:
            raise ValidationError(_l("It must close after it opens."))


class LocationForm(OnceFields, PageForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)], filters=[strip])
    kind = SelectField(_l("Kind"), choices=[])
    capacity = BoundedIntegerField(
        _l("Capacity (people)"), validators=[Optional(), NumberRange(min=0, max=1000000)]
    )
    restricted = BooleanField(_l("Restricted access (badge must name it)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = LocationKind.choices()


class SlotsForm(PageForm):
    length = BoundedIntegerField(
        _l("Meeting length (minutes)"),
        default=30,
        validators=[InputRequired(), NumberRange(min=5, max=240)],
    )
    gap = BoundedIntegerField(
        _l("Break between meetings (minutes)"),
        default=0,
        validators=[InputRequired(), NumberRange(min=0, max=120)],
    )
    pause_from = TimeField(_l("No meetings from"), validators=[Optional()])
    pause_to = TimeField(_l("until"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.pause_from.data, self.pause_to.data
        if self.pause_from.errors or self.pause_to.errors:
            return False
        if bool(start) != bool(end):
            self.pause_to.errors = [
                *self.pause_to.errors,
                _l("Give both times of the pause, or neither."),
            ]
            return False
        if start and end and end <= start:
            self.pause_to.errors = [
                *self.pause_to.errors,
                _l("The pause must end after it starts."),
            ]
            return False
        return valid


class TablesForm(OnceFields, PageForm):
    location = SelectField(_l("Meeting area"), coerce=optional_int, choices=[])
    count = BoundedIntegerField(
        _l("Number of tables to add"),
        default=10,
        validators=[InputRequired(), NumberRange(min=1, max=500)],
    )
    prefix = StringField(
        _l("Table code prefix"),
        default="T",
        validators=[InputRequired(), Length(max=20), Regexp(r"^[A-Za-z0-9-]+$")],
        filters=[strip],
    )


class SchedulerForm(PageForm):
    """How long the automatic scheduler may search (it stops sooner once provably done)."""

    time_limit = SelectField(
        _l("Search time"),
        choices=[
            SelectChoice(5, _l("5 seconds")),
            SelectChoice(10, _l("10 seconds (recommended)")),
            SelectChoice(20, _l("20 seconds")),
        ],
        coerce=whole_number,
        default=10,
        description=_l("It stops sooner when the plan is provably the best possible."),
    )


class PersonZonesForm(PageForm):
    """One person's zones, ticked. Any id is read: the zones service says which are not
    zones of this event, next to the field."""

    zones = MultiCheckboxField(
        _l("Restricted locations this badge admits to"),
        coerce=whole_number,
        choices=[],
        validate_choice=False,
    )
    # Shown for delegates, VIPs and press only; the zones service checks the value.
    category = SelectField(_l("Badge category"), choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices()


class DelegationZoneForm(PageForm):
    """A zone for every member of a delegation, or taken from all of them."""

    delegation = SelectField(
        _l("Delegation"), coerce=optional_int, choices=[], validate_choice=False
    )
    location = SelectField(_l("Zone"), coerce=optional_int, choices=[], validate_choice=False)
    category = SelectField(_l("Badge category"), choices=[], default="", validate_choice=False)
    act = SelectField(choices=["grant", "withdraw", "category"])  # which button was pressed

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", "—")] + category_choices()


def category_choices() -> list[tuple[str, str]]:
    return [(role, ParticipantRole.label_of(role)) for role in CATEGORY_ROLES]


class ZoneRuleForm(PageForm):
    """Who gets a zone and/or a badge category by rule: a kind of delegation, a role, or
    both."""

    location = SelectField(_l("Zone"), coerce=optional_int, choices=[], validate_choice=False)
    category = SelectField(_l("Badge category"), choices=[], default="", validate_choice=False)
    delegation_kind = SelectField(_l("Delegations of the kind"), choices=[], default="")
    role = SelectField(_l("People with the role"), choices=[], default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.delegation_kind.choices = [("", _l("Any kind"))] + DelegationKind.choices()
        self.role.choices = [("", _l("Any role"))] + ParticipantRole.choices()
        self.category.choices = [("", _l("Unchanged"))] + category_choices()


class DeleteRuleForm(PageForm):
    rule = BoundedIntegerField(validators=[InputRequired()])
