"""Gate staff on a phone in headless Chromium: one badge admitted into the demo zone, one
refused because it does not name the zone; the page is accessible (axe-core, WCAG 2.1
AA), fits 360 px, and works the same with JavaScript turned off."""

from __future__ import annotations

import pytest

from expo_app.badges import services
from expo_app.extensions import db
from tests.badges.conftest import build_badge_expo
from tests.kit.accounts import PASSWORD
from tests.kit.axe import assert_fits_the_screen, axe_violations
from tests.kit.browser import CHROMIUM_ARGS, PHONE, require_chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def gate_scene(app):
    expo = build_badge_expo()
    scene = {
        "slug": expo.slug,
        "zone": str(expo.zone.id),
        "gate_email": expo.gate.email,
        "alice": services.badge_code(expo.alice),
        "bob": services.badge_code(expo.bob),
    }
    db.session.commit()
    db.session.remove()  # no open transaction while the server works (SQLite lock)
    return scene


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def scan(page, code: str) -> None:
    page.get_by_label("Badge code").fill(code)
    page.get_by_role("button", name="Check badge").click()


def test_gate_admits_one_badge_and_refuses_the_other_for_the_zone(
    gate_scene, live_server, new_page
):
    page = new_page(viewport=PHONE)
    sign_in(page, live_server, gate_scene["gate_email"])
    page.goto(f"{live_server}/e/{gate_scene['slug']}/gate/")
    assert axe_violations(page) == []
    page.get_by_label("Gate").select_option(gate_scene["zone"])

    scan(page, gate_scene["alice"])
    verdict = page.locator(".verdict")
    verdict.filter(has_text="ADMIT").wait_for()
    assert verdict.get_attribute("data-verdict") == "admit"
    assert "Aïssata Coulibaly" in page.locator(".holder").inner_text()
    assert page.get_by_label("Badge code").input_value() == ""  # ready for the next one

    scan(page, gate_scene["bob"])
    page.locator(".verdict[data-verdict=refuse]").wait_for()
    assert "Wrong zone" in page.locator(".verdict").inner_text()
    assert "Bob Smith" in page.locator(".holder").inner_text()

    inside = page.locator(f"#counts td[data-zone='{gate_scene['zone']}']")
    assert inside.inner_text() == "1"
    assert axe_violations(page) == []
    assert_fits_the_screen(page, "the gate page")


def test_the_gate_works_without_javascript(gate_scene, live_server, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, gate_scene["gate_email"])
        page.goto(f"{live_server}/e/{gate_scene['slug']}/gate/")
        page.get_by_label("Gate").select_option(gate_scene["zone"])
        scan(page, gate_scene["bob"])
        page.wait_for_load_state()
        assert page.locator(".verdict").get_attribute("data-verdict") == "refuse"
        assert page.get_by_label("Gate").input_value() == gate_scene["zone"]  # gate kept
        scan(page, gate_scene["alice"])
        page.wait_for_load_state()
        assert page.locator(".verdict").get_attribute("data-verdict") == "admit"
        assert not page.get_by_text("Scan with the camera").is_visible()  # needs JavaScript
    finally:
        context.close()


def test_the_organisers_badge_page_fits_a_phone_and_downloads_badges(app, live_server, new_page):
    from pathlib import Path

    from tests.kit.pdf import qr_codes_in

    expo = build_badge_expo()
    slug, email = expo.slug, expo.organiser.email
    db.session.commit()
    db.session.remove()
    page = new_page(viewport=PHONE)
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/e/{slug}/manage/badges/")
    assert axe_violations(page) == []
    assert_fits_the_screen(page, "the badge page")
    with page.expect_download() as download:
        page.get_by_role("link", name="All badges, A4 (4 per page, crop marks)").click()
    assert len(qr_codes_in(Path(download.value.path()).read_bytes())) == 3


def fake_camera_video(path, code: str) -> None:
    """A Y4M video of the badge's QR code, for Chromium's fake camera."""
    from PIL import Image

    from expo_app.badges.render import qr_matrix

    side, bits = qr_matrix(code)
    qr = Image.frombytes("1", (side, side), bits).convert("L").resize((side * 8, side * 8))
    frame = Image.new("L", (640, 480), 255)
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    chroma = bytes([128]) * (320 * 240)
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(3):
            video.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def test_the_camera_reads_a_badge_and_the_gate_admits_it(
    gate_scene, live_server, browser, tmp_path
):
    video = tmp_path / "badge.y4m"
    fake_camera_video(video, gate_scene["alice"])
    camera_browser = browser.browser_type.launch(
        executable_path=require_chromium(),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(viewport=PHONE, permissions=["camera"])
        page = context.new_page()
        sign_in(page, live_server, gate_scene["gate_email"])
        page.goto(f"{live_server}/e/{gate_scene['slug']}/gate/")
        page.get_by_label("Gate").select_option(gate_scene["zone"])
        page.get_by_role("button", name="Scan with the camera").click()
        page.locator(".verdict[data-verdict=admit]").wait_for(timeout=15000)
        assert "Aïssata Coulibaly" in page.locator(".holder").inner_text()
        page.get_by_role("button", name="Stop the camera").click()
    finally:
        camera_browser.close()
