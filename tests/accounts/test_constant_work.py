"""Sign-in takes the same work for a known and an unknown email (and an inactive
account): one password hash check each, so timing tells nobody who has an account."""

from __future__ import annotations

import statistics
import time

import pytest
from werkzeug.security import generate_password_hash

from expo_app.accounts import models, services
from expo_app.accounts.services import authenticate, create_user, spend_hash_work
from expo_app.extensions import db


@pytest.fixture
def hash_checks(monkeypatch):
    """How many password hashes were checked (real ones and the dummy one)."""
    checks: list[str] = []
    real = services.check_password_hash

    def counted(pwhash: str, password: str) -> bool:
        checks.append(pwhash.split("$")[0])
        return real(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", counted)
    monkeypatch.setattr(models, "check_password_hash", counted)
    return checks


def test_an_unknown_email_costs_one_hash_check_like_a_wrong_password(app, hash_checks):
    create_user("known@example.org", "a sturdy phrase here", "delegate")
    assert authenticate("known@example.org", "wrong guess") is None
    assert authenticate("nobody@example.org", "wrong guess") is None
    assert len(hash_checks) == 2
    assert hash_checks[0] == hash_checks[1]  # same method and cost


def test_an_inactive_account_costs_one_hash_check_too(app, hash_checks):
    user = create_user("gone@example.org", "a sturdy phrase here", "delegate")
    user.active = False
    db.session.flush()
    assert authenticate("gone@example.org", "a sturdy phrase here") is None
    assert len(hash_checks) == 1


def test_registration_can_spend_the_same_work(app, hash_checks):
    spend_hash_work("whatever was typed")
    spend_hash_work("x" * 1_000_000)  # a huge password is cut, not hashed whole
    method = generate_password_hash("x").split("$")[0]
    assert hash_checks == [method, method]


def test_known_and_unknown_emails_take_about_the_same_time(app):
    create_user("known@example.org", "a sturdy phrase here", "delegate")
    authenticate("nobody@example.org", "warm up")  # the dummy hash is made once

    def median(email: str) -> float:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            authenticate(email, "wrong guess")
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    known, unknown = median("known@example.org"), median("nobody@example.org")
    assert 1 / 3 < known / unknown < 3, (known, unknown)
