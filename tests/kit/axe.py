"""Accessibility and fit checks of a page open in Chromium (marker `browser`).

`axe_violations` runs axe-core's WCAG 2.1 A and AA rules; `horizontal_overflow` says how
many pixels the page is wider than the window (a phone would scroll sideways)."""

from __future__ import annotations

from tests.kit.ci import import_or_unavailable

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """The axe-core violations of the page as it is now: id, help and the first nodes."""
    axe = import_or_unavailable("axe_playwright_python.sync_playwright", "axe-core check")
    results = axe.Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in results.response["violations"]
    ]


def horizontal_overflow(page) -> int:
    """How many pixels the document is wider than the window (0 or less: it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def assert_fits_the_screen(page, where: str | None = None) -> None:
    """No sideways scrolling: nothing on the page is wider than the window."""
    overflow = horizontal_overflow(page)
    assert overflow <= 0, f"{where or page.url} is {overflow}px wider than the screen"


def assert_accessible(page, where: str | None = None) -> None:
    """No axe-core violation, and the page fits the window."""
    assert axe_violations(page) == [], where or page.url
    assert_fits_the_screen(page, where)
