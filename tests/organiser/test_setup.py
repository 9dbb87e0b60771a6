"""Event setup: details, days and their kinds, locations, meeting slots generated from the
matchmaking sessions, tables, and a new event copied from last year onto new dates."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from expo_app.events.models import Event, EventSession
from expo_app.extensions import db
from expo_app.links import LinkRefused
from expo_app.matchmaking.models import MeetingSlot, MeetingTable
from expo_app.organiser import setup
from expo_app.organiser.setup import slot_times
from tests.kit import factories as f


def test_slot_times_skip_the_pause_and_leave_breaks():
    slots = slot_times(
        datetime(2025, 11, 11, 9),
        datetime(2025, 11, 11, 14),
        length=30,
        gap=10,
        pause=(time(12), time(13)),
    )
    starts = [start.strftime("%H:%M") for start, _end in slots]
    assert starts == ["09:00", "09:40", "10:20", "11:00", "13:00"]
    assert all(end <= datetime(2025, 11, 11, 14) for _start, end in slots)


def test_generating_slots_fills_the_matchmaking_sessions_once(organiser, expo):
    db.session.add(
        EventSession(
            event_id=expo.event.id,
            ref="mm-1",
            title="Matchmaking",
            kind="matchmaking",
            start=datetime(2025, 11, 11, 9),
            end=datetime(2025, 11, 11, 12),
            location_id=expo.lounge.id,
        )
    )
    f.make_slot(expo.event, 9)  # an existing slot stays
    db.session.commit()
    data = {
        "slots-length": "30",
        "slots-gap": "0",
        "slots-pause_from": "10:30",
        "slots-pause_to": "11:00",
    }
    assert organiser.post(expo.url("setup/slots"), data=data).status_code == 303
    slots = db.session.execute(select(MeetingSlot).order_by(MeetingSlot.start)).scalars().all()
    assert [s.start.strftime("%H:%M") for s in slots] == [
        "09:00",
        "09:30",
        "10:00",
        "11:00",
        "11:30",
    ]
    organiser.post(expo.url("setup/slots"), data=data)
    assert len(db.session.execute(select(MeetingSlot)).scalars().all()) == 5


def test_bad_slot_settings_are_shown_next_to_the_field(organiser, expo):
    response = organiser.post(
        expo.url("setup/slots"),
        data={"slots-length": "0", "slots-gap": "x", "slots-pause_from": "12:00"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="slots-length-error"' in html and 'id="slots-pause_to-error"' in html


def test_adding_tables_and_a_location(organiser, expo):
    response = organiser.post(
        expo.url("setup/tables"),
        data={"tables-location": str(expo.lounge.id), "tables-count": "3", "tables-prefix": "L"},
    )
    assert response.status_code == 303
    refs = db.session.execute(select(MeetingTable.ref).order_by(MeetingTable.ref)).scalars().all()
    assert refs == ["L1", "L2", "L3"]
    added = organiser.post(
        expo.url("setup/locations"),
        data={"loc-name": "Press room", "loc-kind": "other", "loc-capacity": "40"},
    )
    assert added.status_code == 303
    assert "Press room" in organiser.get(expo.url("schedule/")).get_data(as_text=True)


def test_editing_a_location_shows_on_the_public_schedule(organiser, expo, client):
    url = expo.url(f"setup/locations/{expo.zone.id}")
    form = organiser.get(url).get_data(as_text=True)
    assert 'value="Demo zone"' in form
    saved = organiser.post(
        url, data={"name": "Live demo range", "kind": "demo_zone", "capacity": "300"}
    )
    assert saved.status_code == 303
    db.session.expire_all()
    assert (expo.zone.name, expo.zone.capacity, expo.zone.restricted) == (
        "Live demo range",
        300,
        False,  # the box was left unticked: no longer restricted
    )
    schedule = client.get(f"/e/{expo.slug}/schedule/").get_data(as_text=True)
    assert "Live demo range" in schedule
    assert "location.update" in organiser.get(expo.url("audit/")).get_data(as_text=True)
    refused = organiser.post(url, data={"name": "", "kind": "nowhere", "capacity": "-3"})
    assert refused.status_code == 422
    assert 'class="error"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert expo.zone.name == "Live demo range"


def test_changing_what_happens_on_a_day(organiser, expo, client):
    day = expo.event.days[0]
    response = organiser.post(
        expo.url(f"setup/days/{day.id}"),
        data={
            f"day{day.id}-kinds": ["static_display", "demo"],
            f"day{day.id}-opens": "08:00",
            f"day{day.id}-closes": "17:00",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert expo.event.days[0].kinds == ["static_display", "demo"]
    refused = organiser.post(
        expo.url(f"setup/days/{day.id}"),
        data={f"day{day.id}-opens": "18:00", f"day{day.id}-closes": "08:00"},
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Choose at least one." in html and "It must close after it opens." in html


def test_copying_last_year_shifts_every_date(organiser, expo):
    response = organiser.post(
        expo.url("setup/new-event"),
        data={
            "new-copy_from": str(expo.event.id),
            "new-slug": "test-expo-26",
            "new-name": "Test Expo 2026",
            "new-start_date": "2026-11-10",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/e/test-expo-26/manage/setup/")
    copy = db.session.execute(select(Event).filter_by(slug="test-expo-26")).scalar_one()
    assert copy.end_date == date(2026, 11, 12)
    assert [d.date for d in copy.days] == [
        date(2026, 11, 10),
        date(2026, 11, 11),
        date(2026, 11, 12),
    ]
    assert copy.days[2].kinds == ["demo"]
    assert len(copy.locations) == 3
    assert organiser.get("/e/test-expo-26/manage/floor-plan/").status_code == 200
    again = organiser.post(
        expo.url("setup/new-event"),
        data={"new-slug": "test-expo-26", "new-name": "Twice", "new-start_date": "2026-11-10"},
    )
    assert again.status_code == 422
    assert "Another event has this short name." in again.get_data(as_text=True)


def test_a_blank_event(organiser, expo):
    organiser.post(
        expo.url("setup/new-event"),
        data={
            "new-slug": "fresh",
            "new-name": "Fresh",
            "new-start_date": "2026-03-01",
            "new-end_date": "2026-03-02",
        },
    )
    fresh = db.session.execute(select(Event).filter_by(slug="fresh")).scalar_one()
    assert len(fresh.days) == 2


BAD_WEBSITES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://[",
    "ftp://x",
]


@pytest.mark.parametrize("website", BAD_WEBSITES, ids=repr)
def test_the_event_details_service_refuses_a_website_that_is_not_a_web_address(expo, website):
    with pytest.raises(LinkRefused) as refused:
        setup.update_details(expo.event, name="Renamed", website=website)
    assert refused.value.field == "website"
    assert expo.event.name != "Renamed"


@pytest.mark.parametrize("website", BAD_WEBSITES, ids=repr)
def test_the_event_setup_page_refuses_a_website_next_to_the_field(organiser, expo, website):
    response = organiser.post(expo.url("setup/"), data={"name": "Renamed Expo", "website": website})
    assert response.status_code in (400, 422)
    assert "Enter a web address such as https://example.com." in response.get_data(as_text=True)
    db.session.expire_all()
    event = db.session.get(Event, expo.event.id)
    assert event.name != "Renamed Expo" and event.website is None


def test_the_event_website_is_stored_with_its_scheme(expo):
    setup.update_details(expo.event, website="expo.example.org")
    assert expo.event.website == "https://expo.example.org"
