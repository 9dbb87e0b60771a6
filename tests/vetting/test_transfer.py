"""Identity documents in the interchange format: never in an export unless asked with a
flag; then unsealed in an expo-event/1.1 document that says so, the export audited; an
import seals them again. A document that carries them without saying so, or a bad
scan, is refused with its JSON path and changes nothing. Run on both databases."""

from __future__ import annotations

import base64
import copy
import io
import json
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import func, select, text

from expo_app.audit.models import AuditEntry
from expo_app.delegations.models import Participant
from expo_app.extensions import db
from expo_app.interchange import InterchangeError, export_event, import_event
from expo_app.vetting import services
from expo_app.vetting.models import IdentityDocument
from tests.kit import factories as f

NUMBER = "P7654321"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def vetted(backend_app):
    event = f.make_event("vetted")
    event.security_vetting = True
    person = f.make_delegate(event, accreditation="approved")
    services.submit_document(
        person,
        services.DocumentDetails(
            kind="passport",
            number=NUMBER,
            issuing_country="NG",
            expires_on=date(2031, 1, 31),
            birth_date=date(1977, 7, 7),
            scan=png(),
        ),
    )
    db.session.commit()
    return backend_app, event, person


def test_an_export_holds_no_identity_document_unless_asked(vetted):
    _app, event, _person = vetted
    plain = export_event(event)
    assert plain["format"] == "expo-event/1"
    assert "includes_identity_documents" not in plain
    assert NUMBER not in json.dumps(plain) and "1977-07-07" not in json.dumps(plain)

    asked = export_event(event, identity_documents=True)
    assert asked["format"] == "expo-event/1.1" and asked["includes_identity_documents"] is True
    [document] = [p["identity_document"] for p in asked["participants"]]
    assert (document["number"], document["birth_date"]) == (NUMBER, "1977-07-07")
    assert base64.b64decode(document["scan"]) == png() and document["scan_type"] == "image/png"
    exported = select(func.count()).where(AuditEntry.action == "identity.exported")
    assert db.session.scalar(exported) == 1


def test_an_export_with_documents_imports_elsewhere_sealed_again(vetted):
    _app, event, _person = vetted
    document = export_event(event, identity_documents=True)
    document["event"]["slug"] = "vetted-copy"
    copy_event = import_event(document)
    db.session.commit()
    person = db.session.execute(
        select(Participant).where(Participant.event_id == copy_event.id)
    ).scalar_one()
    raw = db.session.execute(
        text("SELECT number_sealed, birth_date_sealed FROM identity_documents"
             " WHERE participant_id = :id"),
        {"id": person.id},
    ).one()  # fmt: skip
    assert NUMBER.encode() not in bytes(raw.number_sealed)
    opened = services.open_document(person, by=type("Officer", (), {"id": None})())
    assert opened.number == NUMBER
    assert db.session.get(IdentityDocument, person.id).scan_type == "image/png"


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (lambda d: d.pop("includes_identity_documents"), "identity_document", "travel only"),
        (lambda d: d["participants"][0]["identity_document"].update(scan="%%%"), "scan", "base64"),
        (
            lambda d: d["participants"][0]["identity_document"].update(
                scan=base64.b64encode(b"MZ not an image").decode()
            ),
            "scan",
            "not a usable scan",
        ),
        (
            lambda d: d["participants"][0]["identity_document"].update(birth_date="2999-01-01"),
            "birth_date",
            "in the past",
        ),
    ],
    ids=["undeclared", "not-base64", "not-a-scan", "born-later"],
)
def test_a_bad_identity_document_is_refused_with_its_path_and_nothing_changes(
    vetted, change, path, reason
):
    _app, event, _person = vetted
    document = copy.deepcopy(export_event(event, identity_documents=True))
    db.session.commit()
    document["event"]["slug"] = "vetted-copy"
    change(document)
    people = db.session.scalar(select(func.count()).select_from(Participant))
    with pytest.raises(InterchangeError) as refused:
        import_event(document)
    db.session.rollback()
    assert "participants[0].identity_document" in str(refused.value)
    assert path in str(refused.value) and reason in str(refused.value)
    assert db.session.scalar(select(func.count()).select_from(Participant)) == people


def test_the_cli_writes_documents_only_with_the_flag(vetted, tmp_path):
    app, event, _person = vetted
    runner = app.test_cli_runner()
    plain, asked = tmp_path / "plain.json", tmp_path / "asked.json"
    assert runner.invoke(args=["export-event", "--event", "vetted", str(plain)]).exit_code == 0
    result = runner.invoke(
        args=["export-event", "--event", "vetted", "--with-identity-documents", str(asked)]
    )
    assert result.exit_code == 0, result.output
    assert NUMBER not in plain.read_text() and NUMBER in asked.read_text()
