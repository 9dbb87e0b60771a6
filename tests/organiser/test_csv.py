"""CSV export and import of exhibitors and participants: the export reads back in, the
import shows a preview with every row's problems and writes nothing until accepted."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from expo_app.delegations.models import Participant
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from tests.kit.accounts import new_client


def upload(client, expo, kind: str, text: str, name: str = "people.csv"):
    return client.post(
        expo.url(f"{kind}/import"),
        data={"file": (io.BytesIO(text.encode("utf-8")), name)},
        content_type="multipart/form-data",
    )


def people() -> int:
    return db.session.execute(select(func.count()).select_from(Participant)).scalar_one()


def test_the_export_lists_every_participant_with_their_delegation(organiser, expo):
    expo.pending[0].name = "=HYPERLINK(evil)"
    db.session.commit()
    response = organiser.get(expo.url("participants.csv"))
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 3
    assert {row["delegation"] for row in rows} == {"del-ml"}
    assert rows[0]["name"] == "'=HYPERLINK(evil)"  # never a formula in a spreadsheet


def test_the_export_of_exhibitors(organiser, expo):
    text = organiser.get(expo.url("exhibitors.csv")).get_data(as_text=True)
    assert text.startswith("\ufeffref,name,country,sectors")
    assert "Anka Systems" in text and "Borealis Optics" in text


def test_a_preview_shows_row_errors_and_writes_nothing(organiser, expo):
    before = people()
    text = (
        "name,email,role,delegation,country\n"
        "Awa Diallo,awa@example.org,delegate,del-ml,ML\n"
        ",nobody@example.org,delegate,,\n"
        "Bad Mail,not-an-email,delegate,,\n"
        "Lost,lost@example.org,delegate,del-zz,XX\n"
    )
    response = upload(organiser, expo, "participants", text)
    assert response.status_code == 303
    preview = organiser.get(response.headers["Location"])
    html = preview.get_data(as_text=True)
    assert "4 rows read." in html
    assert "3 rows have problems and will be skipped." in html
    assert "Line 3" in html and "The name is missing." in html
    assert "This is not an email address." in html
    assert "No delegation of this event has this ref." in html
    assert "Import 1 row" in html
    assert people() == before


def test_accepting_the_import_adds_and_updates(organiser, expo):
    known = expo.pending[0]
    text = (
        "ref;name;email;delegation;accreditation\n"
        f"{known.ref};Renamed Person;{known.email};del-ml;approved\n"
        ";Awa Diallo;awa@example.org;del-ml;\n"
    )
    location = upload(organiser, expo, "participants", text).headers["Location"]
    done = organiser.post(location, data={"decision": "accept"})
    assert done.status_code == 303
    db.session.expire_all()
    updated = db.session.get(Participant, known.id)
    assert updated.name == "Renamed Person" and updated.accreditation == "approved"
    awa = db.session.execute(select(Participant).filter_by(email="awa@example.org")).scalar_one()
    assert awa.accreditation == "pending" and awa.delegation_id == expo.delegation.id
    assert organiser.get(location, follow_redirects=True).status_code == 200  # used up


def test_an_import_checks_again_when_accepted(organiser, expo):
    text = "name,email\nAwa Diallo,awa@example.org\n"
    location = upload(organiser, expo, "participants", text).headers["Location"]
    from tests.kit import factories as f

    f.make_delegate(expo.event, "pending", email="AWA@example.org")
    db.session.commit()
    late = organiser.post(location, data={"decision": "accept"})
    assert late.status_code == 409
    assert "Someone else of this event has this email." in late.get_data(as_text=True)


def test_cancelling_an_import(organiser, expo):
    before = people()
    location = upload(organiser, expo, "participants", "name,email\nA,a@example.org\n").headers[
        "Location"
    ]
    organiser.post(location, data={"decision": "cancel"})
    assert people() == before


def test_another_organiser_cannot_use_my_import(app, organiser, second_organiser, expo):
    location = upload(organiser, expo, "participants", "name,email\nA,a@example.org\n").headers[
        "Location"
    ]
    response = second_organiser.post(location, data={"decision": "accept"})
    assert response.status_code == 303  # told it has expired, nothing written
    assert db.session.execute(select(Participant).filter_by(email="a@example.org")).first() is None
    assert new_client(app).get(location).status_code == 302


def test_a_file_that_is_not_csv_is_refused_next_to_the_field(organiser, expo):
    response = organiser.post(
        expo.url("participants/import"),
        data={"file": (io.BytesIO(b"\x89PNG\x00\x00binary"), "photo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert 'id="file-error"' in response.get_data(as_text=True)
    missing = upload(organiser, expo, "participants", "nom,courriel\nA,a@example.org\n")
    assert missing.status_code == 422
    assert "missing: name, email" in missing.get_data(as_text=True)
    empty = organiser.post(
        expo.url("participants/import"), data={}, content_type="multipart/form-data"
    )
    assert empty.status_code == 422


def test_exhibitors_round_trip_through_csv(organiser, expo):
    exported = organiser.get(expo.url("exhibitors.csv")).get_data(as_text=True)
    changed = exported.replace("Anka Systems", "Anka Systems SA") + (
        'new-co,Nouvelle Défense,FR,"UAVs; Radar",approved,2,,,,,,,\r\n'
    )
    location = upload(organiser, expo, "exhibitors", changed.lstrip("\ufeff")).headers["Location"]
    preview = organiser.get(location).get_data(as_text=True)
    assert "No problem found." in preview
    organiser.post(location, data={"decision": "accept"})
    db.session.expire_all()
    assert db.session.get(Exhibitor, expo.anka.id).name == "Anka Systems SA"
    new = db.session.execute(select(Exhibitor).filter_by(ref="new-co")).scalar_one()
    assert new.sector_names == ["UAVs", "Radar"] and new.meeting_capacity == 2
    assert re.search(
        r"1 added, 2 updated", organiser.get(expo.url("exhibitors/")).get_data(as_text=True)
    )


def exhibitors() -> int:
    return db.session.execute(select(func.count()).select_from(Exhibitor)).scalar_one()


BAD_WEBSITES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://[",
    "ftp://x",
]


def test_an_exhibitor_import_refuses_websites_that_are_not_web_addresses(organiser, expo):
    before = exhibitors()
    lines = [f'bad-{i},Evil {i},FR,"{url}"' for i, url in enumerate(BAD_WEBSITES)]
    text = "ref,name,country,website\n" + "\n".join(lines) + "\ngood,Good Co,FR,good.example.com\n"
    location = upload(organiser, expo, "exhibitors", text).headers["Location"]
    html = organiser.get(location).get_data(as_text=True)
    assert f"{len(BAD_WEBSITES)} rows have problems and will be skipped." in html
    for line in range(2, 2 + len(BAD_WEBSITES)):
        assert f"Line {line}</a>, <code>website</code>: Enter a web address" in html
    assert "Import 1 row" in html
    assert organiser.post(location, data={"decision": "accept"}).status_code == 303
    db.session.expire_all()
    assert exhibitors() == before + 1
    good = db.session.execute(select(Exhibitor).filter_by(ref="good")).scalar_one()
    assert good.website == "https://good.example.com"
    stored = db.session.execute(select(Exhibitor.website)).scalars()
    assert not any(url and not url.startswith(("https://", "http://")) for url in stored)


def test_an_import_without_a_website_column_refuses_a_stored_script_link(organiser, expo):
    """A row written before the rule keeps its website only if the rule accepts it."""
    expo.anka.website = "javascript:alert(1)"
    db.session.commit()
    text = f"ref,name,country\n{expo.anka.ref},Anka Renamed,TR\n"
    location = upload(organiser, expo, "exhibitors", text).headers["Location"]
    html = organiser.get(location).get_data(as_text=True)
    assert "<code>website</code>: Enter a web address" in html
    organiser.post(location, data={"decision": "accept"})
    db.session.expire_all()
    assert db.session.get(Exhibitor, expo.anka.id).name != "Anka Renamed"


@pytest.mark.parametrize("capacity", ["9" * 5000, "²", "١٢", "2.0", "-1", "0", "99"], ids=repr)
def test_a_meeting_capacity_that_is_not_a_small_number_is_a_refused_cell(organiser, expo, capacity):
    before = exhibitors()
    text = f"ref,name,country,meeting_capacity\nnew-co,New Co,FR,{capacity}\n"
    location = upload(organiser, expo, "exhibitors", text).headers["Location"]
    html = organiser.get(location).get_data(as_text=True)
    assert "Line 2</a>, <code>meeting_capacity</code>: A number from 1 to 20." in html
    assert organiser.post(location, data={"decision": "accept"}).status_code in (303, 200)
    assert exhibitors() == before


@pytest.mark.parametrize(
    ("kind", "header", "row", "column", "words"),
    [
        ("exhibitors", "name,country", "Evil\x1b[31m Co,FR", "name", "control character"),
        ("exhibitors", "name,country,contact_phone", "Co,FR,+223\x07", "contact_phone", "control"),
        ("exhibitors", "name,country", f"{'x' * 201},FR", "name", "At most 200 characters."),
        (
            "exhibitors",
            "name,country,description",
            f"Co,FR,{'d' * 4001}",
            "description",
            "At most 4000 characters.",
        ),
        ("participants", "name,email", "Awa\x7f,awa@example.org", "name", "control character"),
        (
            "participants",
            "name,email,organisation",
            f"Awa,awa@example.org,{'o' * 201}",
            "organisation",
            "At most 200 characters.",
        ),
    ],
    ids=["escape", "bell", "long name", "long description", "delete", "long organisation"],
)
def test_control_characters_and_too_long_cells_are_refused_with_line_and_column(
    organiser, expo, kind, header, row, column, words
):
    before = (people(), exhibitors())
    location = upload(organiser, expo, kind, f"{header}\n{row}\n").headers["Location"]
    html = organiser.get(location).get_data(as_text=True)
    assert f"Line 2</a>, <code>{column}</code>: " in html
    assert words in html
    organiser.post(location, data={"decision": "accept"})
    assert (people(), exhibitors()) == before


def test_a_description_keeps_its_line_breaks(organiser, expo):
    text = 'name,country,description\nCo,FR,"First line\nSecond line"\n'
    location = upload(organiser, expo, "exhibitors", text).headers["Location"]
    assert "No problem found." in organiser.get(location).get_data(as_text=True)


def test_a_nul_byte_in_a_cell_refuses_the_file(organiser, expo):
    before = people()
    response = upload(organiser, expo, "participants", "name,email\nA\x00wa,awa@example.org\n")
    assert response.status_code == 422
    assert "The file is not a text (CSV) file." in response.get_data(as_text=True)
    assert people() == before


def test_a_cell_larger_than_any_column_refuses_the_file_in_one_line(organiser, expo):
    response = upload(organiser, expo, "participants", f"name,email\n{'n' * 200_000},a@b.org\n")
    assert response.status_code == 422
    assert "The file is not valid CSV" in response.get_data(as_text=True)
