"""`expo set-password EMAIL`: the password rule applies, every sign-in of the account
ends, and errors are one line with a non-zero exit."""

from __future__ import annotations

import pytest

from expo_app.accounts.services import authenticate
from expo_app.extensions import db
from tests.kit.accounts import PASSWORD, new_client


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args, input=None):
        result = runner.invoke(args=list(args), input=input, catch_exceptions=False)
        db.session.remove()
        return result

    return run


def test_set_password_from_stdin_ends_every_sign_in(cli, app, organiser):
    email, manage = organiser.email, organiser.manage
    signed_in = new_client(app, email)
    result = cli("set-password", email.upper(), "--stdin", input="a fresh tern in the harbour\n")
    assert result.exit_code == 0, result.output
    assert "1 sign-in(s) ended" in result.output
    assert signed_in.get(manage).status_code == 302
    assert authenticate(email, "a fresh tern in the harbour") is not None
    assert authenticate(email, PASSWORD) is None


def test_set_password_asks_twice_at_the_prompt(cli, organiser):
    email = organiser.email
    result = cli("set-password", email, input="a fresh tern in the harbour\nanother\n")
    assert result.exit_code != 0
    prompted = cli(
        "set-password",
        email,
        input="a fresh tern in the harbour\na fresh tern in the harbour\n",
    )
    assert prompted.exit_code == 0, prompted.output
    assert authenticate(email, "a fresh tern in the harbour") is not None


@pytest.mark.parametrize("weak", ["password", "12345678", "short"])
def test_set_password_refuses_a_weak_password_in_one_line(cli, organiser, weak):
    email = organiser.email
    result = cli("set-password", email, "--stdin", input=f"{weak}\n")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert authenticate(email, PASSWORD) is not None


def test_set_password_for_an_unknown_email_fails_in_one_line(cli, app):
    result = cli("set-password", "nobody@example.org", "--stdin", input="a fresh tern\n")
    assert (
        result.exit_code == 1
        and result.output == "Error: no account with email nobody@example.org\n"
    )
