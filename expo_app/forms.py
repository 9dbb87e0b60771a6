"""The base of every form in the app, and the fields that read numbers within bounds.

Whatever a form reads goes through here first: text loses its control characters (a NUL
is refused by PostgreSQL and shows as nothing anywhere), numbers are ASCII digits within
what the database stores, so an odd value is a message next to its field, never a 500.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, FloatField, Form, IntegerField, PasswordField, StringField

from expo_app.web.params import INT_MAX, INT_MIN, parse_int

# C0 and C1 control characters and DEL, except tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(value):
    """Text without control characters (tab and line breaks are kept)."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    return value


def whole_number(value) -> int:
    """A SelectField's `coerce` for ids: ASCII digits within the database's range, else
    ValueError (which WTForms shows as "not a valid choice")."""
    number = parse_int(value)
    if number is None:
        raise ValueError(value)
    return number


def is_text_field(field_class: type) -> bool:
    # A password is never stored as text, and changing it would change the password.
    return issubclass(field_class, StringField) and not issubclass(field_class, PasswordField)


class CleanTextMeta:
    """Binds every text field with `without_controls` as its first filter."""

    def bind_field(self, form, unbound_field, options):
        if isinstance(unbound_field.field_class, type) and is_text_field(unbound_field.field_class):
            filters = unbound_field.kwargs.get("filters") or ()
            options = {**options, "filters": (without_controls, *filters)}
        return super().bind_field(form, unbound_field, options)


class PageForm(FlaskForm):
    """A FlaskForm whose text is cleaned (see `CleanTextMeta`) and whose CSRF token renders
    without an id: a page often holds several forms (a list with a button per row), and
    HTML allows an id only once per page."""

    class Meta(CleanTextMeta):
        def render_field(self, field, render_kw):
            if field.type == "CSRFTokenField":
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)


class RowForm(Form):
    """A sub-form (a row of a FieldList): no CSRF token of its own, the same clean text."""

    class Meta(CleanTextMeta):
        pass


class BoundedIntegerField(IntegerField):
    """An IntegerField that reads only ASCII digits (with an optional sign) and only values
    the database can store; anything else is a message next to the field."""

    def __init__(self, *args, lo: int = INT_MIN, hi: int = INT_MAX, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lo, self.hi = lo, hi

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0] if isinstance(valuelist[0], str) else ""
        self.data = None
        if not text.strip():
            return  # Optional() or InputRequired() decides what empty means
        value = parse_int(text, lo=self.lo, hi=self.hi)
        if value is None:
            digits = text.strip().removeprefix("-").removeprefix("+")
            if digits.isascii() and digits.isdigit():  # a number, out of range
                raise ValueError(
                    _l("Enter a number from %(lo)s to %(hi)s.", lo=self.lo, hi=self.hi)
                )
            raise ValueError(_l("Enter a whole number, in digits."))
        self.data = value


class FiniteFloatField(FloatField):
    """A FloatField that refuses "nan", "inf" and numbers too large to mean anything."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and (not math.isfinite(self.data) or abs(self.data) > 1e15):
            self.data = None
            raise ValueError(_l("Enter a number."))


class FiniteDecimalField(DecimalField):
    """A DecimalField that refuses "NaN", "Infinity" and absurd exponents (a comparison
    with a NaN decimal raises, and a huge exponent takes long to print)."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str) and len(valuelist[0].strip()) > 40:
            self.data = None
            raise ValueError(_l("Enter a number."))
        super().process_formdata(valuelist)
        if self.data is None:
            return
        try:
            finite = self.data.is_finite() and abs(self.data) <= Decimal(10) ** 15
        except InvalidOperation:
            finite = False
        if not finite:
            self.data = None
            raise ValueError(_l("Enter a number."))
