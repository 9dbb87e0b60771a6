"""Accounts: sign in and out, hashed passwords, role checks, CSRF on every form."""

from __future__ import annotations

import pytest
from flask import Flask

from expo_app import create_app
from expo_app.accounts.permissions import role_required
from expo_app.accounts.services import AccountError, authenticate, create_user
from expo_app.extensions import db


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
    response = client.post("/login", data={"email": "organiser@example.org", "password": "nope"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Wrong email or password." in page
    assert 'value="organiser@example.org"' in page  # what was typed is kept


def test_sign_in_then_out(client, app):
    create_user("organiser@example.org", "correct horse", "organiser")
    response = client.post(
        "/login",
        data={"email": "organiser@example.org", "password": "correct horse", "next": "/e/x/"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/e/x/"
    assert "Sign out" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert "Sign out" not in client.get("/").get_data(as_text=True)


def test_sign_in_never_redirects_to_another_site(client, app):
    create_user("organiser@example.org", "correct horse", "organiser")
    response = client.post(
        "/login",
        data={
            "email": "organiser@example.org",
            "password": "correct horse",
            "next": "//evil.example.com/",
        },
    )
    assert response.headers["Location"] == "/"


def test_role_checks_send_strangers_to_sign_in_and_others_away(_main_app):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": _main_app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
        }
    )

    @app.route("/organisers-only")
    @role_required("organiser")
    def organisers_only():
        return "secret figures"

    with app.app_context():
        create_user("delegate@example.org", "long enough", "delegate")
        create_user("organiser@example.org", "long enough", "organiser")
    try:
        client = app.test_client()
        response = client.get("/organisers-only")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        client.post("/login", data={"email": "delegate@example.org", "password": "long enough"})
        response = client.get("/organisers-only")
        assert response.status_code == 403 and "secret" not in response.get_data(as_text=True)
        client.post("/logout")
        client.post("/login", data={"email": "organiser@example.org", "password": "long enough"})
        assert client.get("/organisers-only").get_data(as_text=True) == "secret figures"
    finally:
        from tests.conftest import empty_database

        empty_database(app)


def test_forms_without_a_csrf_token_are_refused(_main_app: Flask):
    app = create_app({"SQLALCHEMY_DATABASE_URI": _main_app.config["SQLALCHEMY_DATABASE_URI"]})
    client = app.test_client()
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert client.post("/logout").status_code == 400
    with app.app_context():
        db.session.remove()
