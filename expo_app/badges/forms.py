"""The gate's scan form: which gate, which way, and the code (scanned or typed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from expo_app.badges.services import DIRECTIONS
from expo_app.forms import PageForm


class ScanForm(PageForm):
    gate = SelectField(_l("Gate"))  # any value outside the choices is refused
    direction = RadioField(
        _l("Direction"),
        choices=[SelectChoice(value, label) for value, label in DIRECTIONS.items()],
        default="entry",
        validators=[InputRequired()],
    )
    code = StringField(
        _l("Badge code"),
        validators=[
            InputRequired(_l("Scan or type the code printed in the badge's QR.")),
            Length(max=400),
        ],
    )
