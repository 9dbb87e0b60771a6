"""The audit log keeps who changed what, from what to what."""

from expo_app.audit.services import record, snapshot
from expo_app.extensions import db
from expo_app.models import AuditEntry
from tests.kit import factories as f


def test_an_entry_keeps_only_the_fields_that_changed(app):
    event = f.make_event()
    exhibitor = f.make_exhibitor(event, "Baykar")
    before = snapshot(exhibitor)
    exhibitor.meeting_capacity = 3
    record("update", exhibitor, before=before, after=snapshot(exhibitor))
    db.session.commit()
    entry = db.session.query(AuditEntry).one()
    assert entry.event_id == event.id and entry.entity == "Exhibitor"
    assert entry.before == {"meeting_capacity": 1}
    assert entry.after == {"meeting_capacity": 3}


def test_an_entry_rolls_back_with_the_change_it_describes(app):
    event = f.make_event()
    db.session.commit()
    record("update", f.make_exhibitor(event), after={"name": "X"})
    db.session.rollback()
    assert db.session.query(AuditEntry).count() == 0
