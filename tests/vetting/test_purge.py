"""Personal data with an end: identity documents and photos are erased after the event's
retention period, by the CLI or the organiser's button, and not a day before."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from expo_app.accounts.models import EventOrganiser
from expo_app.delegations.models import Participant
from expo_app.extensions import db
from expo_app.vetting.models import IdentityDocument
from expo_app.vetting.sealing import seal
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client


def _with_documents(event, uploads, count=2):
    people = []
    for n in range(count):
        person = f.make_delegate(event)
        db.session.add(
            IdentityDocument(
                participant_id=person.id,
                kind="passport",
                number_sealed=seal(f"P000{n}"),
                birth_date_sealed=seal("1980-01-01"),
                issuing_country="ML",
                expires_on=date(2031, 1, 1),
            )
        )
        photo = uploads / "photos" / event.slug / f"{person.ref}.jpg"
        photo.parent.mkdir(parents=True, exist_ok=True)
        photo.write_bytes(b"\xff\xd8 not really a jpeg")
        person.photo_path = f"photos/{event.slug}/{person.ref}.jpg"
        people.append((person, photo))
    db.session.commit()
    return people


def _documents() -> int:
    return db.session.scalar(select(func.count()).select_from(IdentityDocument))


def _purge(app, slug):
    return app.test_cli_runner().invoke(args=["purge-personal-data", "--event", slug])


def test_the_cli_refuses_before_the_retention_period_ends(app, uploads):
    event = f.make_event("current")
    event.end_date = date.today() + timedelta(days=3)
    people = _with_documents(event, uploads)
    result = _purge(app, "current")
    assert result.exit_code != 0
    assert "Personal data is kept until" in result.output
    assert "Traceback" not in result.output
    assert _documents() == 2 and all(photo.exists() for _, photo in people)


def test_the_cli_erases_documents_and_photos_after_it(app, uploads):
    event = f.make_event("past")
    event.retention_days = 10  # the test event ended in November 2025
    other = f.make_event("other")
    other.end_date = date.today() + timedelta(days=3)
    people = _with_documents(event, uploads)
    kept = _with_documents(other, uploads, count=1)
    result = _purge(app, "past")
    assert result.exit_code == 0, result.output
    assert "Erased 2 identity document(s) and 2 photo(s) of past" in result.output
    assert _documents() == 1  # the other event's stays
    db.session.expire_all()
    for person, photo in people:
        assert not photo.exists()
        assert db.session.get(Participant, person.id).photo_path is None
    assert kept[0][1].exists()


def test_the_organisers_button_sets_the_period_and_erases(app, uploads):
    event = f.make_event("button")
    organiser = make_account("org@example.org", "organiser")
    db.session.add(EventOrganiser(user_id=organiser.id, event_id=event.id))
    _with_documents(event, uploads)
    client = new_client(app, "org@example.org")
    # A period that has not run out yet: the erasure is refused and nothing goes.
    days = (date.today() - event.end_date).days + 5
    response = client.post(
        "/e/button/manage/vetting", data={"retention_days": str(days), "save": "Save"}
    )
    assert response.status_code == 303
    assert client.post("/e/button/manage/vetting", data={"purge-purge": "1"}).status_code == 409
    assert _documents() == 2
    client.post("/e/button/manage/vetting", data={"retention_days": "0", "save": "Save"})
    response = client.post("/e/button/manage/vetting", data={"purge-purge": "1"})
    assert response.status_code == 303
    assert _documents() == 0
    page = client.get("/e/button/manage/vetting").get_data(as_text=True)
    assert "Erased 2 identity documents and 2 photos." in page


def test_a_retention_period_out_of_range_gets_a_message(app):
    event = f.make_event("range")
    organiser = make_account("org2@example.org", "organiser")
    db.session.add(EventOrganiser(user_id=organiser.id, event_id=event.id))
    db.session.commit()
    client = new_client(app, "org2@example.org")
    response = client.post(
        "/e/range/manage/vetting", data={"retention_days": "99999999999", "save": "Save"}
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(type(event), event.id).retention_days is None
