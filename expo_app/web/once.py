"""Create forms that make one thing however often they are sent (a double click, a resend
after a slow answer, the back button).

Each render of such a form carries a fresh random token in a hidden field
(`OnceFields.once`). The view spends it with `first_send(form)` in the same transaction
as the object it creates: the token goes into `form_submissions`, whose unique token
makes the database the judge, even for two posts at the same instant (PostgreSQL makes
the second insert wait for the first transaction, SQLite's write lock queues the whole
second request). A token already there means "sent already": the view answers where the
first post went, with `SENT_ALREADY`, and creates nothing. A refused form (4xx) is
rolled back by the request path, token included, so it can be corrected and sent again.
A form posted without its token (a page rendered before this existed, a script) is not
guarded; one with a malformed token is refused like any bad field.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import flash
from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

from expo_app.extensions import db
from expo_app.modelkit import utcnow

TOKEN_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
SENT_ALREADY = _l("This was sent already.")


class FormSubmission(db.Model):
    """A create form's render that was sent once already (its token)."""

    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    form: Mapped[str] = mapped_column(String(60))  # which form, to read the table
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


def new_token() -> str:
    return secrets.token_urlsafe(18)


class OnceFields:
    """Mixed into a PageForm: the hidden once-token (no id: a page may hold several)."""

    once = HiddenField(
        default=new_token,
        validators=[Optional(), Regexp(TOKEN_PATTERN, message=_l("Open the page again."))],
        render_kw={"id": False},
    )


def first_send(form) -> bool:
    """Spend the form's token: True the first time (go on and create), False when this
    render was sent already (create nothing). Call it after validation, before creating,
    inside the request's transaction."""
    token = form.once.data
    if not token:
        return True
    try:
        with db.session.begin_nested():
            db.session.add(FormSubmission(token=token, form=type(form).__name__[:60]))
    except IntegrityError:
        return False
    return True


def forget_before(moment: datetime | None = None, *, keep: timedelta = timedelta(days=30)) -> int:
    """Delete the tokens sent before `moment` (default: `keep` ago); returns how many.
    Meant for a maintenance command: a form left open longer than that is not guarded."""
    cutoff = moment or (utcnow() - keep)
    result = db.session.execute(delete(FormSubmission).where(FormSubmission.sent_at < cutoff))
    return result.rowcount or 0


def sent_already(response):
    """The answer to a second send of one render: where the first went, calmly."""
    flash(str(SENT_ALREADY), "info")
    return response
