"""Registration tells nobody who has an account, and is throttled.

A visitor who registers with a new email and one who registers with a known email (an
account of any role, or a person already registered at the event) get the same answer:
the sign-in page with the same message; only the new email makes anything, the known
one costs the same password hashing. Neither is signed in automatically (that would
tell them apart). Both registration pages share one throttle per address."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from expo_app.accounts.models import User
from expo_app.delegations.models import Participant
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client

PASSWORD = "river-lantern-velvet-42"
RECEIVED = "Your registration is received. Sign in with your email and password to follow it."


@pytest.fixture
def event(backend_app):
    made = f.make_event("expo")
    f.make_delegate(made, email="listed@example.org")  # a member with no account
    make_account("known@example.org", "organiser")
    db.session.commit()
    return made


def delegate_form(email: str, **more) -> dict:
    return {
        "name": "Awa Traoré",
        "country": "ML",
        "email": email,
        "password": PASSWORD,
        "action": "register",
        **more,
    }


def exhibitor_form(email: str, **more) -> dict:
    return {
        "name": "Acme Défense SA",
        "country": "FR",
        "contact_name": "Jeanne Martin",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        **more,
    }


DOORS = {
    "delegate": ("/e/expo/register", delegate_form),
    "exhibitor": ("/e/expo/exhibitor/register", exhibitor_form),
}


def rows() -> dict:
    db.session.expire_all()
    counts = {
        model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar_one()
        for model in (User, Participant, Exhibitor)
    }
    db.session.rollback()
    return counts


def answer(app, door: str, email: str, **more):
    path, form = DOORS[door]
    client = new_client(app)
    response = client.post(path, data=form(email, **more))
    followed = client.get(response.headers.get("Location", "/login"))
    return client, response, followed.get_data(as_text=True)


@pytest.mark.parametrize(
    ("door", "known"),
    [
        ("delegate", "KNOWN@example.org"),  # an account (any role, any case)
        ("delegate", "listed@example.org"),  # a person of this event without an account
        ("exhibitor", "KNOWN@example.org"),
    ],
)
def test_a_known_email_gets_the_answer_a_new_one_gets_and_writes_nothing(
    backend_app, event, door, known, monkeypatch
):
    spent = []
    for where in ("expo_app.accounts.services", "expo_app.delegations.services"):
        monkeypatch.setattr(f"{where}.spend_hash_work", lambda password: spent.append(password))
    _new, fresh, fresh_page = answer(backend_app, door, "new@example.org")
    before = rows()
    client, taken, taken_page = answer(backend_app, door, known)
    assert (taken.status_code, taken.headers["Location"]) == (
        fresh.status_code,
        fresh.headers["Location"],
    )
    assert fresh.status_code == 303 and fresh.headers["Location"].startswith("/login?next=")
    assert RECEIVED in fresh_page and RECEIVED in taken_page
    assert rows() == before  # nothing written for the known email
    assert spent == [PASSWORD]  # but the hashing a new account costs was spent
    # The new email has its account and registration, and is not signed in.
    assert db.session.execute(select(User).filter_by(email="new@example.org")).scalar_one()
    assert client.get("/e/expo/my/").status_code == 302


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("email", ["new@example.org", "known@example.org"])
def test_a_weak_password_is_refused_next_to_the_password_for_new_and_known_emails(
    backend_app, event, door, email
):
    before = rows()
    path, form = DOORS[door]
    response = new_client(backend_app).post(
        path, data=form(email, password="password1", confirm="password1")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="password-error"' in html and "too easy to guess" in html
    assert 'id="email-error"' not in html
    assert rows() == before


def test_a_signed_in_delegate_registers_as_before(backend_app, event):
    make_account("signed@example.org", "delegate", "Awa Traoré")
    db.session.commit()
    client = new_client(backend_app, "signed@example.org")
    response = client.post(
        "/e/expo/register", data={**delegate_form("signed@example.org"), "password": ""}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/e/expo/my/")
    assert client.get("/e/expo/my/").status_code == 200


def test_registrations_from_one_address_are_throttled_with_a_clear_message(backend_app, event):
    backend_app.config["EXPO_REGISTRATION_LIMIT"] = "3 per hour"
    try:
        client = new_client(backend_app)
        # Forms sent back with errors do not count: a person who mistypes is not stopped.
        for _ in range(4):
            bad = client.post("/e/expo/register", data=delegate_form("not-an-email"))
            assert bad.status_code == 422
        for n, door in enumerate(["delegate", "exhibitor", "delegate"]):
            path, form = DOORS[door]
            assert client.post(path, data=form(f"p{n}@example.org")).status_code == 303
        before = rows()
        for door in DOORS:  # the two doors share the count
            path, form = DOORS[door]
            refused = client.post(path, data=form("late@example.org"))
            assert refused.status_code == 429
            html = refused.get_data(as_text=True)
            assert "Too many attempts. Try again in" in html and "minute" in html
            assert int(refused.headers["Retry-After"]) > 0
        assert rows() == before
        assert client.get("/e/expo/register").status_code == 200  # reading stays open
    finally:
        backend_app.config["EXPO_REGISTRATION_LIMIT"] = "10 per hour"


def test_adding_member_rows_is_not_counted(backend_app, event):
    backend_app.config["EXPO_REGISTRATION_LIMIT"] = "1 per hour"
    try:
        client = new_client(backend_app)
        for _ in range(3):
            more = client.post(
                "/e/expo/register", data=delegate_form("a@example.org", action="more")
            )
            assert more.status_code == 200
        assert (
            client.post("/e/expo/register", data=delegate_form("a@example.org")).status_code == 303
        )
    finally:
        backend_app.config["EXPO_REGISTRATION_LIMIT"] = "10 per hour"
