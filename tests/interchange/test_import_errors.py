"""A refused import changes nothing: the error names the JSON path, and every table is as before.

The importer flushes and never commits; its writes sit in a savepoint, so a refusal leaves
the caller's transaction as it was, whether the caller then rolls back or commits."""

from __future__ import annotations

import io
import json
import sys

import pytest

from bench.generate_event import generate_event
from expo_app.extensions import db
from expo_app.interchange import InterchangeError, import_event, load_event_file
from expo_app.interchange import importer as importer_module
from tests.interchange.documents import BROKEN, small_document
from tests.interchange.helpers import exported, row_counts


def _import_other_event() -> dict:
    import_event(generate_event(seed=4, slug="other-expo", participants=80, requests=40))
    db.session.commit()  # as `expo import-event` does
    return exported("other-expo")


def committed_snapshot() -> tuple[dict[str, int], dict]:
    """The tables once the caller carried on and committed, read in a new transaction."""
    db.session.commit()
    db.session.remove()
    return snapshot()


@pytest.fixture
def other_event(app):
    """An event already in the database, so 'unchanged' means more than 'still empty'."""
    return _import_other_event()


@pytest.fixture
def other_event_on_each_backend(backend_app):
    """The same, once on SQLite and once on PostgreSQL."""
    return _import_other_event()


def snapshot() -> tuple[dict[str, int], dict]:
    return row_counts(), exported("other-expo")


@pytest.mark.parametrize(
    ("change", "path", "words"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_a_broken_document_is_refused_and_nothing_is_written(other_event, change, path, words):
    before = snapshot()
    doc = small_document()
    change(doc)
    with pytest.raises(InterchangeError) as caught:
        import_event(doc)
    assert caught.value.path == path
    assert words in caught.value.reason
    assert snapshot() == before


def test_a_file_of_invalid_json_is_refused_with_its_position(other_event, tmp_path):
    before = snapshot()
    source = tmp_path / "broken.json"
    source.write_text(json.dumps(small_document(), indent=2)[:-40], encoding="utf-8")
    with pytest.raises(InterchangeError) as caught:
        load_event_file(source)
    assert caught.value.path == "$"
    assert "invalid JSON at line" in caught.value.reason
    assert snapshot() == before


def test_a_missing_file_is_an_os_error(app, tmp_path):
    with pytest.raises(FileNotFoundError):
        load_event_file(tmp_path / "nowhere.json")


def test_a_document_is_read_from_standard_input_for_a_dash(app, monkeypatch):
    data = json.dumps(small_document()).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    event = load_event_file("-")
    assert event.slug == "petite-expo"
    assert exported("petite-expo") == small_document()


def test_an_existing_slug_is_refused_without_replace(other_event_on_each_backend):
    before = snapshot()
    doc = small_document()
    doc["event"]["slug"] = "other-expo"
    with pytest.raises(InterchangeError) as caught:
        import_event(doc)
    assert caught.value.path == "event.slug"
    assert '"other-expo" already exists (use --replace)' in caught.value.reason
    assert snapshot() == before


def test_replace_with_a_broken_document_keeps_the_old_event(other_event_on_each_backend):
    before = snapshot()
    doc = small_document()
    doc["event"]["slug"] = "other-expo"
    doc["meetings"].append({"request": "r-1", "slot": "s-0930", "table": "t-2"})
    with pytest.raises(InterchangeError) as caught:
        import_event(doc, replace=True)
    assert caught.value.path == "meetings[3].request"
    assert snapshot() == before
    assert committed_snapshot() == before


def test_a_replace_that_fails_half_way_leaves_the_old_event_intact(
    other_event_on_each_backend, monkeypatch
):
    before = snapshot()
    written: list[str] = []

    def fail_after_people(self, event_id):
        written.append("people")  # the old event is deleted and half the new one written
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer_module._Importer, "insert_matchmaking", fail_after_people)
    doc = small_document()
    doc["event"]["slug"] = "other-expo"
    with pytest.raises(RuntimeError, match="disk full"):
        import_event(doc, replace=True)
    assert written == ["people"]
    assert snapshot() == before
    assert committed_snapshot() == before


def test_a_refusal_by_the_database_is_an_interchange_error_and_writes_nothing(
    other_event_on_each_backend, monkeypatch
):
    before = snapshot()
    monkeypatch.setattr(importer_module, "validate_document", lambda document: None)
    doc = small_document()
    doc["participants"][2]["email"] = "AWA@EXAMPLE.ORG"  # the unique index on lower(email)
    with pytest.raises(InterchangeError) as caught:
        import_event(doc)
    assert caught.value.path == "$"
    assert "the database refused the document" in caught.value.reason
    assert snapshot() == before
    assert committed_snapshot() == before


def test_progress_is_reported_for_every_stage(app):
    reports: list[tuple[str, int, int]] = []
    import_event(small_document(), progress=lambda *report: reports.append(report))
    finished = {stage for stage, done, total in reports if done == total}
    assert {"validating", "participants", "meeting requests", "meetings"} <= finished
    assert ("participants", 7, 7) in reports


def _document_text(**extra: str) -> str:
    """The small document as JSON text, with raw JSON `extra` values added to the event."""
    text = json.dumps(small_document())
    additions = "".join(f', "{key}": {value}' for key, value in extra.items())
    return text.replace('"slug": "petite-expo"', '"slug": "petite-expo"' + additions, 1)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("9" * 5000, "has 5,000 digits"),
        ("-" + "1" * 31, "has 31 digits"),
    ],
    ids=["deeply nested", "5000-digit integer", "31-digit negative integer"],
)
def test_a_document_python_cannot_parse_is_refused_in_one_line(other_event, tmp_path, raw, words):
    before = snapshot()
    source = tmp_path / "hostile.json"
    source.write_text(_document_text(note=raw), encoding="utf-8")
    with pytest.raises(InterchangeError) as caught:
        load_event_file(source)
    assert caught.value.path == "$"
    assert words in caught.value.reason
    assert snapshot() == before


@pytest.mark.parametrize(
    "raw", ["[" * 100_000 + "]" * 100_000, "9" * 5000], ids=["deeply nested", "huge integer"]
)
def test_expo_import_event_prints_one_line_for_a_document_python_cannot_parse(app, tmp_path, raw):
    from expo_app.cli import main

    source = tmp_path / "hostile.json"
    source.write_text(_document_text(note=raw), encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["import-event", str(source)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("Error: $: ")


def test_a_web_address_in_a_document_is_stored_as_written(app):
    doc = small_document()
    doc["exhibitors"][0]["website"] = "http://[2001:db8::1]:8080/catalogue?lang=fr#top"
    import_event(doc)
    assert exported("petite-expo")["exhibitors"][0]["website"] == doc["exhibitors"][0]["website"]


def test_a_web_address_without_its_scheme_is_refused_with_the_way_to_write_it(app):
    doc = small_document()
    doc["exhibitors"][1]["website"] = "www.atlas.example.com"
    with pytest.raises(InterchangeError) as caught:
        import_event(doc)
    assert caught.value.path == "exhibitors[1].website"
    assert "https://" in caught.value.reason
