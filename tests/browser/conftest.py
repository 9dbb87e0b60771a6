"""The browser fixtures live in tests/conftest.py (one Playwright for the whole run);
these names stay importable from here for the browser tests."""

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, live_server  # noqa: F401
