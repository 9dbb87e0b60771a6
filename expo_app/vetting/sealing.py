"""Identity-document fields sealed at rest with Fernet (AES-128-CBC + HMAC-SHA256, from
the well-kept `cryptography` package): a copy of the database shows no document number
or date of birth. The key is EXPO_IDENTITY_KEY when set (rotate it apart from the
sessions' secret), else derived from SECRET_KEY with HKDF."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

__all__ = ["InvalidToken", "seal", "seal_bytes", "unseal", "unseal_bytes"]


def _fernet() -> Fernet:
    own = current_app.config.get("EXPO_IDENTITY_KEY")
    if own:
        return Fernet(own)
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"expo identity documents"
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(text: str) -> bytes:
    return _fernet().encrypt(text.encode())


def unseal(token: bytes) -> str:
    return _fernet().decrypt(bytes(token)).decode()


def seal_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def unseal_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(bytes(token))
