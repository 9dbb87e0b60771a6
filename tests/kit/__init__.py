"""The test kit: one copy of what every test domain needs.

- `tests.kit.ci`: `IN_CI`, and `unavailable(what, why)` (skip here, fail in CI).
- `tests.kit.accounts`: `make_account`, `new_client`, `sign_in`, `OwnClient`, `PASSWORD`.
- `tests.kit.factories`: small event builders (`make_event`, `make_exhibitor`, ...).
- `tests.kit.queries`: `count_queries()`.
- `tests.kit.pdf`: `page_count`, `qr_codes_in`.
- `tests.kit.browser`: Chromium's path and flags, `PHONE`, `DESKTOP`.
- `tests.kit.axe`: `axe_violations`, `horizontal_overflow`, `assert_fits_the_screen`,
  `assert_accessible` (marker `browser`).
- `tests.kit.html`: `html_errors(documents)`, the Nu Html Checker in one java run
  (marker `html_checker`).

The fixtures built on them (`app`, `db`, `client`, `browser`, `new_page`, `live_server`,
`nu_html_checker`, `uploads`) are in tests/conftest.py.
"""
