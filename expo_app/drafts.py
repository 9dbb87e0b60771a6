"""Short-lived drafts waiting for an organiser's decision (a CSV import, a scheduler
plan): JSON files in the instance folder under a random token. Nothing reaches the
database until the organiser accepts, and an abandoned draft is forgotten after a while.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

from flask import current_app

TTL_SECONDS = 24 * 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _folder(kind: str) -> Path:
    return Path(current_app.instance_path) / kind


def _path(kind: str, token: str) -> Path:
    if not TOKEN.fullmatch(token or ""):
        raise FileNotFoundError(token)
    return _folder(kind) / f"{token}.json"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def keep(kind: str, token: str, payload: dict[str, Any]) -> None:
    """Write the draft whole or not at all (a reader never sees half a file)."""
    folder = _folder(kind)
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.json"):  # forget abandoned drafts
        if now - old.stat().st_mtime > TTL_SECONDS:
            old.unlink(missing_ok=True)
    target = _path(kind, token)
    partial = target.with_suffix(".partial")
    partial.write_text(json.dumps(payload), encoding="utf-8")
    partial.replace(target)


def fetch(kind: str, token: str, *, event_id: int, user_id: int) -> dict[str, Any] | None:
    """The draft kept under `token`, if it is this organiser's, for this event, and fresh."""
    try:
        path = _path(kind, token)
        if time.time() - path.stat().st_mtime > TTL_SECONDS:
            return None
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("event_id") != event_id or payload.get("user_id") != user_id:
        return None
    return payload


def forget(kind: str, token: str) -> None:
    with contextlib.suppress(FileNotFoundError):  # a malformed token names no file
        _path(kind, token).unlink(missing_ok=True)
