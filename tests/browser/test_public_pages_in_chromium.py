"""The public pages as a visitor sees them in Chromium: desktop and phone, English and
French, with no accessibility violations (axe-core, WCAG 2.1 AA) and valid HTML (Nu)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from expo_app.extensions import db
from tests.kit.axe import assert_fits_the_screen, axe_violations
from tests.kit.browser import DESKTOP, PHONE

SCREENSHOTS = (
    Path(os.environ.get("EXPO_SCREENSHOTS", "")) if os.environ.get("EXPO_SCREENSHOTS") else None
)


@pytest.fixture
def seeded(app):
    from expo_app.seeding import seed

    result = seed()
    slug = result.event.slug
    db.session.commit()
    db.session.remove()
    return slug


def public_paths(slug: str) -> list[str]:
    return [
        f"/e/{slug}/",
        f"/e/{slug}/exhibitors/",
        f"/e/{slug}/exhibitors/?sector=UAVs",
        f"/e/{slug}/exhibitors/baykar",
        f"/e/{slug}/schedule/",
        "/login",
    ]


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_public_pages_are_accessible_and_fit_the_screen(
    seeded, live_server, new_page, viewport, locale
):
    page = new_page(viewport=viewport, locale=locale)
    for path in public_paths(seeded):
        response = page.goto(live_server + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == locale[:2]
        assert axe_violations(page) == [], path
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert_fits_the_screen(page, path)
        if SCREENSHOTS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(
                path=str(SCREENSHOTS / f"{name}-{viewport['width']}-{locale[:2]}.png"),
                full_page=True,
            )


@pytest.mark.browser
def test_visitor_switches_to_french_with_the_keyboard(seeded, live_server, new_page):
    page = new_page(locale="en-GB")
    page.goto(f"{live_server}/e/{seeded}/schedule/")
    assert page.get_by_role("heading", level=1).inner_text() == "Schedule"
    page.get_by_role("button", name="Français").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server}/e/{seeded}/schedule/"
    assert page.get_by_role("heading", level=1).inner_text() == "Programme"
    assert "Démonstrations en direct" in page.content()


@pytest.mark.browser
def test_visitor_finds_baykar_by_sector(seeded, live_server, new_page):
    page = new_page(viewport=PHONE, locale="fr-FR")
    page.goto(f"{live_server}/e/{seeded}/exhibitors/")
    page.get_by_label("Secteur").select_option("UAVs")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Baykar").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Baykar"
    assert "Stand" in page.content()


@pytest.mark.html_checker
def test_public_pages_are_valid_html(seeded, client, nu_html_checker):
    documents = {}
    for lang in ("en", "fr"):
        client.post(f"/language/{lang}", data={"next": "/"})
        for path in public_paths(seeded):
            documents[f"{lang} {path}"] = client.get(path).get_data(as_text=True)
    assert nu_html_checker(documents) == {}
