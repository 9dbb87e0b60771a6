"""Staff with their badge allowance, and demo slot requests with their allow-lists."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from expo_app.delegations.models import Delegation, Participant
from expo_app.events.models import EventDay, EventSession
from expo_app.exhibitors import services
from expo_app.exhibitors.admission import admitted_to_demo
from expo_app.exhibitors.models import DemoRequest
from expo_app.exhibitors.services import reserve_stand
from expo_app.extensions import db
from tests.kit import factories as f


def add(client, portal, name: str, email: str):
    return client.post(portal.url("staff"), data={"name": name, "email": email, "title": "Pilot"})


@pytest.mark.parametrize(
    ("stands", "per_9m2", "allowance"),
    [([], 2, 1), ([(3, 3)], 2, 2), ([(6, 3), (3, 2.9)], 2, 4), ([(9, 6)], 3, 18), ([(2, 2)], 2, 1)],
)
def test_the_badge_allowance_follows_the_stand_area(portal, stands, per_9m2, allowance):
    portal.event.staff_badges_per_9m2 = per_9m2
    for n, (width, depth) in enumerate(stands):
        stand = f.make_stand(portal.event, portal.hall, f"Z-{n}")
        stand.width_m, stand.depth_m = width, depth
        db.session.flush()
        reserve_stand(stand.id, portal.anka.id)
    db.session.commit()
    assert services.badge_allowance(portal.anka) == allowance


def test_staff_beyond_the_allowance_are_refused_with_a_clear_message(anka_client, portal):
    reserve_stand(portal.stands[0].id, portal.anka.id)  # 9 m² x 2 badges = 2
    assert add(anka_client, portal, "Ali Demir", "ali@anka.example").status_code == 303
    assert add(anka_client, portal, "Ece Kaya", "ece@anka.example").status_code == 303
    refused = add(anka_client, portal, "Can Öz", "can@anka.example")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Your stands allow 2 staff badges and all are used" in page
    assert 'value="Can Öz"' in page  # kept for after removing someone
    staff = services.staff_of(portal.anka)
    assert [p.name for p in staff] == ["Ali Demir", "Ece Kaya"]
    assert {p.role for p in staff} == {"exhibitor_staff"}
    assert {p.accreditation for p in staff} == {"pending"}


def test_a_rejected_person_frees_a_badge(anka_client, portal):
    add(anka_client, portal, "Ali Demir", "ali@anka.example")  # allowance 1: no stand yet
    person = services.staff_of(portal.anka)[0]
    person.accreditation = "rejected"
    person.rejection_reason = "Passport expired"
    db.session.commit()
    assert add(anka_client, portal, "Ece Kaya", "ece@anka.example").status_code == 303
    page = anka_client.get(portal.url("staff")).get_data(as_text=True)
    assert "Passport expired" in page and "rejected" in page


def test_an_email_already_at_the_event_is_refused_next_to_the_field(anka_client, portal):
    f.make_delegate(portal.event, email="Taken@Example.org")
    db.session.commit()
    response = add(anka_client, portal, "Ali Demir", "taken@example.org")
    assert response.status_code == 422
    assert "already registered for the event" in response.get_data(as_text=True)


def test_another_exhibitors_staff_cannot_be_removed(anka_client, borealis_client, portal):
    add(borealis_client, portal, "Bo Rea", "bo@borealis.example")
    person = services.staff_of(portal.borealis)[0]
    assert anka_client.post(portal.url(f"staff/{person.id}/remove")).status_code == 404
    assert anka_client.post(portal.url("staff/999999/remove")).status_code == 404
    assert "Bo Rea" not in anka_client.get(portal.url("staff")).get_data(as_text=True)
    assert borealis_client.post(portal.url(f"staff/{person.id}/remove")).status_code == 303
    assert services.staff_of(portal.borealis) == []


def demo_setup(portal):
    zone = f.make_location(portal.event, "demo_zone", name="Range", restricted=True)
    day = EventDay(
        event_id=portal.event.id, date=date(2025, 11, 13), opens=time(8), closes=time(16)
    )
    day.kinds = ["demo"]
    portal.event.end_date = date(2025, 11, 13)
    db.session.add(day)
    mali = Delegation(event_id=portal.event.id, ref="del-ml", name="Mali MoD", country="ML")
    niger = Delegation(event_id=portal.event.id, ref="del-ne", name="Niger MoD", country="NE")
    db.session.add_all([mali, niger])
    db.session.commit()
    return zone, mali, niger


def test_a_demo_is_requested_with_its_allow_list_and_placed_by_the_organiser(
    anka_client, organiser_client, portal
):
    zone, mali, niger = demo_setup(portal)
    response = anka_client.post(
        portal.url("demos"),
        data={
            "title": "TB3 flight",
            "duration": "45",
            "equipment": "Runway 300 m",
            "preferred_date": "2025-11-13",
            "delegations": [str(mali.id)],
            "countries": ["NE"],
        },
    )
    assert response.status_code == 303
    demo = db.session.execute(select(DemoRequest)).scalar_one()
    assert (demo.title, demo.duration_min, demo.status) == ("TB3 flight", 45, "pending")
    assert [d.name for d in demo.allowed_delegations] == ["Mali MoD"]
    assert demo.country_codes == ["NE"]

    placed = organiser_client.post(
        f"/e/{portal.slug}/manage/approvals/demos/{demo.id}/place",
        data={"location": zone.id, "start": "2025-11-13T10:00"},
    )
    assert placed.status_code == 303
    db.session.expire_all()
    session = db.session.get(EventSession, db.session.get(DemoRequest, demo.id).session_id)
    assert (session.kind, session.exhibitor_id) == ("demo", portal.anka.id)
    assert (session.start, session.end) == (
        datetime(2025, 11, 13, 10),
        datetime(2025, 11, 13, 10, 45),
    )
    page = anka_client.get(portal.url("demos")).get_data(as_text=True)
    assert "Placed" in page and "Scheduled: " in page and "Mali MoD" in page

    # Who may attend: the matchmaking rule reads this allow-list.
    def delegate(delegation=None, country=None):
        person = f.make_delegate(portal.event, delegation=delegation)
        person.country = country
        person.zones = []
        db.session.flush()
        from expo_app.delegations.models import ParticipantZone

        person.zones.append(ParticipantZone(location_id=zone.id))
        db.session.flush()
        return person

    assert admitted_to_demo(delegate(mali, "ML"), session)
    assert admitted_to_demo(delegate(None, "NE"), session)
    assert not admitted_to_demo(delegate(None, "FR"), session)


def test_placing_a_demo_outside_a_demo_day_or_over_another_is_refused(portal):
    zone, _mali, _niger = demo_setup(portal)
    demo = services.request_demo(portal.anka, title="Radar", duration_min=60)
    other = services.request_demo(portal.borealis, title="Optics", duration_min=30)
    db.session.commit()
    with pytest.raises(services.DemoConflict, match="demo day"):
        services.place_demo(demo, location=zone, start=datetime(2025, 11, 11, 10))
    with pytest.raises(services.DemoConflict, match="opening hours"):
        services.place_demo(demo, location=zone, start=datetime(2025, 11, 13, 15, 30))
    with pytest.raises(services.DemoConflict, match="demo zone"):
        services.place_demo(demo, location=portal.hall, start=datetime(2025, 11, 13, 10))
    services.place_demo(demo, location=zone, start=datetime(2025, 11, 13, 10))
    with pytest.raises(services.DemoConflict, match="Radar"):
        services.place_demo(other, location=zone, start=datetime(2025, 11, 13, 10, 30))


def test_bad_demo_input_keeps_the_text_and_a_pending_demo_can_be_withdrawn(
    anka_client, borealis_client, portal
):
    demo_setup(portal)
    bad = anka_client.post(
        portal.url("demos"), data={"title": "", "duration": "7", "equipment": "Tent"}
    )
    assert bad.status_code == 422 and "Tent" in bad.get_data(as_text=True)
    anka_client.post(portal.url("demos"), data={"title": "Radar", "duration": "30"})
    demo = db.session.execute(select(DemoRequest)).scalar_one()
    assert borealis_client.post(portal.url(f"demos/{demo.id}/withdraw")).status_code == 404
    assert anka_client.post(portal.url(f"demos/{demo.id}/withdraw")).status_code == 303
    db.session.expire_all()
    assert db.session.get(DemoRequest, demo.id).status == "withdrawn"


def test_staff_and_participants_of_a_deleted_exhibitor_go_with_it(portal):
    services.add_staff(portal.anka, name="Ali", email="ali@anka.example")
    services.request_demo(portal.anka, title="Radar", duration_min=30)
    db.session.commit()
    db.session.delete(portal.anka)
    db.session.commit()
    assert db.session.execute(select(Participant)).first() is None
    assert db.session.execute(select(DemoRequest)).first() is None
