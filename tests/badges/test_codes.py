"""The signed badge code on its own: no Flask, no database, as an offline scanner uses it."""

from __future__ import annotations

from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from expo_app.badges import codes
from expo_app.badges.codes import ALPHABET, BadgeClaims, InvalidCode

DAYS = (date(2025, 11, 11), date(2025, 11, 12), date(2025, 11, 13), date(2025, 11, 14))


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def claims_for(key, **values) -> BadgeClaims:
    fields = dict(
        key_id=codes.key_id_of(key.public_key()),
        event_id=1,
        participant_id=1234,
        badge_version=1,
        valid_days=DAYS,
        zones=(7,),
    )
    fields.update(values)
    return BadgeClaims(**fields)


def test_a_signed_code_verifies_with_the_public_key_and_says_what_was_signed(key):
    claims = claims_for(key)
    code = codes.sign(claims, key)
    assert codes.verify(code, key.public_key()) == claims
    # The raw key bytes and the PEM text verify just as well (what scanners download).
    assert codes.verify(code, codes.raw_public_key(key.public_key())) == claims
    assert codes.verify(code, codes.public_key_pem(key.public_key())) == claims


def test_a_code_fits_a_small_qr_and_uses_only_qr_alphanumeric_shell_safe_letters(key):
    code = codes.sign(claims_for(key, participant_id=9999, event_id=12, zones=(31, 32)), key)
    assert len(code) <= 125
    assert set(code) <= set(ALPHABET)
    assert set(ALPHABET) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")  # QR alnum
    assert " " not in ALPHABET and "$" not in ALPHABET and "*" not in ALPHABET


def test_a_code_read_back_lower_case_or_with_spaces_still_verifies(key):
    code = codes.sign(claims_for(key), key)
    typed = " " + code[:40].lower() + "\n" + code[40:] + " "
    assert codes.verify(typed, key.public_key()).participant_id == 1234


def test_changing_any_letter_of_a_code_makes_it_refused(key):
    code = codes.sign(claims_for(key), key)
    for position in range(len(code)):
        for replacement in (ALPHABET[(ALPHABET.index(code[position]) + 1) % len(ALPHABET)], "0"):
            if replacement == code[position]:
                continue
            altered = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(InvalidCode) as refused:
                codes.verify(altered, key.public_key())
            assert refused.value.reason in {codes.FORGED, codes.MALFORMED}


def test_changing_any_byte_of_the_signed_data_is_reported_as_forged(key):
    code = codes.sign(claims_for(key), key)
    data = codes.from_text(code)
    for index in range(len(data)):
        altered = bytearray(data)
        altered[index] ^= 0x01
        with pytest.raises(InvalidCode):
            codes.verify(codes.to_text(bytes(altered)), key.public_key())


def test_a_badge_that_gives_itself_a_zone_is_forged(key):
    genuine = codes.sign(claims_for(key, zones=()), key)
    claims, record, signature = codes.split(genuine)
    boosted = codes.encode_record(claims_for(key, zones=(7,)))
    with pytest.raises(InvalidCode) as refused:
        codes.verify(codes.to_text(boosted + signature), key.public_key())
    assert refused.value.reason == codes.FORGED


def test_a_code_signed_by_another_key_is_forged(key):
    other = Ed25519PrivateKey.generate()
    code = codes.sign(claims_for(key), other)  # claims our key id, signed by another
    with pytest.raises(InvalidCode) as refused:
        codes.verify(code, key.public_key())
    assert refused.value.reason == codes.FORGED


@pytest.mark.parametrize("text", ["", "HELLO", "not a code!", "0" * 200, "https://example.org"])
def test_garbage_is_refused_as_malformed_or_forged(key, text):
    with pytest.raises(InvalidCode) as refused:
        codes.verify(text, key.public_key())
    assert refused.value.reason in {codes.MALFORMED, codes.FORGED}


def test_letters_and_bytes_round_trip():
    for data in (b"", b"\x00", b"\xff", b"\xff\xff", bytes(range(256))):
        assert codes.from_text(codes.to_text(data)) == data


def test_valid_days_need_not_follow_each_other(key):
    days = (date(2025, 11, 11), date(2025, 11, 14))
    claims = codes.verify(codes.sign(claims_for(key, valid_days=days), key), key.public_key())
    assert claims.valid_days == days
    assert claims.valid_on(date(2025, 11, 14)) and not claims.valid_on(date(2025, 11, 12))


def test_revocation_is_a_version_older_than_the_lists_lowest_valid_one(key):
    claims = claims_for(key, badge_version=2)
    assert not codes.is_revoked(claims, {})
    assert not codes.is_revoked(claims, {1234: 2})
    assert codes.is_revoked(claims, {1234: 3})
    assert not codes.is_revoked(claims, {999: 5})
