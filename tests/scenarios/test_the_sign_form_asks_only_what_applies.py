"""The sign form asks each conditional question only when the answer it depends on calls for it:
the inspector question for a pledge that needs it, the name threshold for those who chose to be
named, the union for those who agreed to give it, the region for those without a school. The
reveal is decided in CSS, so it works the same with JavaScript off; the server decides what applies."""

from __future__ import annotations

import pytest

from tests.factories import SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "what have you done?"


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def tab(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=request.param)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.goto("/sign/")
    yield tab
    context.close()


def test_the_inspector_question_shows_only_for_the_stand_down_pledge(tab):
    question = tab.get_by_role("group", name=QUESTION)
    assert not question.is_visible()
    tab.get_by_label("Support the pause").check()
    assert not question.is_visible(), "this pledge does not ask it"
    tab.get_by_label("Stand down as an Ofsted Inspector").check()
    assert question.is_visible()
    tab.get_by_label("Stand down as an Ofsted Inspector").uncheck()
    assert not question.is_visible()


def test_the_name_threshold_shows_only_to_those_who_will_be_named(tab):
    threshold = tab.get_by_label("Only show my name once")
    assert not threshold.is_visible()
    tab.get_by_label("Show my name and role", exact=True).check()
    assert threshold.is_visible()
    tab.get_by_label("Count me, but do not show my name").check()
    assert not threshold.is_visible()


def test_the_union_shows_only_after_consent_to_record_it(tab):
    union = tab.get_by_label("Your union or professional association")
    assert not union.is_visible()
    tab.get_by_label("I agree that #PauseOfsted may record which union").check()
    assert union.is_visible()


def test_the_region_is_not_asked_once_a_school_is_chosen(browser, live_server):
    SchoolFactory(name="Kestrel Primary School", urn=100001)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/sign/")
    assert tab.get_by_label("Your region").is_visible()
    tab.get_by_label("Find your school").fill("kestrel")
    tab.get_by_role("button", name="Find school").click()
    assert "1 school found" in tab.content()
    tab.get_by_label("Kestrel Primary School").check()
    assert not tab.get_by_label("Your region").is_visible()
    context.close()


def test_the_question_stays_in_view_when_it_has_an_error(page):
    page.goto("/sign/?pledge=stand-down")
    page.get_by_role("button", name="Sign").last.click()
    question = page.get_by_role("group", name=QUESTION)
    assert question.is_visible()
    assert "Select whether you have made yourself unavailable or resigned" in question.inner_text()


def test_a_union_without_consent_keeps_its_error_in_view(page):
    page.goto("/sign/")
    page.get_by_label("I agree that #PauseOfsted may record which union").check()
    page.get_by_label("Your union or professional association").select_option(index=1)
    page.get_by_label("I agree that #PauseOfsted may record which union").uncheck()
    page.get_by_role("button", name="Sign").last.click()
    assert page.get_by_label("Your union or professional association").is_visible()
    assert "Tick the box to let us record your union" in page.content()


def test_the_number_of_others_shows_only_for_a_conditional_commitment(tab):
    tab.get_by_label("Stand down as an Ofsted Inspector").check()
    others = tab.get_by_role("group", name="How many others in your Ofsted region?")
    assert not others.is_visible()
    tab.get_by_label("I will make myself unavailable once enough others").check()
    assert others.is_visible()
    tab.get_by_label("I have made myself unavailable for inspections").check()
    assert not others.is_visible()
