"""Fixtures of the account tests (tests/conftest.py gives each a fresh throttle count):
an event with its organiser, whose /manage/ pages show whether a cookie still signs someone in."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from expo_app.accounts.models import User
from expo_app.accounts.services import make_organiser_of
from expo_app.events.models import Event
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import make_account


@dataclass
class Organiser:
    event: Event
    user: User

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def manage(self) -> str:
        return f"/e/{self.event.slug}/manage/"


@pytest.fixture
def organiser(app) -> Organiser:
    event = f.make_event("sign-in-expo")
    user = make_account("boss@sign-in-expo.org", "organiser", "Boss")
    make_organiser_of(user, event.id)
    db.session.commit()
    return Organiser(event, user)
