"""The personal agenda (meetings, followed sessions, the demos one may attend) on the web and
as an iCalendar file, and the one rule of who may attend a demo."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest

from expo_app.delegations.models import Delegation, FollowedSession, ParticipantZone
from expo_app.events import clock
from expo_app.events.models import EventSession
from expo_app.exhibitors.admission import admitted_to_demo, demo_allow_lists
from expo_app.exhibitors.models import DemoAllowedCountry, DemoRequest
from expo_app.extensions import db
from expo_app.matchmaking.agenda import AgendaKind, agenda, agenda_ics
from expo_app.matchmaking.booking import book_meeting
from expo_app.matchmaking.models import Side
from expo_app.models import Participant
from tests.kit import factories as f


@pytest.fixture
def fair(app):
    """An event with two 30-minute slots, two tables, an exhibitor of capacity 2."""
    event = f.make_event()
    area = f.make_location(event, kind="meeting_area", name="Lounge")
    exhibitor = f.make_exhibitor(event, name="Baykar", capacity=2)
    slots = [f.make_slot(event, 9), f.make_slot(event, 9, 30)]
    f.make_table(event, area), f.make_table(event, area)
    db.session.commit()
    return event, exhibitor, slots


def book(event, delegate, exhibitor, slot):
    return book_meeting(event, delegate=delegate, exhibitor=exhibitor, slot=slot, by=Side.DELEGATE)


def session(event, location, ref, title, kind, start, end, exhibitor=None) -> EventSession:
    row = EventSession(
        event_id=event.id,
        ref=ref,
        title=title,
        kind=kind,
        start=start,
        end=end,
        location_id=location.id,
        exhibitor_id=exhibitor.id if exhibitor else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def restricted_demo(event, exhibitor, ref: str, title: str) -> tuple[EventSession, object]:
    """A demo on the 12th, 9:00-10:00, in a demo zone only badges that list it enter."""
    zone = f.make_location(event, kind="demo_zone", name="Range", restricted=True)
    start, end = datetime(2025, 11, 12, 9), datetime(2025, 11, 12, 10)
    return session(event, zone, ref, title, "demo", start, end, exhibitor), zone


def test_agenda_lists_meetings_followed_sessions_and_admitted_demos_in_time_order(fair):
    event, exhibitor, (nine, half_past) = fair
    delegate = f.make_delegate(event)
    demo, demo_zone = restricted_demo(event, exhibitor, "demo-1", "UAV flight")
    hall = f.make_location(event, name="Ceremony hall")
    opening = session(
        event,
        hall,
        "open",
        "Opening",
        "ceremony",
        datetime(2025, 11, 11, 8),
        datetime(2025, 11, 11, 8, 45),
    )
    book(event, delegate, exhibitor, half_past)
    days = agenda(event, participant=delegate)
    # The demo's zone is restricted and not on the badge: not shown.
    assert [[i.title for i in d.items] for d in days] == [["Meeting with Baykar"]]
    db.session.add(FollowedSession(participant_id=delegate.id, session_id=opening.id))
    db.session.add(ParticipantZone(participant_id=delegate.id, location_id=demo_zone.id))
    db.session.commit()
    db.session.expire_all()
    days = agenda(event, participant=db.session.get(Participant, delegate.id))
    assert [[(i.kind, i.title) for i in d.items] for d in days] == [
        [(AgendaKind.SESSION, "Opening"), (AgendaKind.MEETING, "Meeting with Baykar")],
        [(AgendaKind.DEMO, "UAV flight")],
    ]
    opening_item, meeting_item = days[0].items
    assert meeting_item.is_meeting and not meeting_item.is_demo
    assert (meeting_item.kind_label, meeting_item.tag) == ("Meeting", "matchmaking")
    assert opening_item.is_session and days[1].items[0].is_demo
    assert meeting_item.where.startswith("Table T") and "Lounge" in meeting_item.where
    assert days[1].items[0].session.id == demo.id
    # The exhibitor's side: the delegate's meeting and its own demo.
    ex_days = agenda(event, exhibitor=exhibitor)
    assert [[i.kind for i in d.items] for d in ex_days] == [["meeting"], ["demo"]]
    assert ex_days[0].items[0].other_party == delegate.name


def test_agenda_needs_exactly_one_owner(fair):
    event, exhibitor, _ = fair
    with pytest.raises(ValueError):
        agenda(event)
    with pytest.raises(ValueError):
        agenda(event, participant=f.make_delegate(event), exhibitor=exhibitor)


def test_ics_has_local_times_with_the_event_timezone(fair):
    event, exhibitor, (nine, _) = fair
    event.timezone = "Europe/Paris"  # not UTC, so a wrong shift would show
    delegate = f.make_delegate(event)
    meeting = book(event, delegate, exhibitor, nine)
    data = agenda_ics(event, participant=delegate)
    assert b"DTSTART;TZID=Europe/Paris:20251111T090000" in data
    calendar = icalendar.Calendar.from_ical(data)
    (entry,) = calendar.walk("VEVENT")
    start = entry.decoded("dtstart")
    assert (start.hour, str(start.tzinfo)) == (9, "Europe/Paris")
    assert str(entry["summary"]) == "Meeting with Baykar"
    assert str(entry["uid"]).startswith(f"meeting-{meeting.id}-")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_bamako_timezone_keeps_its_name_in_the_calendar(fair):
    event, exhibitor, (nine, _) = fair
    delegate = f.make_delegate(event)
    book(event, delegate, exhibitor, nine)
    calendar = icalendar.Calendar.from_ical(agenda_ics(event, participant=delegate))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Africa/Bamako"]
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("dtstart").replace(tzinfo=None) == datetime(2025, 11, 11, 9)


def test_export_controlled_demo_admits_by_delegation_nationality_or_delegation_country(fair):
    event, exhibitor, _ = fair
    demo, zone = restricted_demo(event, exhibitor, "demo-x", "Guided munition")
    malians = Delegation(event_id=event.id, ref="d-ml", name="Mali", country="ML")
    ghanaians = Delegation(event_id=event.id, ref="d-gh", name="Ghana", country="GH")
    db.session.add_all([malians, ghanaians])
    db.session.flush()
    request = DemoRequest(
        event_id=event.id,
        exhibitor_id=exhibitor.id,
        title="Guided munition",
        duration_min=60,
        status="placed",
        session_id=demo.id,
    )
    request.allowed_countries.append(DemoAllowedCountry(country="ML"))
    db.session.add(request)

    def person(delegation, country, **values):
        p = f.make_delegate(event, delegation=delegation, **values)
        p.country = country
        db.session.add(ParticipantZone(participant_id=p.id, location_id=zone.id))
        return p

    no_country_malian = person(malians, None)
    malian_national = person(None, "ML")
    ghanaian = person(ghanaians, "GH")
    unaccredited_malian = person(malians, "ML", accreditation="pending")
    db.session.commit()
    db.session.expire_all()

    def admitted(p, allow_lists=None):
        return admitted_to_demo(db.session.get(Participant, p.id), demo, allow_lists)

    assert admitted(no_country_malian) and admitted(malian_national)
    assert not admitted(ghanaian)
    assert not admitted(unaccredited_malian)
    # The lists read once for the whole event give the same verdicts.
    lists = demo_allow_lists(event.id)
    assert lists == {demo.id: (set(), {"ML"})}
    assert [admitted(p, lists) for p in (no_country_malian, malian_national, ghanaian)] == [
        True,
        True,
        False,
    ]


def test_a_demo_without_an_allow_list_is_open_to_every_accredited_badge_of_its_zone(fair):
    event, exhibitor, _ = fair
    demo, zone = restricted_demo(event, exhibitor, "demo-open", "Open demo")
    with_zone, without_zone = f.make_delegate(event), f.make_delegate(event)
    db.session.add(ParticipantZone(participant_id=with_zone.id, location_id=zone.id))
    db.session.commit()
    db.session.expire_all()
    assert admitted_to_demo(db.session.get(Participant, with_zone.id), demo)
    assert not admitted_to_demo(db.session.get(Participant, without_zone.id), demo)


def test_the_event_clock_reads_stored_instants_and_slots_the_same_everywhere(fair):
    event, _, (nine, _) = fair
    event.timezone = "Europe/Paris"
    stored = datetime(2025, 11, 11, 8)  # naive UTC, as created_at and expires_at are kept
    assert clock.event_time(event, stored) == datetime(2025, 11, 11, 9)
    assert clock.day_bounds_utc(event, stored.date()) == (
        datetime(2025, 11, 10, 23),
        datetime(2025, 11, 11, 23),
    )
    assert clock.event_today(event, datetime(2025, 11, 11, 23, 30, tzinfo=UTC)).day == 12
    event.timezone = "Nowhere/Atlantis"  # unknown: instants stay in UTC, no error
    assert clock.event_zone(event) is None and clock.event_time(event, stored) == stored
    assert clock.slot_label(nine) == "Tuesday, 11 November 2025, 09:00–09:30"
    assert clock.slot_label(nine, locale="fr") == "mardi 11 novembre 2025, 09:00–09:30"
