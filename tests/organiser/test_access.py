"""Only organisers of the event reach the workspace: anonymous people sign in first,
everyone else gets 403 and never the data."""

from __future__ import annotations

import pytest

from tests.kit.accounts import new_client

PAGES = [
    "",
    "accreditation",
    "approvals/",
    "exhibitors/",
    "participants/",
    "exhibitors.csv",
    "participants.csv",
    "schedule/",
    "floor-plan/",
    "setup/",
    "audit/",
    "scheduler/",
    "badges/",
]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(app, expo, path):
    response = new_client(app).get(expo.url(path))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("email", ["stranger@example.org", "exhibitor@example.org"])
def test_other_accounts_get_403_and_no_data(app, expo, email):
    client = new_client(app, email)
    for path in PAGES:
        response = client.get(expo.url(path))
        assert response.status_code == 403, path
        assert "Anka" not in response.get_data(as_text=True)
    posted = client.post(expo.url("accreditation"), data={"act": f"approve-{expo.pending[0].id}"})
    assert posted.status_code == 403


def test_the_nav_shows_manage_to_the_organiser(organiser, expo):
    html = organiser.get(f"/e/{expo.slug}/").get_data(as_text=True)
    assert f'href="/e/{expo.slug}/manage/"' in html
    assert ">Manage<" in html


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_the_organiser(organiser, expo, path):
    assert organiser.get(expo.url(path)).status_code == 200
