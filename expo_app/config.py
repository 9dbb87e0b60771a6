"""Settings from the environment, with safe defaults for a laptop at the venue."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

SECRET_KEY_FILE = "secret_key"


def database_url(instance_path: str) -> str:
    """EXPO_DATABASE_URL, or an SQLite file in the instance folder."""
    url = os.environ.get("EXPO_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(Path(instance_path) / "expo.sqlite3")


def secret_key(instance_path: str) -> str:
    """EXPO_SECRET_KEY, or a random key generated once into the instance folder.

    Never a key written in the code: a fresh installation gets its own key, and
    sessions survive restarts because the key is kept beside the database.
    """
    key = os.environ.get("EXPO_SECRET_KEY")
    if key:
        return key
    path = Path(instance_path) / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Create with owner-only permissions before writing the secret into it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load(instance_path: str) -> dict:
    """The configuration of a normal (non-test) run."""
    return {
        "SECRET_KEY": secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": {"en": "English", "fr": "Français"},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "EXPO_IDENTITY_KEY": identity_key(),
        **throttles(os.environ.get("EXPO_RATELIMIT_STORAGE_URI") or "memory://"),
        **sign_ins(),
    }


def identity_key() -> str | None:
    """EXPO_IDENTITY_KEY: a Fernet key of its own for identity documents (None: one is
    derived from the secret key). A malformed key stops the start, not a later request."""
    key = os.environ.get("EXPO_IDENTITY_KEY") or None
    if key is not None:
        from cryptography.fernet import Fernet

        try:
            Fernet(key)
        except ValueError:
            raise RuntimeError(
                "EXPO_IDENTITY_KEY is not a Fernet key (32 bytes in URL-safe base64); make one"
                " with: python -c 'from cryptography.fernet import Fernet;"
                " print(Fernet.generate_key().decode())'"
            ) from None
    return key


def throttles(storage_uri: str) -> dict:
    """Flask-Limiter's settings: where the counts live (memory for one process, Redis
    for several workers) and the limits of the throttled doors."""
    return {
        "RATELIMIT_STORAGE_URI": storage_uri,
        "RATELIMIT_HEADERS_ENABLED": True,
        # Wrong passwords per account, then per client address (a venue's Wi-Fi is one
        # address for hundreds of people), then registrations per address.
        "EXPO_SIGN_IN_LIMIT": "10 per 15 minutes",
        "EXPO_SIGN_IN_ADDRESS_LIMIT": "50 per 15 minutes",
        "EXPO_REGISTRATION_LIMIT": "10 per hour",
        # Visa-letter checks that match no letter, per address (guessing references).
        "EXPO_LETTER_CHECK_LIMIT": "20 per hour",
    }


def sign_ins() -> dict:
    """How long a sign-in lasts. Each one is a record on the server (accounts.SignIn) that
    sign-out, a password change or "sign out everywhere" ends; these bound it besides."""
    remembered = timedelta(days=14)  # "keep me signed in": the event and its run-up
    return {
        "REMEMBER_COOKIE_DURATION": remembered,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "EXPO_REMEMBERED_SIGN_IN": remembered,
        # A sign-in without "keep me signed in" ends after this long without a request.
        "EXPO_SIGN_IN_IDLE": timedelta(hours=12),
        # last_seen_at is written at most this often (not on every page).
        "EXPO_SIGN_IN_TOUCH": timedelta(minutes=5),
    }


def load_for_tests(overrides: dict) -> dict:
    """Test configuration: no key file written, the database the test asks for."""
    settings = {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": {"en": "English", "fr": "Français"},
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        **throttles("memory://"),
        **sign_ins(),
    }
    settings.update(overrides)
    return settings
