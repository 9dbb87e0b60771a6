"""Visa invitation letters: a foreign participant, approved and cleared, downloads one
(a head of delegation one per member), always with the same reference; a consulate
checks it by reference and last name on the public page, which tells nothing of
references it is not given a matching name for."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from expo_app.delegations.models import Delegation
from expo_app.extensions import db
from expo_app.vetting import letters
from expo_app.vetting.letters import NoLetter
from expo_app.vetting.models import Vetting, VisaLetter
from expo_app.vetting.services import DocumentDetails, submit_document
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client
from tests.programme.pdftext import Pdf

NUMBER = "U12345678"
NEUTRAL = "No letter matches this reference and name."
REFERENCE = re.compile(r"BAMEX25-[A-Z2-7]{8}")


def _give_document(person, number: str = NUMBER, *, cleared: bool = True, issuer: str = "TR"):
    submit_document(
        person,
        DocumentDetails(
            kind="passport",
            number=number,
            issuing_country=issuer,
            expires_on=date(2035, 1, 1),
            birth_date=date(1980, 2, 3),
        ),
    )
    if cleared:
        person.identity_document.vetting = Vetting.CLEARED


def _delegate(event, name: str, country: str | None, delegation=None):
    person = f.make_delegate(event, accreditation="approved", delegation=delegation)
    person.name = name
    person.country = country
    person.user_id = make_account(person.email, "delegate", name).id
    return person


@pytest.fixture
def expo(backend_app):
    """BAMEX'25 in Bamako (Mali) with vetting on: a cleared Turkish delegate who heads a
    delegation with a cleared member, and a second event."""
    event = f.make_event("bamex25")
    event.name = "BAMEX'25"
    event.country = "ML"
    event.city = "Bamako"
    event.venue = "Centre International de Conférences de Bamako"
    event.organiser = "Ministère de la Défense et des Anciens Combattants"
    event.security_vetting = True
    f.make_event("elsewhere").country = "ML"
    delegation = Delegation(event_id=event.id, ref="tr", name="Türkiye", country="TR")
    db.session.add(delegation)
    db.session.flush()
    head = _delegate(event, "Ayşe Yılmaz", None, delegation)
    delegation.head_id = head.id
    member = _delegate(event, "Mehmet Öztürk", None, delegation)
    _give_document(head)
    _give_document(member, "M7654321")
    db.session.commit()
    return backend_app, event, head, member


def _download(app, person, **data):
    return new_client(app, person.email).post("/e/bamex25/my/visa-letter", data=data)


def _letters() -> int:
    return db.session.scalar(select(func.count()).select_from(VisaLetter))


def _check(app, slug: str = "bamex25", **query):
    return new_client(app).get(f"/e/{slug}/letters/check", query_string=query)


def test_a_cleared_foreign_delegate_downloads_their_letter(expo):
    app, event, head, member = expo
    page = new_client(app, head.email).get("/e/bamex25/my/identity").get_data(as_text=True)
    assert "Download my visa invitation letter" in page
    response = _download(app, head)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = Pdf.read(response.data).flat()
    reference = db.session.execute(select(VisaLetter.reference)).scalar_one()
    assert REFERENCE.fullmatch(reference)
    assert re.search(r"Nationality (Turkey|Türkiye)", text)  # as CLDR names it
    for expected in (
        "Ayşe Yılmaz",
        NUMBER,
        "February 3, 1980",
        "November 9, 2025 – November 14, 2025",
        "Participation in BAMEX'25",
        reference,
        "Ministère de la Défense et des Anciens Combattants",
        "/e/bamex25/letters/check",
    ):
        assert expected in text, expected
    # Again: the same reference, no second letter.
    again = Pdf.read(_download(app, head).data).flat()
    assert reference in again
    assert _letters() == 1


def test_the_letter_is_in_the_readers_language(expo):
    app, event, head, member = expo
    text = Pdf.read(_download(app, head, lang="fr").data).flat()
    assert "9 novembre 2025 – 14 novembre 2025" in text
    assert "Turquie" in text


def test_a_head_downloads_the_letter_of_each_member(expo):
    app, event, head, member = expo
    page = new_client(app, head.email).get("/e/bamex25/my/identity").get_data(as_text=True)
    assert "Download the visa invitation letter of Mehmet Öztürk" in page
    response = _download(app, head, who=member.ref)
    assert response.status_code == 200
    text = Pdf.read(response.data).flat()
    assert "Mehmet Öztürk" in text and "M7654321" in text
    assert NUMBER not in text
    # A member does not act for the head.
    assert _download(app, member, who=head.ref).status_code == 404
    assert _letters() == 1


def test_a_participant_from_the_host_country_gets_no_letter(expo):
    app, event, head, member = expo
    malian = _delegate(event, "Moussa Traoré", "ML")
    _give_document(malian, "ML998877", issuer="ML")
    db.session.commit()
    page = new_client(app, malian.email).get("/e/bamex25/my/identity").get_data(as_text=True)
    assert "visa invitation letter" not in page
    response = _download(app, malian)
    assert response.status_code == 409
    assert "host country need no visa" in response.get_data(as_text=True)
    assert _letters() == 0


def test_a_participant_not_cleared_by_security_gets_no_letter(expo):
    app, event, head, member = expo
    waiting = _delegate(event, "Jean Dupont", "FR")
    _give_document(waiting, "FR123456", cleared=False, issuer="FR")
    db.session.commit()
    page = new_client(app, waiting.email).get("/e/bamex25/my/identity").get_data(as_text=True)
    assert "Available once security has cleared the identity document." in page
    assert "Download my visa invitation letter" not in page
    response = _download(app, waiting)
    assert response.status_code == 409
    assert _letters() == 0


def test_the_rule_without_vetting_asks_for_approval_and_a_document(expo):
    app, event, head, member = expo
    event.security_vetting = False
    pending = _delegate(event, "Jean Dupont", "FR")
    assert letters.may_have_letter(pending) is NoLetter.NO_DOCUMENT
    _give_document(pending, "FR123456", cleared=False, issuer="FR")
    assert letters.may_have_letter(pending) is None  # vetting off: approval is enough
    pending.accreditation = "pending"
    assert letters.may_have_letter(pending) is NoLetter.NOT_ACCREDITED
    event.country = None
    assert letters.may_have_letter(head) is NoLetter.NO_HOST_COUNTRY


@pytest.mark.parametrize("given", ["Yılmaz", "YILMAZ", "yilmaz", " Yilmaz ", "YİLMAZ"])
def test_the_check_page_verifies_by_reference_and_last_name(expo, given):
    app, event, head, member = expo
    _download(app, head)
    reference = db.session.execute(select(VisaLetter.reference)).scalar_one()
    response = _check(app, reference=reference.lower(), last_name=given)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Valid letter for Ayşe Yılmaz" in page
    # The web page's dates follow the reader's region (en-GB here: "9 November 2025").
    assert re.search(r"9 November 2025|November 9, 2025", page)
    assert re.search(r"14 November 2025|November 14, 2025", page)
    assert NEUTRAL not in page


def test_a_wrong_name_or_reference_gets_the_same_neutral_answer(expo):
    app, event, head, member = expo
    _download(app, head)
    reference = db.session.execute(select(VisaLetter.reference)).scalar_one()
    wrong_name = _check(app, reference=reference, last_name="Öztürk").get_data(as_text=True)
    first_name = _check(app, reference=reference, last_name="Ayşe").get_data(as_text=True)
    unknown = _check(app, reference="BAMEX25-AAAAAAAA", last_name="Yılmaz").get_data(as_text=True)
    answers = {_answer(page) for page in (wrong_name, first_name, unknown)}
    # The same answer whether the reference exists or not, and no name in it.
    assert len(answers) == 1
    (answer,) = answers
    assert NEUTRAL in answer and "Yılmaz" not in answer


def _answer(page: str) -> str:
    return re.search(r'<section[^>]*role="status">.*?</section>', page, re.S).group(0)


def test_a_letter_of_another_event_does_not_verify(expo):
    app, event, head, member = expo
    _download(app, head)
    reference = db.session.execute(select(VisaLetter.reference)).scalar_one()
    page = _check(app, "elsewhere", reference=reference, last_name="Yılmaz").get_data(as_text=True)
    assert NEUTRAL in page
    assert "Valid letter" not in page


def test_a_letter_reads_no_longer_valid_once_its_holder_is_refused(expo):
    app, event, head, member = expo
    _download(app, head)
    reference = db.session.execute(select(VisaLetter.reference)).scalar_one()
    head.identity_document.vetting = Vetting.REFUSED
    db.session.commit()
    page = _check(app, reference=reference, last_name="Yilmaz").get_data(as_text=True)
    assert "no longer valid" in page
    assert "Valid letter for" not in page
    assert _download(app, head).status_code == 409  # and it is not printed again


def test_bad_input_on_the_check_page_is_a_message_not_an_error(expo):
    app, event, head, member = expo
    assert _check(app).status_code == 200  # the empty form
    assert _check(app, reference="BAMEX25-X").status_code == 422  # no name
    assert _check(app, reference="B" * 5000, last_name="x").status_code == 422
    response = _check(app, reference="BAMEX25-\u202e%00", last_name="\u202bمعرض")
    assert response.status_code in (200, 422)
    assert NEUTRAL in response.get_data(as_text=True) or response.status_code == 422


def test_checks_that_match_nothing_are_throttled(expo):
    app, event, head, member = expo
    _download(app, head)
    reference = db.session.execute(select(VisaLetter.reference)).scalar_one()
    app.config["EXPO_LETTER_CHECK_LIMIT"] = "3 per hour"
    try:
        for _ in range(3):
            assert _check(app, reference="BAMEX25-AAAAAAAA", last_name="x").status_code == 200
        assert _check(app, reference="BAMEX25-AAAAAAAA", last_name="x").status_code == 429
        # Over the limit even a right answer waits: the door is shut for the address.
        assert _check(app, reference=reference, last_name="Yılmaz").status_code == 429
    finally:
        app.config.pop("EXPO_LETTER_CHECK_LIMIT")


def test_the_cli_writes_every_due_letter_with_its_reference(expo, tmp_path):
    app, event, head, member = expo
    _download(app, head)
    before = db.session.execute(select(VisaLetter.reference)).scalar_one()
    result = app.test_cli_runner().invoke(
        args=["visa-letters", "--event", "bamex25", "--out", str(tmp_path / "letters")]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 2 visa invitation letter(s)" in result.output
    db.session.expire_all()
    references = set(db.session.execute(select(VisaLetter.reference)).scalars())
    assert before in references and len(references) == 2
    assert {p.stem for p in (tmp_path / "letters").glob("*.pdf")} == references
    text = Pdf.read((tmp_path / "letters" / f"{before}.pdf").read_bytes()).flat()
    assert "Ayşe Yılmaz" in text and NUMBER in text
