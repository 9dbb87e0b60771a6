"""Fixtures of the exhibitor portal: a small event with a hall of stands, approved and
pending exhibitors with their accounts, and signed-in test clients."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from flask import g
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from expo_app.accounts.models import EventOrganiser, User
from expo_app.events.models import Event, Location
from expo_app.exhibitors.models import Exhibitor, Stand
from expo_app.extensions import db
from tests import factories as f
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, live_server  # noqa: F401
from tests.conftest import IN_CI

PASSWORD = "portal-pass-2025"
# A cheap hash: the suite signs in many accounts, the strength of the hash is not under test.
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_account(email: str, role: str = "exhibitor") -> User:
    user = User(email=email, role=role, password_hash=FAST_HASH, display_name=email)
    db.session.add(user)
    db.session.flush()
    return user


def make_company(event: Event, name: str, *, approval: str = "approved") -> Exhibitor:
    exhibitor = f.make_exhibitor(event, name)
    exhibitor.approval = approval
    exhibitor.user_id = make_account(f"{exhibitor.ref}@example.org").id
    db.session.flush()
    return exhibitor


class PortalClient(FlaskClient):
    """A test client that is nobody else: the tests' app context is shared by every request,
    so Flask-Login's user cached in `g` would leak from one client to the next."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def new_client(app) -> PortalClient:
    return PortalClient(app, app.response_class, use_cookies=True)


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def email_of(exhibitor: Exhibitor) -> str:
    return db.session.get(User, exhibitor.user_id).email


@dataclass
class Portal:
    """A test event: hall A with three 3 x 3 m stands, one approved exhibitor (Anka),
    another approved one (Borealis), and an organiser."""

    event: Event
    hall: Location
    stands: list[Stand]
    anka: Exhibitor
    borealis: Exhibitor
    organiser: User

    @property
    def slug(self) -> str:
        return self.event.slug

    def url(self, path: str = "") -> str:
        return f"/e/{self.event.slug}/exhibitor/{path}"


def build_portal() -> Portal:
    event = f.make_event()
    hall = f.make_location(event, "hall", name="Hall A")
    stands = []
    for n in range(3):
        stand = f.make_stand(event, hall, f"A-0{n + 1}")
        stand.x_m, stand.y_m = 1 + 4 * n, 1
        stands.append(stand)
    anka = make_company(event, "Anka Systems")
    borealis = make_company(event, "Borealis Optics")
    organiser = make_account("organiser@example.org", "organiser")
    db.session.add(EventOrganiser(user_id=organiser.id, event_id=event.id))
    db.session.commit()
    return Portal(event, hall, stands, anka, borealis, organiser)


@pytest.fixture
def portal(app) -> Portal:
    return build_portal()


@pytest.fixture
def client(app) -> PortalClient:
    return new_client(app)


@pytest.fixture
def anka_client(app, portal):
    client = new_client(app)
    sign_in(client, email_of(portal.anka))
    return client


@pytest.fixture
def borealis_client(app, portal):
    client = new_client(app)
    sign_in(client, email_of(portal.borealis))
    return client


@pytest.fixture
def organiser_client(app, portal):
    client = new_client(app)
    sign_in(client, "organiser@example.org")
    return client


@pytest.fixture
def uploads(app, tmp_path):
    """Uploads go to a temporary folder, not the instance folder."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    yield tmp_path
    app.config.pop("UPLOAD_FOLDER", None)


class ChromiumThread:
    """Chromium driven from a thread of its own.

    Playwright's sync API allows one instance per thread, and tests/browser keeps one
    open in the main thread for the whole session: these tests run their scenario,
    `run(scenario, ...)`, in this thread with its own Playwright and Chromium.
    """

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self.playwright = None
        self.browser = None

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )

    def run(self, scenario, *args, **kwargs):
        def call():
            if self.browser is None:
                self._start()
            return scenario(self.browser, *args, **kwargs)

        return self.pool.submit(call).result()

    def close(self) -> None:
        def stop():
            if self.browser is not None:
                self.browser.close()
                self.playwright.stop()

        self.pool.submit(stop).result()
        self.pool.shutdown()


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(f"browser tests skipped: {reason}")
    pytest.importorskip("playwright.sync_api")
    runner = ChromiumThread()
    yield runner
    runner.close()
