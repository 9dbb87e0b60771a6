"""The `expo` command (see the CLI contract): a FlaskGroup plus the project's commands."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from expo_app.accounts.cli import set_password_command
from expo_app.accounts.models import TEAM_ROLES, Role
from expo_app.badges.cli import BADGE_COMMANDS
from expo_app.extensions import db
from expo_app.files import atomic_output
from expo_app.matchmaking.cli import expire_requests_command, schedule_meetings_command
from expo_app.programme.cli import programme_command
from expo_app.vetting.cli import visa_letters_command


def _create_app():
    from expo_app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Expo: trade-expo management."""


class Progress:
    """Progress on stderr: one rewritten line on a terminal, a line per stage in logs."""

    QUIET_BELOW = 1000  # in logs, small stages finish too fast to be worth a line

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.last_stage: str | None = None
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.tty:
            end = "\n" if done >= total else ""
            self.stream.write(f"\r  {stage}: {done}/{total}{end}")
        elif done >= total and total >= self.QUIET_BELOW:
            self.stream.write(f"  {stage}: {total} ({time.monotonic() - self.started:.1f}s)\n")
        self.last_stage = stage
        self.stream.flush()


def fail(message: str) -> click.ClickException:
    """A one-line, non-zero exit with the reason, never a traceback."""
    return click.ClickException(message)


def register_commands(app) -> None:
    for command in (
        seed_command,
        import_event_command,
        export_event_command,
        create_user_command,
        set_password_command,
        purge_personal_data_command,
        visa_letters_command,
        programme_command,
        schedule_meetings_command,
        expire_requests_command,
        *BADGE_COMMANDS,
    ):
        app.cli.add_command(command)


@click.command("seed")
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The expo-event/1 document to load (default: seed/bamex25.json).",
)
@with_appcontext
def seed_command(path: Path | None) -> None:
    """Load the BAMEX'25 event and the demo accounts (running it twice changes nothing)."""
    from expo_app.accounts.services import AccountError
    from expo_app.interchange.errors import InterchangeError
    from expo_app.seeding import DEMO_PASSWORD_HINT, seed

    try:
        result = seed(path, progress=Progress())
        db.session.commit()
    except (InterchangeError, AccountError, OSError) as exc:  # e.g. a weak EXPO_DEMO_PASSWORD
        db.session.rollback()
        raise fail(str(exc)) from None
    state = "loaded" if result.created else "already loaded, nothing changed"
    click.echo(f"Event {result.event.name} (/e/{result.event.slug}/): {state}.")
    click.echo("Demo accounts (email / password):")
    for account in result.accounts:
        click.echo(f"  {account.role:<10} {account.email:<32} {account.password}")
    click.echo(DEMO_PASSWORD_HINT)


@click.command("import-event")
@click.argument("source", type=str)
@click.option("--replace", is_flag=True, help="Replace an event that has the same slug.")
@with_appcontext
def import_event_command(source: str, replace: bool) -> None:
    """Load an expo-event/1 document (FILE, or - for stdin); all-or-nothing."""
    from expo_app.interchange import InterchangeError, load_event_file

    try:
        event = load_event_file(source, replace=replace, progress=Progress())
        db.session.commit()
    except InterchangeError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"$: cannot read {source}: {exc.strerror or exc}") from None
    click.echo(f"Imported {event.name} as /e/{event.slug}/")


@click.command("export-event")
@click.option("--event", "slug", default=None, help="The event's slug (optional with one event).")
@click.option(
    "--with-identity-documents",
    "identity_documents",
    is_flag=True,
    help="Also write the identity documents, unsealed (expo-event/1.1): personal data.",
)
@click.argument("target", type=str)
@with_appcontext
def export_event_command(slug: str | None, target: str, identity_documents: bool) -> None:
    """Write the event as an expo-event/1 document (FILE, or - for stdout); identity
    documents only with --with-identity-documents (then audited)."""
    from expo_app.events.services import EventNotFound, resolve_event
    from expo_app.interchange import dump_document, export_event

    try:
        event = resolve_event(slug)
    except EventNotFound as exc:
        raise fail(str(exc)) from None
    document = export_event(event, identity_documents=identity_documents)
    if identity_documents:
        db.session.commit()  # the audit entry of the export
    if target == "-":
        dump_document(document, sys.stdout)
        sys.stdout.write("\n")
        return
    try:
        with atomic_output(Path(target), "w") as handle:
            dump_document(document, handle)
            handle.write("\n")
    except OSError as exc:
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
    click.echo(f"Exported {event.slug} to {target}", err=True)


@click.command("purge-personal-data")
@click.option("--event", "slug", default=None, help="The event's slug (optional with one event).")
@with_appcontext
def purge_personal_data_command(slug: str | None) -> None:
    """Erase the event's identity documents and photos once its retention period is over."""
    from expo_app.errors import DomainError
    from expo_app.events.services import EventNotFound, resolve_event
    from expo_app.vetting.purge import purge_personal_data

    try:
        event = resolve_event(slug)
        purged = purge_personal_data(event)
        db.session.commit()
    except (EventNotFound, DomainError) as exc:
        db.session.rollback()
        raise fail(str(exc)) from None
    click.echo(
        f"Erased {purged.documents} identity document(s) and {purged.photos} photo(s) "
        f"of {event.slug}"
    )


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(list(Role.values())))
@click.option("--name", "display_name", default=None, help="Name shown in the app.")
@click.option(
    "--event",
    "event_slugs",
    multiple=True,
    help="Event(s) an organiser, gate staff or security officer works at (default: every event).",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(
    email: str,
    role: str,
    display_name: str | None,
    event_slugs: tuple[str, ...],
    password_stdin: bool,
) -> None:
    """Make an account from the shell (e.g. the first organiser); a team account joins
    the events' teams by the Team page's rule (accounts.team.add_to_team, audited)."""
    from expo_app.accounts.services import AccountError, create_user
    from expo_app.accounts.team import add_to_team
    from expo_app.events.services import EventNotFound, list_events, resolve_event

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        events = [resolve_event(slug) for slug in event_slugs]
        attached_to_events = role in TEAM_ROLES
        if attached_to_events and not events:
            events = list_events()  # the first organiser runs every event there is
        user = create_user(email, password, role, display_name)
        if attached_to_events:
            for event in events:
                add_to_team(event, user)
        db.session.commit()
    except (AccountError, EventNotFound) as exc:
        db.session.rollback()
        raise fail(str(exc)) from None
    click.echo(f"Created {role} account {user.email}")
