"""Host-nation vetting end to end in headless Chromium, by the labels people read: a
Senegalese delegate registers and gives his passport; BAMEX'25's security officer
clears him; the organiser approves him; his badge prints; his visa invitation letter
verifies on the public check page; and an officer of another event gets 404. Every
vetting page passes axe-core (WCAG 2.1 AA) and fits a 360 px phone."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from expo_app.accounts.models import EventOrganiser
from expo_app.delegations.models import Participant
from expo_app.events.models import Event
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import PASSWORD, make_account
from tests.kit.axe import assert_fits_the_screen, axe_violations
from tests.kit.browser import PHONE

pytestmark = pytest.mark.browser

NAME = "Mamadou Ndiaye"
EMAIL = "mamadou.ndiaye@example.sn"
SECRET = "teranga-2025-dakar"


@pytest.fixture
def seeded(app):
    from expo_app.seeding import seed

    event = seed().event
    event.security_vetting = True
    other = f.make_event("other-expo")
    stranger = make_account("officer@other-expo.example.org", "security")
    db.session.add(EventOrganiser(user_id=stranger.id, event_id=other.id))
    db.session.commit()
    slug = event.slug
    db.session.remove()
    return slug


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def check_page(page, what: str) -> None:
    assert axe_violations(page) == [], what
    assert_fits_the_screen(page, what)


def download(page, button_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=button_name).click()
    return open(info.value.path(), "rb").read()


def test_passport_clearance_approval_badge_and_a_visa_letter_that_verifies(
    app, seeded, live_server, new_page
):
    base, event_url = live_server, f"{live_server}/e/{seeded}"

    # 1. He registers with his passport (vetting is on, so the form asks for it) and signs in.
    delegate = new_page(viewport=PHONE)
    delegate.goto(f"{event_url}/register")
    check_page(delegate, "registration with an identity document")
    delegate.locator("#name").fill(NAME)
    delegate.locator("#organisation").fill("Forces armées sénégalaises")
    delegate.locator("#country").select_option("SN")
    delegate.locator("#email").fill(EMAIL)
    delegate.locator("#password").fill(SECRET)
    delegate.get_by_label("Document number").fill("A01234567")
    delegate.get_by_label("Issuing country").select_option("SN")
    delegate.get_by_label("Expiry date").fill("2031-06-30")
    delegate.get_by_label("Date of birth").fill("1984-03-12")
    delegate.locator("button[value=register]").click()
    delegate.wait_for_url(re.compile(r"/login\?next="))
    delegate.get_by_label("Email").fill(EMAIL)
    delegate.get_by_label("Password").fill(SECRET)
    delegate.locator("main button[type=submit]").click()
    delegate.wait_for_url(f"{event_url}/my/")
    assert "Waiting for security vetting" in delegate.locator("main").inner_text()
    delegate.get_by_role("link", name="Identity document").first.click()
    check_page(delegate, "identity document (waiting)")

    # 2. The security officer opens the queue, shows the document, clears him.
    officer = new_page(viewport=PHONE)
    sign_in(officer, base, "security@example.org", "security-demo-2025")
    officer.goto(event_url)
    officer.get_by_role("link", name="Vetting").click()
    check_page(officer, "vetting queue")
    officer.get_by_role("link", name=NAME).click()
    assert "A01234567" not in officer.content()  # not shown before asking
    officer.get_by_role("button", name="Show the document").click()
    assert "A01234567" in officer.locator("main").inner_text()
    check_page(officer, "the document shown")
    officer.get_by_label("Clear").check()
    officer.get_by_role("button", name="Save the verdict").click()
    officer.wait_for_load_state()
    assert f"Verdict saved for {NAME}." in officer.locator("main").inner_text()

    # 3. The organiser approves him in the accreditation queue.
    organiser = new_page()
    sign_in(organiser, base, "organiser@example.org", "organiser-demo-2025")
    organiser.goto(f"{event_url}/manage/accreditation")
    organiser.get_by_role("button", name=f"Approve {NAME}").click()
    organiser.wait_for_load_state()

    # 4. His badge prints, and his visa letter downloads and verifies on the public page.
    delegate.goto(f"{event_url}/my/")
    href = delegate.get_by_role("link", name="Download my badge (PDF)").get_attribute("href")
    badge = delegate.request.get(f"{base}{href}")
    assert badge.ok and badge.body().startswith(b"%PDF")
    assert NAME in "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(badge.body())).pages
    )
    delegate.get_by_role("link", name="Identity document").first.click()
    check_page(delegate, "identity document (cleared)")
    letter = download(delegate, "Download my visa invitation letter")
    text = " ".join(PdfReader(io.BytesIO(letter)).pages[0].extract_text().split())
    assert NAME in text and "A01234567" in text
    reference = re.search(r"BAMEX25-[A-Z2-7]{8}", text).group(0)

    consulate = new_page(viewport=PHONE, locale="fr-FR")
    consulate.goto(f"{event_url}/letters/check")
    check_page(consulate, "letter check")
    consulate.get_by_label("Référence").fill(reference.lower())
    consulate.get_by_label("Nom de famille du titulaire").fill("NDIAYE")
    consulate.get_by_role("button", name="Vérifier").click()
    assert f"Lettre valable pour {NAME}" in consulate.locator("main").inner_text()
    consulate.get_by_label("Nom de famille du titulaire").fill("Diop")
    consulate.get_by_role("button", name="Vérifier").click()
    assert "Aucune lettre ne correspond" in consulate.locator("main").inner_text()

    # 5. Another event's security officer sees nothing of BAMEX'25's vetting.
    stranger = new_page()
    sign_in(stranger, base, "officer@other-expo.example.org", PASSWORD)
    with app.app_context():
        person = db.session.query(Participant).filter_by(email=EMAIL).one()
        pid, slug = person.id, db.session.get(Event, person.event_id).slug
        db.session.remove()
    for path in (f"/e/{slug}/security/", f"/e/{slug}/security/{pid}"):
        assert stranger.goto(f"{base}{path}").status == 404, path
