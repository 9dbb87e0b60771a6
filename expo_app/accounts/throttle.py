"""Counting failures at a door (wrong passwords at sign-in) with Flask-Limiter's storage,
so that a guesser is stopped after a few tries whatever the password they try next.

The door's view asks `wait()` before it checks anything and `fail()` after a refusal:
only failures count, so people who sign in right are never slowed. The counts live in
the limiter's storage (RATELIMIT_STORAGE_URI: memory for one process, Redis for several
workers), under the door's limit from the config (e.g. EXPO_SIGN_IN_LIMIT), with the
limiter's strategy (RATELIMIT_STRATEGY, fixed window by default).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

from flask import current_app
from limits import parse

from expo_app.extensions import limiter


class Throttle:
    """A door counted per key (an address, an email...): once any key has failed `limit`
    times in the window, the door stays shut for it until the window resets."""

    def __init__(self, name: str, limit_setting: str, **kind_settings: str) -> None:
        self.name = name
        self.limit_setting = limit_setting
        self.kind_settings = kind_settings  # a wider or narrower limit for one kind of key

    def wait(self, keys: Iterable[tuple[str, str]]) -> int | None:
        """Seconds until the door opens again for these keys, or None if it is open."""
        if not self._enabled():
            return None
        waits = []
        try:
            for kind, value in keys:
                item = self._item(kind)
                identifiers = (self.name, kind, value)
                if not limiter.limiter.test(item, *identifiers):
                    reset_at = limiter.limiter.get_window_stats(item, *identifiers).reset_time
                    waits.append(max(1, math.ceil(reset_at - time.time())))
        except Exception as error:
            return self._storage_failed(error)
        return max(waits) if waits else None

    def fail(self, keys: Iterable[tuple[str, str]]) -> None:
        """Count one failure against each key."""
        if not self._enabled():
            return
        try:
            for kind, value in keys:
                limiter.limiter.hit(self._item(kind), self.name, kind, value)
        except Exception as error:
            self._storage_failed(error)

    def _item(self, kind: str):
        return parse(current_app.config[self.kind_settings.get(kind, self.limit_setting)])

    @staticmethod
    def _enabled() -> bool:
        return bool(limiter.enabled and limiter.initialized)

    @staticmethod
    def _storage_failed(error: Exception) -> None:
        """The storage (Redis) did not answer: like Flask-Limiter, raise unless
        RATELIMIT_SWALLOW_ERRORS says to let people through (and log it)."""
        if not current_app.config.get("RATELIMIT_SWALLOW_ERRORS", False):
            raise error
        current_app.logger.error("throttle storage failed, request let through: %r", error)
        return None


def minutes(seconds: int) -> int:
    """The whole minutes to show for a wait of `seconds` (at least one)."""
    return max(1, math.ceil(seconds / 60))


# An account's limit is tight; an address's is wider, because a venue's Wi-Fi (or a
# delegation's hotel) puts hundreds of people behind one address, and their typos must
# not lock each other out. One guesser spraying many accounts is still stopped.
SIGN_IN = Throttle("sign-in", "EXPO_SIGN_IN_LIMIT", address="EXPO_SIGN_IN_ADDRESS_LIMIT")


def sign_in_keys(address: str | None, email: str | None) -> list[tuple[str, str]]:
    """Wrong passwords count against the client's address and against the account's
    email (lower-cased), so neither one address nor many addresses can keep guessing."""
    keys = [("address", address or "unknown")]
    if email and email.strip():
        keys.append(("email", email.strip().lower()))
    return keys
