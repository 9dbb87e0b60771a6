"""Sign-ins that end: signing out, a password change and "sign out everywhere" end them
on the server, so a cookie copied before (session or remember-me) opens nothing after."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event as sa_event
from sqlalchemy import select

from expo_app.accounts.models import SignIn, hash_token
from expo_app.extensions import db
from expo_app.modelkit import utcnow
from tests.kit.accounts import PASSWORD, new_client

REMEMBER_COOKIE = "remember_token"


def _copy(client, cookie: str, app):
    """Another browser holding only a copy of `client`'s cookie."""
    thief = new_client(app)
    thief.set_cookie(cookie, client.get_cookie(cookie).value)
    return thief


def _sign_ins(user):
    user_id = user if isinstance(user, int) else user.id
    db.session.expire_all()
    return list(db.session.execute(select(SignIn).filter_by(user_id=user_id)).scalars())


def test_a_session_cookie_copied_before_sign_out_is_refused_after_it(app, organiser):
    client = new_client(app, organiser.email)
    copy = _copy(client, "session", app)
    assert copy.get(organiser.manage).status_code == 200  # the copy works while signed in

    client.post("/logout")

    response = copy.get(organiser.manage)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Sign out" not in copy.get("/").get_data(as_text=True)


def test_the_remember_me_cookie_alone_is_refused_after_sign_out(app, organiser):
    client = new_client(app)
    client.post("/login", data={"email": organiser.email, "password": PASSWORD, "remember": "y"})
    assert _copy(client, REMEMBER_COOKIE, app).get(organiser.manage).status_code == 200
    copy = _copy(client, REMEMBER_COOKIE, app)  # a remember-me cookie alone, no session

    client.post("/logout")

    response = copy.get(organiser.manage)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_remember_me_cookie_lasts_two_weeks_not_a_year(app, organiser):
    client = new_client(app)
    response = client.post(
        "/login", data={"email": organiser.email, "password": PASSWORD, "remember": "y"}
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if REMEMBER_COOKIE in c)
    assert "Max-Age=1209600" in cookie or "Expires=" in cookie
    (record,) = _sign_ins(organiser.user)
    assert record.remembered
    assert record.expires_at - record.created_at == timedelta(days=14)
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=14)


def test_cookies_carry_a_random_token_and_the_database_only_its_hash(app, organiser):
    client = new_client(app, organiser.email)
    with client.session_transaction() as session:
        token = session["_user_id"]
    assert token != str(organiser.user.id) and len(token) >= 40
    (record,) = _sign_ins(organiser.user)
    assert record.token_hash == hash_token(token) and token not in record.token_hash


def test_a_password_change_ends_the_other_sign_ins_and_keeps_this_one(app, organiser):
    laptop = new_client(app, organiser.email)
    phone = new_client(app, organiser.email)
    response = laptop.post(
        "/account",
        data={
            "current_password": PASSWORD,
            "password": "a fresh tern in the harbour",
            "confirm": "a fresh tern in the harbour",
        },
    )
    assert response.status_code == 302
    assert "1 other sign-in is ended" in laptop.get("/account").get_data(as_text=True)
    assert laptop.get(organiser.manage).status_code == 200
    assert phone.get(organiser.manage).status_code == 302
    new_client(app, organiser.email, "a fresh tern in the harbour")  # the new one works


def test_sign_out_everywhere_ends_every_sign_in_of_the_account(app, organiser):
    laptop = new_client(app, organiser.email)
    phone = new_client(app, organiser.email)
    copy = _copy(laptop, "session", app)

    response = laptop.post("/account/sign-out-everywhere")

    assert response.status_code == 302
    page = laptop.get("/", follow_redirects=True).get_data(as_text=True)
    assert "signed out on every device" in page
    for client in (laptop, phone, copy):
        assert client.get(organiser.manage).status_code == 302
    assert all(record.ended_at is not None for record in _sign_ins(organiser.user))


def test_a_sign_in_ends_after_hours_without_a_request(app, organiser):
    client = new_client(app, organiser.email)
    (record,) = _sign_ins(organiser.user)
    assert record.expires_at - record.last_seen_at == timedelta(hours=12)
    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(organiser.manage).status_code == 302


def test_a_deactivated_account_is_signed_out_at_its_next_request(app, organiser):
    client = new_client(app, organiser.email)
    organiser.user.active = False
    db.session.commit()
    assert client.get(organiser.manage).status_code == 302


def test_a_page_read_notes_the_sign_in_as_seen_only_every_few_minutes(app, organiser):
    client = new_client(app, organiser.email)
    user_id = organiser.user.id
    statements: list[str] = []

    def record_updates(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE"):
            statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", record_updates)
    try:
        client.get(organiser.manage)
        assert statements == []  # seen a moment ago: no write

        (record,) = _sign_ins(organiser.user)
        long_ago = utcnow() - timedelta(minutes=30)
        record.last_seen_at = long_ago
        record.expires_at = long_ago + timedelta(hours=12)
        db.session.commit()
        statements.clear()
        assert client.get(organiser.manage).status_code == 200
        assert len(statements) == 1
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record_updates)
    db.session.remove()  # read back from the database, in a new transaction
    (record,) = _sign_ins(user_id)
    assert utcnow() - record.last_seen_at < timedelta(minutes=1)
    assert record.expires_at - record.last_seen_at == timedelta(hours=12)


def test_each_sign_in_is_its_own_record_with_the_device(app, organiser):
    new_client(app, organiser.email)
    phone = new_client(app)
    phone.post(
        "/login",
        data={"email": organiser.email, "password": PASSWORD},
        headers={"User-Agent": "Phone browser " + "x" * 500},
    )
    devices = sorted(record.device for record in _sign_ins(organiser.user))
    assert len(devices) == 2
    assert any(device.startswith("Phone browser") and len(device) == 200 for device in devices)


def test_sign_ins_ended_a_month_ago_are_forgotten_at_the_next_sign_in(app, organiser):
    for _ in range(2):
        new_client(app, organiser.email).post("/logout")
    old, recent = sorted(_sign_ins(organiser.user), key=lambda record: record.id)
    old.ended_at = utcnow() - timedelta(days=31)
    db.session.commit()
    new_client(app, organiser.email)
    assert [record.id for record in _sign_ins(organiser.user)][:1] == [recent.id]
    assert len(_sign_ins(organiser.user)) == 2  # the recent ended one and the new one
