"""One password rule (sign-up, account page, CLI): 8 to 128 characters and not easy to
guess by zxcvbn's lists (common passwords, names, keyboard patterns, repeats), nor made
of the account's own email or name."""

from __future__ import annotations

import pytest

from expo_app.accounts.services import (
    AccountError,
    check_password_rule,
    create_user,
    find_user_by_email,
)
from expo_app.seeding import demo_password
from tests.kit.accounts import PASSWORD

pytestmark = pytest.mark.usefixtures("app")  # messages are translated: an app context

WEAK = ["password", "12345678", "aaaaaaaa", "azertyui", "qwertyuiop", "Password1", "bamex2025"]


@pytest.mark.parametrize("password", WEAK)
def test_common_and_simple_passwords_are_refused(password):
    with pytest.raises(AccountError) as refused:
        check_password_rule(password)
    assert refused.value.field == "password"
    assert "too easy to guess" in str(refused.value)


def test_too_short_and_too_long_passwords_are_refused():
    with pytest.raises(AccountError, match="at least 8 characters"):
        check_password_rule("x7#Qm!")
    with pytest.raises(AccountError, match="at most 128 characters"):
        check_password_rule("a sturdy phrase " * 9)
    check_password_rule("a sturdy phrase " * 8)  # 128 characters: fine


def test_a_password_made_of_the_account_s_own_email_or_name_is_refused():
    for password in ("kourouma2025", "salif.kourouma77"):
        check_password_rule(password)  # a stranger's name is fine
        with pytest.raises(AccountError):
            check_password_rule(password, email="salif.kourouma77@example.org")
    with pytest.raises(AccountError):
        check_password_rule("kourouma2025", name="Salif Kourouma")


def test_the_demo_and_test_passwords_follow_the_rule():
    for role in ("organiser", "exhibitor", "delegate", "gate"):
        check_password_rule(demo_password(role), email=f"{role}@example.org")
    check_password_rule(PASSWORD)


def test_create_user_applies_the_rule_and_names_the_field(app):
    with pytest.raises(AccountError) as weak:
        create_user("new@example.org", "qwertyuiop", "delegate")
    assert weak.value.field == "password"
    assert find_user_by_email("new@example.org") is None

    with pytest.raises(AccountError) as bad_email:
        create_user("not-an-address", "a sturdy phrase here", "delegate")
    assert bad_email.value.field == "email"

    create_user("taken@example.org", "a sturdy phrase here", "delegate")
    with pytest.raises(AccountError) as taken:
        create_user("TAKEN@example.org", "another sturdy phrase", "delegate")
    assert taken.value.field == "email" and "already exists" in str(taken.value)
