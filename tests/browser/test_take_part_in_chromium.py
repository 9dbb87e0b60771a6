"""A newcomer finds how to take part without typing a URL: from the overview, the
exhibitor directory and the sign-in page, in French on a phone, the exhibitor's and
the delegate's registrations are each one click away."""

from __future__ import annotations

import pytest

from expo_app.extensions import db
from tests.kit.axe import assert_fits_the_screen, axe_violations
from tests.kit.browser import PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(app):
    from expo_app.seeding import seed

    slug = seed().event.slug
    db.session.commit()
    db.session.remove()
    return slug


@pytest.mark.parametrize("start", ["/e/{slug}/", "/e/{slug}/exhibitors/", "/login"])
def test_a_visitor_reaches_both_registrations_in_one_click(seeded, live_server, new_page, start):
    page = new_page(viewport=PHONE, locale="fr-FR")
    page.goto(live_server + start.format(slug=seeded))
    assert axe_violations(page) == []
    assert_fits_the_screen(page, start)
    page.get_by_role("link", name="Exposer à BAMEX'25").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Inscrire votre entreprise"
    assert "/exhibitor/register" in page.url
    page.go_back()
    page.get_by_role("link", name="S’inscrire comme délégué").click()
    assert page.url.endswith(f"/e/{seeded}/register")
