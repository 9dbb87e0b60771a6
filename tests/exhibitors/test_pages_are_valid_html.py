"""Every page of the exhibitor portal is valid HTML (Nu Html Checker), in both languages,
including the pages that show errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from expo_app.accounts.models import User
from expo_app.delegations.models import Participant
from expo_app.exhibitors.models import Exhibitor, Stand
from expo_app.extensions import db
from expo_app.matchmaking import booking
from expo_app.matchmaking.models import Side
from tests.kit.accounts import new_client

pytestmark = pytest.mark.html_checker


def test_the_portal_pages_are_valid_html(app, nu_html_checker):
    from expo_app.seeding import seed

    event = seed().event
    slug = event.slug
    baykar = db.session.execute(select(Exhibitor).filter_by(ref="baykar")).scalar_one()
    delegate = db.session.execute(
        select(Participant)
        .join(User, User.id == Participant.user_id)
        .filter(User.email == "delegate@example.org")
    ).scalar_one()
    wish = booking.send_request(event, delegate=delegate, exhibitor=baykar, requested_by="delegate")
    booking.respond_to_request(wish, by=Side.EXHIBITOR, accept=True)
    taken = db.session.execute(select(Stand.id).filter_by(ref="A-02")).scalar_one()
    db.session.commit()
    portal = f"/e/{slug}/exhibitor/"

    exhibitor, organiser, visitor = new_client(app), new_client(app), new_client(app)
    exhibitor.post(
        "/login", data={"email": "exhibitor@example.org", "password": "exhibitor-demo-2025"}
    )
    organiser.post(
        "/login", data={"email": "organiser@example.org", "password": "organiser-demo-2025"}
    )
    pages = [
        (visitor, "get", f"{portal}register", None),
        (visitor, "post", f"{portal}register", {"name": "", "website": "x y"}),
        (exhibitor, "get", portal, None),
        (exhibitor, "get", f"{portal}stand", None),
        (exhibitor, "post", f"{portal}stand/reserve", {"stand_id": taken}),  # 409
        (exhibitor, "get", f"{portal}profile", None),
        (exhibitor, "post", f"{portal}profile", {"name": "", "action": "save"}),
        (exhibitor, "get", f"{portal}staff", None),
        (exhibitor, "post", f"{portal}staff", {"name": "", "email": "bad"}),
        (exhibitor, "get", f"{portal}demos", None),
        (exhibitor, "post", f"{portal}demos", {"title": ""}),
        (exhibitor, "get", f"{portal}meetings", None),
        (exhibitor, "post", f"{portal}meetings/request", {"target": ""}),
        (exhibitor, "get", f"{portal}meetings/requests/{wish.id}/schedule", None),
        (organiser, "get", f"/e/{slug}/manage/approvals/", None),
    ]
    documents = {}
    for lang in ("en", "fr"):
        for client in (exhibitor, organiser, visitor):
            client.post(f"/language/{lang}", data={"next": "/"})
        for number, (client, method, path, data) in enumerate(pages):
            response = getattr(client, method)(path, data=data)
            assert response.status_code in (200, 409, 422), (path, response.status_code)
            documents[f"{lang}-{number} {method.upper()} {path}"] = response.get_data(as_text=True)
    assert nu_html_checker(documents) == {}
