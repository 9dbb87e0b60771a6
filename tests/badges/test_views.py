"""Badge pages: who may print which badges, the holder's own download, the offline
scanner's files, and the gate page without JavaScript."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from expo_app.audit.models import AuditEntry
from expo_app.badges import codes, services
from expo_app.badges.models import BadgeScan
from expo_app.extensions import db
from tests.badges.conftest import build_badge_expo
from tests.kit.pdf import page_count, qr_codes_in


def url(expo, path: str) -> str:
    return f"/e/{expo.slug}/{path}"


def test_organisers_of_the_event_download_badges_per_person_delegation_or_all(expo, login):
    client = login(expo.organiser)
    page = client.get(url(expo, "manage/badges/"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Aïssata Coulibaly" in html and "Mali Air Force" in html
    everyone = client.get(url(expo, "manage/badges/all.pdf?layout=a4-4up"))
    assert everyone.status_code == 200 and everyone.mimetype == "application/pdf"
    assert len(qr_codes_in(everyone.data)) == 3
    delegation = client.get(url(expo, f"manage/badges/delegation/{expo.delegation.id}.pdf"))
    assert page_count(delegation.data) == 2
    one = client.get(url(expo, f"manage/badges/person/{expo.alice.id}.pdf"))
    (code,) = qr_codes_in(one.data)
    assert codes.verify(code, services.signing_key(expo.event).public_key).participant_id == (
        expo.alice.id
    )


def test_a_pending_persons_badge_is_refused_with_the_reason(expo, login):
    response = login(expo.organiser).get(url(expo, f"manage/badges/person/{expo.carol.id}.pdf"))
    assert response.status_code == 409
    assert "approved" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["stranger", "gate", "alice_account", "anonymous"])
def test_only_the_events_organisers_reach_the_badge_workspace(expo, login, who):
    users = {
        "stranger": expo.stranger,
        "gate": expo.gate,
        "alice_account": db.session.get(type(expo.organiser), expo.alice.user_id),
        "anonymous": None,
    }
    client = login(users[who])
    for path in (
        "manage/badges/",
        "manage/badges/all.pdf",
        f"manage/badges/person/{expo.bob.id}.pdf",
        f"manage/badges/delegation/{expo.delegation.id}.pdf",
    ):
        response = client.get(url(expo, path))
        expected = {302} if who == "anonymous" else {403}
        assert response.status_code in expected, (who, path)
    reissue = client.post(url(expo, f"manage/badges/person/{expo.bob.id}/reissue"))
    assert reissue.status_code in ({302} if who == "anonymous" else {403})


def test_a_delegate_downloads_their_own_badge_and_nobody_elses(expo, login):
    alice = login(db.session.get(type(expo.organiser), expo.alice.user_id))
    own = alice.get(url(expo, "my/badge.pdf"))
    assert own.status_code == 200
    (code,) = qr_codes_in(own.data)
    assert codes.split(code)[0].participant_id == expo.alice.id
    # Another person's badge: the organiser's URL is closed to her.
    assert alice.get(url(expo, f"manage/badges/person/{expo.bob.id}.pdf")).status_code == 403
    carol = login(db.session.get(type(expo.organiser), expo.carol.user_id))
    refused = carol.get(url(expo, "my/badge.pdf"))
    assert refused.status_code == 409  # not approved yet: the reason, not a 500
    assert "Badges are given to approved participants only." in refused.get_data(as_text=True)
    assert "Carol Pending (p-carol) is not approved" in refused.get_data(as_text=True)
    # A delegate's page: other accounts are refused.
    assert login(expo.gate).get(url(expo, "my/badge.pdf")).status_code == 403
    assert login(expo.exhibitor_user).get(url(expo, "my/badge.pdf")).status_code == 403


def test_the_delegate_dashboard_offers_the_badge_once_approved(expo, login):
    alice = login(db.session.get(type(expo.organiser), expo.alice.user_id))
    dashboard = alice.get(url(expo, "my/")).get_data(as_text=True)
    assert f"/e/{expo.slug}/my/badge.pdf" in dashboard


def test_an_exhibitor_downloads_the_badges_of_its_approved_staff(expo, login):
    response = login(expo.exhibitor_user).get(url(expo, "my/staff-badges.pdf"))
    assert response.status_code == 200
    (code,) = qr_codes_in(response.data)
    assert codes.split(code)[0].participant_id == expo.dilek.id
    # An exhibitor's page: other accounts are refused, an unapproved company waits.
    assert login(expo.gate).get(url(expo, "my/staff-badges.pdf")).status_code == 403
    alice = db.session.get(type(expo.organiser), expo.alice.user_id)
    assert login(alice).get(url(expo, "my/staff-badges.pdf")).status_code == 403
    expo.exhibitor.approval = "pending"
    db.session.commit()
    waiting = login(expo.exhibitor_user).get(url(expo, "my/staff-badges.pdf"))
    assert waiting.status_code == 302 and waiting.headers["Location"].endswith("/exhibitor/")


def test_reissuing_from_the_workspace_revokes_the_printed_badge(expo, login):
    client = login(expo.organiser)
    (old,) = qr_codes_in(client.get(url(expo, f"manage/badges/person/{expo.bob.id}.pdf")).data)
    response = client.post(url(expo, f"manage/badges/person/{expo.bob.id}/reissue"))
    assert response.status_code == 303
    gate = services.gate_named(expo.event, "main")
    assert services.check_in(expo.event, old, gate).reason == "revoked"


def test_the_public_key_and_revocation_list_are_public_and_verify_codes_offline(expo, client):
    pem = client.get(url(expo, "badges/public-key.pem"))
    assert pem.status_code == 200 and b"BEGIN PUBLIC KEY" in pem.data
    code = services.badge_code(expo.alice)
    db.session.commit()
    assert codes.verify(code, pem.data).participant_id == expo.alice.id
    services.reissue(expo.alice)
    db.session.commit()
    listing = client.get(url(expo, "badges/revocations.json"))
    assert listing.status_code == 200
    lowest = services.read_revocation_list(json.loads(listing.data), pem.data)
    assert codes.is_revoked(codes.verify(code, pem.data), lowest)


def test_the_gate_page_admits_and_refuses_without_javascript(expo, login):
    gate = login(expo.gate)
    page = gate.get(url(expo, "gate/"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Live Demo Zone" in html and 'name="code"' in html
    alice, bob = services.badge_code(expo.alice), services.badge_code(expo.bob)
    db.session.commit()
    zone = str(expo.zone.id)
    admitted = gate.post(
        url(expo, "gate/"), data={"gate": zone, "direction": "entry", "code": alice}
    )
    assert admitted.status_code == 200
    assert 'data-verdict="admit"' in admitted.get_data(as_text=True)
    refused = gate.post(url(expo, "gate/"), data={"gate": zone, "direction": "entry", "code": bob})
    text = refused.get_data(as_text=True)
    assert 'data-verdict="refuse"' in text and 'data-reason="wrong_zone"' in text
    empty = gate.post(url(expo, "gate/"), data={"gate": zone, "direction": "entry", "code": ""})
    assert empty.status_code == 400


def test_the_gate_page_answers_its_script_in_json(expo, login):
    gate = login(expo.organiser)  # organisers may work the gate too
    code = services.badge_code(expo.bob)
    db.session.commit()
    response = gate.post(
        url(expo, "gate/"),
        data={"gate": "main", "direction": "entry", "code": code},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json["admitted"] is True
    assert "Bob Smith" in response.json["result_html"]
    assert "<table" in response.json["counts_html"]


@pytest.mark.parametrize("who", ["stranger", "alice_account"])
def test_the_gate_is_for_gate_staff_and_the_events_organisers(expo, login, who):
    user = (
        expo.stranger
        if who == "stranger"
        else db.session.get(type(expo.organiser), expo.alice.user_id)
    )
    assert login(user).get(url(expo, "gate/")).status_code == 403
    assert login(None).get(url(expo, "gate/")).status_code == 302


def test_gate_staff_of_another_event_are_refused(expo, login):
    other = build_badge_expo("another-fair")  # with its own gate staff, attached there only
    db.session.commit()
    client = login(other.gate)
    assert client.get(f"/e/{other.slug}/gate/").status_code == 200  # their own gate
    for path in ("gate/", "gate/counts", f"gate/photo/{expo.alice.id}.jpg"):
        assert client.get(url(expo, path)).status_code == 403, path
    code = services.badge_code(expo.alice)
    db.session.commit()
    refused = client.post(url(expo, "gate/"), data={"gate": "main", "code": code})
    assert refused.status_code == 403
    assert "Coulibaly" not in refused.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count(BadgeScan.id))).scalar_one() == 0


@pytest.mark.html_checker
def test_the_badge_pages_are_valid_html(expo, login, nu_html_checker):
    gate = login(expo.gate)
    code = services.badge_code(expo.alice)
    db.session.commit()
    pages = {
        "gate.html": gate.get(url(expo, "gate/")),
        "gate-result.html": gate.post(
            url(expo, "gate/"), data={"gate": "main", "direction": "entry", "code": code}
        ),
        "gate-error.html": gate.post(url(expo, "gate/"), data={"gate": "main", "code": ""}),
        "manage.html": login(expo.organiser).get(url(expo, "manage/badges/")),
    }
    assert nu_html_checker({name: response.data for name, response in pages.items()}) == {}


def row_counts() -> dict[str, int]:
    """Rows in every table, in a fresh transaction: what the requests committed."""
    db.session.rollback()
    counts = {
        table.name: db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables
    }
    db.session.rollback()
    return counts


def test_reading_a_badge_or_gate_page_writes_nothing(expo, login, uploads):
    from PIL import Image

    photo = uploads / "photos" / "alice.jpg"
    photo.parent.mkdir()
    Image.new("RGB", (30, 40), (200, 30, 30)).save(photo, "JPEG")
    expo.alice.photo_path = "photos/alice.jpg"
    db.session.commit()
    organiser, gate = login(expo.organiser), login(expo.gate)
    alice = login(db.session.get(type(expo.organiser), expo.alice.user_id))
    reads = [
        (organiser, "manage/badges/"),
        (organiser, "manage/badges/all.pdf"),
        (organiser, f"manage/badges/delegation/{expo.delegation.id}.pdf"),
        (organiser, f"manage/badges/person/{expo.alice.id}.pdf"),
        (organiser, f"manage/badges/person/{expo.carol.id}.pdf"),  # refused: 409
        (alice, "my/badge.pdf"),
        (login(expo.exhibitor_user), "my/staff-badges.pdf"),
        (login(None), "badges/public-key.pem"),
        (login(None), "badges/revocations.json"),
        (gate, "gate/"),
        (gate, "gate/counts"),
        (gate, f"gate/photo/{expo.alice.id}.jpg"),
    ]
    before = row_counts()
    for client, path in reads:
        assert client.get(url(expo, path)).status_code in (200, 409), path
    assert row_counts() == before


def test_a_scan_is_written_and_a_refused_reissue_leaves_nothing(expo, login):
    code = services.badge_code(expo.alice)
    db.session.commit()
    gate = login(expo.gate)
    gate.post(url(expo, "gate/"), data={"gate": "main", "direction": "exit", "code": code})
    assert db.session.execute(sa.select(sa.func.count(BadgeScan.id))).scalar_one() == 1
    organiser = login(expo.organiser)  # signing in writes its sign-in: before the count
    before = row_counts()
    refused = organiser.post(url(expo, f"manage/badges/person/{expo.carol.id}/reissue"))
    assert refused.status_code == 409  # a DomainError from the service: a page, not a 500
    assert "Badges are given to approved participants only." in refused.get_data(as_text=True)
    assert row_counts() == before
    db.session.expire_all()
    assert expo.carol.badge_version == 1
    assert db.session.execute(sa.select(sa.func.count(AuditEntry.id))).scalar_one() == 0


def test_printing_for_nobody_is_a_message_page_not_a_server_error(expo, login):
    from sqlalchemy import update

    from expo_app.delegations.models import Participant

    db.session.execute(update(Participant).values(accreditation="pending"))
    db.session.commit()
    response = login(expo.organiser).get(url(expo, "manage/badges/all.pdf"))
    assert response.status_code == 409
    assert "no badge to print" in response.get_data(as_text=True)


def test_the_gate_names_the_direction_of_the_scan(expo, login):
    code = services.badge_code(expo.bob)
    db.session.commit()
    gate = login(expo.gate)
    leaving = gate.post(
        url(expo, "gate/"), data={"gate": "main", "direction": "exit", "code": code}
    )
    html = leaving.get_data(as_text=True)
    assert 'data-verdict="admit"' in html and "Main entrance · Exit" in html
    french = login(expo.gate)
    french.post("/language/fr")
    entering = french.post(
        url(expo, "gate/"), data={"gate": "main", "direction": "entry", "code": code}
    )
    assert "Entrée principale · Entrée" in entering.get_data(as_text=True)
