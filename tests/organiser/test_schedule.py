"""The schedule editor without JavaScript (plain forms) and through the grid's move
requests: impossible sessions are refused, clashes need a deliberate "keep", a stale
save is told what changed, and the public schedule shows the result at once."""

from __future__ import annotations

from sqlalchemy import select

from expo_app.audit.models import AuditEntry
from expo_app.events.models import EventSession
from expo_app.extensions import db


def form(expo, **changes) -> dict:
    values = {
        "title": "Matchmaking round",
        "kind": "matchmaking",
        "day": "2025-11-11",
        "start": "14:00",
        "end": "15:30",
        "location": str(expo.lounge.id),
        "exhibitor": "",
    }
    values.update(changes)
    return values


def sessions(title: str) -> list[EventSession]:
    db.session.expire_all()
    return list(db.session.execute(select(EventSession).filter_by(title=title)).scalars())


def test_the_grid_shows_the_day_by_location(organiser, expo):
    html = organiser.get(expo.url("schedule/?day=2025-11-13")).get_data(as_text=True)
    assert "Anka demo" in html and "Borealis demo" in html
    assert "No conflict on this day" in html
    assert f'data-location="{expo.zone.id}"' in html


def test_adding_a_session_with_the_form_shows_it_on_the_public_schedule(organiser, expo, client):
    response = organiser.post(expo.url("schedule/new"), data=form(expo))
    assert response.status_code == 303
    [created] = sessions("Matchmaking round")
    assert created.location_id == expo.lounge.id
    assert "Matchmaking round" in client.get(f"/e/{expo.slug}/schedule/").get_data(as_text=True)
    entry = db.session.execute(select(AuditEntry).filter_by(action="session.create")).scalar_one()
    assert entry.after["title"] == "Matchmaking round"


def test_an_impossible_session_is_refused_next_to_the_field_and_keeps_the_typing(organiser, expo):
    response = organiser.post(expo.url("schedule/new"), data=form(expo, end="13:00"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="end-error"' in html and "It ends before it starts." in html
    assert 'value="Matchmaking round"' in html
    assert sessions("Matchmaking round") == []


def test_bad_input_never_gives_a_500(organiser, expo):
    for bad in (form(expo, start="25:99"), form(expo, location="abc"), form(expo, day="x")):
        response = organiser.post(expo.url("schedule/new"), data=bad)
        assert response.status_code == 422
    assert organiser.get(expo.url("schedule/?day=nonsense")).status_code == 200
    assert organiser.get(expo.url("schedule/99999")).status_code == 404


def test_a_clash_needs_the_organiser_to_keep_it(organiser, expo):
    clash = form(
        expo,
        title="Second demo",
        kind="demo",
        day="2025-11-13",
        start="09:30",
        end="10:30",
        location=str(expo.zone.id),
    )
    response = organiser.post(expo.url("schedule/new"), data=clash)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Another session is in this location at the same time" in html
    assert "Anka demo" in html and 'name="keep"' in html
    assert sessions("Second demo") == []
    kept = organiser.post(expo.url("schedule/new"), data={**clash, "keep": "y"})
    assert kept.status_code == 303
    assert len(sessions("Second demo")) == 1
    grid = organiser.get(expo.url("schedule/?day=2025-11-13")).get_data(as_text=True)
    assert "2 sessions need a look" in grid


def move(client, expo, session, **values):
    data = {
        "version": session.version,
        "day": "2025-11-13",
        "start": "11:00",
        "end": "12:00",
        "location": expo.zone.id,
    }
    data.update(values)
    return client.post(
        expo.url(f"schedule/{session.id}/move"),
        data=data,
        headers={"Accept": "application/json"},
    )


def test_moving_a_demo_onto_another_asks_then_keeps(organiser, expo):
    demo = expo.demo
    answer = move(organiser, expo, demo)
    assert answer.status_code == 409
    assert answer.json["status"] == "confirm"
    assert "Borealis demo" in answer.json["messages"][0]
    kept = move(organiser, expo, demo, keep="y")
    assert kept.json["status"] == "saved"
    db.session.expire_all()
    moved = db.session.get(EventSession, demo.id)
    assert moved.start.hour == 11 and moved.version == 2


def test_resizing_to_end_before_start_is_impossible(organiser, expo):
    answer = move(organiser, expo, expo.demo, start="09:00", end="08:00")
    assert answer.status_code == 422 and answer.json["status"] == "impossible"


def test_two_organisers_saving_the_same_session_the_second_is_told(
    organiser, second_organiser, expo
):
    page = expo.url(f"schedule/{expo.demo.id}")
    first_form = organiser.get(page)
    second_form = second_organiser.get(page)
    assert first_form.status_code == second_form.status_code == 200
    base = form(
        expo,
        title="Anka demo",
        kind="demo",
        day="2025-11-13",
        start="09:00",
        end="10:00",
        location=str(expo.zone.id),
        exhibitor=str(expo.anka.id),
        version="1",
    )
    saved = organiser.post(page, data={**base, "title": "Anka UAV demo"})
    assert saved.status_code == 303
    late = second_organiser.post(page, data={**base, "title": "Anka radar demo"})
    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert "This session was changed meanwhile" in html
    assert "Anka UAV demo" in html  # the current version is shown
    assert 'value="Anka radar demo"' in html  # and the typing is kept
    db.session.expire_all()
    assert db.session.get(EventSession, expo.demo.id).title == "Anka UAV demo"
    # Saving again now is a deliberate choice, and works.
    again = second_organiser.post(page, data={**base, "title": "Anka radar demo", "version": "2"})
    assert again.status_code == 303


def test_a_stale_drag_is_told_who_won(organiser, second_organiser, expo):
    assert move(organiser, expo, expo.demo, start="13:00", end="14:00").json["status"] == "saved"
    stale = second_organiser.post(
        expo.url(f"schedule/{expo.demo.id}/move"),
        data={
            "version": 1,
            "day": "2025-11-13",
            "start": "14:00",
            "end": "15:00",
            "location": expo.zone.id,
        },
        headers={"Accept": "application/json"},
    )
    assert stale.status_code == 409 and stale.json["status"] == "changed"
    assert "13:00–14:00" in stale.json["messages"][0]


def test_deleting_a_session(organiser, expo, client):
    response = organiser.post(
        expo.url(f"schedule/{expo.other_demo.id}/delete"), data={"version": "1"}
    )
    assert response.status_code == 303
    assert "Borealis demo" not in client.get(f"/e/{expo.slug}/schedule/").get_data(as_text=True)
