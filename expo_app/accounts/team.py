"""An event's team: the organisers, gate staff and security officers attached to it.

The one set of rules for the organiser's Team page and `expo create-user --event`:
inviting someone by email (a team account that exists is attached; a new address gets
an account without a password and a one-time link to choose one), accepting that link,
and removing someone from the team. Access is asked afresh on every request
(accounts.permissions), so a removal ends the person's access to the event at once.

The invitation link is signed with the app's secret key (itsdangerous) and carries a
fingerprint of the account's password hash: choosing the password changes the hash, and
so does a new invitation (`User.set_unusable_password`), so a link works once, and only
the newest one does; it also expires after INVITATION_LIFETIME. Nothing to look up, so
no schema change, and a copy of the database holds no working link.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import case, func, select

from expo_app.accounts.models import TEAM_ROLES, EventOrganiser, Role, SignIn, User
from expo_app.accounts.services import (
    AccountError,
    create_user,
    find_user_by_email,
    reset_password,
)
from expo_app.audit.services import record
from expo_app.errors import DomainError
from expo_app.extensions import db
from expo_app.web.params import INT_MAX

if TYPE_CHECKING:
    from expo_app.events.models import Event

INVITATION_LIFETIME = timedelta(days=7)  # config: EXPO_INVITATION_LIFETIME
_SALT = "expo.team-invitation"
MAX_TOKEN_LENGTH = 300

NOT_IN_TEAM = _l("This person is not in this event's team.")


class TeamError(AccountError):
    """A refused change to an event's team, shown next to the field it concerns."""


class InvitationInvalid(DomainError):
    """A link that was never made here, was used already, or was replaced by a newer one."""

    default_message = _l("This invitation link is not valid: it was used already or replaced.")
    status = 404


class InvitationExpired(DomainError):
    default_message = _l(
        "This invitation link has expired. Ask the event's organiser for a new one."
    )
    status = 410


@dataclass(frozen=True)
class TeamMember:
    user: User
    last_sign_in: datetime | None

    @property
    def invited(self) -> bool:
        """Invited, and no password chosen yet."""
        return not self.user.has_usable_password


@dataclass(frozen=True)
class Invitation:
    """What `invite` did: `token` is the one-time link's, for an account that has no
    password yet (None: the person signs in with their own password)."""

    user: User
    token: str | None
    new_account: bool


def lifetime() -> timedelta:
    return current_app.config.get("EXPO_INVITATION_LIFETIME", INVITATION_LIFETIME)


def team_of(event: Event) -> list[TeamMember]:
    """The event's team, organisers first, with each one's latest sign-in (one query)."""
    last_sign_in = (
        select(func.max(SignIn.created_at))
        .where(SignIn.user_id == User.id)
        .correlate(User)
        .scalar_subquery()
    )
    role_order = case({role.value: n for n, role in enumerate(TEAM_ROLES)}, value=User.role)
    rows = db.session.execute(
        select(User, last_sign_in)
        .join(EventOrganiser, EventOrganiser.user_id == User.id)
        .where(EventOrganiser.event_id == event.id)
        .order_by(role_order, func.lower(User.email))
    ).all()
    return [TeamMember(user, last) for user, last in rows]


def is_in_team(user: User, event: Event) -> bool:
    return db.session.get(EventOrganiser, (user.id, event.id)) is not None


def add_to_team(event: Event, user: User) -> bool:
    """Attach a team account to the event (audited). False if it was in the team already.
    Exhibitors and delegates act through their company or participant record: their
    accounts never become staff."""
    if user.role not in TEAM_ROLES:
        raise TeamError(
            _l(
                "This address belongs to an exhibitor's or a delegate's account, which "
                "cannot join an event's team. Use another address."
            ),
            field="email",
        )
    if is_in_team(user, event):
        return False
    db.session.add(EventOrganiser(user_id=user.id, event_id=event.id))
    db.session.flush()
    record(
        "team.member_added",
        user,
        event_id=event.id,
        after={"email": user.email, "role": user.role},
    )
    return True


def invite(event: Event, email: str, role: str, *, display_name: str | None = None) -> Invitation:
    """Bring someone into the event's team as `role`. An account with that email joins
    if it has that team role; a new address gets an account without a password. Either
    way, an account without a password gets a fresh invitation link (earlier links of
    it stop working). Flushes; raises TeamError on the field at fault."""
    email = _address(email)
    if role not in TEAM_ROLES:
        raise TeamError(_l("Choose organiser, gate staff or security officer."), field="role")
    user = find_user_by_email(email)
    new_account = user is None
    if user is None:
        user = create_user(email, None, role, (display_name or "").strip() or None)
    elif user.role in TEAM_ROLES and user.role != role:
        raise TeamError(
            _l(
                "This address already has an account with another role (%(role)s): "
                "choose that role, or use another address.",
                role=Role.label_of(user.role),
            ),
            field="role",
        )
    added = add_to_team(event, user)
    if not added and user.has_usable_password:
        raise TeamError(_l("This person is in the team already."), field="email")
    token = None
    if not user.has_usable_password:
        if not new_account:
            user.set_unusable_password()  # the links made before stop working
        token = invitation_token(user)
        record("team.invitation_made", user, event_id=event.id, after={"email": user.email})
    db.session.flush()
    return Invitation(user, token, new_account)


def remove_from_team(event: Event, user_id: int | None, *, by: User | None = None) -> User:
    """Detach someone from the event's team (audited): from their next request on, the
    event's pages refuse them. The event always keeps one organiser. An invitation not
    yet accepted stops working once its account is in no team any more. Flushes."""
    if user_id is None or not 0 < user_id <= INT_MAX:
        raise TeamError(NOT_IN_TEAM, field="member")
    membership = db.session.get(EventOrganiser, (user_id, event.id))
    if membership is None:
        raise TeamError(NOT_IN_TEAM, field="member")
    user = db.session.get(User, user_id)
    if user.role == Role.ORGANISER and _organiser_ids(event) == [user.id]:
        if by is not None and by.id == user.id:
            message = _l(
                "You are the last organiser of this event: invite another organiser "
                "before you leave the team."
            )
        else:
            message = _l("This is the last organiser of this event.")
        raise TeamError(message, field="member")
    db.session.delete(membership)
    db.session.flush()
    if not user.has_usable_password and not _in_any_team(user):
        user.set_unusable_password()
    record(
        "team.member_removed",
        user,
        event_id=event.id,
        before={"email": user.email, "role": user.role},
    )
    db.session.flush()
    return user


def _organiser_ids(event: Event) -> list[int]:
    """The event's organisers, their rows locked (PostgreSQL) until the transaction ends:
    two organisers removing each other at the same instant cannot leave none."""
    return list(
        db.session.execute(
            select(EventOrganiser.user_id)
            .join(User, User.id == EventOrganiser.user_id)
            .where(EventOrganiser.event_id == event.id, User.role == Role.ORGANISER)
            .with_for_update(of=EventOrganiser)
        ).scalars()
    )


def _in_any_team(user: User) -> bool:
    found = db.session.execute(select(EventOrganiser.event_id).filter_by(user_id=user.id))
    return found.first() is not None


def _address(email: str | None) -> str:
    email = (email or "").strip()
    try:
        if len(email) > 254:
            raise EmailNotValidError("too long")
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise TeamError(_l("This is not a valid email address."), field="email") from None
    return email


# --- The invitation link ----------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def invitation_token(user: User) -> str:
    """The token of the account's invitation link (valid while its password is unset)."""
    return _serializer().dumps([user.id, _fingerprint(user)])


def invited_by(token: str | None, *, lock: bool = False) -> User:
    """The account whose invitation link holds `token`, or InvitationInvalid /
    InvitationExpired. `lock`: hold the account's row until the transaction ends (the
    link is being used: two sends at once set one password)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvitationInvalid()
    try:
        payload: Any = _serializer().loads(token, max_age=int(lifetime().total_seconds()))
    except SignatureExpired:
        raise InvitationExpired() from None
    except BadSignature:
        raise InvitationInvalid() from None
    if not (isinstance(payload, list) and len(payload) == 2):
        raise InvitationInvalid()
    user_id, fingerprint = payload
    if type(user_id) is not int or not 0 < user_id <= INT_MAX or not isinstance(fingerprint, str):
        raise InvitationInvalid()
    user = db.session.get(User, user_id, with_for_update=lock)
    if (
        user is None
        or not user.active
        or user.has_usable_password
        or not hmac.compare_digest(_fingerprint(user), fingerprint)
    ):
        raise InvitationInvalid()
    return user


def accept_invitation(user: User, password: str) -> None:
    """The invitee chooses their password (the password rule applies): the link is spent,
    and they sign in like everyone else. Audited at each event whose team they are in."""
    reset_password(user, password)
    events = db.session.execute(select(EventOrganiser.event_id).filter_by(user_id=user.id))
    for event_id in events.scalars():
        record("team.invitation_accepted", user, event_id=event_id, user_id=user.id)
    db.session.flush()
