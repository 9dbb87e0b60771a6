"""Vetting forms: the participant's identity document, the officer's verdict, the
organiser's switch, and the visa letter's download and public check."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from expo_app.delegations.forms import country_choices
from expo_app.forms import PageForm
from expo_app.vetting.letters import MAX_NAME_LENGTH, MAX_REFERENCE_LENGTH
from expo_app.vetting.models import DocumentKind, Vetting
from expo_app.vetting.purge import MAX_RETENTION_DAYS
from expo_app.vetting.services import MAX_REASON_LENGTH, DocumentDetails


class DocumentForm(PageForm):
    # Passport comes first and is preselected: no empty option, so no "required" attribute
    # (HTML wants a required <select> to open on an empty choice).
    kind = SelectField(_l("Document"), validators=[InputRequired()], render_kw={"required": False})
    number = StringField(_l("Document number"), validators=[InputRequired(), Length(max=40)])
    issuing_country = SelectField(_l("Issuing country"), validators=[InputRequired()])
    expires_on = DateField(_l("Expiry date"), validators=[InputRequired()])
    birth_date = DateField(_l("Date of birth"), validators=[InputRequired()])
    scan = FileField(_l("Scan of the document (JPEG, PNG or PDF, up to 5 MB)"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [
            SelectChoice(v, DocumentKind.label_of(v)) for v in DocumentKind.values()
        ]
        self.issuing_country.choices = country_choices()

    def details(self) -> DocumentDetails:
        return DocumentDetails(
            kind=self.kind.data,
            number=self.number.data or "",
            issuing_country=self.issuing_country.data or "",
            expires_on=self.expires_on.data,
            birth_date=self.birth_date.data,
            scan=self.scan.data.read() if self.scan.data else None,
        )


VERDICTS = (Vetting.CLEARED, Vetting.MORE_INFO, Vetting.REFUSED)
VERDICT_LABELS = {
    Vetting.CLEARED: _l("Clear"),
    Vetting.MORE_INFO: _l("Ask for more information"),
    Vetting.REFUSED: _l("Refuse"),
}


class VerdictForm(PageForm):
    verdict = RadioField(_l("Verdict"), validators=[InputRequired()])
    reason = TextAreaField(
        _l("Reason (the person sees it)"),
        validators=[Optional(), Length(max=MAX_REASON_LENGTH)],
    )
    submit = SubmitField(_l("Save the verdict"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.verdict.choices = [(v.value, VERDICT_LABELS[v]) for v in VERDICTS]


class RevealForm(PageForm):
    submit = SubmitField(_l("Show the document"))


class ScanForm(PageForm):
    submit = SubmitField(_l("Open the scan"))


class VettingSwitchForm(PageForm):
    required = BooleanField(
        _l("Badges need host-nation security clearance as well as our approval")
    )
    retention_days = IntegerField(
        _l("Keep identity documents and photos for this many days after the event"),
        validators=[Optional(), NumberRange(min=0, max=MAX_RETENTION_DAYS)],
    )
    save = SubmitField(_l("Save"))


class PurgeForm(PageForm):
    purge = SubmitField(_l("Erase identity documents and photos now"))


class LetterForm(PageForm):
    """Issue (or print again) the visa invitation letter of one person acted for."""

    who = HiddenField(validators=[Optional(), Length(max=64)])


class LetterCheckForm(PageForm):
    """The public check: read from the query string, so it never writes (no CSRF)."""

    class Meta(PageForm.Meta):
        csrf = False

    reference = StringField(
        _l("Reference"), validators=[InputRequired(), Length(max=2 * MAX_REFERENCE_LENGTH)]
    )
    last_name = StringField(
        _l("Holder's last name"), validators=[InputRequired(), Length(max=MAX_NAME_LENGTH)]
    )
