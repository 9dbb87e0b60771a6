"""`expo badges` and `expo verify-badge` as the CLI contract describes them."""

from __future__ import annotations

import json

from expo_app.badges import services
from expo_app.cli import main
from expo_app.extensions import db
from tests.kit.pdf import page_count, qr_codes_in


def run(app, *args: str):
    return app.test_cli_runner().invoke(main, list(args))


def test_expo_badges_writes_every_approved_participants_badge(app, expo, tmp_path):
    out = tmp_path / "badges.pdf"
    result = run(app, "badges", "--event", expo.slug, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Wrote 3 badges" in result.output
    pdf = out.read_bytes()
    assert page_count(pdf) == 3
    assert not list(tmp_path.glob("*.partial"))


def test_expo_badges_prints_the_people_or_delegations_named(app, expo, tmp_path):
    out = tmp_path / "some.pdf"
    result = run(
        app, "badges", "--out", str(out), "--layout", "a4-4up", "--participant", "p-dilek",
        "--delegation", "del-ml",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert page_count(out.read_bytes()) == 1
    assert len(qr_codes_in(out.read_bytes())) == 3


def test_expo_badges_refuses_a_pending_participant_with_a_one_line_reason(app, expo, tmp_path):
    out = tmp_path / "carol.pdf"
    result = run(app, "badges", "--out", str(out), "--participant", "p-carol")
    assert result.exit_code != 0
    assert "not approved" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    unknown = run(app, "badges", "--event", "nope", "--out", str(out))
    assert unknown.exit_code != 0 and "no event" in unknown.output


def test_verify_badge_says_who_and_where_or_why_not(app, expo):
    code = services.badge_code(expo.alice)
    db.session.commit()
    good = run(app, "verify-badge", code)
    assert good.exit_code == 0, good.output
    assert "Aïssata Coulibaly" in good.output and "Live Demo Zone" in good.output
    altered = code[:30] + ("Q" if code[30] != "Q" else "R") + code[31:]
    forged = run(app, "verify-badge", altered)
    assert forged.exit_code == 1 and ("forged" in forged.output or "malformed" in forged.output)
    services.reissue(expo.alice)
    db.session.commit()
    revoked = run(app, "verify-badge", code)
    assert revoked.exit_code == 1 and "revoked" in revoked.output
    assert "Traceback" not in forged.output + revoked.output


def test_verify_badge_works_offline_with_the_public_key_and_revocation_list(app, expo, tmp_path):
    code = services.badge_code(expo.bob)
    key = tmp_path / "key.pem"
    key.write_text(services.public_key_pem(expo.event))
    listing = tmp_path / "revoked.json"
    listing.write_text(json.dumps(services.revocation_list(expo.event)))
    db.session.commit()
    ok = run(app, "verify-badge", "--public-key", str(key), "--revocations", str(listing), code)
    assert ok.exit_code == 0, ok.output
    assert f"participant #{expo.bob.id}" in ok.output
    services.reissue(expo.bob)
    listing.write_text(json.dumps(services.revocation_list(expo.event)))
    db.session.commit()
    revoked = run(
        app, "verify-badge", "--public-key", str(key), "--revocations", str(listing), code
    )
    assert revoked.exit_code == 1 and "revoked" in revoked.output


def test_verify_badge_offline_refuses_the_badge_of_someone_withdrawn(app, expo, tmp_path):
    from expo_app.delegations import services as delegations

    code = services.badge_code(expo.bob)
    key = tmp_path / "key.pem"
    key.write_text(services.public_key_pem(expo.event))
    delegations.accredit(expo.bob, approved=False, reason="Withdrawn")
    listing = tmp_path / "revoked.json"
    listing.write_text(json.dumps(services.revocation_list(expo.event)))
    db.session.commit()
    revoked = run(
        app, "verify-badge", "--public-key", str(key), "--revocations", str(listing), code
    )
    assert revoked.exit_code == 1 and "revoked" in revoked.output
    assert "Traceback" not in revoked.output
