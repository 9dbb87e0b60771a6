"""A personal agenda: a page per event day with one's meetings and the day's programme."""

from __future__ import annotations

import io

from sqlalchemy import select

from expo_app.extensions import db
from expo_app.models import Exhibitor, Meeting, Participant
from expo_app.programme.agenda import build_personal_agenda
from tests.programme.pdftext import Pdf


def agenda(event, who, meetings, lang="en") -> Pdf:
    out = io.BytesIO()
    build_personal_agenda(event, who, meetings, out, lang)
    return Pdf.read(out.getvalue())


def meetings_where(*conditions) -> list[Meeting]:
    return list(db.session.execute(select(Meeting).where(*conditions)).scalars())


def test_delegate_agenda_has_a_page_per_day_with_each_meeting(bamex):
    first = db.session.execute(select(Meeting).order_by(Meeting.id)).scalars().first()
    delegate = db.session.get(Participant, first.delegate_id)
    meetings = meetings_where(Meeting.delegate_id == delegate.id)
    pdf = agenda(bamex, delegate, meetings)

    assert len(pdf.pages) == 4
    assert [title for _, title, _ in pdf.outline()] == [
        "Tuesday, November 11, 2025",
        "Wednesday, November 12, 2025",
        "Thursday, November 13, 2025",
        "Friday, November 14, 2025",
    ]
    for meeting in meetings:
        page = pdf.pages[(meeting.slot.start.date() - bamex.start_date).days]
        assert meeting.exhibitor.name in " ".join(page.split())
        if meeting.table is not None:
            assert f"Table {meeting.table.ref}" in page
    assert delegate.name in pdf.pages[0]
    # Demo days have no meetings but still show the day's programme.
    assert "No meetings on this day." in pdf.pages[2]
    assert "Baykar UAV flight demonstration" in pdf.pages[2]
    assert "Access with an authorised badge only." in pdf.pages[2]


def test_exhibitor_agenda_names_the_delegates_met(bamex):
    exhibitor_id = db.session.execute(select(Meeting.exhibitor_id)).scalars().first()
    exhibitor = db.session.get(Exhibitor, exhibitor_id)
    meetings = meetings_where(Meeting.exhibitor_id == exhibitor.id)
    pdf = agenda(bamex, exhibitor, meetings, "fr")
    text = " ".join(pdf.text.split())
    assert "mardi 11 novembre 2025" in text
    for meeting in meetings:
        assert meeting.delegate.name in text


def test_agenda_without_meetings_is_still_a_page_per_day(bamex):
    delegate = (
        db.session.execute(
            select(Participant)
            .where(Participant.role == "delegate")
            .order_by(Participant.id.desc())
        )
        .scalars()
        .first()
    )
    pdf = agenda(bamex, delegate, [])
    assert len(pdf.pages) == 4
    assert all("No meetings on this day." in page for page in pdf.pages)
