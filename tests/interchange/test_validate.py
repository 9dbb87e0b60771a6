"""Checking expo-event/1 documents without a database: what passes, what is refused, and where."""

from __future__ import annotations

import json
import time

import pytest
from jsonschema import Draft202012Validator

from bench.generate_event import generate_event
from expo_app.interchange import InterchangeError, load_schema, parse_document, validate_document
from expo_app.interchange.validate import json_path
from expo_app.seeding import DEFAULT_SEED
from tests.interchange.documents import BROKEN, small_document, without_tables


def refusal(document) -> InterchangeError:
    with pytest.raises(InterchangeError) as caught:
        validate_document(document)
    return caught.value


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(load_schema())


def test_the_small_document_is_valid():
    validate_document(small_document())


def test_meetings_without_tables_are_valid_when_the_event_has_no_tables():
    validate_document(without_tables(small_document()))


def test_the_seed_event_is_valid():
    validate_document(json.loads(DEFAULT_SEED.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"seed": 2, "tables": 0},
        {"seed": 3, "minimal": True},
        {"exhibitors": 0, "participants": 10, "requests": 5},
        {"days": 1, "slots_per_day": 40, "tables": 3},
        {"participants": 0, "requests": 0},
    ],
)
def test_generated_documents_are_valid(options):
    validate_document(generate_event(**options))


def test_the_generator_is_deterministic_for_a_seed():
    assert generate_event(seed=7) == generate_event(seed=7)
    assert generate_event(seed=7) != generate_event(seed=8)


def test_optional_keys_may_be_null_or_absent():
    doc = small_document()
    doc["event"]["venue"] = None
    del doc["event"]["city"]
    del doc["stands"][2]["status"]  # absent status means available
    doc["participants"][3] = {
        "id": "p-pending",
        "name": "Ibrahim Diallo",
        "email": "ibrahim@example.org",
        "role": "delegate",
    }
    for key in ("sessions", "availability"):
        doc[key] = None
    del doc["delegations"][1]["head"]
    validate_document(doc)


def test_keys_from_later_versions_are_accepted():
    doc = small_document()
    doc["sponsors"] = [{"id": "sp-1"}]
    doc["participants"][0]["badge_colour"] = "gold"
    doc["event"]["hashtag"] = "#expo"
    validate_document(doc)


@pytest.mark.parametrize(
    ("change", "path", "words"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_a_broken_document_is_refused_naming_the_path(change, path, words):
    doc = small_document()
    change(doc)
    error = refusal(doc)
    assert error.path == path
    assert words in error.reason
    assert str(error) == f"{path}: {error.reason}"


def test_the_first_problem_in_check_order_is_reported():
    doc = small_document()
    doc["meetings"][0]["table"] = "t-x"  # a dangling reference...
    doc["participants"][5]["name"] = 7  # ...and, later in the document, a schema error
    assert refusal(doc).path == "participants[5].name"


def test_of_two_schema_errors_the_earlier_in_the_document_is_reported():
    doc = small_document()
    doc["participants"][6]["role"] = "boss"
    doc["participants"][2]["email"] = "not an email"
    assert refusal(doc).path == "participants[2].email"


def test_an_event_with_tables_needs_a_table_for_every_meeting_but_one_without_needs_none():
    doc = small_document()
    doc["meetings"][2]["table"] = None
    assert refusal(doc).path == "meetings[2].table"
    validate_document(without_tables(small_document()))


def test_an_exhibitor_may_hold_as_many_meetings_at_once_as_its_capacity():
    doc = small_document()
    doc["exhibitors"][0]["meeting_capacity"] = 1
    error = refusal(doc)
    assert error.path == "meetings[1].slot"
    assert "meeting_capacity" in error.reason


def test_an_overlap_with_a_slot_listed_later_names_the_later_one():
    doc = small_document()
    doc["meeting_slots"][0].update(start="2025-11-11T09:15", end="2025-11-11T09:45")
    error = refusal(doc)
    assert error.path == "meeting_slots[1]"
    assert '"s-0900"' in error.reason


def test_a_request_from_a_vip_is_allowed_but_not_from_exhibitor_staff():
    doc = small_document()
    doc["meeting_requests"][3]["delegate"] = "p-vip"
    validate_document(doc)
    doc["meeting_requests"][3]["delegate"] = "p-staff"
    assert refusal(doc).path == "meeting_requests[3].delegate"


def test_parse_document_reads_bytes_and_a_byte_order_mark():
    text = json.dumps(small_document())
    assert parse_document(text.encode("utf-8")) == small_document()
    assert parse_document("\ufeff".encode() + text.encode()) == small_document()


def test_invalid_json_is_refused_with_its_line_and_column():
    with pytest.raises(InterchangeError) as caught:
        parse_document('{\n  "format": "expo-event/1",\n  "event": {,}\n}')
    assert caught.value.path == "$"
    assert "line 3, column 13" in caught.value.reason


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"format": NaN}', "NaN is not a JSON number"),
        ("[1, 2]", "must be a JSON object, not a list"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_text_that_is_not_a_json_object_is_refused(text, words):
    with pytest.raises(InterchangeError) as caught:
        parse_document(text)
    assert caught.value.path == "$"
    assert words in caught.value.reason


@pytest.mark.parametrize(
    ("parts", "path"),
    [
        ([], "$"),
        (["event", "slug"], "event.slug"),
        (["participants", 12, "zones", 0], "participants[12].zones[0]"),
    ],
)
def test_json_paths_read_like_the_document(parts, path):
    assert json_path(parts) == path


def test_a_large_document_is_validated_in_seconds():
    doc = generate_event(exhibitors=400, participants=10_000, requests=3_000, tables=60)
    started = time.perf_counter()
    validate_document(doc)
    # About 0.7 s here; 50,000 participants take about 3.5 s (see bench/bench_interchange.py).
    assert time.perf_counter() - started < 10
