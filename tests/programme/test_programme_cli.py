"""`expo programme`: writes the PDF, or says in one line why it cannot."""

from __future__ import annotations

import pytest

from expo_app.extensions import db
from tests.programme.pdftext import Pdf


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=list(args), catch_exceptions=False)
        db.session.remove()
        return result

    return run


def test_programme_command_writes_the_french_pdf(bamex, cli, tmp_path):
    out = tmp_path / "programme.pdf"
    result = cli("programme", "--event", "bamex25", "--out", str(out), "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert "mardi 11 novembre 2025" in Pdf.read(out.read_bytes()).text
    assert [p.name for p in tmp_path.iterdir()] == ["programme.pdf"]  # no partial file left


def test_programme_command_finds_the_only_event_and_defaults_to_english(bamex, cli, tmp_path):
    out = tmp_path / "programme.pdf"
    result = cli("programme", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Tuesday, November 11, 2025" in Pdf.read(out.read_bytes()).text


def test_unknown_event_is_a_one_line_error_and_writes_nothing(bamex, cli, tmp_path):
    out = tmp_path / "programme.pdf"
    result = cli("programme", "--event", "nope", "--out", str(out))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["Error: no event with slug 'nope'"]
    assert not any(tmp_path.iterdir())


def test_unwritable_destination_is_a_one_line_error(bamex, cli, tmp_path):
    out = tmp_path / "missing-folder" / "programme.pdf"
    result = cli("programme", "--event", "bamex25", "--out", str(out))
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "cannot write" in result.output and "Traceback" not in result.output


def test_unknown_language_is_refused(bamex, cli, tmp_path):
    result = cli("programme", "--out", str(tmp_path / "p.pdf"), "--lang", "de")
    assert result.exit_code == 2
    assert "'de' is not one of 'en', 'fr'" in result.output
