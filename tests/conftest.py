"""Fixtures: an app on a migrated database (SQLite, or EXPO_TEST_DATABASE_URL), emptied
after every test; `backend_app`, which runs a test on SQLite and on PostgreSQL; the
browser fixtures (Debian's Chromium through Playwright, the app on a loopback port); and
the Nu Html Checker. The helpers behind them are in tests/kit/.

Without Chromium, java or PostgreSQL those tests skip with the reason; in CI they fail.
A test that uses the browser fixtures must be marked `browser`, one that uses the Nu Html
Checker `html_checker`, so that `-m "not browser and not html_checker"` leaves them out."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from expo_app import create_app
from expo_app.extensions import db as _db
from expo_app.extensions import limiter
from tests.kit.accounts import OwnClient, new_client
from tests.kit.browser import CHROMIUM_ARGS, DESKTOP, require_chromium
from tests.kit.ci import IN_CI, import_or_unavailable
from tests.kit.html import html_errors, nu_command

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REQUIRE_POSTGRES = IN_CI or os.environ.get("EXPO_REQUIRE_POSTGRES") == "1"


def make_test_app(url: str) -> Flask:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
    return app


def empty_database(app: Flask) -> None:
    """Remove every row, keep the schema: each test starts from an empty event database."""
    with app.app_context():
        _db.session.remove()
        engine = _db.engine
        tables = [t for t in _db.metadata.sorted_tables]
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            else:
                connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
                for table in reversed(tables):
                    connection.execute(table.delete())


class PostgresServer:
    """Makes throw-away databases on the local PostgreSQL server, or says why it cannot."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.created: list[str] = []
        self.reason: str | None = None
        self.engine = None
        try:
            self.engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except Exception as exc:  # no server, no driver, no access
            self.reason = f"PostgreSQL not reachable at {server_url}: {exc.__class__.__name__}"

    def new_database(self) -> str:
        name = f"expo_test_{uuid.uuid4().hex[:10]}"
        with self.engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return (
            sa.engine.make_url(self.server_url)
            .set(database=name)
            .render_as_string(hide_password=False)
        )

    def drop_all(self) -> None:
        if self.engine is None:
            return
        with self.engine.connect() as connection:
            for name in self.created:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer(os.environ.get("EXPO_TEST_POSTGRES_SERVER", DEFAULT_POSTGRES_SERVER))
    yield server
    server.drop_all()


def require_postgres(server: PostgresServer) -> None:
    if server.reason:
        if REQUIRE_POSTGRES:
            pytest.fail(f"{server.reason} (PostgreSQL is required in CI)")
        pytest.skip(f"PostgreSQL tests skipped: {server.reason}")


@pytest.fixture(scope="session")
def _main_app(tmp_path_factory) -> Flask:
    url = os.environ.get("EXPO_TEST_DATABASE_URL") or (
        "sqlite:///" + str(tmp_path_factory.mktemp("db") / "expo-test.sqlite3")
    )
    return make_test_app(url)


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """Fresh throttle counts for each test: sign-in and registration are throttled per
    address, and every test client is 127.0.0.1."""
    if limiter.initialized:
        limiter.reset()


@pytest.fixture
def app(_main_app: Flask) -> Iterator[Flask]:
    """The app, inside an app context, on an empty migrated database."""
    with _main_app.app_context():
        yield _main_app
        _db.session.remove()
    empty_database(_main_app)


@pytest.fixture
def db(app: Flask):
    return _db


@pytest.fixture
def client(app: Flask) -> OwnClient:
    """An anonymous client whose requests each start afresh (see tests/kit/accounts.py)."""
    return new_client(app)


@pytest.fixture(scope="session")
def _backend_apps(tmp_path_factory, postgres_server) -> dict:
    return {"postgres_server": postgres_server, "tmp": tmp_path_factory, "apps": {}}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_app(request, _backend_apps) -> Iterator[Flask]:
    """The same test on SQLite and on PostgreSQL (skipped, with the reason, without a server)."""
    apps = _backend_apps["apps"]
    if request.param not in apps:
        if request.param == "sqlite":
            path = _backend_apps["tmp"].mktemp("sqlite") / "expo.sqlite3"
            apps["sqlite"] = make_test_app(f"sqlite:///{path}")
        else:
            server = _backend_apps["postgres_server"]
            require_postgres(server)
            apps["postgresql"] = make_test_app(server.new_database())
    backend = apps[request.param]
    with backend.app_context():
        yield backend
        _db.session.remove()
    empty_database(backend)
    with backend.app_context():
        _db.engine.dispose()


@pytest.fixture
def uploads(app, tmp_path):
    """Uploads go to a temporary folder, not the instance folder."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    yield tmp_path
    app.config.pop("UPLOAD_FOLDER", None)


# --- Browser (marker `browser`) ----------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Playwright's sync API, this thread)."""
    chromium = require_chromium()
    sync_api = import_or_unavailable("playwright.sync_api", "browser test")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app served on 127.0.0.1 in a thread, on the test database, with CSRF on.

    Commit (and close the session) before browsing: on SQLite an open
    transaction in the test would hold the write lock the server needs.
    """
    served = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            # The same secret: it unwraps the badge keys events were born with.
            "SECRET_KEY": app.config["SECRET_KEY"],
        }
    )
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts (own cookies), at a given size and language."""
    contexts = []

    def open_page(viewport=DESKTOP, locale="en-GB", **options):
        context = browser.new_context(viewport=viewport, locale=locale, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# --- Nu Html Checker (marker `html_checker`) -----------------------------------------------


@pytest.fixture
def nu_html_checker():
    """`html_errors(documents)`, once java and vnu.jar are known to be there (skipped, or
    failed in CI, before the test builds its pages)."""
    nu_command()
    return html_errors


# --- Markers ---------------------------------------------------------------------------

NEEDS_MARKER = {
    "browser": {"browser", "new_page", "live_server"},
    "html_checker": {"nu_html_checker"},
}


def pytest_collection_modifyitems(config, items):
    """Refuse to run a test that uses a browser or the Nu Html Checker without its marker:
    CI's PostgreSQL pass leaves them out by marker, and would otherwise run them twice."""
    unmarked = [
        f"{item.nodeid} uses {', '.join(sorted(used))} but is not marked {marker}"
        for item in items
        for marker, fixtures in NEEDS_MARKER.items()
        if (used := fixtures & set(getattr(item, "fixturenames", ())))
        and item.get_closest_marker(marker) is None
    ]
    if unmarked:
        raise pytest.UsageError("\n".join(unmarked))
