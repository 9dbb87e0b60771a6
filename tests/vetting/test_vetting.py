"""Host-nation security vetting: identity documents sealed at rest, read only by the
event's security officers (each reading audited), and, with vetting on, a badge only
when both the officers and the organiser have said yes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from expo_app.accounts.models import EventOrganiser
from expo_app.audit.models import AuditEntry
from expo_app.badges import services as badges
from expo_app.delegations.models import Participant
from expo_app.extensions import db
from expo_app.vetting.models import IdentityDocument, Vetting
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client

NUMBER = "U12345678"
DOCUMENT = {
    "kind": "passport",
    "number": "u1234 5678",
    "issuing_country": "SN",
    "expires_on": "2030-05-01",
    "birth_date": "1980-02-03",
}


@pytest.fixture
def vetted(backend_app):
    """An event with vetting on, an approved delegate, its security officer and organiser,
    and another event's security officer."""
    event = f.make_event("vetted")
    event.security_vetting = True
    other = f.make_event("elsewhere")
    person = f.make_delegate(event, accreditation="approved")
    person.country = "SN"
    person.user_id = make_account(person.email, "delegate", person.name).id
    officer = make_account("officer@example.org", "security")
    stranger = make_account("officer-b@example.org", "security")
    organiser = make_account("organiser@example.org", "organiser")
    for user, at in ((officer, event), (stranger, other), (organiser, event)):
        db.session.add(EventOrganiser(user_id=user.id, event_id=at.id))
    db.session.commit()
    return backend_app, event, person


def _submit(app, person, **changes):
    client = new_client(app, person.email)
    return client.post("/e/vetted/my/identity", data={**DOCUMENT, **changes})


def _document(person_id):
    db.session.expire_all()
    return db.session.get(IdentityDocument, person_id)


def test_the_document_number_is_not_in_the_database_in_clear(vetted):
    app, event, person = vetted
    assert _submit(app, person).status_code == 303
    row = db.session.execute(
        text("SELECT * FROM identity_documents WHERE participant_id = :id"), {"id": person.id}
    ).one()
    stored = b"".join(
        bytes(value) if isinstance(value, (bytes, memoryview)) else str(value).encode()
        for value in row
    )
    assert NUMBER.encode() not in stored
    assert b"1980-02-03" not in stored
    audit = db.session.execute(select(AuditEntry.before, AuditEntry.after)).all()
    assert NUMBER not in repr(audit)
    # ...yet the officer reads it back, and that reading is audited.
    officer = new_client(app, "officer@example.org")
    assert NUMBER not in officer.get(f"/e/vetted/security/{person.id}").get_data(as_text=True)
    page = officer.post(
        f"/e/vetted/security/{person.id}", data={"reveal-submit": "Show the document"}
    ).get_data(as_text=True)
    assert NUMBER in page
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "identity.viewed")
        )
        == 1
    )


def test_a_badge_needs_both_the_officer_and_the_organiser(vetted):
    app, event, person = vetted
    _submit(app, person)
    db.session.expire_all()
    person = db.session.get(Participant, person.id)
    assert not person.is_accredited  # approved by the organiser, not yet cleared
    assert person.id not in badges.holder_ids(event)
    officer = new_client(app, "officer@example.org")
    response = officer.post(
        f"/e/vetted/security/{person.id}", data={"verdict": "cleared", "submit": "1"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    person = db.session.get(Participant, person.id)
    assert person.is_accredited
    assert person.id in badges.holder_ids(event)  # the SQL form of the rule agrees
    assert badges.badge_code(person)
    # The organiser's refusal still stops the badge.
    person.accreditation = "rejected"
    db.session.commit()
    assert not db.session.get(Participant, person.id).is_accredited


def test_refusing_needs_a_reason_the_person_sees(vetted):
    app, event, person = vetted
    _submit(app, person)
    officer = new_client(app, "officer@example.org")
    response = officer.post(
        f"/e/vetted/security/{person.id}", data={"verdict": "refused", "submit": "1"}
    )
    assert response.status_code == 422
    assert "Say why" in response.get_data(as_text=True)
    assert _document(person.id).vetting == Vetting.PENDING
    officer.post(
        f"/e/vetted/security/{person.id}",
        data={"verdict": "more_info", "reason": "The scan of page 2 is missing.", "submit": "1"},
    )
    mine = new_client(app, person.email).get("/e/vetted/my/identity").get_data(as_text=True)
    assert "Security needs more information" in mine
    assert "The scan of page 2 is missing." in mine


def test_the_organiser_sees_the_verdict_not_the_document(vetted):
    app, event, person = vetted
    _submit(app, person)
    organiser = new_client(app, "organiser@example.org")
    overview = organiser.get("/e/vetted/manage/vetting").get_data(as_text=True)
    assert person.name in overview and "Waiting for security vetting" in overview
    assert NUMBER not in overview
    assert organiser.get(f"/e/vetted/security/{person.id}").status_code == 404
    assert organiser.get("/e/vetted/security/").status_code == 404


def test_an_officer_of_another_event_sees_nothing(vetted):
    app, event, person = vetted
    _submit(app, person)
    stranger = new_client(app, "officer-b@example.org")
    assert stranger.get("/e/vetted/security/").status_code == 404
    response = stranger.get(f"/e/vetted/security/{person.id}")
    assert response.status_code == 404
    assert NUMBER not in response.get_data(as_text=True)
    assert stranger.get("/e/elsewhere/security/").status_code == 200
    assert stranger.get(f"/e/elsewhere/security/{person.id}").status_code == 404
    assert (
        stranger.post(
            f"/e/vetted/security/{person.id}", data={"verdict": "cleared", "submit": "1"}
        ).status_code
        == 404
    )
    assert _document(person.id).vetting == Vetting.PENDING


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"number": "<script>"}, "4 to 20 letters and digits"),
        ({"expires_on": "2020-01-01"}, "This document has expired."),
        ({"birth_date": "2999-01-01"}, "date of birth in the past"),
        ({"issuing_country": "XX"}, "Not a valid choice"),
        ({"kind": "driving"}, "Not a valid choice"),
        ({"number": "A\x00123456"}, ""),
    ],
)
def test_bad_documents_get_a_message_and_store_nothing(vetted, changes, field_message):
    app, event, person = vetted
    response = _submit(app, person, **changes)
    assert response.status_code in (400, 422)
    assert field_message in response.get_data(as_text=True)
    assert _document(person.id) is None


def test_a_document_expiring_during_the_stay_is_stored_with_a_warning(vetted):
    app, event, person = vetted
    event.start_date, event.end_date = date.today() + timedelta(30), date.today() + timedelta(33)
    db.session.commit()
    client = new_client(app, person.email)
    response = client.post(
        "/e/vetted/my/identity", data={**DOCUMENT, "expires_on": event.start_date.isoformat()}
    )
    assert response.status_code == 303
    page = client.get("/e/vetted/my/identity").get_data(as_text=True)
    assert "expires before the event ends" in page
    assert _document(person.id).expires_on == event.start_date


def test_a_new_document_goes_back_to_the_queue(vetted):
    app, event, person = vetted
    _submit(app, person)
    new_client(app, "officer@example.org").post(
        f"/e/vetted/security/{person.id}", data={"verdict": "cleared", "submit": "1"}
    )
    assert _document(person.id).vetting == Vetting.CLEARED
    _submit(app, person, number="X9999999")
    assert _document(person.id).vetting == Vetting.PENDING


def test_without_vetting_an_approved_person_gets_a_badge_as_before(app):
    event = f.make_event("plain")
    person = f.make_delegate(event)
    db.session.commit()
    assert person.is_accredited and person.id in badges.holder_ids(event)


def test_its_own_identity_key_comes_from_the_environment_and_a_bad_one_stops_the_start(
    monkeypatch, tmp_path
):
    from cryptography.fernet import Fernet

    from expo_app import config

    key = Fernet.generate_key().decode()
    monkeypatch.setenv("EXPO_IDENTITY_KEY", key)
    monkeypatch.setenv("EXPO_SECRET_KEY", "a-secret-for-this-test")
    assert config.load(str(tmp_path))["EXPO_IDENTITY_KEY"] == key
    monkeypatch.setenv("EXPO_IDENTITY_KEY", "not-a-key")
    with pytest.raises(RuntimeError, match="EXPO_IDENTITY_KEY is not a Fernet key"):
        config.load(str(tmp_path))


def test_the_event_export_holds_no_identity_document(vetted):
    import json

    from expo_app.interchange.exporter import export_event

    app, event, person = vetted
    assert _submit(app, person).status_code in (302, 303)
    exported = json.dumps(export_event(db.session.get(type(event), event.id)))
    assert NUMBER not in exported and "1980-02-03" not in exported


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 80), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def test_a_scan_is_sealed_at_rest_and_opened_only_by_an_officer_each_time_audited(vetted):
    import io

    app, event, person = vetted
    scan = _png()
    response = _submit(app, person, scan=(io.BytesIO(scan), "passport.png"))
    assert response.status_code == 303
    row = db.session.execute(
        text("SELECT scan_sealed, scan_type FROM identity_documents WHERE participant_id = :id"),
        {"id": person.id},
    ).one()
    assert row.scan_type == "image/png"
    assert scan[:64] not in bytes(row.scan_sealed) and b"IHDR" not in bytes(row.scan_sealed)

    officer = new_client(app, "officer@example.org")
    page = officer.get(f"/e/vetted/security/{person.id}").get_data(as_text=True)
    assert "Open the scan" in page
    opened = officer.post(f"/e/vetted/security/{person.id}/scan", data={"scan-submit": "y"})
    assert opened.status_code == 200 and opened.mimetype == "image/png"
    assert opened.data == scan and "no-store" in opened.headers["Cache-Control"]
    assert "sandbox" in opened.headers["Content-Security-Policy"]
    views = select(func.count()).where(AuditEntry.action == "identity.scan_viewed")
    assert db.session.scalar(views) == 1
    # The organiser may not open it, nor an officer of another event.
    for email in ("organiser@example.org", "officer-b@example.org"):
        client = new_client(app, email)
        refused = client.post(f"/e/vetted/security/{person.id}/scan", data={"scan-submit": "y"})
        assert refused.status_code in (403, 404), email
    assert db.session.scalar(views) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 an executable, not a scan", "must be a JPEG or PNG image or a PDF"),
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "incomplete or damaged"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image"),
        (b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF", "at most 5 MB"),
    ],
    ids=["not-an-image", "truncated-pdf", "broken-png", "too-large"],
)
def test_a_bad_scan_gets_a_message_next_to_the_field_and_stores_nothing(vetted, content, message):
    import io

    app, event, person = vetted
    response = _submit(app, person, scan=(io.BytesIO(content), "scan.bin"))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _document(person.id) is None


def test_the_dashboard_asks_for_the_document_and_then_shows_the_verdict(vetted):
    app, event, person = vetted
    client = new_client(app, person.email)
    page = client.get("/e/vetted/my/").get_data(as_text=True)
    assert "No identity document given." in page and "Give my identity document" in page
    assert _submit(app, person).status_code == 303
    assert "Waiting for security vetting." in client.get("/e/vetted/my/").get_data(as_text=True)


REGISTRATION = {
    "name": "Fatou Sow",
    "organisation": "Armée sénégalaise",
    "country": "SN",
    "email": "fatou.sow@example.sn",
    "password": "teranga-dakar-2025",
    "action": "register",
}


def test_with_vetting_on_registration_takes_the_passport_too(vetted):
    import io

    from expo_app.accounts.models import User

    app, event, _person = vetted
    client = new_client(app)
    assert "Document number" in client.get("/e/vetted/register").get_data(as_text=True)
    sent = client.post(
        "/e/vetted/register",
        data={
            **REGISTRATION,
            **{f"identity-{key}": value for key, value in DOCUMENT.items()},
            "identity-scan": (io.BytesIO(_png()), "passport.png"),
        },
    )
    assert sent.status_code in (302, 303)
    db.session.expire_all()
    fatou = db.session.execute(
        select(Participant).filter_by(email="fatou.sow@example.sn")
    ).scalar_one()
    document = _document(fatou.id)
    assert (document.vetting, document.scan_type) == (Vetting.PENDING, "image/png")
    assert db.session.scalar(select(func.count()).select_from(User)) == 4 + 1

    # A bad document: the message next to its field, and nobody registered.
    other = {**REGISTRATION, "email": "awa.ba@example.sn"}
    refused = new_client(app).post(
        "/e/vetted/register",
        data={**other, **{f"identity-{k}": v for k, v in DOCUMENT.items()}, "identity-number": "?"},
    )
    assert refused.status_code == 422
    assert "4 to 20 letters and digits" in refused.get_data(as_text=True)
    assert (
        db.session.execute(select(Participant).filter_by(email="awa.ba@example.sn")).first() is None
    )
    assert db.session.execute(select(User).filter_by(email="awa.ba@example.sn")).first() is None


def test_without_vetting_registration_asks_no_document(app):
    f.make_event("plain")
    db.session.commit()
    page = new_client(app).get("/e/plain/register").get_data(as_text=True)
    assert "Document number" not in page
