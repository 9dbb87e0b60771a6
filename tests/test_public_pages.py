"""Public pages: anyone can see the events, their days, exhibitors and schedule."""

from __future__ import annotations

from datetime import datetime

from expo_app.extensions import db
from expo_app.models import EventSession, ExhibitorSector
from tests.kit import factories as f


def build_small_event(slug: str = "test-expo"):
    event = f.make_event(slug)
    hall = f.make_location(event, "hall", name="Hall A")
    zone = f.make_location(event, "demo_zone", name="Range", restricted=True)
    uav = f.make_exhibitor(event, "Baykar")
    uav.sectors = [ExhibitorSector(name="UAVs", position=0)]
    radar = f.make_exhibitor(event, "Aselsan")
    radar.sectors = [ExhibitorSector(name="Radar", position=0)]
    radar.country = "FR"
    hidden = f.make_exhibitor(event, "Not Yet Approved Ltd")
    hidden.approval = "pending"
    f.make_stand(event, hall, "A-01")
    db.session.add_all(
        [
            EventSession(
                event_id=event.id,
                ref="open",
                title="Opening ceremony",
                kind="ceremony",
                start=datetime(2025, 11, 11, 10),
                end=datetime(2025, 11, 11, 11, 30),
                location_id=hall.id,
            ),
            EventSession(
                event_id=event.id,
                ref="demo",
                title="UAV flight demo",
                kind="demo",
                start=datetime(2025, 11, 12, 9),
                end=datetime(2025, 11, 12, 10),
                location_id=zone.id,
                exhibitor_id=uav.id,
            ),
        ]
    )
    db.session.commit()
    return event


def test_home_opens_the_only_event(client, app):
    build_small_event()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/e/test-expo/")


def test_home_lists_every_event_when_there_are_several(client, app):
    build_small_event("first-expo")
    build_small_event("second-expo")
    page = client.get("/").get_data(as_text=True)
    assert "/e/first-expo/" in page and "/e/second-expo/" in page


def test_overview_shows_each_day_with_its_kinds(client, app):
    build_small_event()
    page = client.get("/e/test-expo/").get_data(as_text=True)
    assert "Tuesday, 11 November 2025" in page
    assert "Static display" in page and "Business matchmaking" in page


def test_schedule_groups_sessions_by_day_and_location(client, app):
    build_small_event()
    page = client.get("/e/test-expo/schedule/").get_data(as_text=True)
    assert page.index("Opening ceremony") < page.index("UAV flight demo")
    assert "Restricted access" in page  # the demo zone is marked
    assert "10:00" in page and "11:30" in page


def test_directory_filters_by_sector_country_and_name(client, app):
    build_small_event()
    all_page = client.get("/e/test-expo/exhibitors/").get_data(as_text=True)
    assert "Baykar" in all_page and "Aselsan" in all_page
    assert "Not Yet Approved" not in all_page
    by_sector = client.get("/e/test-expo/exhibitors/?sector=UAVs").get_data(as_text=True)
    assert "Baykar" in by_sector and "Aselsan" not in by_sector
    by_country = client.get("/e/test-expo/exhibitors/?country=FR").get_data(as_text=True)
    assert "Aselsan" in by_country and "Baykar" not in by_country
    by_name = client.get("/e/test-expo/exhibitors/?q=bayk").get_data(as_text=True)
    assert "Baykar" in by_name and "Aselsan" not in by_name
    nothing = client.get("/e/test-expo/exhibitors/?q=%25").get_data(as_text=True)
    assert "No exhibitor matches your search." in nothing


def test_unknown_event_or_exhibitor_is_a_friendly_404(client, app):
    event = build_small_event()
    assert client.get("/e/nope/").status_code == 404
    response = client.get("/e/test-expo/exhibitors/unknown")
    assert response.status_code == 404
    assert "This page does not exist." in response.get_data(as_text=True)
    pending = [x for x in event_exhibitors(event) if x.approval == "pending"][0]
    assert client.get(f"/e/test-expo/exhibitors/{pending.ref}").status_code == 404


def event_exhibitors(event):
    from sqlalchemy import select

    from expo_app.models import Exhibitor

    return db.session.execute(select(Exhibitor).filter_by(event_id=event.id)).scalars().all()


def test_pages_switch_to_french(client, app):
    build_small_event()
    response = client.post("/language/fr", data={"next": "/e/test-expo/schedule/"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/e/test-expo/schedule/")
    page = client.get("/e/test-expo/schedule/").get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Programme" in page and "Accès restreint" in page
    assert "mardi 11 novembre 2025" in page


def test_browser_language_is_honoured_without_a_choice(client, app):
    build_small_event()
    page = client.get("/e/test-expo/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert "Exposants" in page.get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client, app):
    response = client.post("/language/fr", data={"next": "https://evil.example.com/"})
    assert response.headers["Location"] == "/"


def test_counts_are_translated_in_french(client, app):
    build_small_event()
    client.post("/language/fr", data={"next": "/"})
    page = client.get("/e/test-expo/exhibitors/").get_data(as_text=True)
    assert "2 exposants" in page


def test_the_schedule_names_kinds_in_the_readers_language(client, app):
    build_small_event()
    client.post("/language/fr", data={"next": "/"})
    schedule = client.get("/e/test-expo/schedule/").get_data(as_text=True)
    assert "Cérémonie" in schedule and "Démonstrations en direct" in schedule
    overview = client.get("/e/test-expo/").get_data(as_text=True)
    assert "Exposition statique" in overview


def test_every_public_page_takes_the_request_path_at_the_public_level(app):
    from expo_app.web.access import PUBLIC

    for endpoint in (
        "public.overview",
        "public.directory",
        "public.exhibitor",
        "public.schedule",
        "programme.programme_pdf",
        "badges.public_key",
        "badges.revocations",
    ):
        assert app.view_functions[endpoint].access is PUBLIC, endpoint


def test_signed_in_visitors_see_the_same_public_pages(app):
    from expo_app.accounts.services import make_organiser_of
    from tests.kit.accounts import make_account, new_client

    event = build_small_event()
    other = f.make_event("other-expo")
    stranger = make_account("stranger@example.org", "organiser")
    make_organiser_of(stranger, other.id)  # runs another event: a visitor here
    db.session.commit()
    client = new_client(app, stranger.email)
    for path in ("", "exhibitors/", "schedule/"):
        assert client.get(f"/e/{event.slug}/{path}").status_code == 200, path
    assert client.get(f"/e/{event.slug}/manage/").status_code == 403
