"""Sign-ins that end: each is a record on the server, found by the hash of the random
token the session and remember-me cookies carry (Flask-Login's "alternative token").

Signing out ends the record, so a cookie copied before is refused afterwards; a password
change ends the account's other sign-ins; "sign out everywhere" and a password reset end
them all. A sign-in also ends by itself: 12 hours without a request, or 14 days after a
"keep me signed in" (config: EXPO_SIGN_IN_IDLE, EXPO_REMEMBERED_SIGN_IN).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, g, has_request_context, request
from flask_login import login_user
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload

from expo_app.accounts.models import SignIn, User, hash_token
from expo_app.extensions import db
from expo_app.modelkit import utcnow

DEVICE_LENGTH = 200
KEEP_ENDED = timedelta(days=30)  # ended sign-ins are kept this long, then forgotten
_TOUCH = "_expo_sign_in_touch"  # g: the sign-in whose last_seen_at is due a write


def open_sign_in(user: User, *, remember: bool = False) -> SignIn:
    """A new sign-in of `user` on this device (flushed), attached to `user` so that
    Flask-Login stores its token. Use `sign_in` to also sign the request in."""
    now = utcnow()
    token = SignIn.new_token()
    record = SignIn(
        user=user,
        token_hash=hash_token(token),
        created_at=now,
        last_seen_at=now,
        expires_at=now + _lifetime(remember),
        remembered=remember,
        device=_device(),
    )
    record.token = token
    db.session.add(record)
    _forget_old_sign_ins(user, now)
    db.session.flush()
    user.current_sign_in = record
    return record


def _forget_old_sign_ins(user: User, now: datetime) -> None:
    """The account's sign-ins that ended (or expired) a while ago: nobody needs them."""
    if user.id is None:
        return
    long_ago = now - KEEP_ENDED
    db.session.execute(
        delete(SignIn).where(
            SignIn.user_id == user.id,
            or_(SignIn.ended_at < long_ago, SignIn.expires_at < long_ago),
        )
    )


def sign_in(user: User, *, remember: bool = False) -> bool:
    """Sign the request in as `user` with a new sign-in record (the only way in: the
    login form and the registrations that sign their new account in). False if the
    account is inactive."""
    if not user.is_active:
        return False
    open_sign_in(user, remember=remember)
    return login_user(user, remember=remember, duration=_lifetime(remember) if remember else None)


def user_for_token(token: str | None) -> User | None:
    """The account a cookie's token signs in, with the sign-in attached; None when the
    sign-in is unknown, ended or expired, or the account is inactive."""
    if not token or len(token) > 100:
        return None
    record = db.session.execute(
        select(SignIn).options(joinedload(SignIn.user)).filter_by(token_hash=hash_token(token))
    ).scalar_one_or_none()
    now = utcnow()
    if record is None or not record.open_at(now) or not record.user.active:
        return None
    record.token = token
    record.user.current_sign_in = record
    due = now - record.last_seen_at >= current_app.config["EXPO_SIGN_IN_TOUCH"]
    if due and has_request_context():
        g.setdefault(_TOUCH, record.id)  # written after the request (see touch_seen)
    return record.user


def touch_seen(response):
    """After the request's own unit of work (committed or rolled back by the request
    path): note that the sign-in was seen, in a small transaction of its own, at most
    every EXPO_SIGN_IN_TOUCH. A page read (whose work is always rolled back) keeps an
    idle sign-in alive this way without a write on every request."""
    sign_in_id = g.pop(_TOUCH, None)
    if sign_in_id is None:
        return response
    now = utcnow()
    try:
        db.session.rollback()  # commit nothing but this touch
        record = db.session.get(SignIn, sign_in_id)
        if record is not None and record.ended_at is None:
            record.last_seen_at = now
            if not record.remembered:
                record.expires_at = now + current_app.config["EXPO_SIGN_IN_IDLE"]
            db.session.commit()
    except Exception:  # a lost touch only shortens an idle sign-in; the page is served
        db.session.rollback()
        current_app.logger.warning("could not note sign-in %s as seen", sign_in_id, exc_info=True)
    return response


def end_sign_in(record: SignIn | None) -> None:
    """End one sign-in (sign-out): its cookies open nothing any more. Flushes."""
    if record is not None and record.ended_at is None:
        record.ended_at = utcnow()
        db.session.flush()


def end_all_sign_ins(user: User, *, keep: SignIn | None = None) -> int:
    """End every open sign-in of the account (all but `keep`, the one a password change
    is made from): "sign out everywhere", a password change, a password reset. Flushes;
    returns how many ended."""
    where = [SignIn.user_id == user.id, SignIn.ended_at.is_(None)]
    if keep is not None:
        where.append(SignIn.id != keep.id)
    ended = db.session.execute(update(SignIn).where(*where).values(ended_at=utcnow()))
    return ended.rowcount or 0


def open_sign_ins(user: User, now: datetime | None = None) -> list[SignIn]:
    """The account's sign-ins that still open a session, the most recently seen first."""
    now = now or utcnow()
    return list(
        db.session.execute(
            select(SignIn)
            .where(SignIn.user_id == user.id, SignIn.ended_at.is_(None), SignIn.expires_at > now)
            .order_by(SignIn.last_seen_at.desc(), SignIn.id.desc())
        ).scalars()
    )


def _lifetime(remember: bool):
    config = current_app.config
    return config["EXPO_REMEMBERED_SIGN_IN"] if remember else config["EXPO_SIGN_IN_IDLE"]


def _device() -> str:
    if not has_request_context():
        return ""
    return (request.user_agent.string or "").strip()[:DEVICE_LENGTH]
