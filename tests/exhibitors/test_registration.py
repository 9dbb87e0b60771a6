"""Registration, the account's status, the organiser's approval, profile and logo."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from expo_app.accounts.models import User
from expo_app.audit.models import AuditEntry
from expo_app.exhibitors.models import Exhibitor
from expo_app.exhibitors.services import prepare_logo, store_logo
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client, sign_in

FORM = {
    "name": "Acme Défense SA",
    "country": "FR",
    "sectors": "Radar, UAVs; radar",
    "description": "Radars for the Sahel.",
    "description_fr": "Des radars pour le Sahel.",
    "website": "acme-defense.example",
    "contact_name": "Jeanne Martin",
    "contact_phone": "+33 1 23 45 67 89",
    "email": "jeanne@acme.example",
    "password": "long-enough-1",
    "confirm": "long-enough-1",
}


RECEIVED = "Your registration is received. Sign in with your email and password to follow it."


def register(client, portal, data=FORM, **options):
    """Register as a visitor: the answer sends to the sign-in page, then to the dashboard."""
    response = client.post(portal.url("register"), data=data, **options)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"] == "/login?next=/e/test-expo/exhibitor/"
    return response


def register_and_sign_in(client, portal, data=FORM, **options):
    register(client, portal, data, **options)
    sign_in(client, data["email"], data["password"])


def image_bytes(fmt: str = "PNG", size=(120, 60), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else 1).save(out, format=fmt)
    return out.getvalue()


def test_a_company_registers_and_waits_for_approval(client, portal):
    register(client, portal)
    assert RECEIVED in client.get("/login").get_data(as_text=True)
    assert client.get(portal.url()).status_code == 302  # not signed in by the registration
    company = db.session.execute(select(Exhibitor).filter_by(name="Acme Défense SA")).scalar_one()
    assert company.approval == "pending"
    assert company.ref == "acme-defense-sa"
    assert company.sector_names == ["Radar", "UAVs"]
    assert company.website == "https://acme-defense.example"
    assert company.contact_email == "jeanne@acme.example"  # the account's, when none given
    assert db.session.get(User, company.user_id).role == "exhibitor"
    sign_in(client, FORM["email"], FORM["password"])
    page = client.get(portal.url()).get_data(as_text=True)
    assert "Waiting for the organiser" in page
    assert client.get(portal.url("staff")).status_code == 302  # needs approval first
    assert db.session.execute(
        select(AuditEntry).filter_by(action="exhibitor.register", entity_id=company.id)
    ).scalar_one()


def test_bad_input_is_shown_next_to_the_field_and_the_typed_text_kept(client, portal):
    wrong = dict(FORM, website="not a site", confirm="other", contact_phone="call me")
    response = client.post(portal.url("register"), data=wrong)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a web address such as https://example.com." in page
    assert "The two passwords differ." in page
    assert "Enter a phone number" in page
    assert 'value="Acme Défense SA"' in page and "Des radars pour le Sahel." in page
    assert 'aria-invalid="true"' in page
    assert db.session.execute(select(Exhibitor).filter_by(name="Acme Défense SA")).first() is None


def test_an_email_with_an_account_already_gets_the_same_answer_and_stores_nothing(client, portal):
    """Whether an email has an account is nobody's business: the same redirect and the
    same message as a new email, and nothing written (the account's owner signs in and
    registers from there)."""
    make_account("jeanne@acme.example", "delegate")
    db.session.commit()
    register(client, portal)
    assert RECEIVED in client.get("/login").get_data(as_text=True)
    assert db.session.execute(select(Exhibitor).filter_by(name="Acme Défense SA")).first() is None
    assert db.session.execute(select(User).filter_by(email="jeanne@acme.example")).scalar_one()


def test_a_signed_in_exhibitor_is_sent_to_its_dashboard(anka_client, portal):
    response = anka_client.get(portal.url("register"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/exhibitor/")


def test_other_roles_cannot_register_a_company_nor_open_the_portal(organiser_client, portal):
    assert organiser_client.get(portal.url("register")).status_code == 403
    assert organiser_client.get(portal.url()).status_code == 403
    assert organiser_client.get(portal.url("stand")).status_code == 403


def test_visitors_are_asked_to_sign_in(client, portal):
    response = client.get(portal.url("stand"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_logo_is_checked_reencoded_and_served(client, portal, uploads):
    data = dict(FORM, logo=(io.BytesIO(image_bytes("JPEG", (2000, 1000))), "logo.jpg"))
    register_and_sign_in(client, portal, data, content_type="multipart/form-data")
    company = db.session.execute(select(Exhibitor).filter_by(ref="acme-defense-sa")).scalar_one()
    stored = uploads / "logos" / company.logo_path
    with Image.open(stored) as image:
        assert image.format == "PNG" and max(image.size) == 800
    served = client.get(portal.url(f"logos/{company.ref}"))  # the owner sees it while pending
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    # Before approval nobody else sees it.
    assert portal.event and db.session.get(Exhibitor, company.id).approval == "pending"
    assert (
        new_client(client.application).get(portal.url("logos/acme-defense-sa")).status_code == 404
    )


def test_an_approved_logo_is_public_but_only_under_its_own_event(client, portal, uploads):
    store_logo(portal.anka, prepare_logo(io.BytesIO(image_bytes())))
    f.make_event("other-expo")
    db.session.commit()
    assert client.get(portal.url(f"logos/{portal.anka.ref}")).status_code == 200
    elsewhere = client.get(f"/e/other-expo/exhibitor/logos/{portal.anka.ref}")
    assert elsewhere.status_code == 404


def test_files_that_are_not_images_or_too_large_are_refused_with_a_message(client, portal, uploads):
    cases = [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "x.svg",
            "must be a PNG, JPEG, GIF or WebP image",
        ),
        (b"%PDF-1.4 not an image", "logo.png", "must be a PNG, JPEG, GIF or WebP image"),
        (image_bytes("PNG")[:40], "cut.png", "must be a PNG, JPEG, GIF or WebP image"),
        (b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 10), "huge.png", "larger than 2 MB"),
    ]
    for content, name, message in cases:
        data = dict(FORM, logo=(io.BytesIO(content), name))
        response = client.post(
            portal.url("register"), data=data, content_type="multipart/form-data"
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 422, name
        assert message in page, name
        assert 'value="Acme Défense SA"' in page
    assert db.session.execute(select(Exhibitor).filter_by(ref="acme-defense-sa")).first() is None
    assert not (uploads / "logos").exists() or not any((uploads / "logos").iterdir())


def test_a_giant_canvas_in_a_small_file_is_refused(client, portal, uploads):
    data = dict(FORM, logo=(io.BytesIO(image_bytes("PNG", (9000, 10), "1")), "wide.png"))
    response = client.post(portal.url("register"), data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "at most 6000 pixels" in response.get_data(as_text=True)


def manage(portal, path: str = "") -> str:
    """An organiser page: approvals and stands are decided under /manage/."""
    return f"/e/{portal.slug}/manage/{path}"


def test_the_organiser_approves_and_the_exhibitor_sees_it(client, organiser_client, portal):
    register_and_sign_in(client, portal)
    company = db.session.execute(select(Exhibitor).filter_by(ref="acme-defense-sa")).scalar_one()
    review = organiser_client.get(manage(portal, "approvals/")).get_data(as_text=True)
    assert "Acme Défense SA" in review
    response = organiser_client.post(
        manage(portal, f"approvals/exhibitors/{company.id}"),
        data={"decision": "approve", "note": "Welcome to the expo"},
    )
    assert response.status_code == 303
    page = client.get(portal.url()).get_data(as_text=True)
    assert "Approved" in page and "Welcome to the expo" in page
    assert client.get(portal.url("staff")).status_code == 200


def test_a_rejected_company_is_told_so(client, organiser_client, portal):
    register_and_sign_in(client, portal)
    company = db.session.execute(select(Exhibitor).filter_by(ref="acme-defense-sa")).scalar_one()
    organiser_client.post(
        manage(portal, f"approvals/exhibitors/{company.id}"),
        data={"decision": "reject", "note": "Not a defence company"},
    )
    page = client.get(portal.url()).get_data(as_text=True)
    assert "Registration declined" in page and "Not a defence company" in page


def test_only_the_events_organisers_review(anka_client, client, portal):
    assert anka_client.get(manage(portal, "approvals/")).status_code == 403
    stranger = make_account("other-organiser@example.org", "organiser")
    db.session.commit()
    sign_in(client, stranger.email)
    assert client.get(manage(portal, "approvals/")).status_code == 403
    target = manage(portal, f"approvals/exhibitors/{portal.anka.id}")
    assert client.post(target, data={"decision": "reject"}).status_code == 403


def test_the_profile_keeps_what_was_typed_and_previews_it(anka_client, portal):
    page = anka_client.get(portal.url("profile")).get_data(as_text=True)
    assert 'value="Anka Systems"' in page
    data = {
        "name": "Anka Systems",
        "country": "TR",
        "sectors": "UAVs, Training",
        "description": "Drones.",
        "description_fr": "Des drones.",
        "contact_name": "Ayşe",
        "action": "preview",
    }
    preview = anka_client.post(portal.url("profile"), data=data).get_data(as_text=True)
    assert "Preview of your changes (not saved yet)" in preview and "Des drones." in preview
    assert db.session.get(Exhibitor, portal.anka.id).description is None
    saved = anka_client.post(portal.url("profile"), data=dict(data, action="save"))
    assert saved.status_code == 303
    db.session.expire_all()
    anka = db.session.get(Exhibitor, portal.anka.id)
    assert anka.description_fr == "Des drones." and anka.sector_names == ["UAVs", "Training"]
    bad = anka_client.post(portal.url("profile"), data=dict(data, name="", action="save"))
    assert bad.status_code == 422 and "Des drones." in bad.get_data(as_text=True)


GARBAGE = {
    "name": "x" * 5000,
    "country": "ZZZ",
    "sectors": ",".join(["s"] * 50),
    "website": "javascript:alert(1)",
    "contact_email": "not-an-email",
    "contact_phone": "<script>",
    "email": "@",
    "password": "x",
    "confirm": "y",
    "stand_id": "'; DROP TABLE stands; --",
    "capacity": "-3",
    "duration": "forever",
    "preferred_date": "yesterday",
    "delegations": ["abc", "-1"],
    "countries": ["Atlantis"],
    "target": "person:abc",
    "priority": "9",
    "slot_id": "x",
    "decision": "maybe",
    "blocked": ["x", "-1"],
    "shown": ["1e9"],
    "location": "x",
    "start": "soon",
    "note": "n" * 5000,
}


def test_garbage_in_every_form_gives_messages_never_an_error_500(
    client, anka_client, organiser_client, portal
):
    posts = [
        (client, "register"),
        (anka_client, "profile"),
        (anka_client, "stand/reserve"),
        (anka_client, "stand/999/cancel"),
        (anka_client, "staff"),
        (anka_client, "staff/999/remove"),
        (anka_client, "demos"),
        (anka_client, "demos/999/withdraw"),
        (anka_client, "meetings/capacity"),
        (anka_client, "meetings/availability"),
        (anka_client, "meetings/request"),
        (anka_client, "meetings/requests/999/respond"),
        (anka_client, "meetings/requests/999/schedule"),
        (anka_client, "meetings/999/cancel"),
    ]
    urls = [(who, portal.url(path)) for who, path in posts] + [
        (organiser_client, manage(portal, f"approvals/exhibitors/{portal.anka.id}")),
        (organiser_client, manage(portal, "floor-plan/999/confirm")),
        (organiser_client, manage(portal, "approvals/demos/999/place")),
    ]
    for who, path in urls:
        response = who.post(path, data=GARBAGE)
        assert response.status_code < 500, (path, response.status_code)
    assert "Not a valid choice" in client.post(portal.url("register"), data=GARBAGE).get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Exhibitor, portal.anka.id).website is None
