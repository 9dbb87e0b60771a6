"""The morning figures with their server-drawn charts, and the audit log of the event."""

from __future__ import annotations

from expo_app.exhibitors.services import reserve_stand
from expo_app.organiser.services import morning_figures
from tests.kit import factories as f


def test_the_morning_figures(organiser, expo, db):
    reserve_stand(expo.stands[0].id, expo.anka.id)
    delegate = f.make_delegate(expo.event, "approved")
    slot = f.make_slot(expo.event, 9)
    table = f.make_table(expo.event, expo.lounge)
    f.make_meeting(f.make_request(expo.event, delegate, expo.anka), slot, table)
    db.session.commit()
    figures = morning_figures(expo.event)
    assert figures.stands["reserved"] == 1 and figures.stands["available"] == 2
    assert figures.accreditation["pending"] == 3
    assert figures.requests["accepted"] == 1
    [day] = figures.days
    assert (day.meetings, day.slots, day.slots_used, day.table_meetings) == (1, 1, 1, 1)
    html = organiser.get(expo.url()).get_data(as_text=True)
    assert "accreditations pending" in html and 'role="img"' in html
    assert "<desc" in html and "confirmed: 0; on hold: 1; available: 2" in html


def test_the_audit_log_shows_who_changed_what(organiser, expo):
    organiser.post(expo.url("accreditation"), data={"act": f"approve-{expo.pending[0].id}"})
    html = organiser.get(expo.url("audit/")).get_data(as_text=True)
    assert "participant.accredited" in html
    assert "organiser@example.org" in html
    assert "<del>pending</del> → <ins>approved</ins>" in html
    filtered = organiser.get(expo.url("audit/?entity=Stand")).get_data(as_text=True)
    assert "participant.accredited" not in filtered
