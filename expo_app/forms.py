"""The base of every form in the app."""

from __future__ import annotations

from flask_wtf import FlaskForm


class PageForm(FlaskForm):
    """A FlaskForm whose CSRF token renders without an id: a page often holds several
    forms (a list with a button per row), and HTML allows an id only once per page."""

    class Meta:
        def render_field(self, field, render_kw):
            if field.type == "CSRFTokenField":
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)
