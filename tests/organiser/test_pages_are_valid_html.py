"""Every page of the organiser workspace is valid HTML (Nu Html Checker), in both
languages, including the scheduler's preview and the pages that show errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from expo_app.events.models import EventSession
from expo_app.exhibitors.models import Stand
from expo_app.extensions import db
from tests.kit.accounts import new_client

pytestmark = pytest.mark.html_checker


def test_the_organiser_pages_are_valid_html(app, nu_html_checker):
    from expo_app.seeding import seed

    slug = seed().event.slug
    base = f"/e/{slug}/manage"
    demo = db.session.execute(select(EventSession).filter_by(ref="ses-demo-baykar")).scalar_one()
    stand = db.session.execute(select(Stand).filter_by(ref="A-01")).scalar_one()
    organiser = new_client(app)
    organiser.post(
        "/login", data={"email": "organiser@example.org", "password": "organiser-demo-2025"}
    )
    plan = organiser.post(f"{base}/scheduler/", data={"time_limit": "5"})
    assert plan.status_code == 303
    pages = [
        ("get", f"{base}/", None),
        ("get", f"{base}/accreditation", None),
        ("get", f"{base}/approvals/", None),
        ("get", f"{base}/exhibitors/?sort=-name", None),
        ("get", f"{base}/participants/?status=pending", None),
        ("get", f"{base}/schedule/?day=2025-11-13", None),
        ("get", f"{base}/schedule/{demo.id}", None),
        ("post", f"{base}/schedule/new", {"title": "", "start": "10:00", "end": "09:00"}),
        ("get", f"{base}/floor-plan/", None),
        ("get", f"{base}/floor-plan/{stand.id}", None),
        ("get", f"{base}/setup/", None),
        ("get", f"{base}/setup/locations/{stand.location_id}", None),
        ("post", f"{base}/setup/locations/{stand.location_id}", {"name": ""}),
        ("get", f"{base}/audit/", None),
        ("get", f"{base}/scheduler/", None),
        ("post", f"{base}/scheduler/", {"time_limit": "7"}),  # not a choice: 422
        ("get", plan.headers["Location"], None),
        ("get", f"{base}/badges/", None),
    ]
    documents = {}
    for lang in ("en", "fr"):
        organiser.post(f"/language/{lang}", data={"next": "/"})
        for number, (method, path, data) in enumerate(pages):
            response = getattr(organiser, method)(path, data=data)
            assert response.status_code in (200, 422), (path, response.status_code)
            documents[f"{lang}-{number} {method.upper()} {path}"] = response.get_data(as_text=True)
    assert nu_html_checker(documents) == {}
