"""Schedule conflicts: what can never be saved (errors) and what the organiser may keep
on purpose (warnings), each explained."""

from __future__ import annotations

from datetime import datetime

from expo_app.events.conflicts import Draft, check, day_problems


def draft(expo, **changes) -> Draft:
    values = dict(
        title="New",
        kind="conference",
        start=datetime(2025, 11, 11, 10),
        end=datetime(2025, 11, 11, 11),
        location_id=expo.hall.id,
    )
    values.update(changes)
    return Draft(**values)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_a_session_that_fits_has_no_problem(expo):
    assert check(expo.event, draft(expo), []) == []


def test_ending_before_starting_is_an_error(expo):
    problems = check(expo.event, draft(expo, end=datetime(2025, 11, 11, 9)), [])
    assert codes(problems) == ["ends_before_start"]
    assert problems[0].is_error and problems[0].field == "end"


def test_an_unknown_location_is_an_error(expo):
    assert codes(check(expo.event, draft(expo, location_id=99999), [])) == ["unknown_location"]


def test_a_day_outside_the_event_is_an_error(expo):
    when = dict(start=datetime(2025, 12, 1, 10), end=datetime(2025, 12, 1, 11))
    assert codes(check(expo.event, draft(expo, **when), [])) == ["not_an_event_day"]


def test_two_sessions_in_one_location_at_once_warn_and_name_the_other(expo):
    problems = check(
        expo.event,
        draft(
            expo,
            location_id=expo.zone.id,
            kind="demo",
            start=datetime(2025, 11, 13, 9, 30),
            end=datetime(2025, 11, 13, 10, 30),
        ),
        [expo.demo],
    )
    assert codes(problems) == ["location_taken"]
    assert not problems[0].is_error
    assert "Anka demo" in problems[0].message and problems[0].others == [expo.demo.id]


def test_touching_sessions_do_not_clash(expo):
    at_ten = draft(
        expo,
        location_id=expo.zone.id,
        kind="demo",
        start=datetime(2025, 11, 13, 10),
        end=datetime(2025, 11, 13, 11),
    )
    assert check(expo.event, at_ten, [expo.demo, expo.other_demo]) == []


def test_an_exhibitor_with_two_demos_at_once_warns(expo):
    elsewhere = draft(
        expo,
        kind="demo",
        exhibitor_id=expo.anka.id,
        location_id=expo.hall.id,
        start=datetime(2025, 11, 13, 9),
        end=datetime(2025, 11, 13, 9, 30),
    )
    assert codes(check(expo.event, elsewhere, [expo.demo])) == ["exhibitor_busy"]


def test_outside_opening_hours_warns(expo):
    late = draft(expo, start=datetime(2025, 11, 11, 17), end=datetime(2025, 11, 11, 19))
    problems = check(expo.event, late, [])
    assert codes(problems) == ["outside_hours"]
    assert "09:00–18:00" in problems[0].message


def test_demo_and_matchmaking_on_the_wrong_days_warn(expo):
    demo = draft(expo, kind="demo")  # 11 Nov: static display and matchmaking
    assert codes(check(expo.event, demo, [])) == ["demo_day"]
    meeting = draft(
        expo, kind="matchmaking", start=datetime(2025, 11, 13, 9), end=datetime(2025, 11, 13, 10)
    )
    assert codes(check(expo.event, meeting, [])) == ["matchmaking_day"]


def test_a_day_lists_each_clash_on_both_sessions(expo, db):
    expo.other_demo.start, expo.other_demo.end = expo.demo.start, expo.demo.end
    db.session.flush()
    found = day_problems(expo.event, [expo.demo, expo.other_demo])
    assert codes(found[expo.demo.id]) == ["location_taken"]
    assert codes(found[expo.other_demo.id]) == ["location_taken"]
