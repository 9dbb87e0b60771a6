"""--replace also removes what the format does not carry, such as demo requests."""

from __future__ import annotations

from sqlalchemy import select

from expo_app.delegations.models import Delegation
from expo_app.exhibitors.models import DemoAllowedCountry, DemoRequest, Exhibitor
from expo_app.extensions import db
from expo_app.interchange import import_event
from tests.interchange.documents import small_document
from tests.interchange.helpers import exported, row_counts


def test_replace_deletes_what_the_format_does_not_carry_such_as_demo_requests(backend_app):
    event = import_event(small_document())
    exhibitor = db.session.execute(select(Exhibitor).filter_by(ref="e-sahel")).scalar_one()
    delegation = db.session.execute(select(Delegation).filter_by(ref="d-ml")).scalar_one()
    demo = DemoRequest(
        event_id=event.id, exhibitor_id=exhibitor.id, title="Night flight", duration_min=30
    )
    demo.allowed_delegations.append(delegation)
    demo.allowed_countries.append(DemoAllowedCountry(country="ML"))
    db.session.add(demo)
    db.session.commit()
    counts_with_demo = row_counts()
    assert counts_with_demo["demo_requests"] == 1

    import_event(small_document(), replace=True)

    counts = row_counts()
    assert counts["demo_requests"] == counts["demo_allowed_countries"] == 0
    assert counts["demo_allowed_delegations"] == 0
    assert counts["participants"] == counts_with_demo["participants"]
    assert exported("petite-expo") == small_document()
