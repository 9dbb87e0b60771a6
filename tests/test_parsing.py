"""The parsing layer: numbers from a URL, a query string or a form are bounded, text loses
its control characters and a NUL byte is a 400, on SQLite and on PostgreSQL alike (where
an integer over 2^31 or a NUL in text used to be a 500)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from expo_app.extensions import db
from expo_app.models import Exhibitor, Location, Participant
from tests.kit.accounts import new_client
from tests.kit.world import DEL1, EMAILS, EX1, ORG_A, build_world
from tests.kit.world import snapshot as every_row

HUGE = "99999999999999999999"
TOO_BIG = str(2**31)  # one more than PostgreSQL's INTEGER holds
FIVE_THOUSAND_DIGITS = "9" * 5000


@pytest.fixture
def world(backend_app):
    built = build_world()
    for exhibitor in db.session.execute(select(Exhibitor)).scalars():
        exhibitor.approval = "approved"
    db.session.commit()
    db.session.close()
    return built


def snapshot() -> dict:
    """Every row but the sign-ins (signing the test's clients in writes those)."""
    rows = every_row()
    rows.pop("sign_ins", None)
    return rows


def client_of(app, actor):
    return new_client(app, EMAILS[actor]) if actor else new_client(app)


@pytest.mark.parametrize("number", [HUGE, TOO_BIG, "-1", "²", "١٢", "1e3", ""])
@pytest.mark.parametrize(
    ("actor", "path"),
    [
        (None, "/e/expo-a/exhibitors/?page={n}"),
        (ORG_A, "/e/expo-a/manage/exhibitors/?page={n}"),
        (ORG_A, "/e/expo-a/manage/participants/?page={n}&delegation={n}"),
        (ORG_A, "/e/expo-a/manage/accreditation?page={n}&delegation={n}"),
        (ORG_A, "/e/expo-a/manage/badges/?page={n}"),
    ],
)
def test_a_page_or_filter_number_out_of_range_shows_the_list(
    backend_app, world, actor, path, number
):
    response = client_of(backend_app, actor).get(path.format(n=number))
    assert response.status_code == 200


@pytest.mark.parametrize("number", [HUGE, TOO_BIG, "²", "١٢"])
def test_an_unknown_request_id_in_the_booking_page_is_not_found(backend_app, world, number):
    ref = world.values["ref"]
    answer = client_of(backend_app, DEL1).get(f"/e/expo-a/exhibitors/{ref}/book?request={number}")
    assert answer.status_code == 404


@pytest.mark.parametrize("number", [HUGE, TOO_BIG, "²"])
def test_numbers_posted_out_of_range_are_refused_calmly(backend_app, world, number):
    ref, request_id = world.values["ref"], world.values["request_id"]
    before = snapshot()
    delegate = client_of(backend_app, DEL1)
    booked = delegate.post(f"/e/expo-a/exhibitors/{ref}/book", data={"slot": number})
    assert booked.status_code == 422
    exhibitor = client_of(backend_app, EX1)
    held = exhibitor.post("/e/expo-a/exhibitor/stand/reserve", data={"stand_id": number})
    assert held.status_code == 400
    scheduled = exhibitor.post(
        f"/e/expo-a/exhibitor/meetings/requests/{request_id}/schedule", data={"slot_id": number}
    )
    assert scheduled.status_code in (409, 422)
    blocked = delegate.post("/e/expo-a/my/availability", data={"blocked": number})
    assert blocked.status_code < 500
    assert snapshot() == before


@pytest.mark.parametrize(
    "path", [f"/e/expo-a/manage/schedule/{TOO_BIG}", "/e/expo-a/manage/schedule/١"]
)
def test_an_id_in_the_address_beyond_the_database_or_not_ascii_is_not_found(
    backend_app, world, path
):
    assert client_of(backend_app, ORG_A).get(path).status_code == 404


@pytest.mark.parametrize("number", [FIVE_THOUSAND_DIGITS, HUGE, "١٢", "12.5", "1_000"])
def test_a_huge_number_in_a_form_is_a_message_next_to_the_field(backend_app, world, number):
    before = snapshot()
    answer = client_of(backend_app, ORG_A).post(
        "/e/expo-a/manage/setup/locations",
        data={"loc-name": "Hall C", "loc-kind": "hall", "loc-capacity": number},
    )
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "Enter a number from" in html or "Enter a whole number" in html
    assert snapshot() == before


def test_a_drag_on_the_grid_with_a_huge_location_is_refused(backend_app, world):
    session_id = world.values["session_id"]
    answer = client_of(backend_app, ORG_A).post(
        f"/e/expo-a/manage/schedule/{session_id}/move",
        data={
            "version": "1",
            "day": "2025-11-11",
            "start": "09:00",
            "end": "10:00",
            "location": HUGE,
        },
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 400


@pytest.mark.parametrize("value", ["nan", "inf", "1e400"])
def test_a_stand_size_that_is_not_a_number_is_a_message(backend_app, world, value):
    before = snapshot()
    location = world.values["location_id"]
    answer = client_of(backend_app, ORG_A).post(
        "/e/expo-a/manage/floor-plan/new",
        data={
            "ref": "Z-1",
            "location": location,
            "width_m": value,
            "depth_m": "3",
            "price": "NaN" if value == "nan" else "10",
        },
    )
    assert answer.status_code == 422
    assert snapshot() == before


def test_a_stand_edit_without_its_version_is_a_message(backend_app, world):
    stand_id, location = world.values["stand_id"], world.values["location_id"]
    before = snapshot()
    answer = client_of(backend_app, ORG_A).post(
        f"/e/expo-a/manage/floor-plan/{stand_id}",
        data={"ref": "A-01", "location": location, "width_m": "4", "depth_m": "3"},
    )
    assert answer.status_code == 422
    assert "without the version" in answer.get_data(as_text=True)
    assert snapshot() == before


def test_a_session_edit_without_its_version_is_a_message(backend_app, world):
    session_id = world.values["session_id"]
    before = snapshot()
    answer = client_of(backend_app, ORG_A).post(
        f"/e/expo-a/manage/schedule/{session_id}",
        data={
            "title": "Opening",
            "kind": "ceremony",
            "day": "2025-11-11",
            "start": "09:00",
            "end": "10:00",
        },
    )
    assert answer.status_code == 422
    assert "without the version" in answer.get_data(as_text=True)
    assert snapshot() == before


# --- NUL and control characters -------------------------------------------------------


def test_a_nul_in_the_query_string_is_a_clear_400(backend_app, world):
    answer = client_of(backend_app, None).get("/e/expo-a/exhibitors/?q=a%00b")
    assert answer.status_code == 400
    assert "NUL" in answer.get_data(as_text=True)


def test_a_nul_in_the_address_is_a_400(backend_app, world):
    assert client_of(backend_app, None).get("/e/expo%00a/").status_code == 400


def test_a_nul_in_a_delegate_registration_stores_nothing(backend_app, world):
    """On PostgreSQL this was a 500 (text cannot hold a NUL); SQLite stored it."""
    before = snapshot()
    answer = client_of(backend_app, None).post(
        "/e/expo-a/register",
        data={
            "name": "Awa\x00 Traoré",
            "email": "awa@example.org",
            "country": "ML",
            "password": "river-lantern-velvet-42",
        },
    )
    assert answer.status_code == 400
    assert snapshot() == before


def test_a_nul_in_a_form_field_name_is_a_400(backend_app, world):
    answer = client_of(backend_app, ORG_A).post(
        "/e/expo-a/manage/setup/locations",
        data={"loc-name": "Hall C", "loc-kind": "hall", "x\x00": "1"},
    )
    assert answer.status_code == 400


@pytest.mark.parametrize(
    ("actor", "path", "data"),
    [
        (EX1, "/e/expo-a/exhibitor/demos", {"title": "Live\x00 firing", "duration": "30"}),
        (ORG_A, "/e/expo-a/manage/setup/locations", {"loc-name": "Hall\x00", "loc-kind": "hall"}),
        (
            DEL1,
            "/e/expo-a/exhibitors/{ref}/book",
            {"action": "request", "message": "Hello\x00", "priority": "1"},
        ),
    ],
)
def test_a_nul_in_text_is_refused_before_anything_is_written(backend_app, world, actor, path, data):
    before = snapshot()
    answer = client_of(backend_app, actor).post(path.format(**world.values), data=data)
    assert answer.status_code == 400
    assert snapshot() == before


def test_control_characters_are_stripped_from_text_but_line_breaks_stay(backend_app, world):
    answer = client_of(backend_app, ORG_A).post(
        "/e/expo-a/manage/setup/locations",
        data={"loc-name": "Hall\x07 C\x1b\x85", "loc-kind": "hall"},
    )
    assert answer.status_code == 303
    names = db.session.execute(select(Location.name)).scalars().all()
    assert "Hall C" in names
    delegate = client_of(backend_app, DEL1)
    ref = world.values["ref"]
    sent = delegate.post(
        f"/e/expo-a/exhibitors/{ref}/book",
        data={"action": "request", "message": "Line one\r\nLine\ttwo\x0c", "priority": "1"},
    )
    assert sent.status_code in (302, 303, 409)


def test_member_rows_of_a_delegation_lose_control_characters_too(backend_app, world):
    answer = client_of(backend_app, None).post(
        "/e/expo-a/register",
        data={
            "name": "Awa Traoré",
            "email": "awa@example.org",
            "country": "ML",
            "password": "river-lantern-velvet-42",
            "as_delegation": "y",
            "delegation_name": "Mali\x1b",
            "delegation_country": "ML",
            "members-0-name": "Moussa\x07 Keita",
            "members-0-email": "moussa@example.org",
        },
    )
    assert answer.status_code in (302, 303)
    names = db.session.execute(select(Participant.name)).scalars().all()
    assert "Moussa Keita" in names


# --- Websites and photos: the one URL rule and the pixel limit --------------------------


@pytest.mark.parametrize("website", ["http://[", "javascript:alert(1)", "data:text/html,x"])
def test_a_website_that_is_not_http_is_a_message_on_both_forms(backend_app, world, website):
    before = snapshot()
    registered = client_of(backend_app, None).post(
        "/e/expo-a/exhibitor/register",
        data={
            "name": "Acme",
            "country": "FR",
            "contact_name": "Jeanne",
            "website": website,
            "email": "jeanne@acme.example",
            "password": "river-lantern-velvet-42",
            "confirm": "river-lantern-velvet-42",
        },
    )
    assert registered.status_code == 422
    assert "Enter a web address such as https://example.com." in registered.get_data(as_text=True)
    details = client_of(backend_app, ORG_A).post(
        "/e/expo-a/manage/setup/", data={"name": "Expo A", "website": website}
    )
    assert details.status_code == 422
    assert "Enter a web address such as https://example.com." in details.get_data(as_text=True)
    assert snapshot() == before


def test_a_photo_with_too_many_pixels_is_refused_before_it_is_decoded(
    backend_app, world, tmp_path, monkeypatch
):
    import io

    from PIL import Image

    backend_app.config["UPLOAD_FOLDER"] = str(tmp_path)
    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, "PNG")  # a small file, 36 million pixels
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    try:
        answer = client_of(backend_app, None).post(
            "/e/expo-a/register",
            data={
                "name": "Awa Traoré",
                "email": "awa@example.org",
                "country": "ML",
                "password": "river-lantern-velvet-42",
                "photo": (io.BytesIO(out.getvalue()), "me.png"),
            },
            content_type="multipart/form-data",
        )
    finally:
        backend_app.config.pop("UPLOAD_FOLDER", None)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "too many pixels" in html and 'id="photo-error"' in html
    assert decoded == []
