"""The kit's checks can fail: the Nu Html Checker reports a broken document (and only
that one), axe-core and the overflow check catch a bad page, and a kit client never
inherits another client's user or language."""

from __future__ import annotations

import pytest

from expo_app.accounts.models import EventOrganiser
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client
from tests.kit.axe import assert_accessible, assert_fits_the_screen, axe_violations
from tests.kit.browser import PHONE

VALID = (
    '<!doctype html><html lang="en"><head><title>Fine</title></head><body><p>Fine</p></body></html>'
)
BROKEN = '<!doctype html><html lang="en"><head></head><body><div><span></div></body></html>'


@pytest.mark.html_checker
def test_the_nu_html_checker_reports_the_errors_of_each_document(nu_html_checker):
    errors = nu_html_checker({"valid": VALID, "broken": BROKEN, "valid bytes": VALID.encode()})
    assert list(errors) == ["broken"]
    assert any("“title”" in error for error in errors["broken"]), errors
    assert all(error.startswith("line 1: ") for error in errors["broken"]), errors


@pytest.mark.browser
def test_axe_and_the_overflow_check_catch_a_bad_page(new_page):
    page = new_page(viewport=PHONE)
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Bad</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<div style="width: 2000px">too wide</div></main></body></html>'
    )
    assert "image-alt" in [violation["id"] for violation in axe_violations(page)]
    with pytest.raises(AssertionError, match="px wider than the screen"):
        assert_fits_the_screen(page, "the bad page")
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Good</title></head><body>'
        "<main><h1>Good</h1><p>Fits.</p></main></body></html>"
    )
    assert_accessible(page, "the good page")


def test_a_kit_client_inherits_neither_the_user_nor_the_language_of_another(app):
    event = f.make_event()
    organiser = make_account("organiser@example.org", "organiser")
    db.session.add(EventOrganiser(user_id=organiser.id, event_id=event.id))
    db.session.commit()
    manage = f"/e/{event.slug}/manage/"
    signed_in, anonymous = new_client(app, organiser.email), new_client(app)
    signed_in.post("/language/fr", data={"next": "/"})
    assert signed_in.get(manage).status_code == 200
    assert anonymous.get(manage).status_code == 302
    assert '<html lang="fr">' in signed_in.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in anonymous.get("/login").get_data(as_text=True)
