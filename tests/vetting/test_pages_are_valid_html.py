"""The vetting, visa-letter and seats pages are valid HTML (Nu Html Checker) in both
languages: the registration form with its identity document, the delegate's identity
page, the security officers' queue and person page (before and after showing the
document), the organiser's vetting page, the public letter check, and a session's page
with its seats and waitlist."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from expo_app.accounts.services import find_user_by_email
from expo_app.delegations.models import Participant
from expo_app.delegations.services import follow_session
from expo_app.events.models import EventSession
from expo_app.extensions import db
from expo_app.vetting import services
from tests.kit.accounts import new_client

pytestmark = pytest.mark.html_checker

LOGINS = {
    "delegate": ("delegate@example.org", "delegate-demo-2025"),
    "security": ("security@example.org", "security-demo-2025"),
    "organiser": ("organiser@example.org", "organiser-demo-2025"),
}


def test_the_vetting_and_seats_pages_are_valid_html(app, nu_html_checker):
    from expo_app.seeding import seed

    event = seed().event
    event.security_vetting = True
    slug = event.slug
    account = find_user_by_email("delegate@example.org")
    head = db.session.execute(select(Participant).filter_by(user_id=account.id)).scalar_one()
    services.submit_document(
        head,
        services.DocumentDetails("passport", "AA112233", "ML", date(2031, 1, 1), date(1970, 1, 2)),
    )
    talk = (
        db.session.execute(
            select(EventSession).where(
                EventSession.event_id == event.id, EventSession.capacity.is_not(None)
            )
        )
        .scalars()
        .first()
    )
    talk.capacity = 1
    people = (
        db.session.execute(
            select(Participant).where(Participant.event_id == event.id, Participant.is_accredited)
        )
        .scalars()
        .all()
    )
    for person in people[:3]:
        follow_session(person, talk, True)  # one seat, two in line
    db.session.commit()
    pid = head.id

    pages = {
        None: [
            ("get", f"/e/{slug}/register", None),
            ("post", f"/e/{slug}/register", {"action": "register", "identity-number": "?"}),
            ("get", f"/e/{slug}/letters/check", None),
            ("get", f"/e/{slug}/letters/check?reference=BAMEX25-XXXX&last_name=Keita", None),
        ],
        "delegate": [("get", f"/e/{slug}/my/identity", None), ("get", f"/e/{slug}/my/", None)],
        "security": [
            ("get", f"/e/{slug}/security/", None),
            ("get", f"/e/{slug}/security/{pid}", None),
            ("post", f"/e/{slug}/security/{pid}", {"reveal-submit": "y"}),
            ("post", f"/e/{slug}/security/{pid}", {"submit": "y", "verdict": "refused"}),
        ],
        "organiser": [
            ("get", f"/e/{slug}/manage/vetting", None),
            ("get", f"/e/{slug}/manage/schedule/{talk.id}", None),
            ("get", f"/e/{slug}/manage/team", None),
            ("get", f"/e/{slug}/manage/zones/", None),
            ("get", f"/e/{slug}/manage/zones/people/{pid}", None),
        ],
    }
    documents = {}
    for who, requests in pages.items():
        client = new_client(app, LOGINS[who][0], LOGINS[who][1]) if who else new_client(app)
        for lang in ("en", "fr"):
            client.post(f"/language/{lang}", data={"next": "/"})
            for number, (method, path, data) in enumerate(requests):
                response = getattr(client, method)(path, data=data)
                assert response.status_code in (200, 422), (who, path, response.status_code)
                name = f"{who}-{lang}-{number} {method.upper()} {path}"
                documents[name] = response.get_data(as_text=True)
    assert nu_html_checker(documents) == {}
