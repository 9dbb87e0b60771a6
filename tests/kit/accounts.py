"""Accounts and signed-in test clients.

Every account made here has the same password, hashed cheaply once: the suite signs in
many accounts and the strength of the hash is not under test (tests of the real hashing
go through `expo_app.accounts.services`)."""

from __future__ import annotations

from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import refresh
from werkzeug.security import generate_password_hash

from expo_app.accounts.models import User
from expo_app.extensions import db

PASSWORD = "kit-pass-2025"
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_account(email: str, role: str, display_name: str | None = None) -> User:
    """A user with `PASSWORD`, flushed (not committed)."""
    user = User(email=email, role=role, password_hash=FAST_HASH, display_name=display_name or email)
    db.session.add(user)
    db.session.flush()
    return user


class OwnClient(FlaskClient):
    """A test client that is nobody else.

    The tests run every request inside one shared app context, so what Flask-Login (the
    signed-in user) and Flask-Babel (the language) cache in `g` would leak from one
    client to the next, and from one request to the next: each request starts without.
    """

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        refresh()
        return super().open(*args, **kwargs)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> FlaskClient:
    """Sign the client in through the login form; fail unless the login is accepted."""
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, (email, response.get_data(as_text=True))
    return client


def new_client(app: Flask, email: str | None = None, password: str = PASSWORD) -> OwnClient:
    """A client with its own cookies: anonymous, or signed in as `email`."""
    client = OwnClient(app, app.response_class, use_cookies=True)
    if email:
        sign_in(client, email, password)
    return client
