"""Settings from the environment, with safe defaults for a laptop at the venue."""

from __future__ import annotations

import os
import secrets
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
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
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
    }
    settings.update(overrides)
    return settings
