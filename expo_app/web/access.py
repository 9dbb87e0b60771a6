"""Every access level of the web UI, in one registry.

A level answers one question for a request to an event page: who is this person here?
It returns the actor the view works for (None when the view needs no one), or raises a
`Refusal`: sign in first, not for you (403), or go elsewhere first (register, wait for
approval). Views never check roles themselves; `rh.event_page(level)` asks the level.
Organisers, gate staff and security officers act only at the events they are attached
to; exhibitors and delegates only through their own company or participant record at
this event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request, url_for
from flask_babel import lazy_gettext as _l

from expo_app.accounts.models import Role
from expo_app.accounts.permissions import (
    exhibitor_of,
    is_gate_staff_of,
    is_organiser_of,
    is_security_officer_of,
    participant_of,
)
from expo_app.events.models import Event


class Refusal(Exception):
    """The request stops here; the request path turns it into a response."""


class SignInFirst(Refusal):
    """Anonymous: the login page, then back here."""


class NotYours(Refusal):
    """Signed in, but this page is not for this account here: 403, and no data."""


class NotThere(Refusal):
    """Not for this account, and not even its existence is told: 404."""


@dataclass
class GoFirst(Refusal):
    """A step to take before this page (register, wait for approval): redirect there."""

    endpoint: str
    message: Any = None
    category: str = "info"

    def url(self, event: Event) -> str:
        return url_for(self.endpoint, slug=event.slug)


@dataclass(frozen=True)
class Access:
    """A named access level: `admit(user, event)` returns the view's actor or raises."""

    name: str
    admit: Callable[[Any, Event], Any]
    passes_actor: bool = False
    public: bool = False

    def __call__(self, user: Any, event: Event) -> Any:
        if not self.public and not getattr(user, "is_authenticated", False):
            raise SignInFirst()
        if not has_request_context():
            return self.admit(user, event)
        # Asked once per request: the request path and the navigation's links ask the
        # same levels, and an answer (a Portal, say) costs queries.
        answers = request.environ.setdefault("expo.admissions", {})
        key = (self.name, event.id, getattr(user, "id", None))
        if key not in answers:
            try:
                answers[key] = (True, self.admit(user, event))
            except Refusal as refusal:
                answers[key] = (False, refusal)
        admitted, answer = answers[key]
        if not admitted:
            raise answer
        return answer


def _anyone(user: Any, event: Event) -> None:
    return None


def _organiser(user: Any, event: Event) -> None:
    if not is_organiser_of(user, event.id):
        raise NotYours()


def _gate(user: Any, event: Event) -> None:
    """Gate staff of this event, and its organisers (who may stand in at a gate)."""
    if not (is_gate_staff_of(user, event.id) or is_organiser_of(user, event.id)):
        raise NotYours()


def _security(user: Any, event: Event) -> None:
    """Security officers of this event only: organisers see the vetting status, never the
    identity documents, so they do not stand in here. To anyone else the pages do not
    exist (404): not even that there is a vetting queue is told."""
    if not is_security_officer_of(user, event.id):
        raise NotThere()


def _exhibitor(user: Any, event: Event):
    if user.role != Role.EXHIBITOR:
        raise NotYours()
    exhibitor = exhibitor_of(user, event.id)
    if exhibitor is None:
        raise GoFirst("exhibitor_portal.register")
    return exhibitor


def _approved_exhibitor(user: Any, event: Event):
    exhibitor = _exhibitor(user, event)
    if not exhibitor.is_approved:
        raise GoFirst(
            "exhibitor_portal.dashboard",
            _l("This page opens once the organiser has approved your company."),
        )
    return exhibitor


def _delegate(user: Any, event: Event):
    from expo_app.delegations.portal import Portal

    if user.role != Role.DELEGATE:
        raise NotYours()
    me = participant_of(user, event.id)
    if me is None:
        raise GoFirst("delegate_portal.register", _l("Register for this event first."))
    return Portal.of(event, me)


PUBLIC = Access("public", _anyone, public=True)
SIGNED_IN = Access("signed_in", _anyone)
ORGANISER = Access("organiser", _organiser)
GATE = Access("gate", _gate)
SECURITY = Access("security", _security)
EXHIBITOR = Access("exhibitor", _exhibitor, passes_actor=True)
APPROVED_EXHIBITOR = Access("approved_exhibitor", _approved_exhibitor, passes_actor=True)
DELEGATE = Access("delegate", _delegate, passes_actor=True)

LEVELS: dict[str, Access] = {
    level.name: level
    for level in (
        PUBLIC,
        SIGNED_IN,
        ORGANISER,
        GATE,
        SECURITY,
        EXHIBITOR,
        APPROVED_EXHIBITOR,
        DELEGATE,
    )
}
