from __future__ import annotations

import re

import pytest
from django.core import mail

from pledges.models import Signature
from tests.factories import SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in(message, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({path}[^\s]+/)", message.body).group(1)


def test_a_head_signs_finds_her_school_and_confirms_from_the_email(page):
    SchoolFactory(name="Kestrel Academy", town="Banbury", region="J", la_name="Oxfordshire")
    page.goto("/")
    page.get_by_role("link", name="Sign “Refuse release time for inspection”").click()
    assert page.get_by_label("Refuse release time for inspection").is_checked()
    page.get_by_label("Full name").fill("Helen Head")
    page.get_by_label("Email address").fill("helen@kestrel.example")
    page.get_by_label("Headteacher or principal").check()
    page.get_by_label("Find your school").fill("kestrel")
    page.get_by_label("Kestrel Academy, Banbury").check()
    page.get_by_label("Show my name, role and school").check()
    page.get_by_label("I agree that #PauseOfsted may record my support").check()
    page.get_by_role("button", name="Sign and send me the confirmation email").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    signature = Signature.objects.get()
    assert (signature.region, signature.local_authority) == ("J", "Oxfordshire")
    page.goto(link_in(mail.outbox[-1], "/confirm/"))
    page.get_by_role("button", name="Confirm my signature").click()
    page.get_by_role("heading", name="Signature confirmed").wait_for()
    page.goto("/")
    assert page.locator("[data-count-for='refuse-release']").inner_text() == "1"


def test_a_signer_without_javascript_searches_for_her_school(browser, live_server):
    SchoolFactory(name="Tyneside Bridge Primary", town="Newcastle upon Tyne", region="A")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sign/")
    page.get_by_label("Full name").fill("Nadia North")
    page.get_by_label("Find your school").fill("tyneside")
    page.get_by_role("button", name="Find school").click()
    assert page.get_by_label("Tyneside Bridge Primary, Newcastle upon Tyne").count() == 1
    assert page.get_by_label("Full name").input_value() == "Nadia North"
    context.close()


def test_a_form_with_mistakes_shows_an_error_summary_that_links_to_each_field(page):
    page.goto("/sign/")
    page.get_by_role("button", name="Sign and send me the confirmation email").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert page.title().startswith("Error:")
    summary.get_by_role("link", name="Enter your full name").click()
    assert page.evaluate("document.activeElement.id") == "id_name"
