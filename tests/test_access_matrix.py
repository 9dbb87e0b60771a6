"""Every route x every actor x GET and POST: who is let in, and that nobody else is.

The expectations below are written by hand from what each page is for, not read from
the app's access registry, so a route that lets the wrong person in fails here. Object
ids in the URLs belong to exhibitor 1 and delegate 1 of event A: exhibitor 2, delegate 2,
event B's organiser, gate staff and security officer are the "someone else" of every route.

For each route the world is built afresh; the actors who must be refused go first. A
refusal is the login page (anonymous), 403 or 404, and the database must be exactly as
it was. Nobody ever gets a 500. POSTs carry a valid CSRF token, so a refusal is the
access rule's doing, not the token's.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from expo_app import create_app
from expo_app.extensions import db
from tests.kit.world import (
    ACTORS,
    ANON,
    DEL1,
    DEL2,
    EX1,
    EX2,
    EXHIBITORS,
    GATE_A,
    ORG_A,
    SEC_A,
    World,
    build_world,
    event_objects,
    signed_in,
    snapshot,
)

EVERYONE = frozenset(ACTORS)
ORGANISER = frozenset({ORG_A})
GATE = frozenset({ORG_A, GATE_A})
DELEGATES = frozenset({DEL1, DEL2})

# Pages for anyone: nothing to leak (the public parts of an event, sign-in, the badge
# public key and revocation list for offline scanners, a token-guarded calendar feed).
PUBLIC = {
    "public.index",
    "public.overview",
    "public.directory",
    "public.exhibitor",
    "public.schedule",
    "programme.programme_pdf",
    "accounts.login",
    "accounts.logout",
    "accounts.set_language",
    "accounts.accept_invitation",
    "badges.public_key",
    "badges.revocations",
    "exhibitor_portal.logo",
    "delegate_portal.subscription",
    "vetting.letter_check",
}
# Routes about one object of exhibitor 1 or delegate 1: only its owner gets in.
OWNED_BY = {
    "exhibitor_portal.cancel_stand": {EX1},
    "exhibitor_portal.remove_staff": {EX1},
    "exhibitor_portal.withdraw_demo": {EX1},
    "exhibitor_portal.respond": {EX1},
    "exhibitor_portal.schedule": {EX1},
    "exhibitor_portal.cancel_request": {EX1},
    "exhibitor_portal.cancel_meeting": {EX1},
    "delegate_portal.cancel_meeting": {DEL1},
    "delegate_portal.move_meeting": {DEL1},
    "delegate_portal.cancel_request": {DEL1},
    "delegate_portal.answer_request": {DEL1},
    "delegate_portal.photo": {DEL1},
}
GATE_ENDPOINTS = {"badges.checkin", "badges.counts", "badges.photo", "badges.demo_list"}
# Identity documents: the event's security officers only (not even its organisers).
SECURITY_ENDPOINTS = {"vetting.queue", "vetting.person", "vetting.scan"}
# Registration: for newcomers (anonymous) and accounts of that role; staff accounts of
# other roles are refused rather than turned into a company or a delegate.
REGISTRATION = {
    "exhibitor_portal.register": frozenset({ANON, EX1, EX2}),
    "delegate_portal.register": frozenset({ANON, DEL1, DEL2}),
}


def allowed(endpoint: str) -> frozenset[str]:
    """Who may use this route of event A."""
    if endpoint in PUBLIC:
        return EVERYONE
    if endpoint in REGISTRATION:
        return REGISTRATION[endpoint]
    if endpoint in OWNED_BY:
        return frozenset(OWNED_BY[endpoint])
    if endpoint in GATE_ENDPOINTS:
        return GATE
    if endpoint in SECURITY_ENDPOINTS:
        return frozenset({SEC_A})
    if endpoint in ("vetting.my_document", "vetting.visa_letter"):
        return DELEGATES
    if endpoint == "vetting.overview":
        return ORGANISER
    if endpoint in ("accounts.account", "accounts.sign_out_everywhere"):
        return EVERYONE - {ANON}  # one's own account: any signed-in person
    if endpoint == "badges.my_badge":
        return DELEGATES
    if endpoint == "badges.staff_badges":
        return EXHIBITORS
    blueprint = endpoint.split(".")[0]
    if blueprint in ("organiser", "badges"):
        return ORGANISER
    if blueprint == "exhibitor_portal":
        return EXHIBITORS
    if blueprint == "delegate_portal":
        return DELEGATES
    raise AssertionError(f"no expectation for {endpoint}: add it to tests/test_access_matrix.py")


def _routes() -> list[tuple[str, str, str]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "WTF_CSRF_ENABLED": False})
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, rule.rule, method))
    return sorted(set(found))


ROUTES = _routes()


def form_for(world: World, token: str) -> dict[str, object]:
    """A plausible submission for any form: refusals must not depend on empty fields."""
    v = world.values
    return {
        "csrf_token": token,
        "decision": "accept",
        "slot_id": v["slot_id"],
        "slot": v["slot_id"],
        "stand_id": v["stand_id"],
        "act": f"approve-{v['participant_id']}",
        "participants": v["participant_id"],
        "exhibitor": v["exhibitor_id"],
        "approve": "y",
        "capacity": "2",
        "message": "Matrix",
        "reason": "Matrix",
        "code": "no-code",
        "gate": v["location_id"],
        "location": v["location_id"],
        "follow": "y",
    }


def is_refusal(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code in (302, 303) and "/login" in response.headers.get("Location", "")


@pytest.fixture
def csrf_app(app) -> Flask:
    """The same database behind an app with CSRF protection on, as in production."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": app.config["SECRET_KEY"],
        }
    )


def test_every_route_has_an_expectation():
    for endpoint, _rule, _method in ROUTES:
        assert allowed(endpoint) <= EVERYONE


@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES, ids=lambda v: str(v))
def test_only_the_right_actors_get_in(app, csrf_app, endpoint, rule, method):
    world = build_world()
    url = world.url(endpoint, rule)
    who = allowed(endpoint)
    leaks, errors = [], []
    for actor in sorted(ACTORS, key=lambda a: a in who):  # the refused first
        client, token = signed_in(csrf_app, actor)
        with app.app_context():
            before = snapshot() if actor not in who else None
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data=form_for(world, token))
        response.close()  # a streamed PDF ends here, in its own request context
        if response.status_code >= 500:
            errors.append(f"{actor}: {response.status_code}")
            continue
        if actor in who:
            # 404 may be the object's state (no photo, no such token); 403 or the login
            # page is the access rule refusing someone it should let in.
            if response.status_code != 404 and is_refusal(response):
                errors.append(f"{actor} is refused ({response.status_code}) but should get in")
            continue
        if not is_refusal(response):
            leaks.append(f"{actor} got {response.status_code}")
        with app.app_context():
            if snapshot() != before:
                leaks.append(f"{actor} changed the database")
    assert not leaks, f"{method} {url}: {leaks}"
    assert not errors, f"{method} {url}: {errors}"


ID_PARAMS = re.compile(r"<(int:[a-z_]+_id|ref)>")
WITH_IDS = [route for route in ROUTES if ID_PARAMS.search(route[1])]


@pytest.mark.parametrize(("endpoint", "rule", "method"), WITH_IDS, ids=lambda v: str(v))
def test_ids_of_another_event_are_not_found_at_this_one(app, csrf_app, endpoint, rule, method):
    """Event A's own staff, exhibitors and delegates, with the ids of event C's objects
    (same kinds, same owners' shape) in event A's URLs: nothing is found or changed."""
    world = build_world()
    _event, elsewhere, _parties = event_objects("expo-c")
    db.session.commit()
    db.session.close()
    crossed = World({**elsewhere, "slug": world.values["slug"]})
    url = crossed.url(endpoint, rule)
    problems = []
    for actor in sorted(allowed(endpoint) - {ANON}):
        client, token = signed_in(csrf_app, actor)
        with app.app_context():
            before = snapshot()
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data=form_for(crossed, token))
        response.close()
        if endpoint in PUBLIC and response.status_code < 500:
            continue  # public pages of another event's objects: nothing private to see
        if response.status_code != 404:
            problems.append(f"{actor} got {response.status_code}")
        with app.app_context():
            if snapshot() != before:
                problems.append(f"{actor} changed the database")
    assert not problems, f"{method} {url}: {problems}"
