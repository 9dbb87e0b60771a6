"""Sign-in resists guessing: wrong passwords count per address and per email, and once
over EXPO_SIGN_IN_LIMIT even the right password waits, with a message saying how long."""

from __future__ import annotations

import os
import re

import pytest

from expo_app import create_app
from expo_app.extensions import db, limiter
from tests.kit.accounts import PASSWORD, make_account, new_client
from tests.kit.ci import unavailable

REDIS_URL = os.environ.get("EXPO_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
MESSAGE = re.compile(r"Too many attempts\. Try again in (\d+) minutes?\.")


def _try(client, email: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client, organiser):
    statuses = [_try(client, organiser.email, f"guess-{n}").status_code for n in range(50)]
    assert statuses[:10] == [422] * 10  # the limit: 10 per 15 minutes
    assert set(statuses[10:]) == {429}

    response = _try(client, organiser.email, PASSWORD)

    assert response.status_code == 429
    page = response.get_data(as_text=True)
    minutes = int(MESSAGE.search(page).group(1))
    assert 1 <= minutes <= 15
    assert client.get(organiser.manage).status_code == 302  # not signed in


def test_guessing_one_account_from_many_addresses_is_throttled(client, organiser):
    for n in range(10):
        _try(client, organiser.email, "not it", address=f"10.0.0.{n}")
    response = _try(client, organiser.email.upper(), PASSWORD, address="10.0.1.1")
    assert response.status_code == 429 and MESSAGE.search(response.get_data(as_text=True))


def test_guessing_many_accounts_from_one_address_is_throttled(client, organiser):
    for n in range(50):  # the address's limit: 50 per 15 minutes
        _try(client, f"someone{n}@example.org", "not it", address="10.0.2.2")
    assert _try(client, organiser.email, PASSWORD, address="10.0.2.2").status_code == 429
    # Someone else, elsewhere, still signs in.
    assert (
        _try(new_client(client.application), organiser.email, PASSWORD, "10.0.3.3").status_code
        == 302
    )


def test_a_few_typos_by_others_on_the_venue_wifi_do_not_lock_anyone_out(client, organiser):
    """Twenty people behind one address each mistype their own password once."""
    for n in range(20):
        assert (
            _try(client, f"delegate{n}@example.org", "typo", address="10.9.9.9").status_code == 422
        )
    assert _try(client, organiser.email, PASSWORD, address="10.9.9.9").status_code == 302


def test_people_who_sign_in_right_are_never_slowed(app, organiser):
    for _ in range(30):
        assert _try(new_client(app), organiser.email, PASSWORD).status_code == 302


def test_the_throttle_counts_in_redis_when_configured(_main_app):
    """Several workers count together in Redis (RATELIMIT_STORAGE_URI)."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        unavailable("the Redis throttle test", f"Redis not reachable at {REDIS_URL}: {exc}")
    workers = [
        create_app(
            {
                "SQLALCHEMY_DATABASE_URI": _main_app.config["SQLALCHEMY_DATABASE_URI"],
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_STORAGE_URI": REDIS_URL,
            }
        )
        for _ in range(2)
    ]
    try:
        limiter.reset()  # the limiter now counts in Redis: start from nothing
        with workers[0].app_context():
            make_account("redis@example.org", "organiser")
            db.session.commit()
        for n in range(10):
            worker = workers[n % 2]
            with worker.app_context():
                assert _try(worker.test_client(), "redis@example.org", "wrong").status_code == 422
        for worker in workers:
            with worker.app_context():
                response = _try(worker.test_client(), "redis@example.org", PASSWORD)
                assert response.status_code == 429
                assert MESSAGE.search(response.get_data(as_text=True))
        assert limiter.storage.__class__.__name__ == "RedisStorage"
    finally:
        limiter.reset()
        from tests.conftest import empty_database

        empty_database(workers[0])
        limiter.init_app(_main_app)  # back to the suite's own (memory) storage
