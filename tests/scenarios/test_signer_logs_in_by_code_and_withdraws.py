from __future__ import annotations

import re

import pytest
from django.core import mail

from pledges.models import Signature
from tests.factories import ConfirmedSignatureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_signer_logs_in_by_code_and_withdraws(page):
    from pledges.accounts import link_account
    from pledges.models import Pledge

    ConfirmedSignatureFactory(pledge=Pledge.objects.get(slug="support-the-pause"), email="sam@example.org")
    link_account("sam@example.org")
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("button", name="Email me a sign-in code").click()
    page.get_by_label("Email").fill("sam@example.org")
    page.get_by_role("button", name="Request Code").click()
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="My pledges").wait_for()
    assert "Confirmed and counted" in page.locator("main").inner_text()

    page.get_by_role("link", name="Withdraw from Support the pause").click()
    page.get_by_label("Why are you withdrawing? (optional)").fill("Moved to a new role")
    page.get_by_role("button", name="Withdraw my signature").click()
    page.get_by_text("It no longer counts.").wait_for()
    assert Signature.objects.get().state == Signature.State.WITHDRAWN
    page.goto("/")
    assert page.locator("[data-count-for='support-the-pause']").inner_text() == "0"
