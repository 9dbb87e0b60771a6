"""The `expo` command as scripts and people use it: exit codes, one-line errors, no
tracebacks, and the database untouched by a failed command."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from expo_app.accounts.models import User
from expo_app.extensions import db
from expo_app.models import Event, Meeting, Participant
from expo_app.seeding import DEFAULT_SEED


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args, input=None):
        result = runner.invoke(args=list(args), input=input, catch_exceptions=False)
        db.session.remove()
        return result

    return run


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_seed_loads_bamex25_and_prints_the_demo_logins(cli):
    result = cli("seed")
    assert result.exit_code == 0, result.output
    assert "/e/bamex25/" in result.output
    for role in ("organiser", "exhibitor", "delegate", "gate"):
        assert f"{role}@example.org" in result.output
    event = db.session.execute(select(Event)).scalar_one()
    assert event.name == "BAMEX'25" and event.timezone == "Africa/Bamako"
    assert count(Meeting) > 0


def test_seed_twice_changes_nothing(cli):
    cli("seed")
    before = (count(Event), count(Participant), count(Meeting), count(User))
    result = cli("seed")
    assert result.exit_code == 0
    assert "already loaded" in result.output
    assert (count(Event), count(Participant), count(Meeting), count(User)) == before


def test_seeded_demo_accounts_can_sign_in(cli, client):
    result = cli("seed")
    line = next(x for x in result.output.splitlines() if "delegate@example.org" in x)
    password = line.split()[-1]
    response = client.post("/login", data={"email": "delegate@example.org", "password": password})
    assert response.status_code == 302


def test_the_seeded_gate_account_works_the_bamex25_gate(cli, client):
    result = cli("seed")
    line = next(x for x in result.output.splitlines() if "gate@example.org" in x)
    client.post("/login", data={"email": "gate@example.org", "password": line.split()[-1]})
    assert client.get("/e/bamex25/gate/").status_code == 200
    assert client.get("/e/bamex25/manage/").status_code == 403


def test_export_then_import_elsewhere_gives_the_same_document(cli, tmp_path):
    cli("seed")
    first = tmp_path / "first.json"
    assert cli("export-event", "--event", "bamex25", str(first)).exit_code == 0
    # Without --replace the same slug is refused, and nothing changes.
    refused = cli("import-event", str(first))
    assert refused.exit_code != 0
    assert "event.slug" in refused.output and "Traceback" not in refused.output
    assert cli("import-event", "--replace", str(first)).exit_code == 0
    second = tmp_path / "second.json"
    assert cli("export-event", str(second)).exit_code == 0  # --event optional with one event
    assert json.loads(first.read_text()) == json.loads(second.read_text())


def test_export_to_stdout(cli):
    cli("seed")
    result = cli("export-event", "-")
    assert json.loads(result.output)["format"] == "expo-event/1"


def test_broken_import_names_the_json_path_and_changes_nothing(cli, tmp_path):
    document = json.loads(DEFAULT_SEED.read_text(encoding="utf-8"))
    document["participants"][3]["delegation"] = "no-such-delegation"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    result = cli("import-event", str(broken))
    assert result.exit_code != 0
    assert "participants[3].delegation" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert count(Event) == 0 and count(Participant) == 0


def test_invalid_json_is_refused_in_one_line(cli, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "expo-event/1", ')
    result = cli("import-event", str(broken))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert count(Event) == 0


def test_import_from_stdin(cli):
    result = cli("import-event", "-", input=DEFAULT_SEED.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert count(Event) == 1


def test_missing_file_is_a_one_line_error(cli, tmp_path):
    result = cli("import-event", str(tmp_path / "nope.json"))
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_export_needs_event_when_there_are_several(cli, tmp_path):
    result = cli("export-event", str(tmp_path / "x.json"))
    assert result.exit_code != 0 and "--event" in result.output


def test_create_user_from_the_shell(cli):
    result = cli(
        "create-user",
        "--email",
        "Chief@Example.org",
        "--role",
        "organiser",
        "--password-stdin",
        input="a long password\n",
    )
    assert result.exit_code == 0, result.output
    again = cli(
        "create-user",
        "--email",
        "chief@example.org",
        "--role",
        "delegate",
        "--password-stdin",
        input="another password\n",
    )
    assert again.exit_code != 0 and "already exists" in again.output
    short = cli(
        "create-user",
        "--email",
        "x@example.org",
        "--role",
        "delegate",
        "--password-stdin",
        input="short\n",
    )
    assert short.exit_code != 0 and "at least" in short.output
    assert count(User) == 1


def test_create_user_attaches_an_organiser_to_every_event_and_commits(cli):
    from expo_app.accounts.models import EventOrganiser

    cli("seed")
    before = count(EventOrganiser)
    result = cli(
        "create-user",
        "--email",
        "second@example.org",
        "--role",
        "organiser",
        "--password-stdin",
        input="a long password\n",
    )
    assert result.exit_code == 0, result.output
    assert count(EventOrganiser) == before + 1  # read back in a new transaction


def test_expire_requests_runs_on_every_event_and_says_how_many(cli):
    cli("seed")
    result = cli("expire-requests")
    assert result.exit_code == 0, result.output
    assert "Event bamex25: " in result.output
    assert result.output.strip().splitlines()[-1].startswith("Closed ")
