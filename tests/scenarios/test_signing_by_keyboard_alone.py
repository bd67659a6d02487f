from __future__ import annotations

import pytest

from pledges.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focus_on(page, label: str, limit: int = 60) -> None:
    """Press Tab until the control labelled `label` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement; const l = el && el.labels && el.labels[0];"
            " return (l ? l.innerText : (el.innerText || el.value || '')).trim(); }"
        )
        if focused.startswith(label):
            return
    raise AssertionError(f"Tab never reached {label!r}")


def test_a_signer_signs_with_the_keyboard_alone(page):
    page.goto("/sign/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    focus_on(page, "Support the pause")
    page.keyboard.press("Space")
    focus_on(page, "Full name")
    page.keyboard.type("Kim Keys")
    focus_on(page, "Email address")
    page.keyboard.type("kim@keys.example")
    focus_on(page, "Headteacher or principal")
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys: Deputy…
    page.keyboard.press("ArrowUp")  # …and back to Headteacher
    focus_on(page, "Your region")
    page.keyboard.press("ArrowDown")
    focus_on(page, "I agree that #PauseOfsted may record my support")
    page.keyboard.press("Space")
    focus_on(page, "Sign and send me the confirmation email")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Check your email").wait_for()
    signature = Signature.objects.get()
    assert (signature.name, signature.role, signature.region) == ("Kim Keys", "head", "A")


def test_the_error_summary_takes_focus_without_turning_into_a_yellow_block(page):
    page.goto("/sign/")
    page.get_by_role("button", name="Sign").last.click()
    summary = page.locator(".error-summary")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert summary.evaluate("el => getComputedStyle(el).backgroundColor") in ("rgba(0, 0, 0, 0)", "transparent")
    assert summary.evaluate("el => getComputedStyle(el).outlineStyle") == "solid", "focus is still visible"
