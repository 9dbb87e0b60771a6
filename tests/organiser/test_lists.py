"""Management lists: search, filters, sorting and pages, with a number of SQL queries that
does not grow with the data (measured at 2,000 exhibitors and 50,000 participants)."""

from __future__ import annotations

import sys
from pathlib import Path

from expo_app.extensions import db
from tests.kit.accounts import new_client
from tests.kit.queries import count_queries

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate_event import generate_event  # noqa: E402


def test_search_filter_and_sort_exhibitors(organiser, expo):
    expo.borealis.country = "FR"
    db.session.commit()
    html = organiser.get(expo.url("exhibitors/?q=borea")).get_data(as_text=True)
    assert "Borealis Optics" in html and "Anka Systems" not in html
    html = organiser.get(expo.url("exhibitors/?country=TR")).get_data(as_text=True)
    assert "Anka Systems" in html and "Borealis Optics" not in html
    html = organiser.get(expo.url("exhibitors/?sort=-name")).get_data(as_text=True)
    assert html.index("Borealis Optics") < html.index("Anka Systems")
    assert 'aria-sort="descending"' in html


def test_search_and_filter_participants(organiser, expo):
    html = organiser.get(expo.url("participants/?status=pending")).get_data(as_text=True)
    assert "3 people" in html
    html = organiser.get(expo.url(f"participants/?q={expo.pending[0].email}")).get_data(
        as_text=True
    )
    assert "1 person" in html
    weird = organiser.get(expo.url("participants/?q=%25_%5C&page=-4&sort=nonsense&delegation=x"))
    assert weird.status_code == 200


def list_queries(client, slug: str) -> dict[str, int]:
    counts = {}
    for path in (
        "",  # the dashboard's figures
        "exhibitors/",
        "exhibitors/?q=a&sort=-name&page=2",
        "participants/",
        "participants/?q=a&status=approved&sort=country&page=3",
        "accreditation",
    ):
        db.session.remove()  # the tests share one session: start each page from a cold one
        with count_queries() as queries:
            assert client.get(f"/e/{slug}/manage/{path}").status_code == 200
        counts[path] = queries()
    return counts


def test_list_queries_do_not_grow_with_the_data(app, expo):
    from expo_app.accounts.models import EventOrganiser, User
    from expo_app.interchange.importer import import_event

    small = import_event(
        generate_event(exhibitors=120, participants=1500, requests=50, slug="small")
    )
    big = import_event(
        generate_event(exhibitors=2000, participants=50000, requests=500, slug="big")
    )
    user = db.session.execute(db.select(User).filter_by(email="organiser@example.org")).scalar_one()
    db.session.add_all([EventOrganiser(user_id=user.id, event_id=e.id) for e in (small, big)])
    db.session.commit()
    client = new_client(app, "organiser@example.org")
    at_small = list_queries(client, "small")
    at_big = list_queries(client, "big")
    print("queries per page, small event:", at_small)
    print("queries per page, 2,000 exhibitors / 50,000 participants:", at_big)
    assert at_big == at_small
    assert max(at_big.values()) <= 13  # the dashboard: its grouped figures and the nav
