"""The organiser workspace in headless Chromium: an organiser creates a matchmaking
session by dragging on the grid, moves a demo onto another and sees the conflict,
assigns and confirms a stand on the floor plan, approves a delegate, and each change
shows on the public pages (or the delegate's own). Every page passes axe-core
(WCAG 2.1 AA) at 1280 and 360 px and fits the screen; the editor works without
JavaScript too. With EXPO_UPDATE_DOC_IMAGES=1 the README's screenshots are redrawn."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from expo_app.events.models import EventSession
from expo_app.exhibitors.models import Stand
from expo_app.extensions import db
from tests.kit.axe import assert_fits_the_screen, axe_violations
from tests.kit.browser import DESKTOP, PHONE

pytestmark = pytest.mark.browser

DOC_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"
ORGANISER = ("organiser@example.org", "organiser-demo-2025")


@pytest.fixture
def bamex(app) -> str:
    from expo_app.seeding import seed

    slug = seed().event.slug
    db.session.commit()
    db.session.remove()  # no open transaction while the server works (SQLite lock)
    return slug


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def y_of(page, column, clock: str) -> float:
    """The page y of a time in a column of the grid."""
    grid = page.locator("[data-schedule]")
    first = int(grid.get_attribute("data-first"))
    rows = int(grid.get_attribute("data-rows"))
    box = column.bounding_box()
    hours, minutes = (int(part) for part in clock.split(":"))
    return box["y"] + (hours * 60 + minutes - first) / 15 * (box["height"] / rows) + 3


def drag(page, x: float, y_from: float, y_to: float) -> None:
    page.mouse.move(x, y_from)
    page.mouse.down()
    page.mouse.move(x, (y_from + y_to) / 2, steps=4)
    page.mouse.move(x, y_to, steps=4)
    page.mouse.up()


def column(page, name: str):
    heads = page.locator(".sched-head")
    index = next(i for i in range(heads.count()) if heads.nth(i).inner_text().startswith(name))
    return page.locator(".sched-col").nth(index)


def test_an_organiser_runs_the_expo_in_the_browser(bamex, live_server, new_page):
    base, manage = live_server, f"{live_server}/e/{bamex}/manage"
    page = new_page(viewport=DESKTOP)
    sign_in(page, base, *ORGANISER)
    page.get_by_role("link", name="Manage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today at BAMEX'25")

    # 1. A matchmaking session, created by dragging down an empty column.
    page.goto(f"{manage}/schedule/?day=2025-11-11")
    room = column(page, "Meeting Room B")
    room.scroll_into_view_if_needed()
    box = room.bounding_box()
    drag(page, box["x"] + box["width"] / 2, y_of(page, room, "13:00"), y_of(page, room, "13:45"))
    dialog = page.locator("#session-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Starts at")).to_have_value("13:00")
    expect(dialog.get_by_label("Ends at")).to_have_value("13:45")  # where the drag stopped
    expect(dialog.get_by_label("Kind")).to_have_value("matchmaking")
    dialog.get_by_label("Title").fill("Investor matchmaking round")
    dialog.get_by_role("button", name="Add to the schedule").click()
    expect(page.locator(".flash-success")).to_contain_text("Investor matchmaking round")
    expect(page.locator(".sched-item", has_text="Investor matchmaking round")).to_be_visible()

    # 2. A demo dragged onto another demo at the same time: the conflict is explained.
    page.goto(f"{manage}/schedule/?day=2025-11-13")
    aselsan = page.locator(".sched-item", has_text="Aselsan")
    aselsan.scroll_into_view_if_needed()
    zone = column(page, "Live Demo Zone")
    start = aselsan.bounding_box()
    grab_y = start["y"] + 12
    drag(
        page,
        start["x"] + start["width"] / 2,
        grab_y,
        grab_y - (y_of(page, zone, "10:15") - y_of(page, zone, "09:00")),
    )
    warning = page.locator("#move-dialog")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Another session is in this location at the same time")
    expect(warning).to_contain_text("Baykar UAV flight demonstration")
    if os.environ.get("EXPO_UPDATE_DOC_IMAGES"):
        page.screenshot(path=str(DOC_IMAGES / "schedule-conflict.png"))
    warning.get_by_role("button", name="Keep it anyway").click()
    expect(page.locator("#conflicts-title")).to_have_text("2 sessions need a look")
    expect(page.locator("#conflicts")).to_contain_text("Baykar UAV flight demonstration")
    expect(page.locator(".sched-item.has-problem")).to_have_count(2)
    if os.environ.get("EXPO_UPDATE_DOC_IMAGES"):
        page.screenshot(path=str(DOC_IMAGES / "schedule-editor.png"), full_page=True)

    # 3. A free stand assigned to Baykar and confirmed on the floor plan.
    page.goto(f"{manage}/floor-plan/")
    b11 = page.locator(".stand-row", has_text="B-11")
    page.locator("a.stand", has=page.locator("text=B-11")).first.click()  # the plan shows the row
    expect(b11).to_have_class("stand-row is-selected")
    b11.get_by_label("Exhibitor for B-11").fill("Baykar (baykar)")
    b11.get_by_role("button", name="Assign B-11").click()
    expect(page.locator(".flash-success")).to_contain_text("on hold for Baykar")
    page.locator(".stand-row", has_text="B-11").get_by_role("button", name="Confirm B-11").click()
    expect(page.locator(".flash-success")).to_have_text("Stand B-11 is confirmed.")
    if os.environ.get("EXPO_UPDATE_DOC_IMAGES"):
        page.set_viewport_size({"width": 1280, "height": 1500})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(DOC_IMAGES / "floor-plan.png"))
        page.set_viewport_size(DESKTOP)

    # 4. A delegate of the Mali delegation approved in the accreditation queue.
    page.goto(f"{manage}/accreditation")
    page.get_by_role("button", name="Approve Souleymane Traoré").click()
    expect(page.locator(".flash-success")).to_have_text("Souleymane Traoré is accredited.")

    # Every change is visible outside the workspace.
    visitor = new_page(viewport=DESKTOP)
    visitor.goto(f"{base}/e/{bamex}/schedule/")
    programme = visitor.locator("#day-2025-11-11")
    expect(programme).to_contain_text("Investor matchmaking round")
    demo_day = visitor.locator("#day-2025-11-13 .session", has_text="Aselsan")
    expect(demo_day.locator(".time")).to_have_text("09:00 – 10:00")
    visitor.goto(f"{base}/e/{bamex}/exhibitors/baykar")
    expect(visitor.locator("main")).to_contain_text("Stand B-11")
    delegate = new_page(viewport=DESKTOP)
    sign_in(delegate, base, "delegate@example.org", "delegate-demo-2025")
    delegate.goto(f"{base}/e/{bamex}/my/")
    person = delegate.locator("li", has_text="Souleymane Traoré").last
    expect(person).to_contain_text("Accredited")
    db.session.remove()
    stand = db.session.execute(select(Stand).filter_by(ref="B-11")).scalar_one()
    assert stand.status == "confirmed"


def manage_paths(slug: str) -> list[str]:
    base = f"/e/{slug}/manage"
    demo = db.session.execute(select(EventSession).filter_by(ref="ses-demo-baykar")).scalar_one()
    stand = db.session.execute(select(Stand).filter_by(ref="A-01")).scalar_one()
    paths = [
        f"{base}/",
        f"{base}/accreditation",
        f"{base}/approvals/",
        f"{base}/exhibitors/?sort=-name",
        f"{base}/participants/?status=pending",
        f"{base}/schedule/?day=2025-11-11",
        f"{base}/schedule/?day=2025-11-13",
        f"{base}/schedule/{demo.id}",
        f"{base}/schedule/new",
        f"{base}/floor-plan/",
        f"{base}/floor-plan/{stand.id}",
        f"{base}/setup/",
        f"{base}/setup/locations/{stand.location_id}",
        f"{base}/audit/",
        f"{base}/scheduler/",
        f"{base}/badges/",
    ]
    db.session.remove()
    return paths


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_organiser_page_is_accessible_and_fits_the_screen(
    bamex, live_server, new_page, viewport
):
    page = new_page(viewport=viewport, locale="fr-FR" if viewport is PHONE else "en-GB")
    sign_in(page, live_server, *ORGANISER)
    for path in manage_paths(bamex):
        response = page.goto(live_server + path)
        assert response.status == 200, path
        assert axe_violations(page) == [], path
        assert_fits_the_screen(page, path)
    # The scheduler's preview, reached the way an organiser does: make a plan.
    page.goto(f"{live_server}/e/{bamex}/manage/scheduler/")
    page.locator("#time_limit").select_option("5")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/manage/scheduler/*")
    assert axe_violations(page) == [], page.url
    assert_fits_the_screen(page, "the plan preview")


def test_the_schedule_editor_works_without_javascript(bamex, live_server, browser):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, *ORGANISER)
        page.goto(f"{live_server}/e/{bamex}/manage/schedule/?day=2025-11-13")
        form = page.locator("#new-session")
        form.get_by_label("Title").fill("Night demo")
        form.get_by_label("Kind").select_option("demo")
        zone = page.locator(".sched-col").last.get_attribute("data-location")  # the demo zone
        form.get_by_label("Location").select_option(zone)
        form.get_by_label("Starts at").fill("17:00")
        form.get_by_label("Ends at").fill("18:00")
        form.get_by_role("button", name="Add to the schedule").click()
        expect(page.locator("#warnings")).to_contain_text("Outside the day's opening hours")
        page.get_by_label("Keep it despite the warnings").check()
        page.get_by_role("button", name="Add to the schedule").click()
        expect(page.locator(".sched-item", has_text="Night demo")).to_be_visible()
        page.locator(".sched-item", has_text="Night demo").click()
        page.get_by_label("Ends at").fill("16:00")
        page.get_by_label("Starts at").fill("17:00")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#end-error")).to_have_text("It ends before it starts.")
        expect(page.get_by_label("Title")).to_have_value("Night demo")
    finally:
        context.close()


def test_a_drag_ends_where_the_pointer_stopped_and_a_click_proposes_half_an_hour(
    bamex, live_server, new_page
):
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, *ORGANISER)
    page.goto(f"{live_server}/e/{bamex}/manage/schedule/?day=2025-11-11")
    room = column(page, "Meeting Room B")
    room.scroll_into_view_if_needed()
    x = room.bounding_box()["x"] + room.bounding_box()["width"] / 2
    dialog = page.locator("#session-dialog")
    drag(page, x, y_of(page, room, "15:00"), y_of(page, room, "15:15"))  # one row
    expect(dialog.get_by_label("Ends at")).to_have_value("15:15")
    dialog.locator("[data-close-dialog]").first.click()
    page.mouse.click(x, y_of(page, room, "16:00"))
    expect(dialog.get_by_label("Starts at")).to_have_value("16:00")
    expect(dialog.get_by_label("Ends at")).to_have_value("16:30")
