"""The badge rules: who gets a badge, reissue and revocation, keys, and the gate's verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from expo_app.audit.models import AuditEntry
from expo_app.badges import codes, services
from expo_app.badges.models import BadgeKey, BadgeScan
from expo_app.badges.services import Gate
from expo_app.delegations import services as delegations
from expo_app.extensions import db
from tests.badges.conftest import build_badge_expo
from tests.kit import factories as f


def main_gate():
    return Gate(services.MAIN_GATE, "Main entrance")


def zone_gate(expo):
    return services.gate_named(expo.event, str(expo.zone.id))


def test_only_approved_participants_get_badges(expo):
    assert services.badge_code(expo.alice)
    with pytest.raises(services.NotApproved):
        services.badge_code(expo.carol)
    ids = services.holder_ids(expo.event)
    assert expo.carol.id not in ids
    assert set(ids) == {expo.alice.id, expo.bob.id, expo.dilek.id}
    with pytest.raises(services.NotApproved):
        services.holder_ids(expo.event, participants=[expo.carol.ref])


def test_participants_and_delegations_are_named_by_reference_or_id(expo):
    assert services.holder_ids(expo.event, participants=["p-alice"]) == [expo.alice.id]
    assert services.holder_ids(expo.event, participants=[str(expo.bob.id)]) == [expo.bob.id]
    by_delegation = services.holder_ids(expo.event, delegations=["del-ml"])
    assert set(by_delegation) == {expo.alice.id, expo.bob.id}
    with pytest.raises(services.NotFound):
        services.holder_ids(expo.event, participants=["p-nobody"])


def test_the_private_key_is_stored_encrypted_with_a_key_derived_from_secret_key(app, expo):
    key = services.signing_key(expo.event)
    assert services.signing_key(expo.event).id == key.id  # one key per event
    assert "ENCRYPTED PRIVATE KEY" in key.private_key_pem
    assert key.key_id == codes.key_id_of(key.public_key)
    secret = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another secret"
    try:
        with pytest.raises(services.SigningKeyLocked):
            services.private_key(key)
    finally:
        app.config["SECRET_KEY"] = secret
    assert services.private_key(key)


def test_a_badge_code_carries_the_zones_days_and_version(expo):
    code = services.badge_code(expo.alice)
    claims = codes.verify(code, services.signing_key(expo.event).public_key)
    assert claims.participant_id == expo.alice.id
    assert claims.zones == (expo.zone.id,)
    assert claims.valid_days == services.badge_days(expo.event)
    assert claims.badge_version == 1


def test_a_reissued_badges_old_code_is_revoked_and_the_reissue_is_audited(expo):
    old = services.badge_code(expo.alice)
    assert services.reissue(expo.alice) == 2
    new = services.badge_code(expo.alice)
    old_check = services.check_in(expo.event, old, main_gate())
    assert (old_check.admitted, old_check.reason) == (False, "revoked")
    assert services.check_in(expo.event, new, main_gate()).admitted
    entry = db.session.execute(select(AuditEntry).filter_by(action="badge.reissue")).scalar_one()
    assert (entry.before, entry.after) == ({"badge_version": 1}, {"badge_version": 2})
    with pytest.raises(services.NotApproved):
        services.reissue(expo.carol)


def test_a_restricted_zone_admits_only_badges_that_name_it(expo):
    alice = services.check_in(expo.event, services.badge_code(expo.alice), zone_gate(expo))
    bob = services.check_in(expo.event, services.badge_code(expo.bob), zone_gate(expo))
    assert (alice.admitted, alice.reason) == (True, "ok")
    assert (bob.admitted, bob.reason) == (False, "wrong_zone")
    # Both come in by the main entrance; and Bob may always leave the zone.
    assert services.check_in(expo.event, services.badge_code(expo.bob), main_gate()).admitted
    leaving = services.check_in(expo.event, services.badge_code(expo.bob), zone_gate(expo), "exit")
    assert leaving.admitted


def test_a_badge_is_refused_on_a_day_it_is_not_valid(expo):
    code = services.badge_code(expo.alice)
    after = datetime.combine(expo.event.end_date + timedelta(days=1), datetime.min.time(), UTC)
    late = services.check_in(expo.event, code, main_gate(), now=after.replace(hour=10))
    assert (late.admitted, late.reason) == (False, "not_today")
    on_time = datetime.combine(expo.event.start_date, datetime.min.time(), UTC).replace(hour=9)
    assert services.check_in(expo.event, code, main_gate(), now=on_time).admitted


def test_forged_altered_and_other_events_codes_are_refused(expo):
    code = services.badge_code(expo.alice)
    altered = code[:20] + ("A" if code[20] != "A" else "B") + code[21:]
    assert services.check_in(expo.event, altered, main_gate()).reason in {"forged", "malformed"}
    assert services.check_in(expo.event, "HELLO WORLD", main_gate()).reason == "malformed"
    other = build_badge_expo("other-expo")
    foreign = services.badge_code(other.alice)
    assert services.check_in(expo.event, foreign, main_gate()).reason == "wrong_event"


def test_a_participant_whose_accreditation_was_withdrawn_is_refused(expo):
    code = services.badge_code(expo.bob)
    expo.bob.accreditation = "rejected"
    db.session.flush()
    assert services.check_in(expo.event, code, main_gate()).reason == "not_accredited"


def test_every_scan_is_logged_and_counted_per_zone(expo):
    alice, bob = services.badge_code(expo.alice), services.badge_code(expo.bob)
    services.check_in(expo.event, alice, main_gate(), "entry", user_id=expo.gate.id)
    services.check_in(expo.event, bob, main_gate(), "entry")
    services.check_in(expo.event, alice, zone_gate(expo), "entry")
    services.check_in(expo.event, bob, zone_gate(expo), "entry")  # refused: wrong zone
    services.check_in(expo.event, bob, main_gate(), "exit")
    scans = db.session.execute(select(BadgeScan).order_by(BadgeScan.id)).scalars().all()
    assert [(s.direction, s.result, s.reason) for s in scans] == [
        ("entry", "admit", "ok"),
        ("entry", "admit", "ok"),
        ("entry", "admit", "ok"),
        ("entry", "refuse", "wrong_zone"),
        ("exit", "admit", "ok"),
    ]
    assert scans[0].user_id == expo.gate.id
    counts = {count.gate.key: count for count in services.zone_counts(expo.event)}
    assert counts["main"].inside == 1  # Alice; Bob left
    assert counts[str(expo.zone.id)].inside == 1
    assert counts[str(expo.zone.id)].refused_today == 1
    assert counts["main"].admitted_today == 2


def test_the_revocation_list_is_signed_and_names_old_versions_and_withdrawn_people(expo):
    services.reissue(expo.alice)
    delegations.accredit(expo.dilek, approved=False, reason="Withdrawn")
    document = services.revocation_list(expo.event)
    public_key = services.signing_key(expo.event).public_key
    lowest = services.read_revocation_list(document, public_key)
    assert lowest == {expo.alice.id: 2, expo.dilek.id: 2}  # dilek: every version is revoked
    document["revoked"] = []
    with pytest.raises(services.BadgeError):
        services.read_revocation_list(document, public_key)


def test_the_gate_decision_is_a_pure_rule(expo):
    claims = codes.BadgeClaims("00000000", 1, 5, 2, (datetime(2025, 11, 11).date(),), (9,))
    day = datetime(2025, 11, 11).date()
    zone = Gate("9", "Demo", 9, True)
    other_zone = Gate("8", "Range", 8, True)
    decide = services.gate_decision
    common = dict(event_id=1, today=day, current_version=2, accredited=True)
    assert decide(claims, gate=zone, **common) == "ok"
    assert decide(claims, gate=other_zone, **common) == "wrong_zone"
    assert decide(claims, gate=other_zone, direction="exit", **common) == "ok"
    assert decide(claims, gate=zone, **{**common, "current_version": 3}) == "revoked"
    assert decide(claims, gate=zone, **{**common, "event_id": 2}) == "wrong_event"
    assert decide(claims, gate=zone, **{**common, "today": day + timedelta(days=1)}) == "not_today"
    assert decide(claims, gate=zone, **{**common, "accredited": False}) == "not_accredited"
    assert decide(claims, gate=zone, **{**common, "current_version": None}) == "unknown"


def test_keys_are_per_event(expo):
    other = build_badge_expo("second-expo")
    first, second = services.signing_key(expo.event), services.signing_key(other.event)
    assert first.key_id != second.key_id
    assert db.session.execute(select(BadgeKey)).scalars().all().__len__() == 2


def test_people_never_approved_hold_no_badge_and_are_not_on_the_public_list(expo):
    """The list tells a scanner which genuine codes no longer admit, not who was refused."""
    delegations.accredit(expo.carol, approved=False, reason="Not vetted")  # pending -> refused
    refused = f.make_delegate(expo.event, "rejected", email="refused@badge-expo.org")
    db.session.flush()
    listed = {item["participant"] for item in services.revocation_list(expo.event)["revoked"]}
    assert listed == set()
    assert expo.carol.id not in listed and refused.id not in listed


def test_a_badge_withdrawn_after_it_was_issued_is_listed_and_refused_offline(expo):
    code = services.badge_code(expo.bob)
    public_key = services.signing_key(expo.event).public_key
    claims = codes.verify(code, public_key)
    delegations.accredit(expo.bob, approved=False, reason="Withdrawn")
    lowest = services.read_revocation_list(services.revocation_list(expo.event), public_key)
    assert lowest == {expo.bob.id: 2}
    assert codes.is_revoked(claims, lowest)
    delegations.accredit(expo.bob, approved=True)  # approved again: the same badge admits
    lowest = services.read_revocation_list(services.revocation_list(expo.event), public_key)
    assert not codes.is_revoked(claims, lowest)
