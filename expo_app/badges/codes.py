"""The signed code in a badge's QR: pure functions, no Flask, no database, usable offline.

A code is a small binary record (who, which event, which zones, which days, which
badge version, which key) followed by its Ed25519 signature, written in a 41-letter
alphabet that QR codes store in their compact alphanumeric mode and that a shell,
a URL form field or a keyboard-wedge scanner passes unchanged (no spaces, no quotes,
no lower case): two bytes become three letters, so a typical code is ~120 letters.

Layout of the record (integers as unsigned LEB128 varints):

    format (1 byte, 1) | key id (4 bytes) | event id | participant id | badge version
    | first valid day (days since 2020-01-01) | valid-day bitmask from that day
    | zone count | zone (location) ids...

followed by 64 bytes of signature over b"expo-badge\\0" + record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = 1
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+-./:"
SIGNATURE_CONTEXT = b"expo-badge\0"  # a badge signature can never pass for anything else
SIGNATURE_BYTES = 64
KEY_ID_BYTES = 4
DAY_ZERO = date(2020, 1, 1)
MAX_DAYS = 64  # an event's badge days fit one 64-bit mask

_BASE = len(ALPHABET)
_VALUE = {letter: index for index, letter in enumerate(ALPHABET)}

MALFORMED = "malformed"
FORGED = "forged"


class InvalidCode(ValueError):
    """The text is not a genuine badge code; `reason` is "malformed" or "forged"."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class BadgeClaims:
    """What a badge says about its holder; true only once `verify` has accepted it."""

    key_id: str
    event_id: int
    participant_id: int
    badge_version: int
    valid_days: tuple[date, ...]
    zones: tuple[int, ...]

    def valid_on(self, day: date) -> bool:
        return day in self.valid_days

    def admits_to(self, location_id: int) -> bool:
        return location_id in self.zones


# --- Keys ------------------------------------------------------------------------------------


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(public_key: Ed25519PublicKey | bytes) -> str:
    """The short name of a public key printed in every code it signs (8 hex digits)."""
    raw = public_key if isinstance(public_key, bytes) else raw_public_key(public_key)
    return hashlib.sha256(raw).digest()[:KEY_ID_BYTES].hex()


def load_public_key(data: bytes | str | Ed25519PublicKey) -> Ed25519PublicKey:
    """A public key from its 32 raw bytes, its PEM text, or as it is."""
    if isinstance(data, Ed25519PublicKey):
        return data
    if isinstance(data, str):
        data = data.encode("ascii")
    if len(data) == 32:
        return Ed25519PublicKey.from_public_bytes(data)
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def public_key_pem(public_key: Ed25519PublicKey | bytes) -> str:
    key = load_public_key(public_key) if isinstance(public_key, bytes) else public_key
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


# --- Text <-> bytes -------------------------------------------------------------------------


def to_text(data: bytes) -> str:
    """Two bytes to three letters (41**3 > 2**16), a last odd byte to two (41**2 > 2**8)."""
    letters: list[str] = []
    for start in range(0, len(data) - 1, 2):
        value = data[start] << 8 | data[start + 1]
        high, rest = divmod(value, _BASE * _BASE)
        middle, low = divmod(rest, _BASE)
        letters += (ALPHABET[high], ALPHABET[middle], ALPHABET[low])
    if len(data) % 2:
        high, low = divmod(data[-1], _BASE)
        letters += (ALPHABET[high], ALPHABET[low])
    return "".join(letters)


def from_text(text: str) -> bytes:
    if len(text) % 3 == 1:
        raise InvalidCode(MALFORMED, "the code has the wrong length")
    out = bytearray()
    try:
        for start in range(0, len(text) - 2, 3):
            a, b, c = (_VALUE[letter] for letter in text[start : start + 3])
            value = (a * _BASE + b) * _BASE + c
            if value > 0xFFFF:
                raise InvalidCode(MALFORMED, "the code holds an impossible letter group")
            out += value.to_bytes(2, "big")
        if len(text) % 3 == 2:
            value = _VALUE[text[-2]] * _BASE + _VALUE[text[-1]]
            if value > 0xFF:
                raise InvalidCode(MALFORMED, "the code holds an impossible letter group")
            out.append(value)
    except KeyError:
        raise InvalidCode(MALFORMED, "the code holds a letter no badge uses") from None
    return bytes(out)


def normalise(text: str) -> str:
    """What a person or a scanner typed, as the code: no surrounding space, upper case."""
    return "".join(text.split()).upper()


# --- Record ---------------------------------------------------------------------------------


def _varint(value: int) -> bytes:
    if value < 0:
        raise ValueError("badge numbers are never negative")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise InvalidCode(MALFORMED, "the code is cut short")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


def _day_mask(days: Iterable[date]) -> tuple[int, int]:
    ordered = sorted(set(days))
    if not ordered:
        return 0, 0
    first = ordered[0]
    mask = 0
    for day in ordered:
        offset = (day - first).days
        if offset >= MAX_DAYS:
            raise ValueError(f"a badge covers at most {MAX_DAYS} days")
        mask |= 1 << offset
    return (first - DAY_ZERO).days, mask


def encode_record(claims: BadgeClaims) -> bytes:
    first, mask = _day_mask(claims.valid_days)
    parts = [
        bytes([FORMAT]),
        bytes.fromhex(claims.key_id),
        _varint(claims.event_id),
        _varint(claims.participant_id),
        _varint(claims.badge_version),
        _varint(first),
        _varint(mask),
        _varint(len(claims.zones)),
        *(_varint(zone) for zone in claims.zones),
    ]
    return b"".join(parts)


def decode_record(record: bytes) -> BadgeClaims:
    if len(record) < 1 + KEY_ID_BYTES or record[0] != FORMAT:
        raise InvalidCode(MALFORMED, "not a badge code of a known format")
    key_id = record[1 : 1 + KEY_ID_BYTES].hex()
    position = 1 + KEY_ID_BYTES
    numbers = []
    for _ in range(6):
        value, position = _read_varint(record, position)
        numbers.append(value)
    event_id, participant_id, version, first, mask, zone_count = numbers
    if zone_count > 64:
        raise InvalidCode(MALFORMED, "the code names too many zones")
    zones = []
    for _ in range(zone_count):
        zone, position = _read_varint(record, position)
        zones.append(zone)
    if position != len(record) or mask >> MAX_DAYS:
        raise InvalidCode(MALFORMED, "the code holds unexpected data")
    try:
        start = DAY_ZERO + timedelta(days=first)
        days = tuple(start + timedelta(days=i) for i in range(MAX_DAYS) if mask >> i & 1)
    except OverflowError:
        raise InvalidCode(MALFORMED, "the code holds an impossible date") from None
    return BadgeClaims(key_id, event_id, participant_id, version, days, tuple(zones))


# --- Signing and verifying ------------------------------------------------------------------


def sign(claims: BadgeClaims, private_key: Ed25519PrivateKey) -> str:
    """The code to print in the QR."""
    record = encode_record(claims)
    return to_text(record + private_key.sign(SIGNATURE_CONTEXT + record))


def split(code: str) -> tuple[BadgeClaims, bytes, bytes]:
    """The claims, the record and the signature of a code, NOT verified."""
    data = from_text(normalise(code))
    if len(data) <= SIGNATURE_BYTES:
        raise InvalidCode(MALFORMED, "the code is too short")
    record, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    return decode_record(record), record, signature


def key_id_in(code: str) -> str:
    """Which key a code claims to be signed with (to pick the event's key); NOT verified."""
    return split(code)[0].key_id


def verify(code: str, public_key: Ed25519PublicKey | bytes | str) -> BadgeClaims:
    """The claims of a genuine code, else InvalidCode (malformed, or forged/altered)."""
    key = load_public_key(public_key)
    claims, record, signature = split(code)
    if claims.key_id != key_id_of(key):
        raise InvalidCode(FORGED, "the code is not signed with this event's key")
    try:
        key.verify(signature, SIGNATURE_CONTEXT + record)
    except InvalidSignature:
        raise InvalidCode(FORGED, "the signature does not match: forged or altered") from None
    return claims


def is_revoked(claims: BadgeClaims, lowest_valid_version: Mapping[int, int]) -> bool:
    """Revoked when a newer badge was issued to the person, or their approval withdrawn
    (the revocation list's rule: a version below the person's lowest valid one)."""
    return claims.badge_version < lowest_valid_version.get(claims.participant_id, 0)
