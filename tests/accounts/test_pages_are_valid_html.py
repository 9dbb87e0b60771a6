"""The sign-in and account pages are valid HTML, with their errors shown (Nu Html
Checker, marker `html_checker`)."""

from __future__ import annotations

import pytest

from expo_app.extensions import limiter
from tests.kit.accounts import PASSWORD, new_client

pytestmark = pytest.mark.html_checker


def test_the_sign_in_and_account_pages_are_valid_html(app, organiser, nu_html_checker):
    anonymous = new_client(app)
    wrong = anonymous.post("/login", data={"email": organiser.email, "password": "no"})
    for _ in range(10):
        throttled = anonymous.post("/login", data={"email": organiser.email, "password": "no"})
    assert throttled.status_code == 429
    limiter.reset()
    new_client(app, organiser.email)  # a second sign-in to list
    client = new_client(app, organiser.email)
    refused = client.post(
        "/account", data={"current_password": PASSWORD, "password": "12345678", "confirm": "1"}
    )
    documents = {
        "login": anonymous.get("/login").get_data(),
        "login-wrong": wrong.get_data(),
        "login-throttled": throttled.get_data(),
        "account": client.get("/account").get_data(),
        "account-refused": refused.get_data(),
    }
    assert nu_html_checker(documents) == {}
