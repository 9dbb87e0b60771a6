"""`expo programme`: the programme PDF from the shell."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from expo_app.files import atomic_output

LANGUAGES = ("en", "fr")


@click.command("programme")
@click.option("--event", "slug", default=None, help="The event's slug (optional with one event).")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF file to write.",
)
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@with_appcontext
def programme_command(slug: str | None, out: Path, lang: str) -> None:
    """Write the event programme and exhibitor catalogue as PDF."""
    from expo_app.events.services import EventNotFound, resolve_event
    from expo_app.programme.builder import build_programme

    try:
        event = resolve_event(slug)
    except EventNotFound as exc:
        raise click.ClickException(str(exc)) from None
    try:
        with atomic_output(out) as handle:
            result = build_programme(event, handle, lang)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    click.echo(f"Wrote the {lang} programme of {event.slug} to {out} ({result.pages} pages)")
