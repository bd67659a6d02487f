"""A new moderator's first day, in a real browser, exactly as the README walks it: create_staff, sign
in with the password once, add the authenticator app with one code, save the recovery codes, go on to
the admin, open the approval queue and approve a name with the button on its page."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from pledges.models import AuditEntry, Pledge, Signature
from tests.factories import ConfirmedSignatureFactory
from tests.staff import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "first.day@pauseofsted.example"


def test_a_new_moderator_goes_from_create_staff_to_approving_a_name(page):
    support = Pledge.objects.get(slug="support-the-pause")
    wendy = ConfirmedSignatureFactory(pledge=support, name="Wendy Wall", appearance="name")
    ConfirmedSignatureFactory(pledge=support, name="Colin Counted", appearance="counted")
    out = StringIO()
    call_command("create_staff", EMAIL, "--group", "Moderator", stdout=out)
    password = re.search(r"Temporary password \(shown once\): (\S+)", out.getvalue()).group(1)

    page.goto("/admin/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in with password").click()

    page.get_by_role("heading", name="Activate authenticator app").wait_for()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("button", name="I have saved them: go to the admin").click()
    page.get_by_role("link", name="Approval queue").first.click()
    assert "/admin/pledges/signature/" in page.url, "no second code, no password again"

    page.get_by_role("heading", name="Approval queue").wait_for()
    table = page.locator("#result_list")
    assert table.get_by_role("link", name="Wendy Wall").is_visible()
    assert table.get_by_text("Colin Counted").count() == 0, "counted-only signatures are not in the queue"
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, "the queue fits a 1280-pixel screen"
    page.goto("/admin/pledges/signature/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, "so does the whole list"
    page.goto("/admin/pledges/signature/approval-queue/")

    table.get_by_role("link", name="Wendy Wall").click()
    page.get_by_role("button", name="Approve for the wall").click()
    page.get_by_text("Done: approve for the wall.").wait_for()
    assert page.get_by_role("button", name="Approve for the wall").count() == 0
    wendy.refresh_from_db()
    assert wendy.wall == Signature.Wall.APPROVED
    assert AuditEntry.objects.filter(signature=wendy, action="approve", actor__email=EMAIL).exists()

    page.goto("/wall/")
    assert "Wendy Wall" in page.locator("main").inner_text()
