"""A trust leader records their board's resolution in a real browser (without JavaScript, so the
school search is the form's own), confirms it from the email, staff approve it, and the counts page
shows every open school of the trust covered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from pledges.models import BoardResolution
from pledges.resolutions import decide_resolution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTER = Path(__file__).parents[1] / "pledges" / "fixtures" / "trust_register.csv"


def test_a_trust_leader_records_a_resolution_that_covers_the_whole_trust(browser, live_server):
    call_command("import_schools", str(REGISTER))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, bypass_csp=True)
    tab = context.new_page()
    tab.goto("/resolutions/record/")
    tab.get_by_label("Find the school").fill("heron park")
    tab.get_by_role("button", name="Find school").click()
    assert "1 school found" in tab.content()
    tab.get_by_label("The trust board, for every school in the trust").check()
    tab.get_by_label("Day").fill("31")
    tab.get_by_label("Month").fill("2")
    tab.get_by_label("Year").fill("2026")
    tab.get_by_label("Your full name").fill("Tess Trustleader")
    tab.get_by_label("Your email address").fill("tess@heron.example")
    tab.get_by_label("Trust chief executive or leader").check()
    tab.get_by_label("The school or trust may be named").check()
    tab.get_by_label("I confirm the board resolved this").check()
    tab.get_by_role("button", name="Record it and send me the confirmation email").click()
    assert "Enter a real date" in tab.locator(".error-summary").inner_text()
    tab.get_by_label("Day").fill("20")
    tab.get_by_label("Month").fill("11")
    tab.get_by_role("button", name="Record it and send me the confirmation email").click()
    tab.get_by_role("heading", name="Check your email").wait_for()

    link = re.search(r"https?://[^/\s]+(/resolutions/confirm/\S+/)", mail.outbox[-1].body).group(1)
    tab.goto(link)
    assert "Heron Learning Trust" in tab.locator("main").inner_text()
    tab.get_by_role("button", name="Confirm the resolution").click()
    tab.get_by_role("heading", name="Resolution confirmed").wait_for()

    decide_resolution(BoardResolution.objects.get(), approve=True, by=None)
    cache.clear()
    tab.goto("/counts/")
    assert "4 open state-funded schools are covered" in tab.locator("main").inner_text()
    tab.goto("/resolutions/")
    assert "Heron Learning Trust: its trust board, covering 4 schools" in tab.locator("main").inner_text()
    context.close()
