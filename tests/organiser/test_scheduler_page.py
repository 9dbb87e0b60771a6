"""The organiser's scheduler page: run, look at the plan, apply or discard. Nothing is
written before the organiser applies; a plan overtaken by events is refused whole; the
delegates see their new meetings at once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from expo_app.extensions import db
from expo_app.matchmaking.models import Meeting, MeetingRequest
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client


@pytest.fixture
def fair(app, expo):
    """Two slots, one table, Anka (capacity 1) wanted by three delegates, Borealis by one;
    one request still pending and one delegate not accredited."""
    event = expo.event
    slots = [f.make_slot(event, 9), f.make_slot(event, 9, 30)]
    f.make_table(event, expo.lounge)
    people = [f.make_delegate(event, email=f"d{n}@example.org") for n in range(4)]
    unvetted = f.make_delegate(event, "pending", email="unvetted@example.org")
    requests = [f.make_request(event, person, expo.anka) for person in people[:3]]
    requests.append(f.make_request(event, people[3], expo.borealis))
    requests.append(f.make_request(event, people[3], expo.anka, status="pending"))
    requests.append(f.make_request(event, unvetted, expo.borealis))
    for request, priority in zip(requests, (3, 1, 2, 1, 1, 1), strict=True):
        request.priority = priority
    account = make_account("d0@example.org", "delegate")
    people[0].user_id = account.id
    db.session.commit()
    return {"slots": slots, "people": people, "requests": requests}


def meetings() -> int:
    return db.session.execute(select(func.count()).select_from(Meeting)).scalar_one()


def make_plan(client, expo, seconds: int = 5) -> str:
    response = client.post(expo.url("scheduler/"), data={"time_limit": str(seconds)})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def decide(client, preview_url: str, decision: str):
    assert client.get(preview_url).status_code == 200
    return client.post(preview_url, data={"decision": decision})


def test_the_page_says_what_waits_to_be_placed(organiser, expo, fair):
    html = organiser.get(expo.url("scheduler/")).get_data(as_text=True)
    # Five accepted, one of them from a delegate not accredited yet; one pending.
    assert re.search(r"<strong>4</strong> accepted requests to place", html)
    assert re.search(r"<strong>1</strong> accepted request from a delegate not accredited", html)
    assert re.search(r"<strong>1</strong> request still waiting for the exhibitor", html)
    assert re.search(r"<strong>1</strong> meeting table<", html)


def test_the_preview_shows_the_plan_and_writes_nothing(organiser, expo, fair):
    preview = make_plan(organiser, expo)
    html = organiser.get(preview).get_data(as_text=True)
    assert meetings() == 0
    # One table and two slots: two meetings at most. The best plan takes Anka's priority-3
    # request and Anka's priority-2 one (Anka has capacity 1 per slot), leaving Borealis's.
    assert re.search(r"<strong>2</strong> new meetings", html)
    assert "This plan is provably the best possible." in html
    assert "5 priority points" in html and "no plan can place more than 5" in html
    assert "not accepted yet by the exhibitor" in html
    assert "delegate not accredited" in html
    assert "no table left in the common slots" in html
    ref = fair["requests"][1].ref  # Anka, priority 1: left out for the heavier two
    assert ref in html
    assert "Apply: schedule 2 meetings" in html


def test_applying_writes_the_meetings_and_the_delegate_sees_them(app, organiser, expo, fair):
    preview = make_plan(organiser, expo)
    response = decide(organiser, preview, "apply")
    assert response.status_code == 303
    assert meetings() == 2
    placed = set(db.session.execute(select(Meeting.request_id)).scalars())
    assert placed == {fair["requests"][0].id, fair["requests"][2].id}
    page = organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 meetings are scheduled" in page
    delegate = new_client(app, "d0@example.org")
    agenda = delegate.get(f"/e/{expo.slug}/my/meetings").get_data(as_text=True)
    assert "Anka Systems" in agenda
    audit = organiser.get(expo.url("audit/")).get_data(as_text=True)
    assert "meetings.scheduled" in audit
    # The plan is spent: applying it twice writes nothing more.
    again = organiser.get(preview)
    assert again.status_code == 303
    assert meetings() == 2


def test_discarding_writes_nothing(organiser, expo, fair):
    preview = make_plan(organiser, expo)
    response = decide(organiser, preview, "discard")
    assert response.status_code == 303
    assert meetings() == 0
    assert organiser.get(preview).status_code == 303


def test_a_plan_overtaken_by_a_decline_is_refused_whole(organiser, expo, fair):
    preview = make_plan(organiser, expo)
    request = db.session.get(MeetingRequest, fair["requests"][0].id)
    request.status = "declined"
    db.session.commit()
    response = decide(organiser, preview, "apply")
    assert response.status_code == 303
    assert meetings() == 0
    page = organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing was written" in page


def test_another_organiser_cannot_apply_someone_elses_plan(organiser, second_organiser, expo, fair):
    preview = make_plan(organiser, expo)
    assert second_organiser.get(preview).status_code == 303
    assert meetings() == 0


def test_a_missing_slot_setup_is_explained(organiser, expo):
    html = organiser.get(expo.url("scheduler/")).get_data(as_text=True)
    assert "This event has no meeting slots yet." in html


def test_the_preview_reads_in_french(organiser, expo, fair):
    organiser.post("/language/fr", data={"next": "/"})
    html = organiser.get(make_plan(organiser, expo)).get_data(as_text=True)
    assert "nouveaux rendez-vous" in html
    assert "Appliquer" in html


def test_a_long_list_of_requests_left_out_is_paged(organiser, expo, fair):
    person = fair["people"][0]
    for _ in range(120):  # pending requests are left out: not accepted yet
        f.make_request(expo.event, person, expo.borealis, status="pending")
    db.session.commit()
    preview = make_plan(organiser, expo)
    first = organiser.get(preview).get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = organiser.get(preview + "?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and 'rel="prev"' in second
    shown = first.count("not accepted yet by the exhibitor</td>")
    assert shown + second.count("not accepted yet by the exhibitor</td>") == 121
