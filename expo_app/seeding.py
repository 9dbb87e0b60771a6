"""`expo seed`: the BAMEX'25 event and one demo account per role."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from expo_app import PROJECT_ROOT
from expo_app.accounts.models import Role
from expo_app.accounts.services import create_user, find_user_by_email, make_organiser_of
from expo_app.delegations.models import Delegation, Participant, ParticipantRole
from expo_app.events.models import Event, EventSession
from expo_app.events.services import get_event
from expo_app.exhibitors.models import DemoAllowedCountry, DemoRequest, DemoStatus, Exhibitor
from expo_app.extensions import db

DEFAULT_SEED = PROJECT_ROOT / "seed" / "bamex25.json"
DEMO_PASSWORD_HINT = (
    "These are demo passwords for a local trial: set EXPO_DEMO_PASSWORD before seeding "
    "a machine other people can reach."
)


@dataclass
class DemoAccount:
    role: str
    email: str
    password: str


@dataclass
class SeedResult:
    event: Event
    created: bool
    accounts: list[DemoAccount] = field(default_factory=list)


def demo_password(role: str) -> str:
    return os.environ.get("EXPO_DEMO_PASSWORD") or f"{role}-demo-2025"


def seed(path: Path | None = None, progress=None) -> SeedResult:
    """Import the seed event unless it is there already, then make sure the demo accounts exist.
    Flushes; `expo seed` commits."""
    from expo_app.interchange import import_event
    from expo_app.interchange.validate import check_schema, parse_document

    path = path or DEFAULT_SEED
    document = parse_document(path.read_bytes())  # one reading of JSON for every document
    check_schema(document)  # before reading its slug
    event = get_event(document["event"]["slug"])
    created = event is None
    if created:
        event = import_event(document, progress=progress)
    accounts = ensure_demo_accounts(event)
    if created:
        restrict_a_demo(event)
    db.session.flush()
    return SeedResult(event=event, created=created, accounts=accounts)


# The seeded export-controlled demo: missile systems, shown to Türkiye and Qatar only.
RESTRICTED_DEMO = ("ses-demo-roketsan", ("QA", "TR"))


def restrict_a_demo(event: Event) -> None:
    """Make one seeded demo export controlled, so a trial shows the rule at work: the
    interchange format has sessions but no demo requests or allow-lists."""
    ref, countries = RESTRICTED_DEMO
    session = db.session.execute(
        select(EventSession).filter_by(event_id=event.id, ref=ref)
    ).scalar_one_or_none()
    if session is None or session.exhibitor_id is None:
        return
    db.session.add(
        DemoRequest(
            event_id=event.id,
            exhibitor_id=session.exhibitor_id,
            title=session.title,
            description=session.description,
            duration_min=int((session.end - session.start).total_seconds() // 60),
            status=DemoStatus.PLACED.value,
            session_id=session.id,
            allowed_countries=[DemoAllowedCountry(country=code) for code in countries],
        )
    )


def ensure_demo_accounts(event: Event) -> list[DemoAccount]:
    """An organiser of the event, gate staff, a security officer, the first exhibitor's
    account, and an approved delegate's."""
    accounts = [
        DemoAccount(Role.ORGANISER, "organiser@example.org", demo_password("organiser")),
        DemoAccount(Role.GATE, "gate@example.org", demo_password("gate")),
        DemoAccount(Role.SECURITY, "security@example.org", demo_password("security")),
    ]
    make_organiser_of(_account(accounts[0], "Organiser (demo)"), event.id)
    make_organiser_of(_account(accounts[1], "Gate staff (demo)"), event.id)  # its gates only
    make_organiser_of(_account(accounts[2], "Security officer (demo)"), event.id)  # vetting only

    exhibitor = (
        db.session.execute(
            select(Exhibitor)
            .where(Exhibitor.event_id == event.id, Exhibitor.is_approved)
            .order_by(Exhibitor.id)
        )
        .scalars()
        .first()
    )
    if exhibitor is not None:
        account = DemoAccount(Role.EXHIBITOR, "exhibitor@example.org", demo_password("exhibitor"))
        user = _account(account, f"{exhibitor.name} (demo)")
        if exhibitor.user_id is None:
            exhibitor.user_id = user.id
        accounts.append(account)

    # A delegation head who is approved: the demo shows booking for the delegation.
    delegate = (
        db.session.execute(
            select(Participant)
            .join(Delegation, Delegation.head_id == Participant.id)
            .where(
                Participant.event_id == event.id,
                Participant.role == ParticipantRole.DELEGATE.value,
                Participant.is_accredited,
            )
            .order_by(Delegation.id)
        )
        .scalars()
        .first()
    )
    if delegate is not None:
        account = DemoAccount(Role.DELEGATE, "delegate@example.org", demo_password("delegate"))
        user = _account(account, delegate.name)
        if delegate.user_id is None:
            delegate.user_id = user.id
        accounts.append(account)
    return accounts


def _account(account: DemoAccount, display_name: str):
    user = find_user_by_email(account.email)
    if user is None:
        user = create_user(account.email, account.password, account.role, display_name)
    return user
