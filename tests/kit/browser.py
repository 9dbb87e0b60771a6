"""Debian's Chromium for Playwright: where it is, its flags, the screen sizes we test.

The fixtures (`browser`, `new_page`, `live_server`) are in tests/conftest.py: one
Playwright and one Chromium for the whole run."""

from __future__ import annotations

import os
import shutil

from tests.kit.ci import unavailable

CHROMIUM = os.environ.get("EXPO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def require_chromium() -> str:
    """Chromium's path; skip (fail in CI) without it."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    found = shutil.which("chromium")
    if found:
        return found
    unavailable("browser test", f"no Chromium at {CHROMIUM} (apt-get install chromium)")
