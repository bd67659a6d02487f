from __future__ import annotations

import pytest

from pledges.models import Pledge
from tests.factories import ConfirmedSignatureFactory
from tests.staff import PASSWORD, make_staff, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_signs_in_with_a_second_factor_and_approves_a_name(page):
    ConfirmedSignatureFactory(pledge=Pledge.objects.get(slug="support-the-pause"), name="Wendy Wall", appearance="name")
    user, secret = make_staff("Moderator")
    page.goto("/wall/")
    assert "Wendy Wall" not in page.locator("main").inner_text()

    page.goto("/admin/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in with password").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.goto("/admin/pledges/signature/approval-queue/")
    page.get_by_role("row", name="Wendy Wall").get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("approve")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("Approved for the wall: 1 signature.").wait_for()

    page.goto("/wall/")
    assert "Wendy Wall" in page.locator("main").inner_text()
