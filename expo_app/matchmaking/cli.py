"""Matchmaking commands: `expo schedule-meetings` places the accepted requests, keeps what
is booked and says why the rest could not be placed; `expo expire-requests` writes
'expired' on the requests nobody answered in time (a job: pages never write)."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from expo_app.extensions import db

# Seconds of the time limit kept back for writing the meetings.
WRITE_RESERVE = 2.0


@click.command("schedule-meetings")
@click.option("--event", "slug", default=None, help="The event's slug (optional with one event).")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1.0),
    default=10.0,
    show_default=True,
    help="Seconds for the whole run; the search stops in time to write its plan.",
)
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@with_appcontext
def schedule_meetings_command(slug: str | None, time_limit: float, dry_run: bool) -> None:
    """Place accepted, unscheduled meeting requests into slots and tables."""
    from expo_app.cli import Progress
    from expo_app.events.services import EventNotFound, resolve_event
    from expo_app.matchmaking.planning import PlanRejected, apply_plan, load_problem
    from expo_app.matchmaking.scheduler import schedule
    from expo_app.matchmaking.scheduler.check import broken_rules

    started = time.monotonic()
    try:
        event = resolve_event(slug)
    except EventNotFound as exc:
        raise click.ClickException(str(exc)) from None
    slug = event.slug
    problem = load_problem(event)
    db.session.rollback()  # end the read: no lock is held while the search runs
    search_time = max(0.5, time_limit - (time.monotonic() - started) - WRITE_RESERVE)
    plan = schedule(problem, time_limit=search_time, progress=Progress())
    broken = broken_rules(problem, plan)
    if broken:  # never expected: the database would refuse it anyway
        raise click.ClickException(f"the plan breaks a rule, nothing written: {broken[0]}")
    for line in report_lines(slug, problem, plan):
        click.echo(line)
    if dry_run:
        click.echo("Dry run: nothing written.")
        return
    try:
        written = apply_plan(event, plan)
        db.session.commit()
    except PlanRejected as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    click.echo(f"Wrote {written} meetings in {time.monotonic() - started:.1f} s.")


@click.command("expire-requests")
@click.option("--event", "slug", default=None, help="Only this event (default: every event).")
@with_appcontext
def expire_requests_command(slug: str | None) -> None:
    """Close the meeting requests nobody answered before their deadline."""
    from expo_app.events.services import EventNotFound, list_events, resolve_event
    from expo_app.matchmaking.booking import expire_requests

    try:
        events = [resolve_event(slug)] if slug else list_events()
    except EventNotFound as exc:
        raise click.ClickException(str(exc)) from None
    closed = {event.slug: expire_requests(event) for event in events}
    db.session.commit()
    for event_slug, number in closed.items():
        click.echo(f"Event {event_slug}: {number} expired requests closed.")
    click.echo(f"Closed {sum(closed.values())} expired requests.")


def report_lines(slug: str, problem, plan) -> list[str]:
    """The plan as the command prints it: totals, then per exhibitor, per slot, per request."""
    from expo_app.matchmaking.scheduler.summary import summarise

    summary = summarise(problem, plan)
    requests = {request.id: request for request in problem.requests}
    people = {delegate.id: delegate.label or str(delegate.id) for delegate in problem.delegates}
    companies = {e.id: e.label or str(e.id) for e in problem.exhibitors}
    stats = plan.stats
    tables = f"{len(problem.tables)} tables" if problem.tables else "no tables (at the stands)"
    lines = [
        f"Event {slug}: {summary.requests} open requests ({summary.accepted} accepted), "
        f"{summary.booked} meetings already booked, {len(problem.slots)} slots, {tables}.",
        f"Placed {summary.placed}, unplaced {summary.unplaced}. Weight (sum of priorities) "
        f"{plan.weight}, at most {plan.upper_bound} possible: {100 * plan.ratio:.1f} % "
        f"of the upper bound, in {stats.seconds:.1f} s"
        + (" (time limit reached)." if stats.timed_out else "."),
    ]
    if summary.reasons:
        lines.append(
            "Unplaced by reason: "
            + ", ".join(f"{reason} {count}" for reason, count in summary.reasons.items())
            + "."
        )
    if summary.exhibitors:
        lines.append("Per exhibitor (new meetings / accepted requests left out):")
        cells = [f"{line.label} {line.placed}/{line.unplaced}" for line in summary.exhibitors]
        lines += _columns(cells)
    if summary.slots:
        lines.append(
            "Per slot (new + already booked"
            + (f" of {len(problem.tables)} tables):" if problem.tables else "):")
        )
        cells = [f"{line.label} {line.placed}+{line.booked}" for line in summary.slots]
        lines += _columns(cells)
    if plan.unplaced:
        lines.append("Unplaced requests:")
        for item in plan.unplaced:
            request = requests[item.request]
            lines.append(
                f"  {request.label or request.id}  {people[request.delegate]} -> "
                f"{companies[request.exhibitor]}  priority {request.priority}  {item.reason}"
            )
    return lines


def _columns(cells: list[str], width: int = 100) -> list[str]:
    """Cells side by side in equal columns, as many as fit in `width` characters."""
    cell = max(len(text) for text in cells) + 3
    per_line = max(1, (width - 2) // cell)
    return [
        "  " + "".join(text.ljust(cell) for text in cells[start : start + per_line]).rstrip()
        for start in range(0, len(cells), per_line)
    ]
