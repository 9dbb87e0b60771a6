"""The live server fixture of the browser tests, for the delegate portal's browser test.

(Only `live_server`: the session-wide `browser` of tests/browser cannot be shared from
here, and a second Playwright in the same thread is refused, so the portal's browser
test runs its own Playwright in a thread of its own.)"""

from tests.browser.conftest import live_server  # noqa: F401
