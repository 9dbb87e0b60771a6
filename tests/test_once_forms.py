"""Create forms make one thing per render: the same form sent twice (a double click, even
two posts at the same instant) makes one object, and the second post lands where the
first went with "This was sent already."."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from expo_app.extensions import db
from expo_app.models import (
    DemoRequest,
    EventSession,
    Exhibitor,
    Location,
    Participant,
    Stand,
)
from expo_app.web.once import FormSubmission, forget_before
from tests.kit.accounts import new_client
from tests.kit.world import EMAILS, EX1, ORG_A, build_world

SENT_ALREADY = "This was sent already."


@pytest.fixture
def world(backend_app):
    built = build_world()
    for exhibitor in db.session.execute(select(Exhibitor)).scalars():
        exhibitor.approval = "approved"
    db.session.commit()
    db.session.close()
    return built


def count(model) -> int:
    db.session.expire_all()
    number = db.session.execute(select(func.count()).select_from(model)).scalar_one()
    db.session.rollback()
    return number


def once_token(html: str, name: str = "once") -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]+)"', html) or re.search(
        rf'value="([^"]+)"[^>]*name="{re.escape(name)}"', html
    )
    assert found, f"no {name} field in the page"
    return found.group(1)


CASES = {
    "demo request": (
        EX1,
        "/e/expo-a/exhibitor/demos",
        "once",
        {"title": "Night firing", "duration": "30"},
        DemoRequest,
        "/e/expo-a/exhibitor/demos",
    ),
    "location": (
        ORG_A,
        "/e/expo-a/manage/setup/",
        "loc-once",
        {"loc-name": "Hall C", "loc-kind": "hall"},
        Location,
        "/e/expo-a/manage/setup/#locations",
    ),
    "session": (
        ORG_A,
        "/e/expo-a/manage/schedule/new",
        "once",
        {
            "title": "Press talk",
            "kind": "ceremony",
            "day": "2025-11-12",
            "start": "14:00",
            "end": "15:00",
            "location": "{location_id}",
            "exhibitor": "None",
            "keep": "y",
        },
        EventSession,
        None,
    ),
    "stand": (
        ORG_A,
        "/e/expo-a/manage/floor-plan/new",
        "once",
        {"ref": "C-01", "location": "{location_id}", "width_m": "3", "depth_m": "3", "version": ""},
        Stand,
        None,  # the floor plan, at the new stand
    ),
    "staff": (
        EX1,
        "/e/expo-a/exhibitor/staff",
        "once",
        {"name": "Ali Kaya", "email": "ali@example.org"},
        Participant,
        "/e/expo-a/exhibitor/staff",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_same_form_sent_twice_makes_one(backend_app, world, case):
    actor, page, field, data, model, target = CASES[case]
    values = world.values
    page = page.format(**values)
    data = {key: value.format(**values) for key, value in data.items()}
    client = new_client(backend_app, EMAILS[actor])
    data[field] = once_token(client.get(page).get_data(as_text=True), field)
    post_to = page if case != "location" else "/e/expo-a/manage/setup/locations"
    before = count(model)
    first = client.post(post_to, data=data)
    assert first.status_code in (302, 303), first.get_data(as_text=True)
    assert count(model) == before + 1
    second = client.post(post_to, data=data)
    assert second.status_code in (302, 303)
    assert count(model) == before + 1
    if target:
        assert first.headers["Location"] == second.headers["Location"] == target
    landing = client.get(second.headers["Location"]).get_data(as_text=True)
    assert SENT_ALREADY in landing
    if case not in ("demo request", "location", "session"):
        return  # a second stand or person needs other values: the rest is the same
    # A fresh render is a new form: it makes a second one.
    data[field] = once_token(client.get(page).get_data(as_text=True), field)
    assert client.post(post_to, data=data).status_code in (302, 303)
    assert count(model) == before + 2


def test_a_refused_form_keeps_its_token_for_the_corrected_send(backend_app, world):
    client = new_client(backend_app, EMAILS[ORG_A])
    token = once_token(client.get("/e/expo-a/manage/setup/").get_data(as_text=True), "loc-once")
    refused = client.post(
        "/e/expo-a/manage/setup/locations",
        data={"loc-name": "", "loc-kind": "hall", "loc-once": token},
    )
    assert refused.status_code == 422 and token in refused.get_data(as_text=True)
    fixed = client.post(
        "/e/expo-a/manage/setup/locations",
        data={"loc-name": "Hall C", "loc-kind": "hall", "loc-once": token},
    )
    assert fixed.status_code == 303
    assert count(Location) == 3 and count(FormSubmission) == 1


def test_a_malformed_token_is_refused_like_a_bad_field(backend_app, world):
    client = new_client(backend_app, EMAILS[ORG_A])
    answer = client.post(
        "/e/expo-a/manage/setup/locations",
        data={"loc-name": "Hall C", "loc-kind": "hall", "loc-once": "x" * 500},
    )
    assert answer.status_code == 422
    assert count(Location) == 2 and count(FormSubmission) == 0


def test_two_posts_of_one_render_at_the_same_instant_make_one(backend_app, world):
    clients = [new_client(backend_app, EMAILS[EX1]) for _ in range(2)]
    token = once_token(clients[0].get("/e/expo-a/exhibitor/demos").get_data(as_text=True))
    data = {"title": "Night firing", "duration": "30", "once": token}
    before = count(DemoRequest)
    db.session.remove()  # SQLite: the test holds no lock the two requests need
    start = threading.Barrier(2)
    answers = []

    def send(client):
        with backend_app.app_context():
            start.wait()
            answers.append(client.post("/e/expo-a/exhibitor/demos", data=data).status_code)
            db.session.remove()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [303, 303]
    assert count(DemoRequest) == before + 1


def test_old_tokens_can_be_forgotten(backend_app, world):
    from datetime import timedelta

    from expo_app.modelkit import utcnow

    db.session.add(FormSubmission(token="a" * 24, form="X", sent_at=utcnow() - timedelta(days=40)))
    db.session.add(FormSubmission(token="b" * 24, form="X"))
    db.session.commit()
    assert forget_before() == 1
    db.session.commit()
    assert count(FormSubmission) == 1
