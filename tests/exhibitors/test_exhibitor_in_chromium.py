"""The exhibitor portal in headless Chromium: a new company registers, the organiser
approves it, it reserves a free stand on the plan, adds two staff, accepts a meeting
request and finds the meeting in its agenda; every page passes axe-core (WCAG 2.1 AA),
fits a phone, and the plan works without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import select

from expo_app.accounts.models import User
from expo_app.delegations.models import Participant
from expo_app.events.services import get_event
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from expo_app.matchmaking import booking
from tests.kit.axe import assert_accessible as accessible
from tests.kit.browser import DESKTOP, PHONE

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def bamex(app) -> str:
    from expo_app.seeding import seed

    slug = seed().event.slug
    db.session.commit()
    db.session.remove()  # no open transaction while the server works (SQLite lock)
    return slug


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.locator("#email").fill(email)  # by id: the labels follow the page's language
    page.locator("#password").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def portal_link(page, name: str):
    return page.get_by_role("navigation", name="Your company").get_by_role("link", name=name)


def test_a_new_company_registers_books_a_stand_adds_staff_and_meets_a_delegate(
    app, bamex, live_server, new_page
):
    registration_to_meeting(new_page, app, live_server, bamex)


def registration_to_meeting(new_page, app, base: str, bamex: str) -> None:
    portal = f"{base}/e/{bamex}/exhibitor"
    page = new_page(viewport=DESKTOP)

    # 1. Registration.
    page.goto(f"{portal}/register")
    accessible(page)
    page.get_by_label("Company name").fill("Sahel Drones SARL")
    page.get_by_label("Country", exact=True).select_option("ML")
    page.get_by_label("Sectors").fill("UAVs, Training")
    page.get_by_label("Description in English").fill("Small surveillance drones.")
    page.get_by_label("Description in French").fill("Petits drones de surveillance.")
    page.get_by_label("Contact person", exact=True).fill("Moussa Traoré")
    page.get_by_label("Your email (you sign in with it)").fill("moussa@sahel-drones.example")
    page.get_by_label("Password", exact=True).fill("sahel-drones-2025")
    page.get_by_label("Password again").fill("sahel-drones-2025")
    page.get_by_role("button", name="Register").click()
    # Received, not signed in automatically: the sign-in page, then the dashboard.
    expect(page.get_by_text("Your registration is received.")).to_be_visible()
    page.locator("#email").fill("moussa@sahel-drones.example")
    page.locator("#password").fill("sahel-drones-2025")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", name="Waiting for the organiser's approval")).to_be_visible()
    accessible(page)

    # 2. The organiser approves it.
    organiser = new_page(viewport=DESKTOP)
    sign_in(organiser, base, "organiser@example.org", "organiser-demo-2025")
    organiser.goto(f"{base}/e/{bamex}/manage/approvals/")
    accessible(organiser)
    organiser.get_by_role("button", name="Approve Sahel Drones SARL").click()
    expect(organiser.get_by_text("Sahel Drones SARL is approved.")).to_be_visible()

    # 3. It reserves a free stand on the plan (the SVG link, then the button it focuses).
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("^Approved"))).to_be_visible()
    portal_link(page, "Stand").click()
    accessible(page)
    page.get_by_role("link", name="A-16, 18 m², 4,500 EUR, available").click()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Reserve A-16"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Stand A-16 is on hold for you")).to_be_visible()
    expect(page.get_by_role("link", name="A-16, 18 m², 4,500 EUR, on hold for you")).to_have_count(
        1
    )
    accessible(page)

    # 4. Two staff (18 m² gives 2 x 2 = 4 badges).
    portal_link(page, "Staff").click()
    staff = [
        ("Awa Coulibaly", "awa@sahel-drones.example"),
        ("Ibrahim Sangaré", "ibrahim@sahel-drones.example"),
    ]
    for name, email in staff:
        page.get_by_label("Full name").fill(name)
        page.get_by_label("Email", exact=True).fill(email)
        page.get_by_role("button", name="Add to the staff").click()
        expect(page.get_by_text(f"{name} is on your staff")).to_be_visible()
    expect(page.get_by_text("2 of 4 staff badges used.")).to_be_visible()
    accessible(page)

    # 5. A delegate asks for a meeting (through the delegate portal's rules).
    with app.app_context():  # a session of its own, as the delegate's request would have
        event = get_event(bamex)
        company = db.session.execute(
            select(Exhibitor).filter_by(name="Sahel Drones SARL")
        ).scalar_one()
        delegate = db.session.execute(
            select(Participant)
            .join(User, User.id == Participant.user_id)
            .where(User.email == "delegate@example.org")
        ).scalar_one()
        who = delegate.name
        booking.send_request(
            event, delegate=delegate, exhibitor=company, requested_by="delegate", message="Drones?"
        )
        db.session.commit()  # services flush; the caller commits
        db.session.remove()

    portal_link(page, "Meetings").click()
    accessible(page)
    page.get_by_label(f"Message to {who} (optional)").fill("Welcome to our stand")
    page.get_by_role("button", name=f"Accept the request of {who}").click()
    expect(page.get_by_role("heading", name=f"Meeting with {who}")).to_be_visible()
    accessible(page)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text(f"The meeting with {who} is in your agenda.")).to_be_visible()

    # 6. The meeting is in the agenda, and in the ICS file.
    agenda = page.locator("#agenda")
    expect(agenda.get_by_text(re.compile(f"Meeting with {re.escape(who)}"))).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the agenda for your calendar (ICS)").click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert any(s.startswith(f"Meeting with {who}") for s in summaries)


def test_the_portal_pages_are_accessible_on_a_phone_in_french(bamex, live_server, new_page):
    portal_on_a_phone(new_page(viewport=PHONE, locale="fr-FR"), live_server, bamex)


def portal_on_a_phone(page, live_server: str, bamex: str) -> None:
    sign_in(page, live_server, "exhibitor@example.org", "exhibitor-demo-2025")
    assert page.locator("html").get_attribute("lang") == "fr"
    for path in ("", "stand", "profile", "staff", "demos", "meetings"):
        response = page.goto(f"{live_server}/e/{bamex}/exhibitor/{path}")
        assert response.status == 200, path
        accessible(page)
    # The plan scrolls sideways inside its own box, never the page.
    page.goto(f"{live_server}/e/{bamex}/exhibitor/stand")
    box = page.locator(".plan-scroll").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")


def test_the_plan_works_without_javascript(bamex, live_server, browser):
    plan_without_javascript(browser, live_server, bamex)


def plan_without_javascript(browser, live_server: str, bamex: str) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        sign_in(page, live_server, "exhibitor@example.org", "exhibitor-demo-2025")
        page.goto(f"{live_server}/e/{bamex}/exhibitor/stand")
        page.get_by_role("link", name="B-11, 9 m², 2,250 EUR, available").click()
        assert re.search(r"#stand-\d+$", page.url)  # jumped to the stand's row in the list
        page.get_by_role("button", name="Reserve B-11").click()
        expect(page.get_by_text("Stand B-11 is on hold for you")).to_be_visible()
    finally:
        context.close()
