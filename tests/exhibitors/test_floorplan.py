"""The floor plan service: stands to scale, with words that say everything colour says."""

from __future__ import annotations

from expo_app.exhibitors.floorplan import PIXELS_PER_METRE, floor_plan, format_price
from expo_app.exhibitors.services import reserve_stand
from expo_app.extensions import db
from tests.kit import factories as f


def test_each_stand_has_an_accessible_name_with_size_price_and_status(app, portal):
    reserve_stand(portal.stands[1].id, portal.borealis.id)
    (plan,) = floor_plan(portal.event, viewer=portal.anka, locale="en_GB")
    labels = [stand.label for stand in plan.stands]
    assert labels == [
        "A-01, 9 m², 2,250 EUR, available",
        "A-02, 9 m², 2,250 EUR, on hold, Borealis Optics",
        "A-03, 9 m², 2,250 EUR, available",
    ]
    assert plan.counts == {"available": 2, "reserved": 1}


def test_the_viewer_recognises_its_own_stand(app, portal):
    reserve_stand(portal.stands[0].id, portal.anka.id)
    (plan,) = floor_plan(portal.event, viewer=portal.anka, locale="en_GB")
    mine = plan.stands[0]
    assert mine.mine and mine.label == "A-01, 9 m², 2,250 EUR, on hold for you"


def test_stands_are_drawn_to_scale_and_unplaced_ones_go_below(app, portal):
    loose = f.make_stand(portal.event, portal.hall, "A-99")
    loose.x_m = loose.y_m = None
    loose.width_m = 6
    db.session.commit()
    (plan,) = floor_plan(portal.event, locale="en_GB")
    placed = plan.stands[0]
    assert (placed.x, placed.y, placed.width, placed.depth) == (1, 1, 3, 3)
    assert plan.scale == PIXELS_PER_METRE
    below = next(s for s in plan.stands if s.ref == "A-99")
    assert not below.placed and below.y >= 4  # under the stands that end at y = 4 m
    assert plan.pixel_width >= (below.x + below.width) * plan.scale


def test_prices_and_sizes_follow_the_readers_language():
    assert format_price(2250, "EUR", "en_GB") == "2,250 EUR"
    assert format_price(2250, "EUR", "fr") == "2\u202f250 EUR"
    assert format_price(2250.5, "XOF", "fr") == "2\u202f250,50 XOF"
    assert format_price(None, "EUR", "fr") == ""


def count_statements(action) -> int:
    from sqlalchemy import event as sa_event

    statements = []

    def count(*_args):
        statements.append(1)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_stands(app, portal):
    def draw():
        db.session.expire_all()
        floor_plan(portal.event, viewer=portal.anka, locale="en_GB")
        db.session.commit()

    reserve_stand(portal.stands[0].id, portal.borealis.id)
    db.session.commit()
    few = count_statements(draw)
    other_hall = f.make_location(portal.event, "hall", name="Hall B")
    for n in range(30):
        stand = f.make_stand(portal.event, other_hall, f"B-{n:02d}")
        reserve_stand(stand.id, f.make_exhibitor(portal.event).id)
    db.session.commit()
    assert count_statements(draw) == few
