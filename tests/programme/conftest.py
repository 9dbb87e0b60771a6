"""Fixtures of the programme tests: BAMEX'25 loaded, and its programme read back."""

from __future__ import annotations

import io
import json

import pytest

from expo_app.extensions import db
from expo_app.interchange import import_event
from expo_app.programme.builder import build_programme
from expo_app.seeding import DEFAULT_SEED
from tests.programme.pdftext import Pdf


@pytest.fixture
def bamex(app):
    """The BAMEX'25 event from seed/, as `expo seed` loads it."""
    event = import_event(json.loads(DEFAULT_SEED.read_text(encoding="utf-8")))
    db.session.commit()
    return event


def programme_of(event, lang: str) -> Pdf:
    out = io.BytesIO()
    build_programme(event, out, lang)
    return Pdf.read(out.getvalue())


@pytest.fixture
def programme(bamex):
    """programme(lang) -> the BAMEX'25 programme in that language, read back."""
    return lambda lang="en": programme_of(bamex, lang)
