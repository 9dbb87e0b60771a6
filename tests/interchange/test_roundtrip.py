"""Import then export gives the document back: every key, every value, in document order."""

from __future__ import annotations

import copy
import io
import json
import random

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from bench.generate_event import OPTIONAL_DEFAULTS, generate_event
from expo_app.accounts.models import EventOrganiser
from expo_app.accounts.services import create_user, make_organiser_of
from expo_app.delegations.models import Delegation, Participant, ParticipantZone
from expo_app.events.models import EventDay
from expo_app.exhibitors.models import Exhibitor
from expo_app.extensions import db
from expo_app.interchange import dump_document, export_event, import_event
from expo_app.matchmaking.models import Meeting
from expo_app.seeding import DEFAULT_SEED
from tests.interchange.documents import small_document, without_tables
from tests.interchange.helpers import exported, round_trip, row_counts


def with_defaults(document: dict) -> dict:
    """The document as export writes it: optional keys present, defaults filled in."""
    document = copy.deepcopy(document)
    for name, defaults in OPTIONAL_DEFAULTS.items():
        for item in [document[name]] if name == "event" else document[name]:
            for key, default in defaults.items():
                if key != "description_fr":  # an extension: exported only when set
                    item.setdefault(key, copy.deepcopy(default))
    return document


def test_the_small_document_comes_back_unchanged(backend_app):
    first, second = round_trip(small_document())
    assert first == small_document()
    assert second == first


def test_a_document_without_tables_comes_back_with_null_tables(backend_app):
    first, second = round_trip(without_tables(small_document()))
    assert first["meeting_tables"] == []
    assert [meeting["table"] for meeting in first["meetings"]] == [None, None, None]
    assert first == second == without_tables(small_document())


@pytest.mark.parametrize(
    "options",
    [
        {"seed": 1},
        {"seed": 2, "tables": 0},
        {"seed": 3, "minimal": True},
        {"seed": 4, "minimal": True, "tables": 0, "days": 1},
        {"seed": 5, "exhibitors": 80, "participants": 2000, "requests": 700, "tables": 40},
    ],
)
def test_generated_events_round_trip(app, options):
    document = generate_event(**options)
    first, second = round_trip(document)
    assert first == with_defaults(document)
    assert second == first


def test_a_large_generated_event_round_trips_on_both_backends(backend_app):
    document = generate_event(exhibitors=120, participants=3000, requests=1000, tables=50, seed=9)
    first, second = round_trip(document)
    assert first == document
    assert second == first


def test_the_seed_event_round_trips(app):
    document = json.loads(DEFAULT_SEED.read_text(encoding="utf-8"))
    first, second = round_trip(document)
    assert first == with_defaults(document)
    assert second == first


def test_lists_come_back_in_document_order_not_in_id_order(app):
    document = generate_event(seed=11)
    shuffle = random.Random(11).shuffle
    for name in (
        "locations",
        "exhibitors",
        "stands",
        "participants",
        "meeting_slots",
        "meeting_tables",
        "availability",
        "meeting_requests",
        "meetings",
    ):
        shuffle(document[name])
    document["days"].reverse()
    first, second = round_trip(document)
    assert first == document
    assert second == first


def test_export_names_every_key_and_extensions_only_when_set(app):
    document = generate_event(seed=3, minimal=True, tables=0)
    first = export_event(import_event(document))
    free_stand = next(stand for stand in first["stands"] if stand["status"] == "available")
    assert "exhibitor" in free_stand and free_stand["exhibitor"] is None
    assert all("table" in meeting and meeting["table"] is None for meeting in first["meetings"])
    assert all(
        set(item) >= {"accreditation", "zones", "delegation"} for item in first["participants"]
    )
    with_french = [item for item in document["exhibitors"] if "description_fr" in item]
    assert with_french and len(with_french) < len(document["exhibitors"])
    assert sum("description_fr" in item for item in first["exhibitors"]) == len(with_french)


def test_numbers_and_times_are_written_in_their_simplest_form(app):
    first = export_event(import_event(small_document()))
    stand = first["stands"][0]
    assert stand["price"] == 1350000 and isinstance(stand["price"], int)
    assert isinstance(stand["width_m"], int) and isinstance(stand["x_m"], int)
    assert first["stands"][1]["price"] == 1234.5
    assert first["sessions"][0]["start"] == "2025-11-11T09:30"
    assert first["sessions"][0]["end"] == "2025-11-11T10:15:30"  # seconds only when not zero
    assert first["locations"][2]["restricted"] is True


def test_import_stores_kinds_zones_heads_and_meeting_places(app):
    event = import_event(small_document())
    day = (
        db.session.execute(
            select(EventDay).where(EventDay.event_id == event.id).order_by(EventDay.id)
        )
        .scalars()
        .first()
    )
    assert day.kinds == ["matchmaking", "static_display"]
    awa = db.session.execute(select(Participant).filter_by(ref="p-awa")).scalar_one()
    assert [zone.location.ref for zone in awa.zones] == ["lounge", "press"]
    head = db.session.execute(select(Delegation).filter_by(ref="d-ml")).scalar_one().head
    assert head.ref == "p-awa"
    sahel = db.session.execute(select(Exhibitor).filter_by(ref="e-sahel")).scalar_one()
    assert sahel.sector_names == ["UAVs", "Radar"]
    places = db.session.execute(
        select(Meeting.capacity_place, Meeting.exhibitor_capacity)
        .where(Meeting.exhibitor_id == sahel.id)
        .order_by(Meeting.id)
    ).all()
    assert places == [(1, 2), (2, 2)]
    assert db.session.execute(select(ParticipantZone)).scalars().all()


def test_export_runs_the_same_number_of_queries_for_a_small_and_a_large_event(app):
    small = import_event(generate_event(seed=1, slug="small", participants=20, requests=10))
    large = import_event(generate_event(seed=1, slug="large", participants=600, requests=300))
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):  # not SQLite's BEGIN
            statements.append(statement)

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        export_event(small)
        small_count = len(statements)
        statements.clear()
        export_event(large)
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == small_count <= 15


def test_dump_document_writes_indented_utf8_json():
    buffer = io.StringIO()
    dump_document(small_document(), buffer)
    text = buffer.getvalue()
    assert "Awa Traoré" in text and "\\u" not in text
    assert '\n  "event": {\n    "name"' in text
    assert json.loads(text) == small_document()


def test_replace_swaps_the_event_keeps_account_links_and_leaves_other_events_alone(app):
    import_event(small_document())
    organiser = create_user("boss@example.org", "long-password-1", "organiser")
    exhibitor_user = create_user("sahel@example.org", "long-password-2", "exhibitor")
    event = import_event(generate_event(seed=2, slug="other-expo"))
    make_organiser_of(organiser, event.id)
    db.session.execute(
        select(Exhibitor).filter_by(ref="e-sahel")
    ).scalar_one().user_id = exhibitor_user.id
    db.session.commit()
    counts = row_counts()

    changed = small_document()
    changed["event"]["name"] = "Petite Expo, revised"
    import_event(changed, replace=True)

    assert exported("petite-expo") == changed
    assert exported("other-expo") == export_event(event)
    assert row_counts() == counts
    new_id = db.session.execute(select(Exhibitor.event_id).filter_by(ref="e-sahel")).scalar_one()
    # The organiser of the other event did not become an organiser of this one.
    assert db.session.get(EventOrganiser, (organiser.id, new_id)) is None
    sahel = db.session.execute(select(Exhibitor).filter_by(ref="e-sahel")).scalar_one()
    assert sahel.user_id == exhibitor_user.id


def test_replace_keeps_the_organisers_of_the_replaced_event(app):
    event = import_event(small_document())
    organiser = create_user("boss@example.org", "long-password-1", "organiser")
    make_organiser_of(organiser, event.id)
    db.session.commit()
    replaced = import_event(small_document(), replace=True)
    assert db.session.get(EventOrganiser, (organiser.id, replaced.id)) is not None


def test_replacing_an_event_leaves_no_rows_of_the_old_one(backend_app):
    document = generate_event(seed=6, participants=500, requests=200)
    import_event(document)
    counts = row_counts()
    import_event(document, replace=True)
    assert row_counts() == counts
    assert exported(document["event"]["slug"]) == document


def test_a_pending_or_refused_registration_survives_the_round_trip(app):
    document = small_document()
    document["exhibitors"][0]["approval"] = "pending"
    first = export_event(import_event(document))
    assert first["exhibitors"][0]["approval"] == "pending"
    assert all("approval" not in item for item in first["exhibitors"][1:])
    db.session.delete(db.session.execute(select(Exhibitor)).scalars().first().event)
    db.session.commit()
    second = export_event(import_event(first))
    assert second == first
