"""Every delegate portal page is valid HTML (Nu Html Checker), in English and French."""

from __future__ import annotations

import re

import pytest

from expo_app.extensions import db
from tests.kit.accounts import new_client

pytestmark = pytest.mark.html_checker


def portal_pages(client, slug: str) -> list[str]:
    """Sign in as the seeded head of delegation, book once, and list the pages to check."""
    client.post("/login", data={"email": "delegate@example.org", "password": "delegate-demo-2025"})
    page = client.get(f"/e/{slug}/exhibitors/baykar").get_data(as_text=True)
    slot = re.search(r'name="slot" value="(\d+)"', page).group(1)
    client.post(f"/e/{slug}/exhibitors/baykar/book", data={"slot": slot})
    meetings = client.get(f"/e/{slug}/my/meetings").get_data(as_text=True)
    move = re.search(r'href="(/e/[^"]+/move)"', meetings).group(1)
    return [
        f"/e/{slug}/my/",
        f"/e/{slug}/my/meetings",
        f"/e/{slug}/my/agenda",
        f"/e/{slug}/my/availability",
        f"/e/{slug}/my/members/new",
        f"/e/{slug}/exhibitors/baykar",
        f"/e/{slug}/exhibitors/baykar/book",
        move,
    ]


def test_portal_pages_are_valid_html(app, nu_html_checker):
    from expo_app.seeding import seed

    slug = seed().event.slug
    db.session.commit()
    documents = {}
    for lang in ("en", "fr"):
        client = new_client(app)
        client.post(f"/language/{lang}", data={"next": "/"})
        anonymous = [f"/e/{slug}/register", f"/e/{slug}/exhibitors/baykar"]
        bad_registration = client.post(
            f"/e/{slug}/register", data={"name": "", "email": "x", "action": "register"}
        ).get_data(as_text=True)
        pages = [client.get(path).get_data(as_text=True) for path in anonymous]
        pages.append(bad_registration)
        pages += [client.get(path).get_data(as_text=True) for path in portal_pages(client, slug)]
        pages.append(client.post(f"/e/{slug}/my/agenda/link", data={}).get_data(as_text=True))
        for number, html in enumerate(pages):
            documents[f"{lang}-{number}"] = html
        db.session.remove()
    assert nu_html_checker(documents) == {}
