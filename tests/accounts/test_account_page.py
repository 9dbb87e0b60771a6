"""The account page: every signed-in person's own; the password change follows the
password rule; the list of open sign-ins marks this device."""

from __future__ import annotations

import pytest

from expo_app.accounts.services import authenticate
from expo_app.extensions import db
from tests.kit.accounts import PASSWORD, make_account, new_client


def _change(client, current: str, new: str, confirm: str | None = None):
    return client.post(
        "/account",
        data={"current_password": current, "password": new, "confirm": confirm or new},
    )


@pytest.mark.parametrize("role", ["organiser", "exhibitor", "delegate", "gate"])
def test_every_signed_in_person_has_an_account_page_linked_from_the_navigation(app, role):
    make_account(f"{role}@example.org", role)
    db.session.commit()
    client = new_client(app, f"{role}@example.org")
    assert 'href="/account"' in client.get("/").get_data(as_text=True)
    page = client.get("/account").get_data(as_text=True)
    assert "Change your password" in page and "Sign out everywhere" in page


def test_the_account_page_asks_anonymous_visitors_to_sign_in(client, app):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/account/sign-out-everywhere").status_code == 302
    assert 'href="/account"' not in client.get("/").get_data(as_text=True)


def test_the_page_lists_the_open_sign_ins_and_marks_this_device(app, organiser):
    other = new_client(app)
    other.post(
        "/login",
        data={"email": organiser.email, "password": PASSWORD},
        headers={"User-Agent": "Tablet at the gate"},
    )
    here = new_client(app)
    here.post(
        "/login",
        data={"email": organiser.email, "password": PASSWORD},
        headers={"User-Agent": "My laptop"},
    )
    page = here.get("/account", headers={"User-Agent": "My laptop"}).get_data(as_text=True)
    assert "Tablet at the gate" in page and "My laptop" in page
    assert page.count("This device") == 1
    assert page.index("My laptop") < page.index("This device") < page.index("Tablet at the gate")
    other.post("/logout")
    assert "Tablet at the gate" not in here.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("weak", ["password", "12345678", "aaaaaaaa", "boss@sign-in-expo.org"])
def test_a_weak_new_password_is_refused_next_to_its_field(app, organiser, weak):
    client = new_client(app, organiser.email)
    response = _change(client, PASSWORD, weak)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="password-error"' in page
    assert "too easy to guess" in page or "at least 8 characters" in page
    assert authenticate(organiser.email, PASSWORD) is not None  # unchanged


def test_a_wrong_current_password_or_a_mismatch_changes_nothing(app, organiser):
    client = new_client(app, organiser.email)
    wrong = _change(client, "not my password", "a fresh tern in the harbour")
    assert wrong.status_code == 422
    assert "This is not your current password." in wrong.get_data(as_text=True)
    differ = _change(client, PASSWORD, "a fresh tern in the harbour", "a fresh tern elsewhere")
    assert differ.status_code == 422
    assert "The two passwords differ." in differ.get_data(as_text=True)
    assert authenticate(organiser.email, PASSWORD) is not None


def test_guessing_the_current_password_on_the_account_page_is_throttled(app, organiser):
    client = new_client(app, organiser.email)
    for n in range(10):
        assert _change(client, f"guess {n}", "a fresh tern in the harbour").status_code == 422
    response = _change(client, PASSWORD, "a fresh tern in the harbour")
    assert response.status_code == 429
    assert "Too many attempts." in response.get_data(as_text=True)
    assert authenticate(organiser.email, PASSWORD) is not None
