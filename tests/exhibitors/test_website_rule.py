"""A company's website: only http and https addresses come in (registration, profile), and
only those are linked (the public page, the programme PDF), even for rows stored before."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from expo_app.exhibitors import services
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from expo_app.links import LinkRefused
from expo_app.programme.builder import build_programme
from tests.exhibitors.test_registration import FORM

BAD_WEBSITES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://[",
    "ftp://x",
]
REFUSAL = "Enter a web address such as https://example.com."


def details(website: str | None, name: str = "Anka Systems") -> services.CompanyDetails:
    return services.CompanyDetails(name=name, country="TR", sectors=[], website=website)


@pytest.mark.parametrize("website", BAD_WEBSITES, ids=repr)
def test_the_profile_service_refuses_a_website_that_is_not_a_web_address(portal, website):
    anka = portal.anka
    with pytest.raises(LinkRefused) as refused:
        services.update_profile(anka, details(website, name="Renamed"))
    assert refused.value.field == "website"
    assert anka.name == "Anka Systems" and anka.website is None  # nothing half-changed


@pytest.mark.parametrize("website", BAD_WEBSITES, ids=repr)
def test_the_registration_service_refuses_a_website_that_is_not_a_web_address(portal, website):
    with pytest.raises(LinkRefused) as refused:
        services.register_exhibitor(
            portal.event,
            details(website, name="Evil Co"),
            email="evil@example.org",
            password="long-enough-1",
        )
    assert refused.value.field == "website"


def test_the_services_store_the_address_with_its_scheme(portal):
    services.update_profile(portal.anka, details(" anka.example.com "))
    assert portal.anka.website == "https://anka.example.com"


@pytest.mark.parametrize("website", BAD_WEBSITES, ids=repr)
def test_the_profile_form_puts_the_refusal_next_to_the_website(anka_client, portal, website):
    data = {"name": "Anka Systems", "country": "TR", "contact_name": "Ayşe", "action": "save"}
    response = anka_client.post(portal.url("profile"), data=dict(data, website=website))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="website-error"' in page and REFUSAL in page
    db.session.expire_all()
    assert db.session.get(Exhibitor, portal.anka.id).website is None


@pytest.mark.parametrize("website", BAD_WEBSITES, ids=repr)
def test_the_registration_form_puts_the_refusal_next_to_the_website(client, portal, website):
    response = client.post(portal.url("register"), data=dict(FORM, website=website))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="website-error"' in page and REFUSAL in page
    assert db.session.execute(select(Exhibitor).filter_by(name=FORM["name"])).first() is None


def _store_before_the_rule(exhibitor: Exhibitor, website: str) -> None:
    """Written straight into the database, as rows stored before the rule were."""
    db.session.execute(
        update(Exhibitor).where(Exhibitor.id == exhibitor.id).values(website=website)
    )
    db.session.commit()
    db.session.expire_all()


def test_a_stored_script_link_is_shown_as_text_on_the_public_page(client, portal):
    _store_before_the_rule(portal.anka, "javascript:alert(1)")
    page = client.get(f"/e/{portal.slug}/exhibitors/{portal.anka.ref}").get_data(as_text=True)
    assert "javascript:alert(1)" in page  # shown, so the organiser can see what to fix
    assert 'href="javascript' not in page.lower()
    _store_before_the_rule(portal.borealis, "https://borealis.example.com")
    page = client.get(f"/e/{portal.slug}/exhibitors/{portal.borealis.ref}").get_data(as_text=True)
    assert '<a href="https://borealis.example.com" rel="noopener">' in page


def pdf_links(pdf: bytes) -> list[str]:
    links = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def test_the_programme_pdf_links_only_web_addresses(portal):
    """Rows stored before the rule: a script, and an address whose host is not what it
    seems (it goes to evil.example), are printed as text, not links."""
    _store_before_the_rule(portal.anka, "https://bank.example.com@evil.example/")
    _store_before_the_rule(portal.borealis, "https://borealis.example.com")
    portal.event.website = "JAVASCRIPT:alert(2)"
    db.session.commit()
    out = io.BytesIO()
    build_programme(db.session.get(type(portal.event), portal.event.id), out, "en")
    links = pdf_links(out.getvalue())
    assert [link for link in links if "example" in link or "script" in link.lower()] == [
        "https://borealis.example.com"
    ]
