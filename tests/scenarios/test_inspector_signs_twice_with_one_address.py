from __future__ import annotations

import pytest
from django.core import mail

from pledges.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign(page) -> str:
    page.goto("/sign/?pledge=stand-down")
    page.get_by_label("Full name").fill("Ian Inspector")
    page.get_by_label("Email address").fill("ian@school.example")
    page.get_by_label("Headteacher or principal").check()
    page.get_by_label("Your region").select_option("E")
    page.get_by_label("I have made myself unavailable for inspections").check()
    page.get_by_label("I agree that #PauseOfsted may record my support").check()
    page.get_by_role("button", name="Sign and send me the confirmation email").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    return page.locator("main").inner_text()


def test_an_inspector_who_signs_twice_sees_the_same_page_and_is_counted_once(page):
    first = sign(page)
    second = sign(page)
    assert first == second
    assert Signature.objects.count() == 1
    assert len(mail.outbox) == 1, "a repeat within minutes sends nothing more"
    assert Signature.objects.get().inspector_status == "unavailable"
