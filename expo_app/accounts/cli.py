"""Account commands: `expo set-password EMAIL`."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from expo_app.extensions import db


@click.command("set-password")
@click.argument("email")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def set_password_command(email: str, from_stdin: bool) -> None:
    """Give an account a new password (the password rule applies) and end all its
    sign-ins: for a forgotten password, or an account someone else may know."""
    from expo_app.accounts.services import AccountError, find_user_by_email, reset_password

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with email {email}")
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        ended = reset_password(user, password)
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    click.echo(f"Password of {user.email} changed; {ended} sign-in(s) ended.")
