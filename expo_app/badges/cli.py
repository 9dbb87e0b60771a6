"""`expo badges` (print an event's badges) and `expo verify-badge` (check a QR's code)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from expo_app.badges.layout import LAYOUT_NAMES
from expo_app.files import atomic_output


@click.command("badges")
@click.option("--event", "slug", default=None, help="The event's slug (optional with one event).")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF file to write.",
)
@click.option("--layout", type=click.Choice(LAYOUT_NAMES), default="a6", show_default=True)
@click.option(
    "--participant",
    "participants",
    multiple=True,
    help="Only this participant (reference or id); repeatable.",
)
@click.option(
    "--delegation",
    "delegations",
    multiple=True,
    help="Only this delegation's approved members (reference or id); repeatable.",
)
@with_appcontext
def badges_command(
    slug: str | None,
    out: Path,
    layout: str,
    participants: tuple[str, ...],
    delegations: tuple[str, ...],
) -> None:
    """Write the badges of approved participants (or those named) as one PDF."""
    from expo_app.badges import services
    from expo_app.events.services import EventNotFound, resolve_event

    # Printing only reads (the event's key was made with the event): nothing to commit.
    try:
        event = resolve_event(slug)
        ids = services.holder_ids(event, participants, delegations)
        if not ids:
            raise services.BadgeError(f"no approved participant to print at {event.slug}")
    except (EventNotFound, services.BadgeError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        with (
            atomic_output(out) as handle,
            click.progressbar(length=len(ids), label="Badges", file=sys.stderr) as bar,
        ):
            run = services.write_badges(event, handle, ids, layout, on_badge=bar.update)
    except services.BadgeError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    click.echo(f"Wrote {run.badges} badges of {event.slug} on {run.pages} pages to {out}")


@click.command("verify-badge")
@click.argument("code")
@click.option(
    "--public-key",
    "public_key_file",
    type=click.File("rb"),
    default=None,
    help="Verify offline with this public key (PEM) instead of the database.",
)
@click.option(
    "--revocations",
    "revocations_file",
    type=click.File("r"),
    default=None,
    help="With --public-key: the event's revocation list (JSON).",
)
@with_appcontext
def verify_badge_command(code: str, public_key_file, revocations_file) -> None:
    """Check the code of a badge's QR: who it is and where it admits (exit 0), or why it
    is forged, altered or revoked (exit 1)."""
    from expo_app.badges import codes

    try:
        if public_key_file is not None:
            _verify_offline(code, public_key_file.read(), revocations_file)
        else:
            _verify_online(code)
    except codes.InvalidCode as exc:
        raise click.ClickException(f"{exc.reason}: {exc.detail}") from None


def _verify_offline(code: str, pem: bytes, revocations_file) -> None:
    from expo_app.badges import codes, services

    try:
        public_key = codes.load_public_key(pem)
    except ValueError as exc:
        raise click.ClickException(f"not an Ed25519 public key: {exc}") from None
    claims = codes.verify(code, public_key)
    if revocations_file is not None:
        try:
            lowest = services.read_revocation_list(json.load(revocations_file), public_key)
        except (ValueError, KeyError, TypeError, services.BadgeError) as exc:
            raise click.ClickException(f"unusable revocation list: {exc}") from None
        if codes.is_revoked(claims, lowest):
            raise click.ClickException(
                "revoked: a newer badge was issued to this person, or their approval withdrawn"
            )
    click.echo(
        f"Genuine badge: participant #{claims.participant_id}, version {claims.badge_version}"
    )
    click.echo(f"  Event #{claims.event_id}, key {claims.key_id}")
    click.echo("  Zones (location ids): " + (", ".join(map(str, claims.zones)) or "none"))
    click.echo("  Valid on: " + ", ".join(day.isoformat() for day in claims.valid_days))


def _verify_online(code: str) -> None:
    from sqlalchemy import select

    from expo_app.badges import codes, services
    from expo_app.badges.models import BadgeKey
    from expo_app.delegations.models import Participant
    from expo_app.events.models import Event, Location
    from expo_app.extensions import db

    key = db.session.execute(
        select(BadgeKey).filter_by(key_id=codes.key_id_in(code))
    ).scalar_one_or_none()
    if key is None:
        raise click.ClickException("forged: no event here signs badges with this code's key")
    claims = codes.verify(code, key.public_key)
    event = db.session.get(Event, key.event_id)
    person = db.session.get(Participant, claims.participant_id)
    if person is None or person.event_id != event.id:
        raise click.ClickException("revoked: nobody at this event holds this badge any more")
    if claims.badge_version != person.badge_version:
        raise click.ClickException(
            f"revoked: {person.name} ({person.ref}) holds badge version {person.badge_version}, "
            f"this code is version {claims.badge_version}"
        )
    if not services.gets_badge(person):
        raise click.ClickException(f"revoked: {person.name} ({person.ref}) is no longer approved")
    zones = [
        location.name
        for location in db.session.execute(
            select(Location).where(Location.id.in_(claims.zones)).order_by(Location.name)
        ).scalars()
    ]
    category = services.category_of(person)
    organisation = person.organisation or (person.exhibitor.name if person.exhibitor else "")
    click.echo(f"Valid badge: {person.name} ({person.ref}), version {claims.badge_version}")
    click.echo(f"  {event.name} ({event.slug}), category {category}")
    if organisation or person.delegation:
        parts = [organisation, person.delegation.name if person.delegation else ""]
        click.echo("  " + " · ".join(part for part in parts if part))
    click.echo("  Zones: " + (", ".join(zones) or "general areas only"))
    click.echo("  Valid on: " + ", ".join(day.isoformat() for day in claims.valid_days))


BADGE_COMMANDS = (badges_command, verify_badge_command)
