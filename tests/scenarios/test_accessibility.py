"""axe-core on every public page, in each state of its forms: no WCAG 2.2 AA violations."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from pledges.emails import signer_token
from pledges.models import ActionStep, Pledge
from pledges.tokens import make_token
from tests.factories import ConfirmedSignatureFactory, PendingSignatureFactory, SchoolFactory
from tests.scenarios.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATIC_PAGES = [
    "/",
    "/sign/",
    "/sign/?pledge=stand-down",
    "/sign/check-your-email/",
    "/counts/",
    "/resolutions/",
    "/resolutions/record/",
    "/constituencies/",
    "/wall/",
    "/pledges/stand-down/",
    "/embed/stand-down/",
    "/api/",
    "/briefing/",
    "/open-letter/",
    "/unions/",
    "/faq/",
    "/privacy/",
    "/accessibility/",
    "/news/",
    "/accounts/login/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
    "/no-such-page/",
    "/confirm/not-a-real-token/",
]


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}: {violations}"
    assert page.locator("h1").count() == 1, f"{what}: one h1"


def test_every_public_page_is_accessible(page):
    pledge = Pledge.objects.get(slug="support-the-pause")
    named = ConfirmedSignatureFactory(pledge=pledge, name="Ana Approved", appearance="name_school")
    named.school = SchoolFactory()
    named.save()
    named.approve(by=None)
    for path in STATIC_PAGES:
        page.goto(path)
        assert_accessible(page, path)


def test_the_signing_form_is_accessible_empty_with_errors_with_results_and_done(page):
    SchoolFactory(name="Kestrel Academy", town="Banbury")
    page.goto("/sign/")
    assert_accessible(page, "empty form")
    page.get_by_role("button", name="Sign and send me the confirmation email").click()
    assert_accessible(page, "form with every error")
    page.get_by_label("Find your school").fill("kestrel")
    page.get_by_role("button", name="Find school").click()
    assert_accessible(page, "form with school results")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_label("Full name").fill("=SUM(1)")
    page.get_by_role("button", name="Sign and send me the confirmation email").click()
    assert_accessible(page, "form with value errors")


def test_the_pages_reached_from_emails_are_accessible(page, live_server):
    pledge = Pledge.objects.get(slug="stand-down")
    pending = PendingSignatureFactory(pledge=pledge)
    page.goto(f"/confirm/{make_token('confirm', [pending.pk])}/")
    assert_accessible(page, "confirm page")
    page.get_by_role("button", name="Confirm my signature").click()
    assert_accessible(page, "confirmed page")

    signer = ConfirmedSignatureFactory(pledge=pledge)
    for step in ActionStep.objects.all():
        page.goto(f"/actions/{make_token('step', [signer.pk, step.pk])}/")
        assert_accessible(page, f"step {step.slug}")
    step = ActionStep.objects.get(slug="contact-colleagues")
    page.goto(f"/actions/{make_token('step', [signer.pk, step.pk])}/")
    page.get_by_role("button", name="Send invitations").click()
    assert_accessible(page, "invite form with an error")
    page.get_by_role("button", name="I have done this").click()
    assert_accessible(page, "step done")
    for path in [f"/unsubscribe/{signer_token(signer)}/", f"/email-preferences/{signer_token(signer)}/"]:
        page.goto(path)
        assert_accessible(page, path)
    page.goto(f"/my-signature/{make_token('manage', [signer.pk])}/")
    assert_accessible(page, "manage link")


def test_the_signed_in_pages_are_accessible(page):
    from pledges.accounts import link_account

    ConfirmedSignatureFactory(pledge=Pledge.objects.get(slug="support-the-pause"), email="acc@example.org")
    link_account("acc@example.org")
    page.goto("/accounts/login/code/")
    page.get_by_label("Email").fill("acc@example.org")
    page.get_by_role("button", name="Request Code").click()
    assert_accessible(page, "enter code")
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="My pledges").wait_for()
    assert_accessible(page, "my pledges")
    page.get_by_role("link", name="Withdraw from Support the pause").click()
    assert_accessible(page, "withdraw")
    page.goto("/my/data/")
    assert_accessible(page, "my data")
    page.get_by_role("button", name="Erase my data").click()
    assert_accessible(page, "erase without ticking")
