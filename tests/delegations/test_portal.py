"""The delegate portal through the web: registration, accreditation, booking, meetings,
availability and agenda — and nobody sees anyone else's meetings."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import icalendar
import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from expo_app.accounts.services import create_user
from expo_app.audit.models import AuditEntry
from expo_app.delegations import services
from expo_app.delegations.models import Delegation, Participant
from expo_app.events.models import EventSession
from expo_app.extensions import db
from expo_app.matchmaking import booking
from expo_app.matchmaking.models import Meeting, MeetingRequest, Side, Unavailability
from expo_app.modelkit import utcnow
from tests.kit import factories as f

PASSWORD = "delegate-pass-1"


@pytest.fixture
def expo(app):
    """An event with slots, two tables, Baykar (capacity 1) with a stand, and a session."""
    event = f.make_event("expo")
    hall = f.make_location(event, name="Hall A")
    lounge = f.make_location(event, kind="meeting_area", name="Lounge")
    baykar = f.make_exhibitor(event, name="Baykar", capacity=1)
    baykar.ref = "baykar"
    stand = f.make_stand(event, hall, code="A-01")
    stand.exhibitor_id, stand.status = baykar.id, "reserved"
    slots = [f.make_slot(event, 9), f.make_slot(event, 9, 30), f.make_slot(event, 10)]
    f.make_table(event, lounge), f.make_table(event, lounge)
    db.session.add(
        EventSession(
            event_id=event.id,
            ref="opening",
            title="Opening ceremony",
            kind="ceremony",
            start=datetime(2025, 11, 11, 8),
            end=datetime(2025, 11, 11, 8, 45),
            location_id=hall.id,
        )
    )
    db.session.commit()
    return event, baykar, slots


def delegate_account(event, email=None, accreditation="approved", delegation=None):
    person = f.make_delegate(event, accreditation=accreditation, email=email, delegation=delegation)
    user = create_user(person.email, PASSWORD, "delegate", person.name)
    person.user_id = user.id
    db.session.commit()
    return person


def book(event, delegate, exhibitor, slot):
    """A meeting booked by the delegate's side, committed before the next request."""
    meeting = booking.book_meeting(
        event, delegate=delegate, exhibitor=exhibitor, slot=slot, by=Side.DELEGATE
    )
    db.session.commit()
    return meeting


def sign_in(client, person):
    response = client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302


def photo_bytes(size=(400, 500), kind="JPEG") -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # camera maker: must not survive the re-encoding
    image.save(out, kind, exif=exif) if kind == "JPEG" else image.save(out, kind)
    return out.getvalue()


def registration(**overrides) -> dict:
    data = {
        "name": "Awa Traoré",
        "title": "Colonel",
        "organisation": "Armée de l'Air",
        "country": "ML",
        "email": "awa@example.org",
        "password": PASSWORD,
        "action": "register",
    }
    data.update(overrides)
    return data


def error_of(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


# --------------------------------------------------------------------------- registration


def test_delegate_registers_alone_and_waits_for_accreditation(client, expo, uploads):
    event, _, _ = expo
    data = registration()
    data["photo"] = (io.BytesIO(photo_bytes()), "me.jpg")
    response = client.post("/e/expo/register", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login?next=/e/expo/register"
    person = db.session.execute(select(Participant).filter_by(email="awa@example.org")).scalar_one()
    assert (person.accreditation, person.role, person.country) == ("pending", "delegate", "ML")
    assert client.get("/e/expo/my/").status_code == 302  # not signed in by the registration
    sign_in(client, person)
    assert client.get("/e/expo/register").headers["Location"].endswith("/e/expo/my/")
    page = client.get("/e/expo/my/").get_data(as_text=True)
    assert "Waiting for accreditation" in page
    # The photo is a fresh JPEG: upright, no camera metadata.
    stored = uploads / person.photo_path
    with Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (400, 500)
        assert 0x010F not in image.getexif()
    assert client.get(f"/e/expo/my/photo/{person.ref}.jpg").status_code == 200


def test_head_registers_a_delegation_with_members_and_blank_rows_are_ignored(client, expo):
    data = registration(
        as_delegation="y",
        delegation_name="Mali Air Force",
        delegation_country="ML",
        delegation_kind="military",
        **{
            "members-0-name": "Moussa Diarra",
            "members-0-email": "moussa@example.org",
            "members-0-country": "ML",
            "members-1-name": "",
            "members-2-name": "Fatou Sow",
            "members-2-email": "fatou@example.org",
            "members-2-title": "Capitaine",
        },
    )
    response = client.post("/e/expo/register", data=data)
    assert response.status_code == 303
    group = db.session.execute(select(Delegation)).scalar_one()
    assert (group.name, group.kind, group.head.name) == ("Mali Air Force", "military", "Awa Traoré")
    assert sorted(m.name for m in group.members) == ["Awa Traoré", "Fatou Sow", "Moussa Diarra"]
    assert {m.accreditation for m in group.members} == {"pending"}
    sign_in(client, group.head)
    page = client.get("/e/expo/my/").get_data(as_text=True)
    assert "Moussa Diarra" in page and "Fatou Sow" in page


def test_registration_errors_are_next_to_the_field_and_keep_what_was_typed(client, expo):
    delegate_account(expo[0], email="taken@example.org")
    data = registration(
        name="",
        as_delegation="y",
        delegation_name="",
        **{"members-0-name": "Moussa Diarra", "members-0-email": "not-an-email"},
    )
    response = client.post("/e/expo/register", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_of(html, "name")
    assert error_of(html, "delegation_name")
    assert error_of(html, "members-0-email")
    assert 'value="Moussa Diarra"' in html and 'value="awa@example.org"' in html
    # An email already registered for the event gets the answer a new one gets (a visitor
    # is not told who is registered), and nothing is written.
    response = client.post("/e/expo/register", data=registration(email="TAKEN@example.org"))
    assert response.status_code == 303
    assert response.headers["Location"] == "/login?next=/e/expo/register"
    assert db.session.execute(select(func.count()).select_from(Participant)).scalar_one() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"%PDF-1.4 not an image", "JPEG, PNG or WebP"),
        (photo_bytes((120, 120)), "too small"),
        (photo_bytes(kind="GIF"), "JPEG, PNG or WebP"),
        (b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10), "too large"),
    ],
    ids=["not-an-image", "tiny", "gif", "huge"],
)
def test_a_bad_photo_is_refused_with_the_reason(client, expo, uploads, upload, message):
    data = registration()
    data["photo"] = (io.BytesIO(upload), "photo.jpg")
    response = client.post("/e/expo/register", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in error_of(response.get_data(as_text=True), "photo")
    assert list(uploads.iterdir()) == []


def test_more_member_rows_keep_what_was_typed(client, expo):
    data = registration(**{"members-0-name": "Moussa Diarra"}, action="more")
    html = client.post("/e/expo/register", data=data).get_data(as_text=True)
    assert 'id="members-3-name"' in html and 'value="Moussa Diarra"' in html


def test_exhibitor_accounts_cannot_register_as_delegates(client, expo):
    create_user("baykar@example.org", PASSWORD, "exhibitor")
    db.session.commit()
    client.post("/login", data={"email": "baykar@example.org", "password": PASSWORD})
    assert client.get("/e/expo/register").status_code == 403
    assert client.get("/e/expo/my/").status_code == 403


def test_portal_pages_need_a_signed_in_delegate(client, expo):
    response = client.get("/e/expo/my/meetings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --------------------------------------------------------------------------- accreditation


def test_only_accredited_delegates_book_and_a_refusal_cancels_meetings(client, expo):
    event, baykar, (nine, _, _) = expo
    person = delegate_account(event, accreditation="pending")
    sign_in(client, person)
    page = client.get("/e/expo/exhibitors/baykar").get_data(as_text=True)
    assert "once the organisers accredit you" in page
    response = client.post("/e/expo/exhibitors/baykar/book", data={"slot": nine.id})
    assert response.status_code == 409
    assert db.session.execute(select(func.count()).select_from(Meeting)).scalar_one() == 0

    services.accredit(person, approved=True)
    db.session.commit()
    assert "Accredited" in client.get("/e/expo/my/").get_data(as_text=True)
    assert client.post("/e/expo/exhibitors/baykar/book", data={"slot": nine.id}).status_code == 302
    services.accredit(db.session.get(Participant, person.id), approved=False, reason="No ID")
    db.session.commit()
    assert db.session.execute(select(func.count()).select_from(Meeting)).scalar_one() == 0
    request = db.session.execute(select(MeetingRequest)).scalar_one()
    assert request.status == "cancelled"
    assert "No ID" in client.get("/e/expo/my/").get_data(as_text=True)


# --------------------------------------------------------------------------- booking


def test_booking_from_the_exhibitor_page_and_the_last_place_refused_with_alternatives(
    client, app, expo
):
    event, baykar, (nine, half_past, ten) = expo
    me, rival = delegate_account(event), delegate_account(event)
    sign_in(client, me)
    page = client.get("/e/expo/exhibitors/baykar").get_data(as_text=True)
    assert re.findall(r'name="slot" value="(\d+)"', page) == [
        str(s.id) for s in (nine, half_past, ten)
    ]
    book(event, rival, baykar, nine)
    # The page was shown before the rival booked: the click on 9:00 now loses.
    response = client.post("/e/expo/exhibitors/baykar/book", data={"slot": nine.id})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "just been taken" in html and "slots still free" in html
    assert re.findall(r'name="slot" value="(\d+)"', html) == [str(half_past.id), str(ten.id)]
    response = client.post("/e/expo/exhibitors/baykar/book", data={"slot": ten.id})
    assert response.status_code == 302
    meetings = client.get("/e/expo/my/meetings").get_data(as_text=True)
    assert "Booked: " in meetings and "Baykar" in meetings and "Table T" in meetings


def test_a_bad_slot_value_is_a_message_not_an_error(client, expo):
    event, _, _ = expo
    sign_in(client, delegate_account(event))
    for value in ("", "abc", "999999"):
        response = client.post("/e/expo/exhibitors/baykar/book", data={"slot": value})
        assert response.status_code == 422
        assert "Choose one of the free slots" in response.get_data(as_text=True)
    assert client.get("/e/expo/exhibitors/nobody/book").status_code == 404


def test_request_with_a_message_then_accepted_then_a_slot_chosen(client, expo):
    event, baykar, (nine, _, _) = expo
    event.request_expiry_hours = 72
    me = delegate_account(event)  # commits the expiry too
    sign_in(client, me)
    response = client.post(
        "/e/expo/exhibitors/baykar/book",
        data={"action": "request", "message": "Parlons du TB2", "priority": "3"},
    )
    assert response.status_code == 302
    request = db.session.execute(select(MeetingRequest)).scalar_one()
    assert (request.status, request.priority, request.message) == ("pending", 3, "Parlons du TB2")
    again = client.post(
        "/e/expo/exhibitors/baykar/book", data={"action": "request", "priority": "1"}
    )
    assert again.status_code == 409 and "already an open request" in again.get_data(as_text=True)
    booking.respond_to_request(request, by=Side.EXHIBITOR, accept=True)
    db.session.commit()
    page = client.get("/e/expo/my/meetings").get_data(as_text=True)
    assert f"/e/expo/exhibitors/baykar/book?request={request.id}" in page
    response = client.post(
        f"/e/expo/exhibitors/baykar/book?request={request.id}", data={"slot": nine.id}
    )
    assert response.status_code == 302
    assert db.session.execute(select(Meeting)).scalar_one().request_id == request.id


def test_delegate_answers_an_exhibitors_invitation(client, expo):
    event, baykar, _ = expo
    me = delegate_account(event)
    invitation = booking.send_request(
        event, delegate=me, exhibitor=baykar, requested_by="exhibitor", message="Come and see"
    )
    db.session.commit()
    sign_in(client, me)
    assert "invites you" in client.get("/e/expo/my/").get_data(as_text=True)
    client.post(f"/e/expo/my/requests/{invitation.id}/answer", data={"accept": "1"})
    assert db.session.get(MeetingRequest, invitation.id).status == "accepted"


def test_head_books_for_a_member_and_sees_the_delegations_meetings(client, expo):
    event, baykar, (nine, _, _) = expo
    head = delegate_account(event)
    group = Delegation(event_id=event.id, ref="del-ml", name="Mali", country="ML", head_id=head.id)
    db.session.add(group)
    db.session.flush()
    head.delegation_id = group.id
    member = f.make_delegate(event, delegation=group)
    db.session.commit()
    sign_in(client, head)
    response = client.post(
        "/e/expo/exhibitors/baykar/book", data={"slot": nine.id, "for_ref": member.ref}
    )
    assert response.status_code == 302
    meeting = db.session.execute(select(Meeting)).scalar_one()
    assert meeting.delegate_id == member.id
    page = client.get("/e/expo/my/meetings").get_data(as_text=True)
    assert f"For {member.name}" in page
    agenda = client.get(f"/e/expo/my/agenda?who={member.ref}").get_data(as_text=True)
    assert "Meeting with Baykar" in agenda
    # The member's own account (if any) is not the head: an outsider ref is a 404.
    outsider = delegate_account(event)
    assert client.get(f"/e/expo/my/agenda?who={outsider.ref}").status_code == 404
    assert (
        client.post(
            "/e/expo/exhibitors/baykar/book", data={"slot": nine.id, "for_ref": outsider.ref}
        ).status_code
        == 404
    )


def test_someone_elses_meeting_and_request_are_404(client, expo):
    event, baykar, (nine, _, _) = expo
    me, other = delegate_account(event), delegate_account(event)
    theirs = book(event, other, baykar, nine)
    request_id, meeting_id = theirs.request_id, theirs.id
    sign_in(client, me)
    assert client.post(f"/e/expo/my/meetings/{meeting_id}/cancel").status_code == 404
    assert client.get(f"/e/expo/my/meetings/{meeting_id}/move").status_code == 404
    assert client.post(f"/e/expo/my/requests/{request_id}/cancel").status_code == 404
    assert client.get(f"/e/expo/exhibitors/baykar/book?request={request_id}").status_code == 404
    assert client.get(f"/e/expo/my/photo/{other.ref}.jpg").status_code == 404
    assert db.session.get(Meeting, meeting_id) is not None
    assert other.name not in client.get("/e/expo/my/meetings").get_data(as_text=True)


def test_move_and_cancel_a_meeting(client, expo):
    event, baykar, (nine, half_past, _) = expo
    me = delegate_account(event)
    meeting_id = book(event, me, baykar, nine).id
    sign_in(client, me)
    page = client.get(f"/e/expo/my/meetings/{meeting_id}/move").get_data(as_text=True)
    assert f'name="slot" value="{half_past.id}"' in page
    response = client.post(f"/e/expo/my/meetings/{meeting_id}/move", data={"slot": half_past.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting_id).slot_id == half_past.id
    client.post(f"/e/expo/my/meetings/{meeting_id}/cancel")
    assert db.session.get(Meeting, meeting_id) is None


# --------------------------------------------------------------------------- availability


def test_blocking_own_slots_and_a_slot_with_a_meeting_is_refused(client, expo):
    event, baykar, (nine, half_past, ten) = expo
    me = delegate_account(event)
    book(event, me, baykar, nine)
    sign_in(client, me)
    response = client.post("/e/expo/my/availability", data={"blocked": [str(half_past.id)]})
    assert response.status_code == 302
    blocked = db.session.execute(select(Unavailability.slot_id)).scalars().all()
    assert blocked == [half_past.id]
    response = client.post(
        "/e/expo/my/availability", data={"blocked": [str(nine.id), str(half_past.id)]}
    )
    assert response.status_code == 409
    assert "cancel or move it" in response.get_data(as_text=True)
    page = client.get("/e/expo/exhibitors/baykar").get_data(as_text=True)
    assert re.findall(r'name="slot" value="(\d+)"', page) == [str(ten.id)]


# --------------------------------------------------------------------------- agenda


def test_agenda_web_ics_and_pdf(client, expo):
    event, baykar, (nine, _, _) = expo
    me = delegate_account(event)
    book(event, me, baykar, nine)
    opening = db.session.execute(select(EventSession)).scalar_one()
    sign_in(client, me)
    client.post(f"/e/expo/my/sessions/{opening.id}/follow", data={"follow": "1"})
    page = client.get("/e/expo/my/agenda").get_data(as_text=True)
    assert page.index("Opening ceremony") < page.index("Meeting with Baykar")
    ics = client.get("/e/expo/my/agenda.ics")
    assert ics.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Opening ceremony", "Meeting with Baykar"]
    pdf = client.get("/e/expo/my/agenda.pdf?lang=fr")
    assert pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Baykar" in text and "Opening ceremony" in text and "novembre" in text


def test_private_calendar_link_is_shown_once_and_can_be_revoked(client, expo):
    event, baykar, (nine, _, _) = expo
    me = delegate_account(event)
    book(event, me, baykar, nine)
    sign_in(client, me)
    page = client.post("/e/expo/my/agenda/link", data={"action": "new"}).get_data(as_text=True)
    url = re.search(r'id="subscription-url" type="text" readonly value="([^"]+)"', page).group(1)
    path = url.split("localhost", 1)[1]
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert db.session.get(Participant, me.id).ics_token_hash != token  # only the hash is kept
    anonymous = client.application.test_client()
    feed = anonymous.get(path)
    assert feed.status_code == 200 and b"Meeting with Baykar" in feed.data
    assert token not in client.get("/e/expo/my/agenda").get_data(as_text=True)
    client.post("/e/expo/my/agenda/link", data={"action": "new"})  # replaces the old one
    assert anonymous.get(path).status_code == 404
    client.post("/e/expo/my/agenda/link", data={"action": "revoke"})
    assert db.session.get(Participant, me.id).ics_token_hash is None
    assert anonymous.get("/e/expo/ics/guess.ics").status_code == 404


def test_a_visit_writes_nothing_and_an_overdue_request_reads_as_expired(client, expo):
    event, baykar, _ = expo
    event.request_expiry_hours = 1
    me = delegate_account(event)
    request = booking.send_request(event, delegate=me, exhibitor=baykar, requested_by="delegate")
    request.expires_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    sign_in(client, me)
    audit_before = db.session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    for page in ("/e/expo/my/", "/e/expo/my/meetings", "/e/expo/exhibitors/baykar/book"):
        assert client.get(page).status_code == 200
    html = client.get("/e/expo/my/meetings").get_data(as_text=True)
    assert "Expired without an answer" in html
    assert f"/e/expo/my/requests/{request.id}/cancel" not in html  # closed: nothing to withdraw
    db.session.expire_all()
    assert db.session.get(MeetingRequest, request.id).status == "pending"
    audit_after = db.session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    assert audit_after == audit_before


def test_a_signed_in_delegate_account_registers_without_a_new_password(client, expo):
    user = create_user("known@example.org", PASSWORD, "delegate", "Known Person")
    db.session.commit()
    client.post("/login", data={"email": "known@example.org", "password": PASSWORD})
    form = client.get("/e/expo/register").get_data(as_text=True)
    assert 'id="password"' not in form and 'value="known@example.org"' in form
    data = registration(name="Known Person", email="known@example.org")
    del data["password"]
    assert client.post("/e/expo/register", data=data).status_code == 302
    person = db.session.execute(select(Participant).filter_by(user_id=user.id)).scalar_one()
    assert person.accreditation == "pending"
    assert client.get("/e/expo/register").status_code == 302  # registered already


def test_forged_choices_are_refused_next_to_their_field(client, expo):
    data = registration(
        country="NOT-A-COUNTRY",
        as_delegation="y",
        delegation_name="X",
        delegation_country="ML",
        delegation_kind="navy-seals",
        **{"members-0-name": "M", "members-0-email": "m@example.org", "members-0-country": "QQQ"},
    )
    response = client.post("/e/expo/register", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field_id in ("country", "delegation_kind", "members-0-country"):
        assert error_of(html, field_id), field_id
    assert db.session.execute(select(func.count()).select_from(Participant)).scalar_one() == 0
