"""A delegate on a phone, in French, in headless Chromium: registers, is accredited, finds
Baykar by sector, books a slot, sees it in the agenda, downloads the ICS and the PDF —
and every portal page passes axe-core (WCAG 2.1 AA) and fits a 360 px screen."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from expo_app.delegations.models import Participant
from expo_app.delegations.services import accredit
from expo_app.extensions import db
from tests.kit.axe import assert_fits_the_screen, axe_violations
from tests.kit.browser import PHONE

pytestmark = pytest.mark.browser

NAME = "Aïssata Coulibaly"
EMAIL = "aissata.coulibaly@example.org"


@pytest.fixture
def seeded(app):
    from expo_app.seeding import seed

    slug = seed().event.slug
    db.session.commit()
    db.session.remove()
    return slug


def check_page(page, path: str) -> None:
    """French, accessible, and no sideways scrolling on the phone."""
    assert page.locator("html").get_attribute("lang") == "fr", path
    assert axe_violations(page) == [], path
    assert_fits_the_screen(page, path)


def test_delegate_registers_books_baykar_and_takes_the_agenda_away(
    app, seeded, live_server, new_page
):
    page = new_page(viewport=PHONE, locale="fr-FR")
    delegate_journey(app, page, f"{live_server}/e/{seeded}")


def delegate_journey(app, page, base: str) -> None:
    # Registration, alone.
    page.goto(f"{base}/register")
    check_page(page, "register")
    page.locator("#name").fill(NAME)
    page.locator("#title").fill("Lieutenant-colonel")
    page.locator("#organisation").fill("Armée de l'Air du Mali")
    page.locator("#country").select_option("ML")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill("mot-de-passe-2025")
    page.locator("button[value=register]").click()
    # Received, and not signed in (that would tell a new email from a known one): she
    # signs in on the page the registration sends her to, and lands on her portal.
    page.wait_for_url(re.compile(r"/login\?next="))
    assert page.locator(".flash-success").count() == 1
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill("mot-de-passe-2025")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/my/")
    assert page.locator(".flash-warning").count() == 1  # waiting for accreditation
    check_page(page, "dashboard (pending)")

    # The organisers accredit her (their workspace calls the same service).
    with app.app_context():
        person = db.session.execute(select(Participant).filter_by(email=EMAIL)).scalar_one()
        accredit(person, approved=True)
        db.session.commit()  # services only flush; the organiser's request would commit
        db.session.remove()
    page.reload()
    assert page.locator("main .flash-success").count() == 1

    # She finds Baykar by sector and books the first free slot from its page.
    page.goto(f"{base}/exhibitors/")
    page.get_by_label("Secteur").select_option("UAVs")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Baykar").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Baykar"
    check_page(page, "exhibitor page with slots")
    first_slot = page.locator("#meet-title ~ ul.slot-list button").first
    slot_text = first_slot.inner_text()
    start = re.search(r"(\d\d):(\d\d)", slot_text)
    assert start, slot_text
    first_slot.click()
    page.wait_for_url(f"{base}/my/meetings")
    assert page.locator(".flash-success").count() == 1
    meeting = page.locator(".session", has_text="Baykar").first
    assert start.group(0) in meeting.inner_text()
    check_page(page, "meetings")

    # The agenda shows it; ICS and PDF downloads carry it too.
    page.goto(f"{base}/my/agenda")
    check_page(page, "agenda")
    item = page.locator(".schedule-day .session", has_text="Baykar").first
    assert start.group(0) in item.inner_text()

    with page.expect_download() as ics_download:
        page.locator("a[href*='agenda.ics']").click()
    calendar = icalendar.Calendar.from_ical(Path(ics_download.value.path()).read_bytes())
    (entry,) = [e for e in calendar.walk("VEVENT") if "Baykar" in str(e["summary"])]
    when = entry.decoded("dtstart")
    assert (when.hour, when.minute) == (int(start.group(1)), int(start.group(2)))
    assert str(when.tzinfo) == "Africa/Bamako"

    with page.expect_download() as pdf_download:
        page.locator("a[href*='agenda.pdf']").click()
    reader = PdfReader(pdf_download.value.path())
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Baykar" in text and NAME in text and "novembre" in text

    # The other portal pages pass the same checks.
    for path in ("/my/availability", "/exhibitors/baykar/book", "/my/"):
        page.goto(base + path)
        check_page(page, path)
    page.goto(f"{base}/my/meetings")
    page.locator("a[href*='/move']").first.click()
    check_page(page, "move")
