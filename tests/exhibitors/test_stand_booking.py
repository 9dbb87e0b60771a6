"""Stand booking on the floor plan: hold, move, cancel; the organiser confirms or releases;
of many exhibitors clicking one stand at once, exactly one gets it."""

from __future__ import annotations

import threading

from sqlalchemy import select

from expo_app.audit.models import AuditEntry
from expo_app.exhibitors.models import Stand
from expo_app.exhibitors.services import reserve_stand
from expo_app.extensions import db
from tests.exhibitors.conftest import build_portal, email_of, make_company
from tests.kit.accounts import new_client, sign_in


def stand_state(stand_id: int) -> tuple[int | None, str]:
    db.session.expire_all()
    stand = db.session.get(Stand, stand_id)
    return stand.exhibitor_id, stand.status


def test_the_stand_page_shows_the_plan_with_free_stands_to_reserve(anka_client, portal):
    page = anka_client.get(portal.url("stand")).get_data(as_text=True)
    assert 'aria-label="A-01, 9 m², 2,250 EUR, available"' in page
    assert "<svg" in page and "Reserve A-01" in page


def test_an_exhibitor_holds_a_free_stand_then_moves_and_cancels_its_hold(anka_client, portal):
    first, second = portal.stands[0].id, portal.stands[1].id
    response = anka_client.post(portal.url("stand/reserve"), data={"stand_id": first})
    assert response.status_code == 303
    assert stand_state(first) == (portal.anka.id, "reserved")

    page = anka_client.get(portal.url("stand")).get_data(as_text=True)
    assert "Move my hold to A-02" in page and "on hold for you" in page

    anka_client.post(portal.url("stand/reserve"), data={"stand_id": second})
    assert stand_state(first) == (None, "available")
    assert stand_state(second) == (portal.anka.id, "reserved")

    response = anka_client.post(portal.url(f"stand/{second}/cancel"))
    assert response.status_code == 303
    assert stand_state(second) == (None, "available")
    actions = db.session.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars()
    assert list(actions) == ["stand.reserve", "stand.reserve", "stand.cancel"]


def floor_plan_action(portal, stand_id: int, action: str) -> str:
    """The organiser's confirm / release of a stand (the organiser's floor plan)."""
    return f"/e/{portal.slug}/manage/floor-plan/{stand_id}/{action}"


def test_a_taken_stand_is_refused_with_the_updated_plan(anka_client, portal):
    reserve_stand(portal.stands[0].id, portal.borealis.id)
    db.session.commit()
    response = anka_client.post(portal.url("stand/reserve"), data={"stand_id": portal.stands[0].id})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "stand A-01 has just been taken by another exhibitor" in page
    assert 'aria-label="A-01, 9 m², 2,250 EUR, on hold, Borealis Optics"' in page


def test_a_confirmed_stand_can_no_longer_be_cancelled_or_moved(
    anka_client, organiser_client, portal
):
    first = portal.stands[0].id
    anka_client.post(portal.url("stand/reserve"), data={"stand_id": first})
    assert organiser_client.post(floor_plan_action(portal, first, "confirm")).status_code == 303
    assert stand_state(first) == (portal.anka.id, "confirmed")

    refused = anka_client.post(portal.url(f"stand/{first}/cancel"))
    assert refused.status_code == 409 and "organiser has confirmed it" in refused.get_data(
        as_text=True
    )
    # A new free stand is an extra hold, not a move: the confirmed one stays.
    anka_client.post(portal.url("stand/reserve"), data={"stand_id": portal.stands[2].id})
    assert stand_state(first) == (portal.anka.id, "confirmed")
    assert stand_state(portal.stands[2].id) == (portal.anka.id, "reserved")


def test_the_organiser_releases_a_stand(anka_client, organiser_client, portal):
    first = portal.stands[0].id
    anka_client.post(portal.url("stand/reserve"), data={"stand_id": first})
    assert organiser_client.post(floor_plan_action(portal, first, "release")).status_code == 303
    assert stand_state(first) == (None, "available")


def test_an_exhibitor_cannot_cancel_another_ones_stand(anka_client, borealis_client, portal):
    first = portal.stands[0].id
    borealis_client.post(portal.url("stand/reserve"), data={"stand_id": first})
    assert anka_client.post(portal.url(f"stand/{first}/cancel")).status_code == 404
    assert stand_state(first) == (portal.borealis.id, "reserved")


def test_a_company_waiting_for_approval_cannot_reserve(client, portal):
    waiting = make_company(portal.event, "Pending Ltd", approval="pending")
    db.session.commit()
    sign_in(client, email_of(waiting))
    page = client.get(portal.url("stand")).get_data(as_text=True)
    assert "once the organiser has approved" in page and "Reserve A-01" not in page
    response = client.post(portal.url("stand/reserve"), data={"stand_id": portal.stands[0].id})
    assert response.status_code == 302
    assert stand_state(portal.stands[0].id) == (None, "available")


def test_nonsense_stand_ids_are_refused_without_an_error(anka_client, portal):
    assert anka_client.post(portal.url("stand/reserve"), data={"stand_id": "x"}).status_code == 400
    assert anka_client.post(portal.url("stand/reserve"), data={"stand_id": 99999}).status_code == (
        409
    )


def test_many_exhibitors_clicking_one_stand_at_once_give_it_to_exactly_one(backend_app):
    """Through the web views, each exhibitor with its own client and session, in threads."""
    portal = build_portal()
    companies = [make_company(portal.event, f"Racer {n}") for n in range(10)]
    db.session.commit()
    clients = []
    for company in companies:
        client = new_client(backend_app)
        sign_in(client, email_of(company))
        clients.append(client)
    target, url = portal.stands[0].id, portal.url("stand/reserve")
    racers = {company.id for company in companies}
    db.session.commit()
    db.session.close()  # the test holds no transaction (no SQLite lock) during the race
    barrier = threading.Barrier(len(clients))
    outcomes: list[tuple[int, str]] = []

    def click(client) -> None:
        with backend_app.app_context():  # each thread: its own app context, session, user
            barrier.wait()
            response = client.post(url, data={"stand_id": target})
            outcomes.append((response.status_code, response.get_data(as_text=True)))
            db.session.remove()

    threads = [threading.Thread(target=click, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    codes = sorted(code for code, _ in outcomes)
    assert codes == [303] + [409] * (len(clients) - 1)
    for code, page in outcomes:
        if code == 409:
            assert "stand A-01 has just been taken by another exhibitor" in page
            assert "A-01, 9 m², 2,250 EUR, on hold, Racer" in page  # the plan, updated
    holder, status = stand_state(target)
    assert status == "reserved" and holder in racers
