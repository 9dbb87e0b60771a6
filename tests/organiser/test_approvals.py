"""Approvals under /manage/approvals/: the organisers of the event approve or refuse the
exhibitors' registrations and place the demo requests in a demo zone; nobody else reaches
the page, and ids of another event are not found."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from expo_app.accounts.models import EventOrganiser
from expo_app.events.models import EventSession
from expo_app.exhibitors.models import DemoRequest, Exhibitor, Stand
from expo_app.exhibitors.services import reserve_stand
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client


def waiting_company(expo, name: str = "Sahel Drones SARL") -> Exhibitor:
    company = f.make_exhibitor(expo.event, name)
    company.approval = "pending"
    db.session.commit()
    return company


def demo_request(expo, exhibitor: Exhibitor, title: str = "TB3 flight") -> DemoRequest:
    demo = DemoRequest(
        event_id=exhibitor.event_id, exhibitor_id=exhibitor.id, title=title, duration_min=45
    )
    db.session.add(demo)
    db.session.commit()
    return demo


def fresh(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


# --- Who reaches the page ---------------------------------------------------------------


@pytest.fixture
def other_event_organiser(app, expo):
    """An organiser of another event: organiser role, but not of this event."""
    other = f.make_event("other-expo")
    user = make_account("other-organiser@example.org", "organiser")
    db.session.add(EventOrganiser(user_id=user.id, event_id=other.id))
    db.session.commit()
    return new_client(app, user.email)


def test_anonymous_visitors_sign_in_first(app, expo):
    response = new_client(app).get(expo.url("approvals/"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_only_the_events_organisers_decide(app, expo, other_event_organiser):
    company = waiting_company(expo)
    demo = demo_request(expo, expo.anka)
    make_account("delegate@example.org", "delegate")
    db.session.commit()
    others = [
        other_event_organiser,
        new_client(app, "exhibitor@example.org"),
        new_client(app, "delegate@example.org"),
        new_client(app, "stranger@example.org"),
    ]
    for client in others:
        page = client.get(expo.url("approvals/"))
        assert page.status_code == 403
        assert "Sahel Drones" not in page.get_data(as_text=True)
        decided = client.post(
            expo.url(f"approvals/exhibitors/{company.id}"), data={"decision": "approve"}
        )
        assert decided.status_code == 403
        placed = client.post(
            expo.url(f"approvals/demos/{demo.id}/place"),
            data={"location": expo.zone.id, "start": "2025-11-13T13:00"},
        )
        assert placed.status_code == 403
    assert fresh(Exhibitor, company.id).approval == "pending"
    assert fresh(DemoRequest, demo.id).status == "pending"


def test_the_dashboard_and_the_tabs_lead_to_the_approvals(organiser, expo):
    html = organiser.get(expo.url()).get_data(as_text=True)
    assert html.count(f'href="/e/{expo.slug}/manage/approvals/"') >= 3  # tab + two figures
    page = organiser.get(expo.url("approvals/")).get_data(as_text=True)
    assert f'href="/e/{expo.slug}/manage/approvals/" aria-current="page"' in page


# --- Registrations ----------------------------------------------------------------------


def test_the_organiser_approves_a_registration_with_a_note(organiser, expo):
    company = waiting_company(expo)
    page = organiser.get(expo.url("approvals/")).get_data(as_text=True)
    assert "Sahel Drones SARL" in page and "Approve Sahel Drones SARL" in page
    response = organiser.post(
        expo.url(f"approvals/exhibitors/{company.id}"),
        data={"decision": "approve", "note": "Welcome to the expo"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/e/{expo.slug}/manage/approvals/")
    company = fresh(Exhibitor, company.id)
    assert (company.approval, company.review_note) == ("approved", "Welcome to the expo")
    after = organiser.get(expo.url("approvals/")).get_data(as_text=True)
    assert "Sahel Drones SARL is approved." in after
    assert "No registration waits." in after


def test_refusing_a_registration_frees_its_stand_on_hold(organiser, expo):
    company = waiting_company(expo)
    reserve_stand(expo.stands[0].id, company.id)
    db.session.commit()
    response = organiser.post(
        expo.url(f"approvals/exhibitors/{company.id}"),
        data={"decision": "reject", "note": "Not a defence company"},
        follow_redirects=True,
    )
    assert "Sahel Drones SARL is rejected." in response.get_data(as_text=True)
    assert fresh(Exhibitor, company.id).approval == "rejected"
    stand = fresh(Stand, expo.stands[0].id)
    assert (stand.status, stand.exhibitor_id) == ("available", None)


def test_a_decision_that_is_neither_approve_nor_reject_changes_nothing(organiser, expo):
    company = waiting_company(expo)
    response = organiser.post(
        expo.url(f"approvals/exhibitors/{company.id}"), data={"decision": "maybe"}
    )
    assert response.status_code == 400
    assert fresh(Exhibitor, company.id).approval == "pending"


# --- Demo requests ----------------------------------------------------------------------


def test_the_organiser_places_a_demo_in_the_zone(organiser, expo):
    demo = demo_request(expo, expo.anka)
    page = organiser.get(expo.url("approvals/")).get_data(as_text=True)
    assert "TB3 flight" in page and "Place “TB3 flight”" in page
    response = organiser.post(
        expo.url(f"approvals/demos/{demo.id}/place"),
        data={"location": expo.zone.id, "start": "2025-11-13T13:00"},
    )
    assert response.status_code == 303
    demo = fresh(DemoRequest, demo.id)
    assert demo.status == "placed"
    session = db.session.get(EventSession, demo.session_id)
    assert (session.kind, session.exhibitor_id, session.location_id) == (
        "demo",
        expo.anka.id,
        expo.zone.id,
    )
    assert (session.start, session.end) == (
        datetime(2025, 11, 13, 13),
        datetime(2025, 11, 13, 13, 45),
    )
    after = organiser.get(expo.url("approvals/")).get_data(as_text=True)
    assert "The demo is on the schedule." in after and "No demo request waits." in after


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2025-11-13T09:30", "The zone is taken then by: Anka demo."),
        ("2025-11-11T10:00", "Choose a demo day of the event."),
        ("tomorrow at ten", "Give the start as a date and time, e.g. 2025-11-13T10:00."),
        ("", "Choose a demo zone and a start time."),
    ],
)
def test_a_demo_that_cannot_go_there_is_not_placed(organiser, expo, start, message):
    demo = demo_request(expo, expo.borealis)
    response = organiser.post(
        expo.url(f"approvals/demos/{demo.id}/place"),
        data={"location": expo.zone.id, "start": start},
        follow_redirects=True,
    )
    assert message in response.get_data(as_text=True)
    assert fresh(DemoRequest, demo.id).status == "pending"
    sessions = db.session.execute(select(EventSession).filter_by(title="TB3 flight")).all()
    assert sessions == []


def test_a_demo_goes_only_to_a_demo_zone(organiser, expo):
    demo = demo_request(expo, expo.anka)
    response = organiser.post(
        expo.url(f"approvals/demos/{demo.id}/place"),
        data={"location": expo.hall.id, "start": "2025-11-13T13:00"},
        follow_redirects=True,
    )
    assert "Choose a demo zone and a start time." in response.get_data(as_text=True)
    assert fresh(DemoRequest, demo.id).status == "pending"


# --- Ids of another event ---------------------------------------------------------------


def test_ids_of_another_event_are_not_found(organiser, expo):
    other = f.make_event("other-expo")
    zone = f.make_location(other, "demo_zone", name="Their zone")
    company = f.make_exhibitor(other, "Their company")
    company.approval = "pending"
    db.session.commit()
    demo = demo_request(expo, company)
    decided = organiser.post(
        expo.url(f"approvals/exhibitors/{company.id}"), data={"decision": "approve"}
    )
    assert decided.status_code == 404
    placed = organiser.post(
        expo.url(f"approvals/demos/{demo.id}/place"),
        data={"location": zone.id, "start": "2025-11-13T13:00"},
    )
    assert placed.status_code == 404
    for path in ("approvals/exhibitors/99999", "approvals/demos/99999/place"):
        assert organiser.post(expo.url(path), data={"decision": "approve"}).status_code == 404
    assert fresh(Exhibitor, company.id).approval == "pending"
    assert fresh(DemoRequest, demo.id).status == "pending"
