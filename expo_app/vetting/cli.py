"""`expo visa-letters`: issue and write the visa invitation letters of an event."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from expo_app.extensions import db
from expo_app.files import atomic_output

LANGUAGES = ("en", "fr")


@click.command("visa-letters")
@click.option("--event", "slug", default=None, help="The event's slug (optional with one event).")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the letters to (one PDF per letter, named by its reference).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="The letters' language (default: each holder's own, else the default language).",
)
@with_appcontext
def visa_letters_command(slug: str | None, out: Path, lang: str | None) -> None:
    """Issue a letter to everyone who may have one (the portal's rule) and write them all;
    letters issued before keep their reference."""
    from expo_app.accounts.models import User
    from expo_app.events.services import EventNotFound, resolve_event
    from expo_app.vetting import letters

    try:
        event = resolve_event(slug)
    except EventNotFound as exc:
        raise click.ClickException(str(exc)) from None
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    languages = current_app.config["LANGUAGES"]
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    written = []
    try:
        for person in letters.letters_due(event):
            letter = letters.issue_letter(person)
            account = db.session.get(User, person.user_id) if person.user_id else None
            own = account.locale if account is not None and account.locale in languages else None
            written.append((letter.reference, letters.letter_pdf(letter, lang or own or default)))
        # Committed before the files are written: a failed write leaves letters that a
        # second run prints again, never a file whose reference does not check.
        db.session.commit()
    except letters.LetterRefused as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    try:
        for reference, data in written:
            with atomic_output(out / f"{reference}.pdf") as handle:
                handle.write(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    click.echo(f"Wrote {len(written)} visa invitation letter(s) of {event.slug} to {out}")
