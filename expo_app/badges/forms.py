"""The gate's scan form: which gate, which way, and the code (scanned or typed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from expo_app.badges.models import ScanDirection
from expo_app.badges.services import MAIN_GATE, gates
from expo_app.events.models import Event
from expo_app.forms import PageForm


class ScanForm(PageForm):
    gate = SelectField(_l("Gate"))  # any value outside the choices is refused
    direction = RadioField(  # choices set per request: labels in the reader's language
        _l("Direction"), default=ScanDirection.ENTRY.value, validators=[InputRequired()]
    )
    code = StringField(
        _l("Badge code"),
        validators=[
            InputRequired(_l("Scan or type the code printed in the badge's QR.")),
            Length(max=400),
        ],
    )

    @classmethod
    def at(cls, event: Event, gate: str | None = None) -> ScanForm:
        """The form for this event's gates, preset to the gate the guard stands at."""
        form = cls(gate=gate or MAIN_GATE)
        form.gate.choices = [SelectChoice(found.key, found.name) for found in gates(event)]
        form.direction.choices = [SelectChoice(*choice) for choice in ScanDirection.choices()]
        return form
