"""Accounts: sign in and out, hashed passwords, who reaches which event page (the access
registry, through real routes), CSRF on every form."""

from __future__ import annotations

import pytest
from flask import Flask

from expo_app import create_app
from expo_app.accounts.services import (
    AccountError,
    authenticate,
    create_user,
    find_user_by_email,
    make_organiser_of,
)
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client


def test_passwords_are_stored_hashed_and_checked(app):
    user = create_user("Organiser@Example.org", "correct horse", "organiser")
    assert "correct horse" not in user.password_hash
    assert authenticate("organiser@example.org", "correct horse") == user
    assert authenticate("organiser@example.org", "wrong password") is None


def test_second_account_with_the_same_email_is_refused(app):
    create_user("head@example.org", "long enough", "delegate")
    with pytest.raises(AccountError, match="already exists"):
        create_user("HEAD@example.org", "long enough", "delegate")


def test_sign_in_with_a_wrong_password_says_so_next_to_the_field(client, app):
    create_user("organiser@example.org", "correct horse", "organiser")
    db.session.commit()
    response = client.post("/login", data={"email": "organiser@example.org", "password": "nope"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Wrong email or password." in page
    assert 'value="organiser@example.org"' in page  # what was typed is kept


def test_sign_in_then_out(client, app):
    create_user("organiser@example.org", "correct horse", "organiser")
    db.session.commit()
    response = client.post(
        "/login",
        data={"email": "organiser@example.org", "password": "correct horse", "next": "/e/x/"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/e/x/"
    assert "Sign out" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert "Sign out" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example.com/",
        "/\\evil.example.com/",
        "https://evil.example.com/",
        "/\tevil",
        "http://[",
    ],
)
def test_sign_in_never_redirects_to_another_site(client, app, target):
    create_user("organiser@example.org", "correct horse", "organiser")
    db.session.commit()
    response = client.post(
        "/login",
        data={"email": "organiser@example.org", "password": "correct horse", "next": target},
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target", ["http://[", "//evil.example.com/", "/\\evil", "javascript:alert(1)"]
)
def test_changing_language_with_a_broken_return_address_goes_home(client, app, target):
    response = client.post("/language/fr", data={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_create_user_leaves_the_commit_to_its_caller(app):
    create_user("later@example.org", "long enough", "delegate")
    db.session.rollback()
    assert find_user_by_email("later@example.org") is None


def _organisers_event():
    """An event, its organiser and gate account, an organiser of another event, a delegate."""
    event = f.make_event("access-expo")
    accounts = {
        role: make_account(f"{role}@access-expo.org", role)
        for role in ("organiser", "gate", "delegate")
    }
    accounts["stranger"] = make_account("stranger@access-expo.org", "organiser")
    for role in ("organiser", "gate"):
        make_organiser_of(accounts[role], event.id)
    db.session.commit()
    return event, accounts


ANSWERS = {  # who -> status, per access level, through a real page of that level
    "manage/badges/": {"anonymous": 302, "delegate": 403, "gate": 403, "stranger": 403,
                       "organiser": 200},
    "gate/": {"anonymous": 302, "delegate": 403, "gate": 200, "stranger": 403, "organiser": 200},
}  # fmt: skip


@pytest.mark.parametrize("who", ["anonymous", "delegate", "gate", "stranger", "organiser"])
@pytest.mark.parametrize("path", list(ANSWERS))
def test_event_pages_open_to_whom_their_access_level_admits(app, path, who):
    """Organiser pages: this event's organisers; the gate: its gate staff and organisers.
    Anonymous visitors sign in first; anyone else (an organiser of another event) gets 403."""
    event, accounts = _organisers_event()
    client = new_client(app, None if who == "anonymous" else accounts[who].email)
    response = client.get(f"/e/{event.slug}/{path}")
    assert response.status_code == ANSWERS[path][who]
    if who == "anonymous":
        assert "/login" in response.headers["Location"]
    if response.status_code == 403:
        assert "You do not have access to this page." in response.get_data(as_text=True)


def test_the_navigation_offers_the_pages_the_access_levels_open(app):
    event, accounts = _organisers_event()
    links = {
        who: new_client(app, accounts[who].email).get(f"/e/{event.slug}/").get_data(as_text=True)
        for who in ("organiser", "gate", "delegate", "stranger")
    }
    manage, gate = f'href="/e/{event.slug}/manage/"', f'href="/e/{event.slug}/gate/"'
    assert gate in links["organiser"]
    assert gate in links["gate"] and manage not in links["gate"]
    assert f'href="/e/{event.slug}/my/"' in links["delegate"] and gate not in links["delegate"]
    assert manage not in links["stranger"] and gate not in links["stranger"]
    assert "Gate staff" in links["gate"]  # the role's name, from Role's labels


def test_forms_without_a_csrf_token_are_refused(_main_app: Flask):
    app = create_app({"SQLALCHEMY_DATABASE_URI": _main_app.config["SQLALCHEMY_DATABASE_URI"]})
    client = app.test_client()
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert client.post("/logout").status_code == 400
    with app.app_context():
        db.session.remove()


def test_a_refusal_no_view_handled_is_a_409_page_and_undoes_the_write(_main_app: Flask):
    """The request path turns an escaped DomainError into its message page (never a 500)
    and rolls back what the view had written before it."""
    from expo_app.errors import DomainError
    from expo_app.web.access import SIGNED_IN
    from expo_app.web.rh import event_page

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": _main_app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
        }
    )

    @app.route("/e/<slug>/refuse", methods=["POST"])
    @event_page(SIGNED_IN)
    def refuse(event):
        event.name = "Renamed before the refusal"
        db.session.flush()
        raise DomainError("The slot was taken meanwhile.")

    try:
        with app.app_context():
            event = f.make_event("refusing-expo")
            make_account("someone@example.org", "delegate")
            db.session.commit()
            client = new_client(app, "someone@example.org")
            response = client.post("/e/refusing-expo/refuse")
            assert response.status_code == 409
            assert "The slot was taken meanwhile." in response.get_data(as_text=True)
            db.session.expire_all()
            assert event.name == "Test Expo"
    finally:
        from tests.conftest import empty_database

        empty_database(app)
