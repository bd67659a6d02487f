"""Reflow (WCAG 2.2, 1.4.10): every public page at 320, 768 and 1280 CSS px, with no sideways scroll.

A screenshot of every page at every width is kept under test-results/reflow/ for a reviewer to look at.
"""

from __future__ import annotations

import re

import pytest

from pledges.models import Pledge
from tests.factories import ConfirmedSignatureFactory, SchoolFactory
from tests.scenarios.conftest import RESULTS
from tests.scenarios.test_accessibility import STATIC_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [*STATIC_PAGES, "/about/", "/pledges/support-the-pause/", "/embed/support-the-pause/"]
WIDTHS = [320, 768, 1280]

# What sticks out, so a failure names the element rather than only the page.
WIDEST = """() => {
    const limit = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.right > limit + 1 && box.width > 0) {
            let scroller = el.parentElement, clipped = false;
            while (scroller && scroller !== document.body) {
                const style = getComputedStyle(scroller);
                if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) { clipped = true; break; }
                scroller = scroller.parentElement;
            }
            const name = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
            if (!clipped) out.push(name + ' ' + Math.round(box.right) + 'px');
        }
    }
    return out.slice(0, 5);
}"""


@pytest.fixture
def busy_site():
    """Signatures in every state a page shows: named on the wall with a long school, several regions."""
    pledge = Pledge.objects.get(slug="support-the-pause")
    school = SchoolFactory(name="The Very Long Name Church of England Voluntary Aided Primary and Nursery School")
    for region in ["A", "D", "H", "J", "K"]:
        for _ in range(4):
            ConfirmedSignatureFactory(pledge=pledge, region=region)
    named = ConfirmedSignatureFactory(
        pledge=pledge, name="Bartholomew Featherstonehaugh-Cholmondeley", appearance="name_school", school=school
    )
    named.approve(by=None)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_public_page_reflows_without_sideways_scrolling(browser, live_server, busy_site, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    tab = context.new_page()
    folder = RESULTS / "reflow" / str(width)
    folder.mkdir(parents=True, exist_ok=True)
    overflowing = {}
    try:
        for path in PAGES:
            tab.goto(path)
            name = re.sub(r"[^\w-]+", "_", path.strip("/")) or "home"
            tab.screenshot(path=str(folder / f"{name}.png"), full_page=True)
            scroll_width = tab.evaluate("() => document.documentElement.scrollWidth")
            if scroll_width > width:
                overflowing[path] = (scroll_width, tab.evaluate(WIDEST))
    finally:
        context.close()
    assert overflowing == {}, f"pages wider than {width} px: {overflowing}"


@pytest.mark.parametrize("javascript", [True, False])
def test_the_navigation_folds_behind_a_menu_button_on_a_phone_and_shows_in_full_without_javascript(
    browser, live_server, javascript
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 700}, java_script_enabled=javascript
    )
    tab = context.new_page()
    tab.goto("/")
    nav = tab.get_by_role("navigation", name="Main")
    menu = nav.get_by_role("button", name="Menu")
    counts = nav.get_by_role("link", name="Live counts")
    if not javascript:
        assert menu.count() == 0 and counts.is_visible(), "without JavaScript every link shows"
    else:
        assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false" and not counts.is_visible()
        logo = tab.get_by_role("link", name="#PauseOfsted").first.bounding_box()
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true" and counts.is_visible()
        opened = menu.bounding_box()
        assert abs(opened["y"] - logo["y"]) < 5, "opened, the button stays beside the site's name"
        assert counts.bounding_box()["y"] > opened["y"] + opened["height"], "and the links drop below"
        tab.keyboard.press("Escape")
        assert menu.get_attribute("aria-expanded") == "false" and not counts.is_visible(), "Escape closes it"
        menu.click()
        counts.click()
        assert tab.url.endswith("/counts/")
        tab.set_viewport_size({"width": 1280, "height": 700})
        assert menu.count() == 0 or not menu.is_visible()
        # A wide screen shows every link (waited for: the layout follows the resize a moment later under load).
        nav.get_by_role("link", name="Who has signed").wait_for(state="visible", timeout=5_000)
    context.close()
