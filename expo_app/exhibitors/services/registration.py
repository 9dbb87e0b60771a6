"""A company's registration for an event, who may register, and the organiser's decision
on it (approve or refuse)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from expo_app.accounts.models import Role, User
from expo_app.accounts.permissions import exhibitor_of
from expo_app.audit.services import record, snapshot
from expo_app.events.models import Event
from expo_app.exhibitors.models import Approval, Exhibitor
from expo_app.exhibitors.services.common import ExhibitorError
from expo_app.exhibitors.services.profile import (
    PROFILE_FIELDS,
    CompanyDetails,
    apply_details,
    store_logo,
)
from expo_app.exhibitors.services.stands import free_unconfirmed_holds
from expo_app.extensions import db


@dataclass(frozen=True)
class Registrant:
    """Who opens the registration page: a visitor (who gets a new account), an exhibitor
    account (with its company here, if it has one), or another role, who may not."""

    user: User | None
    exhibitor: Exhibitor | None = None
    may_register: bool = True

    @property
    def new_account(self) -> bool:
        return self.user is None


def registrant(user: Any, event: Event) -> Registrant:
    """Only visitors and exhibitor accounts register companies; one company per account."""
    if not getattr(user, "is_authenticated", False):
        return Registrant(None)
    account = user._get_current_object() if hasattr(user, "_get_current_object") else user
    if account.role != Role.EXHIBITOR:
        return Registrant(account, may_register=False)
    return Registrant(account, exhibitor_of(account, event.id))


def new_exhibitor_ref(event: Event, name: str) -> str:
    """A readable, unique code for a new exhibitor: "Acme Défense SA" -> "acme-defense-sa"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:48] or "exhibitor"
    taken = set(
        db.session.execute(
            select(Exhibitor.ref).where(
                Exhibitor.event_id == event.id, Exhibitor.ref.like(f"{base}%")
            )
        ).scalars()
    )
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


def register_exhibitor(
    event: Event,
    details: CompanyDetails,
    *,
    email: str | None = None,
    password: str | None = None,
    user=None,
    logo: bytes | None = None,
) -> Exhibitor | None:
    """Sign a company up for an event; it waits for the organiser's approval.

    Either `user` (an exhibitor account already signed in) or `email` and `password` for
    a new account (a visitor). `logo` is an image already checked by `prepare_logo`.
    A visitor's answer must not tell whether the email has an account: what was typed is
    checked first (the password rule, the details), then a known email writes nothing,
    costs the same password hashing as a new account and returns None, and the visitor
    is told the same either way. Raises AccountError (the password) or ExhibitorError.
    """
    from expo_app.accounts.services import (
        AccountError,
        check_password_rule,
        find_user_by_email,
        spend_hash_work,
    )

    visitor = user is None
    if visitor:
        check_password_rule(password or "", email=email, name=details.name)
    elif user.role != Role.EXHIBITOR:
        raise ExhibitorError(_l("Only an exhibitor account can register a company."), "name")
    elif exhibitor_of(user, event.id) is not None:
        raise ExhibitorError(
            _l("Your account has already registered a company for this event."), "name"
        )
    exhibitor = Exhibitor(
        event_id=event.id,
        ref=new_exhibitor_ref(event, details.name),
        approval=Approval.PENDING.value,
        meeting_capacity=1,
    )
    apply_details(exhibitor, details)  # a refused website is told before anything else
    if visitor and find_user_by_email(email or "") is not None:
        spend_hash_work(password or "")  # as long as making the account would take
        return None
    try:
        with db.session.begin_nested():  # the account and its company, or neither
            if visitor:
                user = _new_account(email, password, details.name)
            exhibitor.user_id = user.id
            if not exhibitor.contact_email:
                exhibitor.contact_email = user.email
            db.session.add(exhibitor)
            db.session.flush()
    except AccountError as error:
        if error.field == "email":  # a twin registration won the race a moment ago
            return None
        raise
    except IntegrityError as exc:  # the same account, or the same new code, in parallel
        if visitor:
            return None
        raise AccountError(
            _l("This company was just registered; please sign in."), field="name"
        ) from exc
    if logo is not None:
        store_logo(exhibitor, logo)
    record("exhibitor.register", exhibitor, after=snapshot(exhibitor, PROFILE_FIELDS))
    return exhibitor


def _new_account(email: str | None, password: str | None, name: str) -> User:
    """The exhibitor account a visitor's registration makes (AccountError on the email
    field when the address was taken meanwhile)."""
    from expo_app.accounts.services import create_user

    return create_user(email or "", password or "", Role.EXHIBITOR.value, name)


def account_of(exhibitor: Exhibitor) -> User | None:
    """The account that signs in for this company."""
    return db.session.get(User, exhibitor.user_id) if exhibitor.user_id else None


def approve_exhibitor(exhibitor: Exhibitor, *, approve: bool = True, note: str | None = None):
    """Organiser: accept (or refuse) a registration; refusing frees its unconfirmed holds."""
    before = snapshot(exhibitor, ["approval", "review_note"])
    exhibitor.approval = (Approval.APPROVED if approve else Approval.REJECTED).value
    exhibitor.review_note = note or None
    if not approve:
        free_unconfirmed_holds(exhibitor)
    record(
        "exhibitor.approve" if approve else "exhibitor.reject",
        exhibitor,
        before=before,
        after=snapshot(exhibitor, ["approval", "review_note"]),
    )
    db.session.flush()


def exhibitors_awaiting_approval(event: Event) -> list[Exhibitor]:
    return list(
        db.session.execute(
            select(Exhibitor)
            .where(Exhibitor.event_id == event.id, Exhibitor.approval == Approval.PENDING.value)
            .options(selectinload(Exhibitor.sectors))
            .order_by(Exhibitor.created_at, Exhibitor.id)
        ).scalars()
    )
